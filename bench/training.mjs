// Training-step rows through the public runtime API (dist/runtime.js, built by `npm run build`), side by side with
// the same models in PyTorch (bench/torch_train.py on /usr/bin/python3, 1 and 2 intra-op threads) and, for MLP
// and LeNet-5, tfjs-wasm (tf.sgd().minimize). One step = zeroGrad, forward, cross-entropy, backward, SGD+momentum
// (tfjs: plain SGD); batch 64. Interleaved one step of each per round; wall-clock medians (PyTorch's 2-thread
// column needs wall time). Plus one real-data row: a Fashion-MNIST epoch of LeNet-5 with Adam.
import { buildSync } from 'esbuild';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { TorchServer } from './torch-server.mjs';
import { lenetSpec, mlpSpec, resnetSpec, vggSpec } from './models.mjs';

const require = createRequire(import.meta.url);
const FMNIST = '/usr/share/datasets/fashion-mnist';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
}

/** Interleaves sync (ours, tfjs) and async (PyTorch) candidates; 2 warm-up rounds, then `reps` timed ones. */
async function interleavedAsync(fns, reps) {
  const out = fns.map(() => []);
  const errs = fns.map(() => null);
  for (let round = 0; round < reps + 2; round++) {
    for (let i = 0; i < fns.length; i++) {
      if (!fns[i] || errs[i]) continue;
      try {
        const ms = await fns[i]();
        if (round >= 2) out[i].push(ms);
      } catch (e) {
        errs[i] = e.message;
      }
    }
  }
  return out.map((ts, i) => (errs[i] ? { error: errs[i] } : fns[i] ? median(ts) : undefined));
}

const wall = (fn) => () => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

async function fashionRow(L, torch, limit) {
  const ds = L.data.mnist(`${FMNIST}/train-images-idx3-ubyte.gz`, `${FMNIST}/train-labels-idx1-ubyte.gz`);
  const test = L.data.mnist(`${FMNIST}/t10k-images-idx3-ubyte.gz`, `${FMNIST}/t10k-labels-idx1-ubyte.gz`);
  const n = limit > 0 ? Math.min(limit, ds.length) : ds.length;
  const train = n < ds.length ? new L.data.TensorDataset(...ds.tensors.map((t) => L.narrow(t, 0, 0, n))) : ds;
  L.manualSeed(0);
  const { model } = lenetSpec(L);
  const opt = new L.optim.Adam(model.parameters(), { lr: 1e-3 });
  const loader = new L.data.DataLoader(train, { batchSize: 64, shuffle: true });
  const t = performance.now();
  model.train();
  for (const [x, y] of loader) {
    opt.zeroGrad();
    const loss = L.F.crossEntropy(model(x), y);
    loss.backward();
    opt.step();
  }
  const ms = performance.now() - t;
  model.eval();
  let correct = 0;
  L.noGrad(() => {
    for (let i = 0; i < test.length; i += 1000) {
      const [x, y] = test.getBatch(Array.from({ length: Math.min(1000, test.length - i) }, (_, k) => i + k));
      correct += L.eq(L.argmax(model(x), 1), y).sum().item();
    }
  });
  const row = { name: `Fashion-MNIST LeNet-5 epoch (${n} imgs, Adam)`, ms, acc: correct / test.length };
  if (torch) {
    for (const th of [1, 2]) {
      const r = await torch.epoch(th, n, 0);
      row[`pt${th}`] = r.ms;
      row[`acc${th}`] = r.acc;
    }
  }
  return row;
}

export async function trainingRows({ root, tf, only, reps, peakGflops }) {
  const file = join(root, 'dist/runtime.js');
  if (!existsSync(file)) {
    console.log('bench: dist/runtime.js not built; skipping the training-step rows');
    return { rows: [], note: '' };
  }
  // tfjs-core's CommonJS node bundle registers no gradients (the @tensorflow/tfjs umbrella package does): bundle
  // its register_all_gradients module; it registers into the same global registry.
  const grads = join(root, 'dist/bench/tfjs-gradients.js');
  buildSync({ entryPoints: [require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js')], outfile: grads,
    bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  require(grads);
  const L = require(file);
  const { server: torch, note } = TorchServer.start(root);
  const rows = [];
  try {
    for (const make of [mlpSpec, lenetSpec, vggSpec, resnetSpec]) {
      const spec = make(L, tf);
      if (only && !only.test(spec.name)) continue;
      const [ms, pt1, pt2, tfMs] = await interleavedAsync([wall(spec.ours),
        torch && (() => torch.step(spec.key, 1)), torch && (() => torch.step(spec.key, 2)),
        spec.tfs && wall(spec.tfs)], reps);
      if (typeof ms !== 'number') {
        console.log(`bench: ${spec.name} failed in Layerwise: ${ms.error}`);
        continue;
      }
      for (const [who, v] of [['PyTorch', pt1], ['tfjs', tfMs]]) if (v?.error) console.log(`bench: ${spec.name} ${who}: ${v.error}`);
      rows.push({ ...spec, ms, pt1: typeof pt1 === 'number' ? pt1 : undefined, pt2: typeof pt2 === 'number' ? pt2 : undefined,
        tfMs: typeof tfMs === 'number' ? tfMs : undefined });
    }
    const fm = process.env.BENCH_FMNIST ?? 'full';
    if (fm !== '0' && existsSync(`${FMNIST}/train-images-idx3-ubyte.gz`) && (!only || only.test('Fashion-MNIST'))) {
      rows.fashion = await fashionRow(L, torch, fm === 'full' ? 0 : Number(fm));
    }
  } finally {
    torch?.close();
  }
  printTraining(rows, note, peakGflops);
  return rows;
}

function printTraining(rows, note, peak) {
  const f = (v, d = 1) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '-');
  console.log(`\nTraining steps, batch 64, wall-clock medians of interleaved runs; PyTorch column: ${note}` +
    `${peak ? `; measured SIMD peak ${peak.toFixed(1)} GFLOPS/core` : ''}.\n`);
  const head = ['model', 'Layerwise ms', 'PyTorch 1thr ms', 'PyTorch 2thr ms', 'speed vs PT 1thr', 'speed vs PT 2thr', 'target', 'tfjs-wasm ms',
    'GFLOPS', '% SIMD peak'];
  const body = rows.map((r) => {
    const ratio = r.pt2 / r.ms;
    const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : '-');
    return [r.name, f(r.ms, 2), f(r.pt1, 2), f(r.pt2, 2), x(r.pt1 / r.ms), x(ratio),
      `>= ${r.target}x: ${Number.isFinite(ratio) ? (ratio >= r.target ? 'ok' : 'MISS') : 'n/a'}`, f(r.tfMs, 2),
      f(r.flops / r.ms / 1e6), peak ? `${(100 * r.flops / r.ms / 1e6 / peak).toFixed(0)}%` : '-'];
  });
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => (i === 0 || i === 6 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + w.map((x, i) => (i === 0 || i === 6 ? ':' + '-'.repeat(x + 1) : '-'.repeat(x + 1) + ':')).join('|') + '|');
  for (const b of body) console.log(line(b));
  const fm = rows.fashion;
  if (fm) {
    console.log(`\n${fm.name}: Layerwise ${(fm.ms / 1000).toFixed(2)} s, test accuracy ${(100 * fm.acc).toFixed(2)}%` +
      (fm.pt2 !== undefined ? ` | PyTorch 1 thread ${(fm.pt1 / 1000).toFixed(2)} s, ${(100 * fm.acc1).toFixed(2)}%;` +
        ` 2 threads ${(fm.pt2 / 1000).toFixed(2)} s, ${(100 * fm.acc2).toFixed(2)}% | speed vs PT 2thr ` +
        `${(fm.pt2 / fm.ms).toFixed(2)}x (target >= 1x: ${fm.pt2 >= fm.ms ? 'ok' : 'MISS'}), accuracy gap ` +
        `${(100 * (fm.acc - fm.acc2)).toFixed(2)} points (target within 1: ${Math.abs(fm.acc - fm.acc2) <= 0.01 ? 'ok' : 'MISS'})` : ''));
  }
}

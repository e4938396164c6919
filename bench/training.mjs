// Training-step rows through the public runtime API (dist/runtime.js, built by `npm run build`), side by side with
// the same models in PyTorch (bench/torch_train.py on /usr/bin/python3, 1 and 2 intra-op threads) and, for MLP
// and LeNet-5, tfjs-wasm (tf.sgd().minimize). One step = zeroGrad, forward, cross-entropy, backward, SGD+momentum
// (tfjs: plain SGD); batch 64. Interleaved one step of each per round; wall-clock medians (PyTorch's 2-thread
// column needs wall time). Plus one real-data row: a Fashion-MNIST epoch of LeNet-5 with Adam.
import { buildSync } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { TorchServer } from './torch-server.mjs';
import { lenetSpec, mlpSpec, resnetSpec, vggSpec } from './models.mjs';
import { criticalPath, threadTimes } from './thread-clock.mjs';

const require = createRequire(import.meta.url);
const FMNIST = '/usr/share/datasets/fashion-mnist';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
}

/**
 * Interleaves sync (ours, tfjs) and async (PyTorch) candidates, each returning {wall, cpu} ms; 2 warm-up rounds,
 * then `reps` timed ones; returns the medians {wall, cpu} per candidate (or {error}).
 */
async function interleavedAsync(fns, reps) {
  const out = fns.map(() => ({ wall: [], cpu: [], path: [] }));
  const errs = fns.map(() => null);
  for (let round = 0; round < reps + 2; round++) {
    for (let i = 0; i < fns.length; i++) {
      if (!fns[i] || errs[i]) continue;
      try {
        const t = await fns[i]();
        if (round >= 2) {
          out[i].wall.push(t.wall);
          out[i].cpu.push(t.cpu);
          out[i].path.push(t.path ?? NaN);
        }
      } catch (e) {
        errs[i] = e.message;
      }
    }
  }
  return out.map((o, i) => (errs[i] ? { error: errs[i] } : fns[i] ?
    { wall: median(o.wall), cpu: median(o.cpu), path: median(o.path) } : undefined));
}

/**
 * Wall and process CPU time of one synchronous run (CPU time ignores time spent descheduled on a busy machine), and
 * the longest per-thread CPU time (the threaded run's critical path; see thread-clock.mjs).
 */
const timed = (fn) => () => {
  const p0 = threadTimes(), c = process.cpuUsage(), t = performance.now();
  fn();
  const wall = performance.now() - t, d = process.cpuUsage(c), p1 = threadTimes(true);
  return { wall, cpu: (d.user + d.system) / 1000, path: criticalPath(p0, p1) };
};

async function fashionRow(L, torch, limit) {
  const ds = L.data.mnist(`${FMNIST}/train-images-idx3-ubyte.gz`, `${FMNIST}/train-labels-idx1-ubyte.gz`);
  const test = L.data.mnist(`${FMNIST}/t10k-images-idx3-ubyte.gz`, `${FMNIST}/t10k-labels-idx1-ubyte.gz`);
  const n = limit > 0 ? Math.min(limit, ds.length) : ds.length;
  const train = n < ds.length ? new L.data.TensorDataset(...ds.tensors.map((t) => L.narrow(t, 0, 0, n))) : ds;
  L.manualSeed(0);
  const { model } = lenetSpec(L);
  // With PyTorch present both sides run the same experiment: PyTorch's initial weights and batch order (its
  // `init` command), so the test accuracies are comparable (different random starts differ by 1–2 points after
  // one epoch). Without it, Layerwise's own init and a shuffling DataLoader.
  let batches;
  if (torch) {
    const file = join(tmpdir(), `layerwise-fmnist-init-${process.pid}.json`);
    await torch.init(n, 0, file);
    const { state, perm } = JSON.parse(readFileSync(file, 'utf8'));
    rmSync(file, { force: true });
    model.loadStateDict(Object.fromEntries(Object.entries(state).map(([k, v]) => [k, L.tensor(v.data, { dtype: 'float32' }).reshape(v.shape)])));
    batches = (function* () {
      for (let i = 0; i < n; i += 64) yield ds.getBatch(perm.slice(i, i + 64));
    })();
  } else {
    batches = new L.data.DataLoader(train, { batchSize: 64, shuffle: true });
  }
  const opt = new L.optim.Adam(model.parameters(), { lr: 1e-3 });
  const t = performance.now(), c0 = process.cpuUsage();
  model.train();
  for (const [x, y] of batches) {
    opt.zeroGrad();
    const loss = L.F.crossEntropy(model(x), y);
    loss.backward();
    opt.step();
  }
  const ms = performance.now() - t, dc = process.cpuUsage(c0);
  const cpu = (dc.user + dc.system) / 1000;
  model.eval();
  let correct = 0;
  L.noGrad(() => {
    for (let i = 0; i < test.length; i += 1000) {
      const [x, y] = test.getBatch(Array.from({ length: Math.min(1000, test.length - i) }, (_, k) => i + k));
      correct += L.eq(L.argmax(model(x), 1), y).sum().item();
    }
  });
  const row = { name: `Fashion-MNIST LeNet-5 epoch (${n} imgs, Adam)`, ms, cpu, acc: correct / test.length };
  if (torch) {
    // BENCH_FMNIST_THREADS=1 skips PyTorch's 2-thread epoch (minutes when the machine is oversubscribed)
    for (const th of (process.env.BENCH_FMNIST_THREADS ?? '1,2').split(',').map(Number)) {
      const r = await torch.epoch(th, n, 0);
      row[`pt${th}`] = r.ms;
      row[`ptcpu${th}`] = r.cpu;
      row[`acc${th}`] = r.acc;
    }
  }
  return row;
}

export async function trainingRows({ root, tf, only, reps, peakGflops, threads = 1 }) {
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
  // BENCH_BASELINE=<other checkout>/dist/runtime.js adds a "before" column: that build, interleaved in this run
  const Lb = process.env.BENCH_BASELINE ? require(process.env.BENCH_BASELINE) : null;
  const { server: torch, note } = TorchServer.start(root);
  // ours with the worker pool (`threads` threads) and on one thread: the same runtime, setNumThreads() around the
  // 1-thread step (the idle workers stay alive; a 1-thread step never wakes them)
  const N = threads > 1 && L.getNumThreads() > 1 ? threads : 1;
  const oneThread = (fn) => () => {
    L.setNumThreads(1);
    try { fn(); } finally { L.setNumThreads(N); }
  };
  L.setNumThreads(N);
  const rows = [];
  try {
    for (const make of [mlpSpec, lenetSpec, vggSpec, resnetSpec]) {
      const spec = make(L, tf);
      if (only && !only.test(spec.name)) continue;
      const base = Lb ? make(Lb) : null;
      const [ms1, msN, pt1, pt2, tfMs, before] = await interleavedAsync([timed(oneThread(spec.ours)),
        N > 1 && timed(spec.ours), torch && (() => torch.step(spec.key, 1)), torch && (() => torch.step(spec.key, 2)),
        spec.tfs && timed(spec.tfs), base && timed(base.ours)], reps);
      const ms = ms1;
      if (ms.error) {
        console.log(`bench: ${spec.name} failed in Layerwise: ${ms.error}`);
        continue;
      }
      const ok = (v, who) => {
        if (v?.error) console.log(`bench: ${spec.name} ${who}: ${v.error}`);
        return v && !v.error ? v : undefined;
      };
      rows.push({ ...spec, ms, msN: ok(msN, `${N} threads`), pt1: ok(pt1, 'PyTorch'), pt2: ok(pt2, 'PyTorch'),
        tfMs: ok(tfMs, 'tfjs'), before: ok(before, 'baseline') });
    }
    const fm = process.env.BENCH_FMNIST ?? 'full';
    if (fm !== '0' && existsSync(`${FMNIST}/train-images-idx3-ubyte.gz`) && (!only || only.test('Fashion-MNIST'))) {
      rows.fashion = await fashionRow(L, torch, fm === 'full' ? 0 : Number(fm));
    }
  } finally {
    torch?.close();
  }
  printTraining(rows, note, peakGflops, N);
  return rows;
}

function printTraining(rows, note, peak, N) {
  const f = (v, d = 1) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '-');
  const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : '-');
  console.log(`\nTraining steps, batch 64, medians of interleaved runs; PyTorch: ${note}` +
    `${peak ? `; measured SIMD peak ${peak.toFixed(1)} GFLOPS/core` : ''}. "cpu" = process CPU time (single-threaded` +
    ' candidates: immune to time spent descheduled on a busy machine); "wall" = wall-clock (the only fair clock for' +
    ' PyTorch with 2 threads, and it suffers most from a loaded machine). Speed = their ms / our ms.' +
    ` "ours ${N}thr": the worker pool; "path" = its longest per-thread CPU time (what a step takes when each thread` +
    ` has a core); "thr speed-up" = ours 1thr path / ours ${N}thr path (process CPU time also counts V8 GC helper threads). "vs PT 2thr" = PyTorch 2thr wall / ours ${N}thr` +
    ' path: on a loaded machine PyTorch\'s wall time is inflated by its spinning OpenMP threads, so read it with care.\n');
  const head = ['model', 'ours 1thr cpu ms', 'before cpu ms', 'PT 1thr cpu ms', 'vs PT 1thr', `ours ${N}thr wall ms`,
    'ours 1thr path ms', `ours ${N}thr path ms`, 'thr speed-up (path)', 'PT 2thr wall ms', 'vs PT 2thr', 'target (vs PT 2thr)',
    'tfjs-wasm cpu ms', 'GFLOPS 1thr', '% SIMD peak'];
  const body = rows.map((r) => {
    const best = Math.min(r.ms.cpu, ...[r.msN?.path, r.msN?.wall].filter(Number.isFinite));
    const ratio = r.pt2?.wall / best;
    const gf = r.flops / r.ms.cpu / 1e6;
    return [r.name, f(r.ms.cpu, 2), f(r.before?.cpu, 2), f(r.pt1?.cpu, 2), x(r.pt1?.cpu / r.ms.cpu), f(r.msN?.wall, 2),
      f(r.ms.path, 2), f(r.msN?.path, 2), x(r.ms.path / r.msN?.path), f(r.pt2?.wall, 2), x(ratio),
      `>= ${r.target}x: ${Number.isFinite(ratio) ? (ratio >= r.target ? 'ok' : 'MISS') : 'n/a'}`,
      f(r.tfMs?.cpu, 2), f(gf), peak ? `${(100 * gf / peak).toFixed(0)}%` : '-'];
  });
  const left = new Set([0, 11]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => (left.has(i) ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + w.map((n, i) => (left.has(i) ? ':' + '-'.repeat(n + 1) : '-'.repeat(n + 1) + ':')).join('|') + '|');
  for (const b of body) console.log(line(b));
  const fm = rows.fashion;
  if (fm) {
    const s = (v) => (v / 1000).toFixed(2);
    console.log(`\n${fm.name}: Layerwise ${s(fm.ms)} s wall (${s(fm.cpu)} s cpu), test accuracy ${(100 * fm.acc).toFixed(2)}%` +
      (fm.pt1 !== undefined ? ` | PyTorch 1 thread ${s(fm.pt1)} s wall (${s(fm.ptcpu1)} s cpu), ${(100 * fm.acc1).toFixed(2)}%` : '') +
      (fm.pt2 !== undefined ? `; 2 threads ${(fm.pt2 / 1000).toFixed(2)} s, ${(100 * fm.acc2).toFixed(2)}%` : ''));
    const pts = [fm.pt1, fm.pt2].filter((v) => v !== undefined);
    if (pts.length) {
      const acc = fm.acc2 ?? fm.acc1;
      const cpuRatio = fm.ptcpu1 !== undefined ? `; CPU time vs PyTorch 1 thread ${x(fm.ptcpu1 / fm.cpu)}` : '';
      console.log(`wall speed vs PyTorch's faster run ${x(Math.min(...pts) / fm.ms)} (target >= 1x: ${Math.min(...pts) >= fm.ms ? 'ok' : 'MISS'})${cpuRatio},` +
        ` accuracy gap ${(100 * (fm.acc - acc)).toFixed(2)} points (target within 1: ${Math.abs(fm.acc - acc) <= 0.01 ? 'ok' : 'MISS'})`);
    }
  }
}

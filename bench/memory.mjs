// Memory-bound rows of `npm run bench`: elementwise ops and a reduction over DRAM-sized float32 tensors (16 M
// elements, 64 MB each: twice the L3), through the public runtime API (dist/runtime.js), next to tfjs-wasm's same
// op. GB/s counts the bytes each op must move (read inputs + write the output). Issue #13's target: ≥ 15 GB/s.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const N = 16 * 1024 * 1024;

function medianMs(fn, reps) {
  for (let i = 0; i < 2; i++) fn();
  const ts = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(reps / 2)];
}

export function memoryRows({ root, tf, reps }) {
  const file = join(root, 'dist/runtime.js');
  if (!existsSync(file)) return console.log('bench: dist/runtime.js not built; skipping the memory-bound rows');
  const L = createRequire(import.meta.url)(file);
  const a = L.randn([N]), b = L.randn([N]);
  const ta = tf.randomNormal([N]), tb = tf.randomNormal([N]);
  const drop = (t) => t.dispose?.(); // free each output at once, as a training loop that disposes would
  const cases = [
    ['add (out of place)', 12, () => drop(L.add(a, b)), () => tf.add(ta, tb).dispose()],
    ['relu (out of place)', 8, () => drop(L.relu(a)), () => tf.relu(ta).dispose()],
    ['mul_ by a scalar, in place', 8, () => a.mul_(0.999), null],
    ['add_ a tensor, in place', 12, () => a.add_(b), null],
    ['sum (all elements)', 4, () => L.sum(a).item(), () => tf.sum(ta).dispose()],
  ];
  const rows = cases.map(([name, bytesPerElem, ours, theirs]) => {
    const ms = medianMs(ours, reps);
    const tms = theirs ? medianMs(theirs, reps) : undefined;
    const gbs = (bytesPerElem * N) / ms / 1e6;
    return { name, ms, tms, gbs, ok: gbs >= 15 ? 'ok' : 'MISS' };
  });
  ta.dispose();
  tb.dispose();
  console.log(`\nMemory-bound ops on ${N / 1024 / 1024} M float32 elements (64 MB per tensor), wall-clock medians of ${reps};` +
    ` Layerwise with ${L.getNumThreads()} thread(s) (elementwise ops are not split), tfjs-wasm 1 thread.\n`);
  console.log('| op | Layerwise ms | GB/s | tfjs-wasm ms | tfjs/ours | target ≥ 15 GB/s |');
  console.log('|:---|---:|---:|---:|---:|:---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.ms.toFixed(2)} | ${r.gbs.toFixed(1)} | ${r.tms?.toFixed(2) ?? '-'} | ` +
      `${r.tms ? (r.tms / r.ms).toFixed(2) + 'x' : '-'} | ${r.ok} |`);
  }
}

#!/usr/bin/env node
// Executor latency: kernel start (spawn → runtime loaded → first trivial cell answered; target ≤ 1 s) and the
// round trip of a trivial cell (target ≤ 30 ms), interrupt latency (target ≤ 1 s) for a synchronous loop, an async
// loop and a progress() loop inside an async function, plus a 10k-line console flood. Printed, not asserted.
// Bundles the executor and its client from source into dist/bench/ (esbuild), so it measures the current code.
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = join(root, 'dist/bench');
mkdirSync(out, { recursive: true });
const common = { platform: 'node', format: 'cjs', target: 'node20', bundle: true, logLevel: 'error', absWorkingDir: root,
  external: ['./runtime.js', 'esbuild', 'typescript'] };
await build({ ...common, entryPoints: ['src/executor/worker.ts'], outfile: join(out, 'executor.js') });
await build({ ...common, entryPoints: ['src/executor/client.ts'], outfile: join(out, 'executor-client.js') });
const { ExecutorClient } = require(join(out, 'executor-client.js'));

const real = join(root, 'dist/runtime.js');
const runtimePath = existsSync(real) ? real : join(root, 'test/fixtures/notebooks/fake-runtime.js');
const opts = { cwd: root, executorPath: join(out, 'executor.js'), runtimePath };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const run = (c, code, onEvent = () => {}) => c.execute(code, { cellId: 'bench', onEvent });

async function kernelStart(n = 5) {
  const ready = [];
  const first = [];
  for (let i = 0; i < n; i++) {
    const c = new ExecutorClient(opts);
    const t0 = performance.now();
    const r = await run(c, '1');
    if (r.status !== 'ok') throw new Error(`start failed: ${r.error?.stack}`);
    first.push(performance.now() - t0);
    const t1 = performance.now();
    await c.restart();
    ready.push(performance.now() - t1);
    c.dispose();
  }
  return { first: median(first), ready: median(ready) };
}

async function roundTrip(n = 200) {
  const c = new ExecutorClient(opts);
  await run(c, '0');
  for (let i = 0; i < 20; i++) await run(c, `${i}`);
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run(c, `${i} + 1`);
    times.push(performance.now() - t0);
  }
  const t0 = performance.now();
  let lines = 0;
  await run(c, 'for (let i = 0; i < 10000; i++) console.log(i)', (e) => { if (e.type === 'stream') lines++; });
  const flood = performance.now() - t0;
  c.dispose();
  return { median: median(times), p95: pct(times, 0.95), flood, lines };
}

async function interruptLatency() {
  const c = new ExecutorClient(opts);
  await run(c, '0');
  const out = {};
  const loops = { sync: 'while (true) {}', async: 'for (;;) await new Promise((r) => setTimeout(r, 5))',
    progress: 'async function f() { await new Promise((r) => setTimeout(r, 1)); const p = progress(1e12); for (;;) p.tick() }\nawait f()' };
  for (const [name, loop] of Object.entries(loops)) {
    let t0 = 0;
    const r = await run(c, `console.log('go')\n${loop}`, (e) => {
      if (e.type === 'stream' && !t0) setTimeout(() => { t0 = performance.now(); c.interrupt(); }, 50);
    });
    out[name] = { ms: performance.now() - t0, status: r.status };
  }
  c.dispose();
  return out;
}

const start = await kernelStart();
const intr = await interruptLatency();
const rt = await roundTrip();
console.log(`executor bench (runtime: ${runtimePath === real ? 'dist/runtime.js' : 'fake'})`);
console.log(`  kernel start, first cell answered  ${start.first.toFixed(0).padStart(6)} ms  (target ≤ 1000)`);
console.log(`  restart → process ready            ${start.ready.toFixed(0).padStart(6)} ms`);
console.log(`  trivial cell round trip, median    ${rt.median.toFixed(1).padStart(6)} ms  (target ≤ 30)  p95 ${rt.p95.toFixed(1)} ms`);
for (const [name, r] of Object.entries(intr)) {
  console.log(`  interrupt → result, ${name.padEnd(9)}      ${r.ms.toFixed(0).padStart(6)} ms  (target ≤ 1000, ${r.status})`);
}
console.log(`  10k console.log lines              ${rt.flood.toFixed(0).padStart(6)} ms  (${rt.lines} stream events)`);

#!/usr/bin/env node
// Where a training step's time goes: runs `steps` steps of a bench model (default vgg) under the V8 CPU profiler
// and prints self time per function (top 25) plus the GC share. Usage:
//   node bench/profile-step.mjs [mlp|lenet|vgg|resnet] [steps]
// (writes the raw .cpuprofile into dist/bench/ for DevTools).
import { Session } from 'node:inspector/promises';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lenetSpec, mlpSpec, resnetSpec, vggSpec } from './models.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const L = require(join(root, 'dist/runtime.js'));
const which = process.argv[2] ?? 'vgg';
const steps = Number(process.argv[3] ?? 10);
const make = { mlp: mlpSpec, lenet: lenetSpec, vgg: vggSpec, resnet: resnetSpec }[which];
const spec = make(L);
for (let i = 0; i < 3; i++) spec.ours();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const t = performance.now();
for (let i = 0; i < steps; i++) spec.ours();
const ms = (performance.now() - t) / steps;
const { profile } = await session.post('Profiler.stop');
mkdirSync(join(root, 'dist/bench'), { recursive: true });
writeFileSync(join(root, `dist/bench/${which}-step.cpuprofile`), JSON.stringify(profile));

/** wasm function index -> export name, from the kernel binary's export section (the module has no name section). */
function wasmNames() {
  const bytes = readFileSync(join(root, `dist/kernels/kernels.${L.getBackend?.()?.flavor ?? 'relaxed'}.wasm`));
  let p = 8;
  const names = new Map();
  const leb = () => { let r = 0, sh = 0, b; do { b = bytes[p++]; r |= (b & 0x7f) << sh; sh += 7; } while (b & 0x80); return r >>> 0; };
  while (p < bytes.length) {
    const id = bytes[p++], size = leb(), end = p + size;
    if (id === 7) {
      for (let n = leb(); n > 0; n--) {
        const len = leb();
        const name = bytes.subarray(p, p + len).toString('utf8');
        p += len;
        const kind = bytes[p++], idx = leb();
        if (kind === 0) names.set(idx, name);
      }
    }
    p = end;
  }
  return names;
}
const wnames = wasmNames();
const self = new Map();
const dt = profile.timeDeltas;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
let total = 0;
profile.samples.forEach((id, i) => {
  const n = byId.get(id);
  const f = n.callFrame;
  const wm = /^wasm-function\[(\d+)\]/.exec(f.functionName);
  const key = wm ? `wasm ${wnames.get(Number(wm[1])) ?? f.functionName}` :
    `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  const d = dt[i] ?? 0;
  total += d;
  self.set(key, (self.get(key) ?? 0) + d);
});
// self time of each kernel split by the nearest JS caller (which op called it): `PROFILE_CALLERS=1`
if (process.env.PROFILE_CALLERS) {
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const isJs = (n) => n.callFrame.url.endsWith('runtime.js');
  const pairs = new Map();
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    if (isJs(n)) return;
    const chain = [];
    let p = parent.get(id);
    while (p !== undefined && chain.length < Number(process.env.PROFILE_CALLERS)) {
      const pn = byId.get(p);
      if (isJs(pn)) chain.push(pn.callFrame.functionName || '(anon)');
      p = parent.get(p);
    }
    const key = `${n.callFrame.functionName.split('/').pop()} <- ${chain.join(' <- ')}`;
    pairs.set(key, (pairs.get(key) ?? 0) + (dt[i] ?? 0));
  });
  for (const [k, v] of [...pairs].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`${(v / 1000 / steps).toFixed(2).padStart(7)} ms/step  ${k}`);
  }
}
console.log(`${which}: ${ms.toFixed(1)} ms/step (wall, ${steps} steps); self time by function:`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`${(100 * v / total).toFixed(1).padStart(5)}%  ${(v / 1000 / steps).toFixed(2).padStart(7)} ms/step  ${k}`);
}

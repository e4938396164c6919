#!/usr/bin/env node
// Memory soak: a LeNet-5 training loop with NO manual dispose, as notebook users write it. Prints WASM memory
// (bytes in use by live storages and the reserved Memory size) every `every` steps; after warm-up both stay flat.
// Usage: node scripts/soak-memory.cjs [steps=10000] [batch=64]     (run `npm run build` first)
const path = require('node:path');
const L = require(path.join(__dirname, '..', 'dist', 'runtime.js'));

const steps = Number(process.argv[2] ?? 10000);
const batch = Number(process.argv[3] ?? 64);
const every = Math.max(1, Math.floor(steps / 20));
L.manualSeed(0);
const ds = L.data.digits(1024);
const model = L.models.lenet5();
const opt = new L.optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
const loader = new L.data.DataLoader(ds, { batchSize: batch, shuffle: true, dropLast: true });
let step = 0;
const t0 = Date.now();
const rows = [];
outer: for (;;) {
  for (const [x, y] of loader) {
    opt.zeroGrad();
    const loss = L.F.crossEntropy(model(x), y);
    loss.backward();
    opt.step();
    if (step % every === 0 || step === steps - 1) {
      const s = L.memoryStats().wasm;
      rows.push({ step, loss: Number(loss.item().toFixed(4)), inUseMB: +(s.bytesInUse / 2 ** 20).toFixed(1), reservedMB: +(s.bytesReserved / 2 ** 20).toFixed(1), live: s.liveStorages });
      console.log(JSON.stringify(rows[rows.length - 1]));
    }
    if (++step >= steps) break outer;
  }
}
const after = rows.slice(Math.floor(rows.length / 4));
const maxReserved = Math.max(...after.map((r) => r.reservedMB));
const firstReserved = after[0].reservedMB;
console.log(`soak: ${steps} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s; reserved after warm-up ${firstReserved} → max ${maxReserved} MB`);

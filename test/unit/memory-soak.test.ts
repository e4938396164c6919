// A short version of scripts/soak-memory.cjs: a LeNet-5 training loop with no manual dispose keeps WASM memory
// flat after warm-up (automatic reclamation through the allocator's FinalizationRegistry + synchronous GC nudge).
import { strict as assert } from 'node:assert';
import * as L from '../../src/runtime';
import { wasmBackend } from '../../src/runtime/backend/wasm';

describe('memory: training without dispose', () => {
  before(() => L.setBackend('wasm'));
  after(() => wasmBackend().allocator.setWatermark(64 << 20));

  it('keeps reserved WASM memory flat over 300 LeNet-5 steps after warm-up', function () {
    this.timeout(120_000);
    // the allocator fills the room it has before it collects: a watermark 16 MB above the start makes 300 steps
    // (each leaves ~0.4 MB of batches and .grad values to the collector) pass it several times
    // start from what is really live (earlier tests leave garbage the collector has not taken yet)
    L.collectGarbage();
    wasmBackend().allocator.setWatermark(L.memoryStats().wasm.bytesInUse + (16 << 20));
    L.manualSeed(0);
    const ds = L.data.digits(256);
    const model = L.models.lenet5();
    const opt = new L.optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const loader = new L.data.DataLoader(ds, { batchSize: 32, shuffle: true, dropLast: true });
    const reserved: number[] = [];
    const inUse: number[] = [];
    let step = 0;
    while (step < 300) {
      for (const [x, y] of loader) {
        opt.zeroGrad();
        L.F.crossEntropy(model(x), y).backward();
        opt.step();
        if (++step % 25 === 0) {
          const s = L.memoryStats().wasm;
          reserved.push(s.bytesReserved);
          inUse.push(s.bytesInUse);
        }
        if (step >= 300) break;
      }
    }
    const warm = reserved[3]; // after 100 steps
    const last = reserved[reserved.length - 1];
    assert.ok(last <= warm * 1.25, `reserved grew from ${warm} to ${last} bytes: ${reserved.join(', ')}`);
    // bytes in use never run away either (they oscillate below the collection watermark)
    assert.ok(Math.max(...inUse.slice(3)) <= Math.max(...inUse.slice(0, 4)) * 2 + (64 << 20), `in use: ${inUse.join(', ')}`);
  });

  it('tidy() frees everything created inside that is not returned', () => {
    const before = L.memoryStats().wasm.bytesInUse;
    const kept = L.tidy(() => {
      let a = L.randn([256, 256]);
      for (let i = 0; i < 20; i++) a = a.mul(1.01).add(0.1);
      return a.sum();
    });
    const after = L.memoryStats().wasm.bytesInUse;
    assert.ok(after - before < 256 * 256 * 4, `tidy left ${after - before} bytes behind`);
    assert.ok(Number.isFinite(kept.item()));
  });

  it('dispose() releases immediately and later use is a clear error', () => {
    const t = L.ones([1024]);
    const before = L.memoryStats().wasm.bytesInUse;
    t.dispose();
    assert.ok(L.memoryStats().wasm.bytesInUse < before);
    assert.throws(() => t.sum(), /disposed/);
  });
});

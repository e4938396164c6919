/** The wasm allocator: reuse, growth, stats, and FinalizationRegistry reclamation in a synchronous loop. */
import assert from 'node:assert/strict';
import { classSize } from '../../src/runtime/backend/wasm/allocator';
import { WasmCore } from '../../src/runtime/backend/wasm/core';

describe('wasm allocator', () => {
  let be: WasmCore;
  before(() => { be = new WasmCore({ flavor: 'simd', initialBytes: 1 << 20 }); });

  it('size classes are 16-aligned, >= the request and waste at most 25%', () => {
    for (let b = 1; b < 200000; b += 37) {
      const c = classSize(b);
      assert.ok(c >= b && c % 16 === 0, `${b} -> ${c}`);
      if (b > 64) assert.ok(c <= b * 1.25 + 16, `${b} -> ${c}`);
    }
  });

  it('alloc returns 16-aligned, disjoint blocks; release is idempotent; blocks are reused', () => {
    const a = be.alloc('float32', 10), b = be.alloc('int32', 10), c = be.alloc('float32', 1000);
    for (const s of [a, b, c]) assert.equal(s.ptr % 16, 0);
    assert.ok(b.ptr >= a.ptr + 40 || a.ptr >= b.ptr + 40);
    assert.ok(a.view() instanceof Float32Array && b.view() instanceof Int32Array);
    assert.equal(c.view().length, 1000);
    const ptr = c.ptr;
    c.release();
    c.release();
    assert.equal(c.released, true);
    assert.throws(() => c.view(), /after release/);
    const d = be.alloc('float32', 990); // same size class
    assert.equal(d.ptr, ptr);
    for (const s of [a, b, d]) s.release();
  });

  it('stats return to baseline after release', () => {
    const base = be.stats();
    const ss = [1, 7, 100, 5000, 123457].map((n) => be.alloc('float32', n));
    const mid = be.stats();
    assert.equal(mid.liveStorages, base.liveStorages + 5);
    assert.ok(mid.bytesInUse >= base.bytesInUse + 4 * (1 + 7 + 100 + 5000 + 123457));
    assert.ok(mid.bytesReserved >= mid.bytesInUse);
    for (const s of ss) s.release();
    const end = be.stats();
    assert.equal(end.liveStorages, base.liveStorages);
    assert.equal(end.bytesInUse, base.bytesInUse);
  });

  it('growth: new views see the grown buffer, data survives, stale views are detached', () => {
    const s = be.alloc('float32', 1000);
    const v = s.view() as Float32Array;
    v.set([1, 2, 3]);
    const before = be.stats().bytesReserved;
    const big = be.alloc('float32', 8 << 20); // 32 MiB: forces memory.grow
    assert.ok(be.stats().bytesReserved > before);
    assert.equal(v.length, 0, 'old view detached by grow');
    assert.deepEqual(Array.from((s.view() as Float32Array).subarray(0, 3)), [1, 2, 3]);
    (big.view() as Float32Array)[(8 << 20) - 1] = 5;
    assert.equal((big.view() as Float32Array)[(8 << 20) - 1], 5);
    big.release();
    s.release();
  });

  it('unreachable storages are reclaimed synchronously (gc + cleanupSome at the watermark)', () => {
    const base = be.stats();
    be.allocator.setWatermark(base.bytesInUse + (4 << 20));
    const collections0 = be.allocator.collections;
    let peak = 0;
    let checksum = 0;
    for (let i = 0; i < 600; i++) {
      const s = be.alloc('float32', 64 * 1024); // 256 KiB each, never released: 150 MiB in total
      (s.view() as Float32Array)[i % 1000] = i;
      checksum += s.ptr % 3;
      peak = Math.max(peak, be.stats().bytesInUse);
    }
    assert.ok(checksum >= 0);
    assert.ok(be.allocator.collections > collections0, 'collections ran');
    assert.ok(peak < base.bytesInUse + (64 << 20), `bytesInUse bounded (peak ${peak})`);
    assert.ok(be.stats().bytesReserved < (128 << 20), `memory stays small (${be.stats().bytesReserved})`);
    be.allocator.collect();
  });

  it('a reachable storage is never reclaimed by a collection', () => {
    const keep = be.alloc('float32', 16);
    (keep.view() as Float32Array).fill(7);
    be.allocator.collect();
    for (let i = 0; i < 50; i++) be.alloc('float32', 4096);
    be.allocator.collect();
    assert.equal(keep.released, false);
    assert.deepEqual(Array.from(keep.view() as Float32Array), new Array(16).fill(7));
    keep.release();
  });
});

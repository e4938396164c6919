/**
 * When the wasm allocator forces a full gc(): only as a last resort, when the memory would have to grow past the
 * watermark. Released blocks are reused at once (a caching allocator), and room the memory already has is used
 * before any collection. Counts of collections and bytes, never time.
 */
import assert from 'node:assert/strict';
import { WasmCore } from '../../src/runtime/backend/wasm/core';

describe('wasm allocator: gc() only when the memory would grow', () => {
  let be: WasmCore;
  beforeEach(() => {
    be = new WasmCore({ flavor: 'simd', initialBytes: 1 << 20 });
  });

  it('a released block is handed out again for the next request of its size class, with no collection', () => {
    const base = be.stats().bytesInUse;
    be.allocator.setWatermark(base + (256 << 10));
    const c0 = be.allocator.collections;
    const reserved = be.stats().bytesReserved;
    let first = -1;
    for (let i = 0; i < 2000; i++) {
      const s = be.alloc('float32', 64 * 1024); // 256 KiB: at the watermark every time
      if (first < 0) first = s.ptr;
      assert.equal(s.ptr, first, `step ${i}: the released block is reused`);
      s.release();
    }
    assert.equal(be.allocator.collections, c0);
    assert.equal(be.stats().bytesReserved, reserved);
  });

  it('past the watermark, free room of the memory is used before any collection', () => {
    const keep = [];
    for (let i = 0; i < 8; i++) keep.push(be.alloc('float32', 64 * 1024)); // 2 MiB of room, then released
    const reserved = be.stats().bytesReserved;
    keep.forEach((s) => s.release());
    be.allocator.setWatermark(be.stats().bytesInUse + 1024); // the next requests all pass the watermark
    const c0 = be.allocator.collections;
    const held = [];
    for (let i = 0; i < 8; i++) held.push(be.alloc('float32', 64 * 1024));
    assert.equal(be.allocator.collections, c0, 'no collection while the memory has room');
    assert.equal(be.stats().bytesReserved, reserved, 'no growth');
    held.forEach((s) => s.release());
  });

  it('rather than grow the memory, a request takes a free block of a larger class (up to 2×)', () => {
    const top = (): number => (be.allocator as unknown as { top: number }).top;
    const big = be.alloc('float32', 5 * 1024); // 20 KiB: the 20480-byte class
    const fill = [];
    // fill the memory until less than 16 KiB is left on top
    for (let room = be.stats().bytesReserved - top(); room >= 16384; room = be.stats().bytesReserved - top()) {
      fill.push(be.alloc('float32', Math.floor((room * 0.8) / 4)));
    }
    big.release();
    const reserved = be.stats().bytesReserved;
    const s = be.alloc('float32', 4 * 1024); // the 16384-byte class: none free, no room on top
    assert.equal(s.ptr, big.ptr);
    assert.equal(be.stats().bytesReserved, reserved, 'no growth');
    const inUse = be.stats().bytesInUse;
    s.release();
    assert.equal(inUse - be.stats().bytesInUse, 20480, 'the block keeps its own size');
    fill.forEach((f) => f.release());
  });

  it('when the memory would grow past the watermark, unreachable storages are collected first', () => {
    be.allocator.setWatermark(be.stats().bytesInUse + (1 << 20));
    const c0 = be.allocator.collections;
    for (let i = 0; i < 400; i++) be.alloc('float32', 64 * 1024); // 100 MiB, never released, unreachable at once
    assert.ok(be.allocator.collections > c0, 'collections ran');
    assert.ok(be.stats().bytesReserved < (32 << 20), `memory stays small (${be.stats().bytesReserved})`);
  });
});

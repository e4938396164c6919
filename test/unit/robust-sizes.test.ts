// Sizes checked before work (issue #11): creations refuse what cannot fit before drawing a single number, the
// allocator reuses freed room across size classes, and memoryStats() says when only a restart shrinks the heap.
import assert from 'node:assert/strict';
import * as lw from '../../src/runtime';
import { Allocator } from '../../src/runtime/backend/wasm/allocator';
import { memoryNote } from '../../src/runtime/memory';

describe('robust: sizes checked before work', () => {
  it('randn([2**31]) is refused with the bytes it needs, before drawing any number', () => {
    lw.manualSeed(7);
    assert.throws(() => lw.randn([2 ** 31]), { message: 'randn: a float32 tensor of shape [2147483648] needs 8.0 GB; the WASM memory limit is 4 GB' });
    const after = lw.rand([3]).toArray();
    lw.manualSeed(7);
    assert.deepEqual(lw.rand([3]).toArray(), after, 'the random stream did not advance: nothing was generated');
  });

  it('every creation names itself', () => {
    const cases: Array<[string, () => unknown]> = [
      ['zeros', () => lw.zeros([70000, 70000])], ['ones', () => lw.ones(2 ** 16, 2 ** 16)], ['full', () => lw.full([2 ** 31], 1)],
      ['empty', () => lw.empty([2 ** 40])], ['rand', () => lw.rand([2 ** 20, 2 ** 20])], ['randint', () => lw.randint(0, 5, [2 ** 33])],
      ['arange', () => lw.arange(0, 1e12)], ['linspace', () => lw.linspace(0, 1, 2 ** 33)], ['eye', () => lw.eye(100000)],
    ];
    for (const [op, f] of cases) assert.throws(f, (e: Error) => e instanceof RangeError && e.message.startsWith(`${op}: `) && /needs [\d.]+ GB/.test(e.message));
    assert.throws(() => lw.arange(0, Infinity), /arange: (cannot make a range from 0 to Infinity|arguments must be finite numbers, got Infinity)/);
    assert.throws(() => lw.zeros([2, -1]), /invalid shape \[2, -1\]/);
    assert.throws(() => lw.zeros([2.5]), /invalid shape \[2.5\]/);
  });

  it('a tensor that fits the limit but not next to the runtime is refused up front', () => {
    assert.throws(() => lw.randn([2 ** 30]), /randn: a float32 tensor of shape \[1073741824\] needs 4.0 GB; that is more than the 4 GB WASM memory can hold/);
  });

  it('ops that allocate large outputs fail cleanly and the runtime stays usable', () => {
    const a = lw.zeros([1, 2 ** 16]);
    assert.throws(() => a.expand([2 ** 16, 2 ** 16]).contiguous(), /cannot allocate a float32 tensor of shape \[65536, 65536\]: it needs 16.0 GB; the WASM memory limit is 4 GB$/);
    assert.deepEqual(lw.ones([2]).add(1).toArray(), [2, 2]);
  });

  it('freed room on top is reused by any size class (no growth for a larger request after frees)', () => {
    const al = new Allocator(1 << 20);
    const owners = [{}, {}, {}];
    const blocks = owners.map((o) => al.allocFor(o, 8 << 20));
    const reserved = al.bytesReserved;
    owners.forEach((o, i) => al.releaseFor(o, blocks[i])); // forward order: the cascade lowers top past all three
    const big = al.allocFor({}, 20 << 20);
    assert.equal(al.bytesReserved, reserved, 'no growth');
    assert.equal(big.ptr, blocks[0].ptr, 'the big block starts where the first freed one did');
    assert.ok(al.fits(1 << 20));
    assert.equal(al.fits(5 * 1024 ** 3), false);
  });

  it('memoryStats() says when only a restart can shrink the heap', () => {
    assert.equal(memoryNote({ bytesInUse: 100 << 20, bytesReserved: 200 << 20, liveStorages: 3 }), undefined);
    const note = memoryNote({ bytesInUse: 10 << 20, bytesReserved: 3 * 1024 ** 3, liveStorages: 3 });
    assert.match(note!, /holds 3.0 GB of which 10.0 MB are live tensors\. WebAssembly memory cannot shrink: .* only restarting the kernel/);
    assert.equal(typeof lw.memoryStats().wasm.bytesReserved, 'number');
  });
});

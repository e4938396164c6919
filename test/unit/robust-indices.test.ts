// Bounds wherever indices enter (issue #11): every user index is checked before a kernel runs, with PyTorch's
// message; negative indices wrap only where PyTorch wraps them (advanced indexing), and no other tensor changes.
import assert from 'node:assert/strict';
import * as lw from '../../src/runtime';
import { getBackend, setBackend, BackendName } from '../../src/runtime/backend/registry';
import { alloc } from '../../src/runtime/ops/raw';

const { zeros, nn, F } = lw;
const tensor = (v: unknown, o: { dtype?: lw.DType } = {}): lw.Tensor => lw.tensor(v, { dtype: 'float32', ...o });
const i32 = (v: unknown): lw.Tensor => tensor(v as number[], { dtype: 'int32' });

/** Tensors allocated around the call; they must hold the same values afterwards. */
function canaries(): () => void {
  const cs = [0, 1, 2].map((k) => tensor(Array.from({ length: 64 }, (_, i) => i * 0.5 + k)));
  const snap = cs.map((c) => Array.from(c.dataSync()));
  return () => cs.forEach((c, k) => assert.deepEqual(Array.from(c.dataSync()), snap[k], `canary ${k} changed`));
}

function throwsNamed(fn: () => unknown, re: RegExp): void {
  const check = canaries();
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof Error, 'an Error');
    assert.match(e.message, re);
    return true;
  });
  check();
}

for (const be of ['reference', 'wasm'] as BackendName[]) {
  describe(`robust: index bounds on ${be}`, () => {
    let prev: BackendName;
    before(() => { prev = getBackend(); setBackend(be); });
    after(() => setBackend(prev));

    it('gather refuses out-of-range and negative indices with PyTorch\'s message', () => {
      const x = zeros([1, 4]);
      throwsNamed(() => x.gather(1, i32([[4, 5, 6, 7]])), /^gather: index 7 is out of bounds for dimension 1 with size 4$/);
      throwsNamed(() => x.gather(1, i32([[100]])), /^gather: index 100 is out of bounds for dimension 1 with size 4$/);
      throwsNamed(() => x.gather(1, i32([[-1]])), /^gather: index -1 is out of bounds for dimension 1 with size 4$/);
      throwsNamed(() => lw.gather(x, -1, i32([[0, 9]])), /gather: index 9 is out of bounds for dimension 1 with size 4/);
    });

    it('gather checks dtype, rank, dim and sizes', () => {
      const x = zeros([2, 4]);
      throwsNamed(() => x.gather(1, tensor([[0]])), /gather: expected index to be an int32 tensor/);
      throwsNamed(() => x.gather(1, i32([0])), /gather: index tensor must have the same number of dimensions/);
      throwsNamed(() => x.gather(2, i32([[0]])), /gather: dimension out of range/);
      throwsNamed(() => x.gather(1, i32([[0], [0], [0]])), /gather: size does not match at dimension 0/);
      throwsNamed(() => x.gather(1, [[0]] as unknown as lw.Tensor), /gather: expected index to be an int32 Tensor/);
    });

    it('gather with an index smaller than the input in other dims matches PyTorch', () => {
      const x = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]).requiresGrad_();
      const y = x.gather(1, i32([[2, 0], [1, 1]])); // torch: [[3., 1.], [5., 5.]]
      assert.deepEqual(y.toArray(), [[3, 1], [5, 5]]);
      y.sum().backward();
      assert.deepEqual(x.grad!.toArray(), [[1, 0, 1], [0, 2, 0], [0, 0, 0]]);
      const z = x.detach().gather(0, i32([[2, 1, 0]])); // torch: [[7., 5., 3.]]
      assert.deepEqual(z.toArray(), [[7, 5, 3]]);
    });

    it('the gather backward of the audit cannot write into a Linear weight', () => {
      lw.manualSeed?.(0);
      const lin = new nn.Linear(4, 3);
      const before = Array.from(lin.weight.dataSync());
      const x = zeros([1, 4]).requiresGrad_();
      throwsNamed(() => x.gather(1, i32([[100]])).sum().backward(), /gather: index 100 is out of bounds/);
      assert.deepEqual(Array.from(lin.weight.dataSync()), before);
    });

    it('indexSelect does not wrap (as PyTorch); advanced indexing does', () => {
      const x = tensor([[1, 2, 3, 4]]);
      throwsNamed(() => x.indexSelect(1, i32([-1])), /^indexSelect: index -1 is out of bounds for dimension 1 with size 4$/);
      throwsNamed(() => x.indexSelect(1, [100]), /^indexSelect: index 100 is out of bounds for dimension 1 with size 4$/);
      throwsNamed(() => x.indexSelect(1, [1.5]), /indexSelect: indices must be integers/);
      throwsNamed(() => x.indexSelect(1, tensor([1])), /indexSelect: expected index to be an int32 tensor/);
      assert.deepEqual(x.index(':', i32([-1, 0])).toArray(), [[4, 1]]);
      assert.deepEqual(x.index(':', [-4]).toArray(), [[1]]);
      throwsNamed(() => x.index(':', i32([-5])), /^index: index -5 is out of bounds for dimension 1 with size 4$/);
      throwsNamed(() => x.index(':', i32([[4]])), /^index: index 4 is out of bounds for dimension 1 with size 4$/);
    });

    it('advanced indexing wraps negatives through the gradient too', () => {
      const x = tensor([1, 2, 3, 4]).requiresGrad_();
      x.index(i32([-1, -1, 0])).sum().backward();
      assert.deepEqual(x.grad!.toArray(), [1, 0, 0, 2]);
    });

    it('embedding refuses negative and too-large indices', () => {
      const w = zeros([3, 2]);
      throwsNamed(() => F.embedding(i32([0, 3]), w), /^embedding: index 3 is out of bounds for dimension 0 with size 3$/);
      throwsNamed(() => F.embedding(i32([-1]), w), /^embedding: index -1 is out of bounds/);
      throwsNamed(() => new nn.Embedding(3, 2).forward(i32([[7]])), /embedding: index 7 is out of bounds/);
    });

    it('nllLoss / crossEntropy refuse targets outside the classes', () => {
      const x = zeros([2, 3]);
      throwsNamed(() => F.nllLoss(x, i32([5, 0])), /nllLoss: target 5 is out of bounds/);
      throwsNamed(() => F.crossEntropy(x, i32([-1, 0])), /crossEntropy: target -1 is out of bounds/);
      assert.ok(Math.abs(F.crossEntropy(x, i32([-100, 0])).item() - Math.log(3)) < 1e-6); // ignoreIndex stays allowed
    });

    it('the backend guard stops every indexing kernel reached with bad indices or extents', () => {
      const b = lw.zeros([1]).backend;
      const x = alloc([2, 4], 'float32', b);
      const out = alloc([2, 1], 'float32', b);
      const idx = i32([[9], [0]]);
      const check = canaries();
      assert.throws(() => b.gather(x.ref(), idx.ref(), out.ref(), 2, 4, 1, 1), /gather: index 9 is out of bounds/);
      assert.throws(() => b.scatterAdd(out.ref(), idx.ref(), x.ref(), 2, 4, 1, 1), /scatterAdd: index 9 is out of bounds/);
      assert.throws(() => b.indexSelect(x.ref(), i32([-3]).ref(), out.ref(), 2, 4, 1, 1), /indexSelect: index -3 is out of bounds/);
      assert.throws(() => b.indexAdd(out.ref(), i32([4]).ref(), x.ref(), 2, 4, 1, 1), /indexAdd: index 4 is out of bounds/);
      assert.throws(() => b.gather(x.ref(), i32([0, 0, 0]).ref(), out.ref(), 3, 4, 1, 1), /gather: .* storage holds/);
      check();
    });
  });
}

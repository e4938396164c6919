// add_/sub_/mul_/div_ write straight into a contiguous float tensor (ops/inplace-ops.ts intoSelf): the result must
// equal the out-of-place op's bit for bit on both backends and both float dtypes, with broadcasting, scalars and
// the cases that must take the general path (b overlapping x, promotion, alpha, views).
import assert from 'node:assert/strict';
import * as L from '../../src/runtime';

type Op = 'add' | 'sub' | 'mul' | 'div';
const OPS: Op[] = ['add', 'sub', 'mul', 'div'];
const data = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed) * 3 + 0.25);

describe('in-place arithmetic written into the tensor itself', () => {
  after(() => L.setBackend('wasm'));
  for (const backend of ['wasm', 'reference'] as const) {
    for (const dtype of ['float32', 'float64'] as const) {
      if (backend === 'wasm' && dtype === 'float64') continue; // the wasm backend is float32 (float64 runs on the reference)
      it(`${backend} ${dtype}: equals the out-of-place op (tensor of the same shape, broadcast row, 0-d, number)`, () => {
        L.setBackend(backend);
        const x0 = L.tensor(data(3 * 37, 1), { dtype }).reshape([3, 37]);
        const operands: Array<() => L.Tensor | number> = [
          () => L.tensor(data(3 * 37, 2), { dtype }).reshape([3, 37]),
          () => L.tensor(data(37, 3), { dtype }),
          () => L.tensor(0.75, { dtype }),
          () => -1.3,
        ];
        for (const op of OPS) {
          for (const make of operands) {
            const b = make();
            const expected = (L[op] as (a: L.Tensor, b: L.Tensor | number) => L.Tensor)(x0, b).dataSync();
            const x = x0.clone();
            const v = x._version;
            const r = (x[`${op}_`] as (b: L.Tensor | number) => L.Tensor)(b);
            assert.equal(r, x, `${op}_ returns its receiver`);
            assert.deepEqual(
              Array.from(x.dataSync()),
              Array.from(expected),
              `${op}_ with ${typeof b === 'number' ? b : `a tensor of shape [${b.shape.join(', ')}]`}`,
            );
            assert.equal(x._version, v + 1, `${op}_ bumps the version once`);
          }
        }
      });
    }
  }

  it('b sharing x storage (x.add_(x), a transposed view of x) gives what PyTorch gives', () => {
    const x = L.tensor([1, 2, 3, 4]);
    x.add_(x);
    assert.deepEqual(Array.from(x.dataSync()), [2, 4, 6, 8]);
    const m = L.tensor([
      [1, 2],
      [3, 4],
    ]).float();
    m.add_(m.t()); // PyTorch computes m + m.t() from the original values: [[2, 5], [5, 8]]
    assert.deepEqual(Array.from(m.dataSync()), [2, 5, 5, 8]);
  });

  it('alpha, integer tensors and views still work (the general path)', () => {
    const x = L.tensor([1, 2, 3]).float();
    x.add_(L.tensor([1, 1, 1]).float(), { alpha: 2 });
    assert.deepEqual(Array.from(x.dataSync()), [3, 4, 5]);
    const i = L.tensor([1, 2, 3]); // int: not a float fast path
    i.add_(L.tensor([1, 1, 1]));
    assert.deepEqual(Array.from(i.dataSync()), [2, 3, 4]);
    const base = L.tensor([
      [1, 2],
      [3, 4],
    ]).float();
    base.t().mul_(L.tensor([10, 100]).float()); // rows of the transposed view: base[:, 0] *= 10 ... as PyTorch
    assert.deepEqual(Array.from(base.dataSync()), [10, 20, 300, 400]);
  });

  it('a leaf that requires grad is still refused', () => {
    const w = L.tensor([1, 2], { requiresGrad: true });
    assert.throws(() => w.mul_(2), /mul_: a leaf tensor that requires grad/);
    assert.throws(() => w.add_(L.tensor([1, 1])), /add_: a leaf tensor that requires grad/);
  });
});

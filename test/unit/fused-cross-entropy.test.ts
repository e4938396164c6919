/**
 * The wasm backend's fused crossEntropy (src/runtime/ops/nn/ce-fused.ts) against the composite path in float64 on
 * the reference backend: loss and input gradient for mean/sum, ignored rows, batch 1, odd class counts, a
 * non-contiguous input, double backward; the cases it must leave to the composite path.
 */
import assert from 'node:assert/strict';
import '../../src/runtime/ops/methods';
import type { Tensor } from '../../src/runtime/tensor';
import { tensor } from '../../src/runtime/ops/creation';
import { mul, tanh } from '../../src/runtime/ops/basic';
import { sum } from '../../src/runtime/ops/reduce';
import { grad } from '../../src/runtime/autograd/engine';
import { F } from '../../src/runtime/functional';
import { close } from './nn-ops-helpers';
import { randomArray } from './wasm-helpers';

interface Case { n: number; c: number; reduction: 'mean' | 'sum'; ignore?: number[]; transposed?: boolean }

function run(k: Case, dtype: 'float32' | 'float64', seed: number) {
  const vals = Array.from(randomArray(k.n * k.c, seed), (v) => 3 * v);
  let x = k.transposed ? tensor(vals, { dtype }).reshape([k.c, k.n]).transpose(0, 1) : tensor(vals, { dtype }).reshape([k.n, k.c]);
  x = x.detach().requiresGrad_(true);
  const t = Array.from({ length: k.n }, (_, i) => (k.ignore?.includes(i) ? -100 : (i * 5 + seed) % k.c));
  const loss = F.crossEntropy(x, tensor(t, { dtype: 'int32' }), { reduction: k.reduction });
  const [gx] = grad(mul(loss, 1.5), [x]) as Tensor[];
  return { loss, gx, op: loss.gradFn?.op };
}

const cases: Array<[string, Case]> = [
  ['[5, 7] mean', { n: 5, c: 7, reduction: 'mean' }],
  ['[5, 7] sum', { n: 5, c: 7, reduction: 'sum' }],
  ['[1, 3] batch 1', { n: 1, c: 3, reduction: 'mean' }],
  ['[9, 10] with ignored rows', { n: 9, c: 10, reduction: 'mean', ignore: [0, 4, 8] }],
  ['[6, 5] non-contiguous input', { n: 6, c: 5, reduction: 'mean', transposed: true }],
  ['[64, 1001] many classes', { n: 64, c: 1001, reduction: 'mean' }],
];

describe('fused crossEntropy (wasm) vs composite float64 (reference)', () => {
  cases.forEach(([name, k], i) => {
    it(name, () => {
      const want = run(k, 'float64', 20 + i), got = run(k, 'float32', 20 + i);
      assert.equal(got.op, 'crossEntropy');
      assert.notEqual(want.op, 'crossEntropy');
      close(got.loss, want.loss.dataSync(), 1e-5, 'loss');
      close(got.gx, want.gx.dataSync(), 1e-5, 'grad');
    });
  });

  it('all targets ignored: the composite path gives NaN as PyTorch', () => {
    const x = tensor([1, 2, 3, 4], { dtype: 'float32' }).reshape([2, 2]).requiresGrad_(true);
    const loss = F.crossEntropy(x, tensor([-100, -100], { dtype: 'int32' }));
    assert.ok(Number.isNaN(loss.item()));
    assert.notEqual(loss.gradFn?.op, 'crossEntropy');
  });

  it('out-of-range targets keep the composite error', () => {
    const x = tensor([1, 2, 3, 4], { dtype: 'float32' }).reshape([2, 2]);
    assert.throws(() => F.crossEntropy(x, tensor([0, 2], { dtype: 'int32' })), /out of bounds/);
  });

  it('double backward (createGraph)', () => {
    const second = (dtype: 'float32' | 'float64') => {
      const x = tensor(Array.from(randomArray(12, 7)), { dtype }).reshape([4, 3]).requiresGrad_(true);
      const loss = F.crossEntropy(tanh(x), tensor([0, 2, 1, 2], { dtype: 'int32' }));
      const [gx] = grad(loss, [x], { createGraph: true }) as Tensor[];
      return grad(sum(mul(gx, tensor(Array.from(randomArray(12, 8)), { dtype }).reshape([4, 3]))), [x]) as Tensor[];
    };
    close(second('float32')[0], second('float64')[0].dataSync(), 1e-4, 'second-order grad');
  });
});

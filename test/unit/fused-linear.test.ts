/**
 * The wasm backend's fused linear (src/runtime/ops/nn/linear-fused.ts: bias as the GEMM's C, contiguous dW)
 * against the composite path in float64 on the reference backend: values and gradients on awkward sizes
 * (odd features, batch 1, 1-D and 3-D inputs, no bias, non-contiguous input), contiguous weight gradient, and
 * double backward.
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

interface Case { x: number[]; out: number; bias: boolean; transposed?: boolean; xGrad?: boolean }

const make = (shape: number[], seed: number, dtype: 'float32' | 'float64'): Tensor =>
  tensor(Array.from(randomArray(shape.reduce((a, b) => a * b, 1), seed)), { dtype }).reshape(shape);

function run(c: Case, dtype: 'float32' | 'float64', seed: number) {
  const inF = c.x[c.x.length - 1];
  let x = c.transposed ? make([inF, c.x[0]], seed, dtype).transpose(0, 1) : make(c.x, seed, dtype);
  x = x.detach().requiresGrad_(c.xGrad ?? true);
  const w = make([c.out, inF], seed + 1, dtype).requiresGrad_(true);
  const b = c.bias ? make([c.out], seed + 2, dtype).requiresGrad_(true) : null;
  const y = F.linear(x, w, b);
  const r = make(y.shape, seed + 3, dtype);
  const inputs = [x, w, b].filter((t): t is Tensor => t !== null && t.requiresGrad);
  return { y, op: y.gradFn?.op, grads: grad(sum(mul(y, r)), inputs) as Tensor[] };
}

const cases: Array<[string, Case]> = [
  ['[5, 7] -> 3 with bias', { x: [5, 7], out: 3, bias: true }],
  ['[1, 13] batch 1 -> 9', { x: [1, 13], out: 9, bias: true }],
  ['[13] 1-D input -> 6', { x: [13], out: 6, bias: true }],
  ['[2, 3, 9] 3-D input -> 5, no bias', { x: [2, 3, 9], out: 5, bias: false }],
  ['[6, 11] transposed (non-contiguous) input', { x: [6, 11], out: 4, bias: true, transposed: true }],
  ['[64, 33] -> 17, x without grad', { x: [64, 33], out: 17, bias: true, xGrad: false }],
];

describe('fused linear (wasm) vs composite float64 (reference)', () => {
  cases.forEach(([name, c], k) => {
    it(name, () => {
      const want = run(c, 'float64', 40 + k);
      const got = run(c, 'float32', 40 + k);
      assert.equal(got.op, 'linear');
      assert.notEqual(want.op, 'linear');
      close(got.y, want.y.dataSync(), 1e-5, 'y');
      got.grads.forEach((g, i) => close(g, want.grads[i].dataSync(), 1e-5, `grad ${i}`));
      const wGrad = got.grads[c.xGrad === false ? 0 : 1];
      assert.ok(wGrad.isContiguous(), 'the weight gradient is contiguous');
    });
  });

  it('double backward through linear (createGraph)', () => {
    const second = (dtype: 'float32' | 'float64') => {
      const x = make([4, 5], 1, dtype).requiresGrad_(true);
      const w = make([3, 5], 2, dtype).requiresGrad_(true);
      const b = make([3], 3, dtype).requiresGrad_(true);
      const y = tanh(F.linear(x, w, b));
      const [gx, gw] = grad(sum(mul(y, make([4, 3], 4, dtype))), [x, w], { createGraph: true }) as Tensor[];
      return grad(sum(mul(gx, make([4, 5], 5, dtype))).add(sum(mul(gw, make([3, 5], 6, dtype)))), [x, w, b]) as Tensor[];
    };
    const want = second('float64');
    second('float32').forEach((g, i) => close(g, want[i].dataSync(), 1e-4, `second-order grad ${i}`));
  });
});

/**
 * The wasm backend's fused training batchNorm (src/runtime/ops/nn/norm-fused.ts, kernels/assembly/fused.ts) against
 * the composite path computed in float64 on the reference backend: outputs, running statistics, gradients of x,
 * weight and bias, double backward; awkward sizes (odd channels, H·W not a multiple of 4, batch 1, [N, C] and
 * [N, C, L] inputs, non-contiguous input, a mean far from zero).
 */
import assert from 'node:assert/strict';
import '../../src/runtime/ops/methods';
import type { Tensor } from '../../src/runtime/tensor';
import { tensor } from '../../src/runtime/ops/creation';
import { mul } from '../../src/runtime/ops/basic';
import { sum } from '../../src/runtime/ops/reduce';
import { grad } from '../../src/runtime/autograd/engine';
import { F } from '../../src/runtime/functional';
import { close } from './nn-ops-helpers';
import { randomArray } from './wasm-helpers';

interface Case { shape: number[]; affine: boolean; running: boolean; offset?: number; permute?: boolean; xGrad?: boolean }

function run(c: Case, dtype: 'float32' | 'float64', seed: number) {
  const n = c.shape.reduce((a, b) => a * b, 1);
  const ch = c.shape[1];
  const xs = Array.from(randomArray(n, seed), (v) => v * 2 + (c.offset ?? 0) + 0);
  let x = tensor(xs, { dtype }).reshape(c.permute ? [c.shape[0], c.shape[1], c.shape[3], c.shape[2]] : c.shape);
  if (c.permute) x = x.transpose(2, 3);
  x = x.detach().requiresGrad_(c.xGrad ?? true);
  const w = c.affine ? tensor(Array.from(randomArray(ch, seed + 1)), { dtype }).requiresGrad_(true) : null;
  const b = c.affine ? tensor(Array.from(randomArray(ch, seed + 2)), { dtype }).requiresGrad_(true) : null;
  const rm = c.running ? tensor(Array.from(randomArray(ch, seed + 3)), { dtype }) : null;
  const rv = c.running ? tensor(Array.from(randomArray(ch, seed + 4), (v) => Math.abs(v) + 0.5), { dtype }) : null;
  const y = F.batchNorm(x, rm, rv, { weight: w, bias: b, training: true, momentum: 0.2, eps: 1e-3 });
  const r = tensor(Array.from(randomArray(y.numel(), seed + 5)), { dtype }).reshape(y.shape);
  const inputs = [x, w, b].filter((t): t is Tensor => t !== null && t.requiresGrad);
  const grads = grad(sum(mul(y, r)), inputs);
  return { y, rm, rv, grads, op: y.gradFn?.op };
}

const cases: Array<[string, Case]> = [
  ['[4, 3, 5, 7] affine + running stats (H·W = 35)', { shape: [4, 3, 5, 7], affine: true, running: true }],
  ['[1, 5, 3, 3] batch 1, odd channels', { shape: [1, 5, 3, 3], affine: true, running: true }],
  ['[7, 5] (BatchNorm1d on features), no affine', { shape: [7, 5], affine: false, running: true }],
  ['[2, 3, 9] (N, C, L), no running stats', { shape: [2, 3, 9], affine: true, running: false }],
  ['[3, 2, 4, 6] non-contiguous input', { shape: [3, 2, 4, 6], affine: true, running: true, permute: true }],
  ['[2, 3, 6, 6] mean 1000 (shifted statistics)', { shape: [2, 3, 6, 6], affine: true, running: true, offset: 1000 }],
  ['[64, 3, 17, 17] larger, x without grad', { shape: [64, 3, 17, 17], affine: true, running: true, xGrad: false }],
];

describe('fused batchNorm (wasm) vs composite float64 (reference)', () => {
  cases.forEach(([name, c], k) => {
    it(name, () => {
      const want = run(c, 'float64', 10 + k);
      const got = run(c, 'float32', 10 + k);
      assert.equal(got.op, 'batchNorm', 'the wasm path records one fused batchNorm node');
      assert.notEqual(want.op, 'batchNorm', 'the reference path stays composite');
      const tol = c.offset ? 2e-3 : 2e-5;
      close(got.y, want.y.dataSync(), tol, 'y');
      if (c.running) {
        close(got.rm!, want.rm!.dataSync(), 1e-5 * (1 + (c.offset ?? 0)), 'running mean');
        close(got.rv!, want.rv!.dataSync(), 1e-4, 'running var');
      }
      assert.equal(got.grads.length, want.grads.length);
      got.grads.forEach((g, i) => close(g as Tensor, (want.grads[i] as Tensor).dataSync(), c.offset ? 5e-3 : 1e-4, `grad ${i}`));
    });
  });

  it('double backward (createGraph) matches the composite second derivative', () => {
    const second = (dtype: 'float32' | 'float64') => {
      const x = tensor(Array.from(randomArray(2 * 3 * 5, 3)), { dtype }).reshape([2, 3, 5]).requiresGrad_(true);
      const w = tensor([0.5, -1.5, 2], { dtype }).requiresGrad_(true);
      const y = F.batchNorm(x, null, null, { weight: w, training: true });
      const r = tensor(Array.from(randomArray(30, 4)), { dtype }).reshape([2, 3, 5]);
      const [gx] = grad(sum(mul(y, r)), [x], { createGraph: true });
      const q = tensor(Array.from(randomArray(30, 5)), { dtype }).reshape([2, 3, 5]);
      return grad(sum(mul(gx as Tensor, q)), [x, w]) as Tensor[];
    };
    const want = second('float64');
    const got = second('float32');
    got.forEach((g, i) => close(g, want[i].dataSync(), 1e-3, `second-order grad ${i}`));
  });
});

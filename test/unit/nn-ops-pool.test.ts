/** F.maxPool1d/2d, avgPool2d, adaptiveAvgPool2d: values, indices and gradients vs PyTorch on both backends; errors. */
import { F, assert, bothBackends, check, check2, checkJvp, close, rnd, seq, throwsWith, valueAndGrads } from './nn-ops-helpers';
import type { Tensor } from '../../src/runtime/tensor';

// torch 1.13, same seq() inputs, loss sum(y * seq(y.shape, 99)); ties in seq() resolve to the first max, as PyTorch.
const T: Record<string, number[]> = {
  maxIdx: [5, 7, 9, 15, 17, 19, 15, 22, 24, 6, 7, 9, 16, 7, 19, 21, 21, 24],
  max_y: [0.875, 0.875, 0.5, 1, 1, 0.75, 0.375, 0.875, 0.875, 0.625, 1, 1, 0.875, 0.5, 0.125, 1, 0.625, 0.25],
  max_g0: [0, 0, 0, 0, 0, 0, -0.25, 0, 0.125, 0, 0, 0.75, 0, 0, 0, 0, 0, 0, 0.625, 0, -0.625, 0, 0, -0.75, 0, 0, 0, 0, 0.25, 0, -0.125, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.375, 0, -0.875, 0, 0, 0.875, 0, -0.375, 0, 0.5],
  maxDil_y: [1, 0.75, 0.875, 0.875, 1, 0.625, 0.75, 0.375, 0.875, 1, 1, 1, 0.875, 0.875, 1, 1],
  maxDil_g0: [0, 0, 0, 0, -0.75, 0, 0, 0, 0, 1.125, 0, 0, 0, 0, 0.25, 0, 0.625, 0, 0, 0, 0, -0.625, 0, 0.25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.125, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1.5, 0, 0, 0, 0, 1.125, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  max1d_y: [1, 0.625, 0.25, -0.125, 0.75, 0.375, 0.875, 0.875, 0.5, 1, 1, 0.625, 0.25, 0.75, 0.75, 0.375],
  max1d_g0: [0.5, 0, -0.75, 0, 0.125, 0, 1, -0.25, 0, 0.625, 0, 0, -0.375, 0, -1, 0, 0, 0.625, 0, -0.5, 0, 0.375, 0, 0, -0.875, 0, 0.875, 0],
  avg_y: [-0.15625, -0.08333334, 0.25, 0.0625, -0.25, 0, 0.09722222, -0.2083333, -0.375, 0.1111111, -0.02777778, -0.3333333, -0.4375, 0.1666667, -0.2083333, -0.75, 0, 0.25, -0.125, -0.3125, 0.08333334, 0.09722222, -0.2777778, -0.5833333, 0.3125, -0.02777778, -0.1666667, 0, 0.25, -0.2083333, 0.125, 1],
  avg_g0: [0.125, 0, -0.125, -0.1041667, 0.02083333, 0.5208333, 0.08333333, 0.02777778, -0.05555555, -0.1041667, -0.04861111, 0.5347222, -0.04166667, 0.02777778, 0.06944445, 0, -0.06944445, 0.01388889, -0.2083333, -0.1527778, 0.05555556, 0.06944445, 0.01388889, -0.06944445, -0.1666667, -0.1805556, -0.01388889, 0.06944445, 0.08333334, -0.08333334, 0.02083333, -0.2847222, -0.3055556, -0.2222222, 0.08333334, 0.7916667, -0.09375, -0.01041666, 0.08333334, -0.04166666, -0.125, -0.0625, 0.07291667, 0.1284722, 0.05555556, 7.450581e-09, -0.05555555, -0.2013889, 0.1666667, 0.1388889, -0.02777778, 0.04166667, 0.06944445, -0.1388889, 0.2083333, 0.06944446, -0.1388889, -0.08333333, 0.05555556, 0.09722222, 0.04166667, -0.06944445, -0.1111111, -0.125, -0.01388889, 0.2361111, -0.2083333, -0.1944444, 0.01388889, -0.2916667, -0.3055556, -0.05555555],
  avgInc_y: [0.1458333, 0.1666667, -0.02083333, 0.03125, 0.2291667, 0.0625, -0.3125, -0.25, 0.1458333, -0.0625, -0.08333334, 0.21875, 0.04166667, -0.1666667, 0, 0.21875, 0.02083333, -0.25, 0.08333334, 0.125, -0.0625, -0.02083333, 0.3125, 0.0625],
  avgInc_g0: [0.08333334, -0.04166666, -0.125, -0.1041667, 0.02083333, 0.2708333, -0.04166667, 0.0625, 0.1041667, 0, -0.1041667, -0.04166666, -0.04166667, 0.0625, 0.1041667, 0, -0.1041667, -0.04166666, -0.1666667, -0.1875, -0.02083333, 0.1041667, 0.125, 0, -0.1666667, -0.1875, -0.02083333, 0.1041667, 0.125, 0, 0.0625, -0.08333333, -0.1458333, -0.1458333, 0, 0.21875, -0.0625, 0.02083334, 0.08333334, -0.04166666, -0.125, -0.09375, -0.0625, 0.02083334, 0.08333334, -0.04166666, -0.125, -0.09375, 0.1666667, 0.125, -0.04166667, 0.0625, 0.1041667, -0.05208334, 0.1666667, 0.125, -0.04166667, 0.0625, 0.1041667, -0.05208334],
  avgDiv_y: [0, -0.5, 0.3333333, -0.1666667],
  avgDiv_g0: [0.1666667, 0.1666667, -0.25, -0.25, 0, 0.1666667, 0.1666667, -0.25, -0.25, 0, 0.04166667, 0.04166667, 0.3333333, 0.3333333, 0, 0.04166667, 0.04166667, 0.3333333, 0.3333333, 0],
  adapt_y: [-0.3125, -0.5, 0.375, 0.1875, 0.3333333, -0.2083333, -0.04166667, 0.125, 0.625, -0.625, 0.25, 0.0625, 0.1875, 0, -0.1875, -0.375, 0.125, 0.2916667, -0.25, -0.08333334, 0.0625, -0.125, -0.3125, -0.5],
  adapt_g0: [0.25, -0.375, 0.0625, 0.5, 0.1666667, -0.1666667, -0.1458333, 0.5833333, -0.08333334, 0.2083333, -0.2083333, 0.08333334, -0.5833333, 0.1458333, 0.1666667, -0.1666667, -0.5, -0.0625, 0.375, -0.25, 0.1875, -0.4375, 0, 0.4375, 0.0625, -0.2708333, -0.25, 0.4791667, -0.125, 0.1666667, -0.25, 0.04166667, 0.375, 0.04166667, 0.0625, -0.2708333, 0.5, -0.125, 0.3125, -0.3125],
  adapt2_y: [0.09375, -0.1145833, 0.125, 0.09375, -0.09375, -0.125, 0.1145833, -0.09375],
  adapt2_g0: [0.04166667, 0.04166667, 0.04166667, -0.02083333, -0.0625, -0.0625, -0.0625, 0.04166667, 0.04166667, 0.04166667, -0.02083333, -0.0625, -0.0625, -0.0625, 0.05208334, 0.05208334, 0.05208334, 0.07291667, 0.02083334, 0.02083334, 0.02083334, 0.01041667, 0.01041667, 0.01041667, 0.09375, 0.08333334, 0.08333334, 0.08333334, 0.01041667, 0.01041667, 0.01041667, 0.09375, 0.08333334, 0.08333334, 0.08333334, -0.02083333, -0.02083333, -0.02083333, 0.03125, 0.05208333, 0.05208333, 0.05208333, -0.02083333, -0.02083333, -0.02083333, 0.03125, 0.05208333, 0.05208333, 0.05208333, -0.07291666, -0.07291666, -0.07291666, 0, 0.07291666, 0.07291666, 0.07291666, -0.05208333, -0.05208333, -0.05208333, -0.03125, 0.02083333, 0.02083333, 0.02083333, -0.05208333, -0.05208333, -0.05208333, -0.03125, 0.02083333, 0.02083333, 0.02083333],
};

function expectCase(name: string, fn: (x: Tensor) => Tensor, shape: number[], seed: number, outShape: number[]): void {
  const r = valueAndGrads(fn, [seq(shape, seed)]);
  assert.deepEqual(r.y.shape, outShape);
  close(r.y, T[`${name}_y`], 1e-5, `${name} y`);
  close(r.grads[0], T[`${name}_g0`], 1e-5, `${name} grad`);
}

describe('nn ops: pooling', () => {
  bothBackends(() => {
    it('maxPool2d kernel 3, stride 2, padding 1, ceilMode, with indices', () => {
      const [y, idx] = F.maxPool2d(seq([1, 2, 5, 5], 1), 3, { stride: 2, padding: 1, ceilMode: true, returnIndices: true });
      assert.deepEqual(y.shape, [1, 2, 3, 3]);
      assert.equal(idx.dtype, 'int32');
      assert.deepEqual(Array.from(idx.dataSync()), T.maxIdx);
      expectCase('max', (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [1, 2, 5, 5], 11, [1, 2, 3, 3]);
    });
    it('maxPool2d unbatched, rectangular kernel, dilation 2', () => {
      expectCase('maxDil', (x) => F.maxPool2d(x, [2, 3], { stride: [1, 2], dilation: 2 }), [2, 6, 7], 12, [2, 4, 2]);
    });
    it('maxPool1d', () => {
      expectCase('max1d', (x) => F.maxPool1d(x, 3, { stride: 2, padding: 1 }), [2, 2, 7], 13, [2, 2, 4]);
    });
    it('avgPool2d: ceilMode, countIncludePad false / true, divisorOverride', () => {
      expectCase('avg', (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), [1, 2, 6, 6], 14, [1, 2, 4, 4]);
      expectCase('avgInc', (x) => F.avgPool2d(x, [2, 3], { stride: 2, padding: [1, 1], ceilMode: true }), [2, 5, 6], 15, [2, 3, 4]);
      expectCase('avgDiv', (x) => F.avgPool2d(x, 2, { divisorOverride: 3 }), [1, 1, 4, 5], 16, [1, 1, 2, 2]);
    });
    it('adaptiveAvgPool2d: [3, null] keeps the width; a number; unbatched', () => {
      expectCase('adapt', (x) => F.adaptiveAvgPool2d(x, [3, null]), [1, 2, 5, 4], 17, [1, 2, 3, 4]);
      expectCase('adapt2', (x) => F.adaptiveAvgPool2d(x, 2), [2, 5, 7], 18, [2, 2, 2]);
    });
  });

  describe('float64 finite differences (reference)', () => {
    it('maxPool2d / maxPool1d first and second order, jvp', () => {
      check((x) => F.maxPool2d(x, [3, 2], { stride: [2, 1], padding: 1, dilation: [1, 2], ceilMode: true }), [rnd([2, 2, 6, 7], 1)]);
      check((x) => F.maxPool1d(x, 2), [rnd([2, 3, 7], 2)]);
      check2((x) => F.maxPool2d(x, 2), [rnd([1, 2, 4, 4], 3)]);
      checkJvp((x) => F.maxPool2d(x, 3, { stride: 2, padding: 1 }), [rnd([1, 2, 5, 5], 4)]);
    });
    it('avgPool2d / adaptiveAvgPool2d first and second order, jvp', () => {
      check((x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), [rnd([1, 2, 6, 7], 5)]);
      check((x) => F.adaptiveAvgPool2d(x, [3, 4]), [rnd([2, 1, 7, 5], 6)]);
      check2((x) => F.avgPool2d(x, 2, { stride: 1 }), [rnd([1, 1, 4, 4], 7)]);
      check2((x) => F.adaptiveAvgPool2d(x, 3), [rnd([1, 1, 5, 4], 8)]);
      checkJvp((x) => F.avgPool2d(x, 2, { divisorOverride: 3 }), [rnd([1, 2, 4, 4], 9)]);
      checkJvp((x) => F.adaptiveAvgPool2d(x, [2, null]), [rnd([1, 2, 5, 3], 10)]);
    });
  });

  describe('errors', () => {
    it('padding larger than half the kernel, too small inputs, bad ranks', () => {
      throwsWith(() => F.maxPool2d(seq([1, 1, 5, 5], 1), 3, { padding: 2 }), 'maxPool2d: pad should be smaller than or equal to half of kernel size');
      throwsWith(() => F.avgPool2d(seq([1, 1, 5, 5], 1), 2, { padding: 2 }), 'avgPool2d: pad should be smaller than or equal to half of kernel size');
      throwsWith(() => F.maxPool2d(seq([1, 1, 2, 2], 1), 3), /maxPool2d: input \[1, 1, 2, 2\] is too small for kernel 3×3/);
      throwsWith(() => F.maxPool2d(seq([5, 5], 1), 2), 'maxPool2d: expected a 3-D (unbatched [C, H, W]) or 4-D (batched [N, C, H, W]) input, got [5, 5]');
      throwsWith(() => F.maxPool1d(seq([5], 1), 2), 'maxPool1d: expected a 2-D (unbatched [C, L]) or 3-D (batched [N, C, L]) input, got [5]');
      throwsWith(() => F.avgPool2d(seq([1, 1, 4, 4], 1), 2, { divisorOverride: 0 }), 'F.avgPool2d: divisorOverride must be a positive integer or null, got 0');
      throwsWith(() => F.maxPool2d(seq([1, 1, 4, 4], 1), 0), 'maxPool2d: kernelSize must be a positive integer');
      throwsWith(() => F.adaptiveAvgPool2d(seq([1, 1, 4, 4], 1), [2, 2, 2] as unknown as number[]), 'F.adaptiveAvgPool2d: outputSize must be a positive integer or a pair (null keeps the input size), got [2, 2, 2]');
    });
  });
});

/** Regression / binary losses and dropout: values and gradients vs PyTorch on both backends, edge cases, errors. */
import { F, assert, bothBackends, check, checkJvp, close, rnd, seq, tensor, throwsWith, valueAndGrads } from './nn-ops-helpers';
import { manualSeed } from '../../src/runtime/ops/creation';
import { grad } from '../../src/runtime/autograd/engine';
import { sigmoid, mul } from '../../src/runtime/ops/basic';
import type { Tensor } from '../../src/runtime/tensor';

// torch 1.13 (+ torchvision for sigmoid_focal_loss), same seq() inputs, loss sum(y * seq(y.shape, 99)).
const T: Record<string, number[]> = {
  mse_y: [0.8476562],
  mse_g0: [0.04166667, 0.04166667, 0.04166667, -0.1354167, 0.04166667, 0.04166667, 0.04166667, 0.04166667, -0.1354167, 0.04166667, -0.1354167, 0.04166667],
  mse_g1: [-0.04166667, -0.04166667, -0.04166667, 0.1354167, -0.04166667, -0.04166667, -0.04166667, -0.04166667, 0.1354167, -0.04166667, 0.1354167, -0.04166667],
  l1_y: [9.375],
  l1_g0: [0.5, 0.5, 0.5, -0.5, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, -0.5, 0.5],
  l1_g1: [-0.5, -0.5, -0.5, 0.5, -0.5, -0.5, -0.5, -0.5, 0.5, -0.5, 0.5, -0.5],
  sl1_y: [0.25, 0.25, 0.25, 1.375, 0.25, 0.25, 0.25, 0.25, 1.375, 0.25, 1.375, 0.25],
  sl1_g0: [0.5, -0.75, 0.125, -1, -0.25, 0.625, -0.625, 0.25, 1, -0.125, -0.75, -0.5],
  sl1_g1: [-0.5, 0.75, -0.125, 1, 0.25, -0.625, 0.625, -0.25, -1, 0.125, 0.75, 0.5],
  bce_y: [0.4377595],
  bce_g0: [0.01001213, 0.002437546, 0.00565621, 0.010323, -0.008020079, 0.00637809],
  bce_g1: [0.002365539, -0.003845846, 0.005120102, -0.007782064, 0.003972044, 0],
  bceEdge_y: [100, 100, 0.6931472, 69.07755],
  bceEdge_gx: [-1e+12, 1e+12, 1, -1e+12],
  bceEdge_gt: [Infinity, -Infinity, 0, 69.07755],
  bcel_y: [-0.4605365],
  bcel_g0: [-0.04166667, -0.3121085, -0.08632914, 0.3273379, 0.2726068, 0.02757045],
  bcel_g1: [-0.01444057, 0.4375213, -0.03918903, -0, -0.234317, 0.009600881],
  bcelZero_y: [4.158883],
  bcelZero_g0: [0, 0.125, -0.375, 0.5, -0.375, 0.125],
  mrl_y: [0.5],
  mrl_g0: [-0.125, 0, -0.125, 0],
  mrl_g1: [0.125, -0, 0.125, -0],
  focal_y: [0.5026394],
  focal_g0: [-0.07670784, 0.2432431, -0.08878035, 0.02679252, 0.02840293, -0.04737604],
  focal_g1: [-0.03188594, -0, 0.09575728, 0.02863962, -0.1686918, -0.01825631],
};

function expectCase(name: string, fn: (...x: Tensor[]) => Tensor, inputs: Tensor[], tol = 1e-5): void {
  const r = valueAndGrads(fn, inputs);
  close(r.y, T[`${name}_y`], tol, `${name} y`);
  r.grads.forEach((g, i) => close(g, T[`${name}_g${i}`], tol, `${name} grad ${i}`));
}

const pair = (a: number, b: number, shape = [3, 4]): Tensor[] => [seq(shape, a), seq(shape, b)];

describe('nn ops: regression and binary losses', () => {
  bothBackends(() => {
    it('mseLoss (mean), l1Loss (sum), smoothL1Loss (beta 0.5, none)', () => {
      expectCase('mse', (x, t) => F.mseLoss(x, t), pair(60, 61));
      expectCase('l1', (x, t) => F.l1Loss(x, t, { reduction: 'sum' }), pair(60, 61));
      expectCase('sl1', (x, t) => F.smoothL1Loss(x, t, { beta: 0.5, reduction: 'none' }), pair(60, 61));
    });
    it('binaryCrossEntropy with weight; grads w.r.t. input and target', () => {
      const w = seq([3], 64).abs();
      expectCase('bce', (x, t) => F.binaryCrossEntropy(sigmoid(x), sigmoid(t), { weight: w }), pair(62, 63, [2, 3]));
    });
    it('binaryCrossEntropy at 0 and 1: loss clamped at 100, finite input grads (±1e12), target grads as PyTorch', () => {
      const x = tensor([0, 1, 0.5, 1e-30], { requiresGrad: true });
      const t = tensor([1, 0, 0.25, 1], { requiresGrad: true });
      const y = F.binaryCrossEntropy(x, t, { reduction: 'none' });
      close(y, T.bceEdge_y, 1e-5);
      const [gx, gt] = grad(y.sum(), [x, t]);
      close(gx as Tensor, T.bceEdge_gx, 1e-5);
      close(gt as Tensor, T.bceEdge_gt, 1e-5);
    });
    it('binaryCrossEntropyWithLogits with weight and posWeight (large logits), and the gradient at logit 0', () => {
      const w = seq([3], 65);
      const pw = seq([3], 68).abs().add(0.5);
      expectCase('bcel', (x, t) => F.binaryCrossEntropyWithLogits(mul(x, 8), t.abs(), { weight: w, posWeight: pw }), pair(66, 67, [2, 3]));
      const z = tensor([[0, 0, 0], [0, 0, 0]], { requiresGrad: true });
      const y = F.binaryCrossEntropyWithLogits(z, seq([2, 3], 67).abs(), { reduction: 'sum' });
      close(y, T.bcelZero_y, 1e-5);
      close(grad(y, [z])[0] as Tensor, T.bcelZero_g0, 1e-6);
    });
    it('marginRankingLoss and sigmoidFocalLoss (torchvision)', () => {
      const y = tensor([1, -1, 1, -1], { dtype: 'float32' });
      expectCase('mrl', (a, b) => F.marginRankingLoss(a, b, y, { margin: 1.5 }), pair(69, 70, [4]));
      expectCase('focal', (x, t) => F.sigmoidFocalLoss(mul(x, 4), t.abs(), { alpha: 0.3, gamma: 1.5, reduction: 'mean' }), pair(71, 72, [2, 3]));
    });
    it('dropout: identity in eval and for p=0, zeros for p=1, kept values scaled by 1/(1-p), grad = mask/(1-p)', () => {
      manualSeed(3);
      const x = seq([64, 8], 73, { requiresGrad: true });
      assert.equal(F.dropout(x, { training: false }), x);
      assert.equal(F.dropout(x, { p: 0 }), x);
      assert.ok(Array.from(F.dropout(x, { p: 1 }).dataSync()).every((v) => v === 0));
      const y = F.dropout(x, { p: 0.25 });
      const [g] = grad(y.sum(), [x]);
      const xv = x.dataSync(), yv = y.dataSync(), gv = (g as Tensor).dataSync();
      for (let i = 0; i < xv.length; i++) {
        const kept = gv[i] !== 0;
        close(yv[i], kept ? xv[i] / 0.75 : 0, 1e-6);
        close(gv[i], kept ? 1 / 0.75 : 0, 1e-6);
      }
    });
    it('dropout2d drops whole channels', () => {
      manualSeed(4);
      const y = F.dropout2d(tensor(new Float32Array(4 * 6 * 9).fill(1)).reshape(4, 6, 3, 3), { p: 0.5 }).dataSync();
      for (let ch = 0; ch < 24; ch++) {
        const plane = Array.from(y.slice(ch * 9, ch * 9 + 9));
        assert.ok(plane.every((v) => v === 0) || plane.every((v) => v === 2), `channel ${ch}: ${plane}`);
      }
    });
  });

  describe('float64 finite differences (reference)', () => {
    it('all losses, including target gradients', () => {
      const [a, b] = [rnd([3, 4], 1), rnd([3, 4], 2)];
      check((x, t) => F.mseLoss(x, t), [a, b]);
      check((x, t) => F.smoothL1Loss(x, t, { beta: 0.7 }), [a, b]);
      check((x, t) => F.binaryCrossEntropy(sigmoid(x), sigmoid(t), { weight: rnd([4], 3, false).abs() }), [a, b]);
      check((x, t) => F.binaryCrossEntropyWithLogits(mul(x, 5), sigmoid(t), { posWeight: rnd([4], 4, false).abs() }), [a, b]);
      check((x, t) => F.sigmoidFocalLoss(x, sigmoid(t), { reduction: 'sum' }), [a, b]);
      check((x1, x2) => F.marginRankingLoss(x1, x2, rnd([3, 4], 5, false).sign(), { margin: 0.1 }), [a, b]);
      checkJvp((x, t) => F.binaryCrossEntropyWithLogits(x, sigmoid(t), { reduction: 'none' }), [a, b]);
      checkJvp((x, t) => F.binaryCrossEntropy(sigmoid(x), sigmoid(t), { reduction: 'none' }), [a, b]);
    });
  });

  describe('errors', () => {
    it('name the op, the shapes and the bad value', () => {
      throwsWith(() => F.binaryCrossEntropy(tensor([0.5, 1.5]), tensor([0, 1], { dtype: 'float32' })), 'binaryCrossEntropy: all elements of input should be between 0 and 1 (got 1.5 at flat index 1');
      throwsWith(() => F.binaryCrossEntropy(tensor([0.5, 0.5]), tensor([[0, 1]], { dtype: 'float32' })), 'binaryCrossEntropy: expected target of the input\'s size [2], got [1, 2]');
      throwsWith(() => F.binaryCrossEntropyWithLogits(tensor([0.5, 0.5]), tensor([1, 0], { dtype: 'int32' })), 'binaryCrossEntropyWithLogits: expected target to be a floating point tensor');
      throwsWith(() => F.mseLoss(tensor([1, 2], { dtype: 'float32' }), tensor([1, 2, 3], { dtype: 'float32' })), 'mseLoss: the size of tensor a (2) must match the size of tensor b (3)');
      throwsWith(() => F.l1Loss(tensor([1], { dtype: 'float32' }), tensor([1], { dtype: 'float32' }), { reduction: 'max' as never }), 'F.l1Loss: reduction must be one of "none", "mean", "sum", got "max"');
      throwsWith(() => F.dropout(tensor([1], { dtype: 'float32' }), { p: 1.5 }), 'F.dropout: p must be a probability in [0, 1], got 1.5');
      throwsWith(() => F.dropout2d(tensor([1, 2], { dtype: 'float32' }), { p: 0.5 }), 'dropout2d: expected a 3-D or 4-D input');
    });
  });
});

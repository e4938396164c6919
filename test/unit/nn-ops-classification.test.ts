/** F.softmax / logSoftmax / crossEntropy / nllLoss: values and gradients vs PyTorch on both backends; errors. */
import { F, assert, bothBackends, grad, check, check2, checkJvp, close, rnd, seq, tensor, throwsWith, valueAndGrads } from './nn-ops-helpers';
import type { Tensor } from '../../src/runtime/tensor';

// torch 1.13, same seq() inputs, loss sum(y * seq(y.shape, 99)); w3 = |seq([3], 43)| + 0.25, w4 = |seq([4], 49)| + 0.25,
// probs = softmax(seq([4, 3], 46), 1).
const T: Record<string, number[]> = {
  sm_y: [0.2993463, 0.1465562, 0.2993463, 0.5897976, 0.1414012, 0.5796409, 0.1414012, 0.2786007, 0.5592525, 0.273803, 0.5592525, 0.1316016, 0.2993463, 0.5897976, 0.2993463, 0.5897976, 0.1414012, 0.2786007, 0.1414012, 0.2786007, 0.5592525, 0.1316016, 0.5592525, 0.1316016],
  sm_g0: [0.2828612, -0.1418859, -0.07288542, 0.2396661, 0.02756328, 0.2358367, -0.1404795, -0.09574027, -0.3104245, -0.09395085, 0.2133649, -0.1439257, -0.07288542, -0.2744488, -0.07288542, 0.239666, -0.1404795, 0.2534355, -0.1404795, -0.09574027, 0.2133649, 0.02101323, 0.2133649, -0.1439257],
  lsm_y: [-1.825718, -0.9507183, -2.200718, -1.325718, -2.575718, -1.825718, -0.9507183, -2.200718, -1.325718, -2.575718, -1.825718, -0.9507183, -2.200718, -1.325718, -2.575718, -1.825718, -0.9507183, -2.200718, -1.325718, -2.575718, -1.409738, -2.659738, -1.784738, -0.9097379, -2.159738, -1.409738, -2.659738, -1.784738, -0.9097379, -2.159738],
  lsm_g0: [0.3993113, -0.9915396, 0.05579776, 0.8339924, -0.297562, 0.7659642, -0.2868446, 0.3468831, -0.7675894, -0.05841326, 0.7902755, -0.4033841, 0.4026809, -0.808597, 0.01902478, 0.8145868, -0.5199237, 0.4584787, -0.8496045, 0.09646282, 0.7557927, -0.3199666, 0.4571589, -1.02763, 0.1346446, -0.8778964, -0.09001672, 0.8339205, -0.2986851, 0.4326777],
  sm0_y: [0.09337348, 0.4630367, 0.5373272, 0.3182402, 0.3692993, 0.2187231],
  sm0_g0: [0.04467661, -0.3971302, 0.05559842, 0.283977, -0.100275, 0.1131532],
  w3: [1.125, 0.625, 0.75],
  ceW_y: [0.8299576],
  ceW_g0: [-0.1480085, 0.04354631, 0.1044622, 0.1013277, 0.02903087, -0.1303586, 0, 0, 0, 0, 0, 0],
  ceWnone_y: [0.7649522, 0.7912182, 0, 0],
  ceWnone_g0: [-0.2775159, 0.08164933, 0.1958665, -0.2849841, -0.08164933, 0.3666335, 0, 0, 0, 0, 0, 0],
  ceWsum_y: [2.726008],
  ceWsum_g0: [-0.2775159, 0.08164933, 0.1958665, 0.1899894, 0.05443288, -0.2444223, 0.03414003, -0.2306023, 0.1964623, 0.07647759, -0.1290398, 0.05256223],
  ceLsW_y: [1.235608],
  ceLsW_g0: [-0.1374555, 0, 0.08508274, 0, 0.05237275, 0, 0, 0.01232964, 0, -0.1315603, 0, 0.1192306],
  ceLs_y: [1.387626],
  ceLs_g0: [-0.08424082, 0, 0.05456005, 0, 0.02968077, 0, 0, 0.01930765, 0, -0.1695478, 0, 0.1502402],
  ceLsNone_y: [0.8744038, 0, 0, 1.287911],
  ceLsNone_g0: [-0.2405471, 0, 0.1488948, 0, 0.0916523, 0, 0, 0.04315374, 0, -0.4604609, 0, 0.4173071],
  probs: [0.2447283, 0.5870726, 0.1681991, 0.2447283, 0.5870726, 0.1681991, 0.5066385, 0.1451544, 0.3482072, 0.5066385, 0.1451544, 0.3482072],
  ceP_y: [0.9981406],
  ceP_g0: [0.0134123, -0.029823, 0.0164107, -0.01195643, 0.0129814, -0.001024962, -0.0408795, 0.05418889, -0.01330939, -0.01098919, 0.0037553, 0.007233898],
  cePnone_y: [1.476873, 0.9569928, 1.411174, 0.9919783],
  cePnone_g0: [0.1309551, -0.2209591, 0.09000403, -1.117587e-08, 0, 0, -0.03273878, 0.05523978, -0.02250101, 0, 0, -2.980232e-08],
  ceU_y: [1.054958],
  ceU_g0: [0.2533192, 0.07257718, -0.3258964],
  nll_y: [-1.34375],
  nll_g0: [0, 0, 0, -0.375, -0.125, 0, 0, 0, 0, -0.5625, 0, 0],
  w4: [0.25, 1.125, 0.625, 0.75],
};

const ints = (v: unknown): Tensor => tensor(v, { dtype: 'int32' });

function expectCase(name: string, fn: (x: Tensor) => Tensor, shape: number[], seed: number): void {
  const r = valueAndGrads(fn, [seq(shape, seed)]);
  close(r.y, T[`${name}_y`], 1e-5, `${name} y`);
  close(r.grads[0], T[`${name}_g0`], 1e-5, `${name} grad`);
}

describe('nn ops: softmax and classification losses', () => {
  bothBackends(() => {
    it('softmax / logSoftmax over a middle, the last (negative) and the first dim', () => {
      expectCase('sm', (x) => F.softmax(x, 1), [2, 3, 4], 40);
      expectCase('lsm', (x) => F.logSoftmax(x, -1), [2, 3, 5], 41);
      expectCase('sm0', (x) => F.softmax(x, 0), [3, 2], 42);
    });
    it('crossEntropy on the lecture logits gives 2.5141 (seeds/002)', () => {
      const f = tensor([[-1, -3, 4], [-3, 3, -1]], { dtype: 'float32' });
      close(F.crossEntropy(f, ints([0, 1])), 2.5141, 1e-4);
    });
    it('crossEntropy with class weights and ignoreIndex: mean divides by the weights of kept targets; none; sum', () => {
      const t = ints([0, 2, 1, 1]);
      const w = tensor(T.w3);
      expectCase('ceW', (x) => F.crossEntropy(x, t, { weight: w, ignoreIndex: 1 }), [4, 3], 44);
      expectCase('ceWnone', (x) => F.crossEntropy(x, t, { weight: w, ignoreIndex: 1, reduction: 'none' }), [4, 3], 44);
      expectCase('ceWsum', (x) => F.crossEntropy(x, t, { weight: w, reduction: 'sum' }), [4, 3], 44);
    });
    it('crossEntropy [N, C, d] with label smoothing (with and without weight) and ignored targets', () => {
      const t = ints([[0, 2], [2, 1]]);
      const w = tensor(T.w3);
      expectCase('ceLsW', (x) => F.crossEntropy(x, t, { weight: w, ignoreIndex: 2, labelSmoothing: 0.2 }), [2, 3, 2], 45);
      expectCase('ceLs', (x) => F.crossEntropy(x, t, { ignoreIndex: 2, labelSmoothing: 0.3 }), [2, 3, 2], 45);
      expectCase('ceLsNone', (x) => F.crossEntropy(x, t, { weight: w, ignoreIndex: 2, labelSmoothing: 0.2, reduction: 'none' }), [2, 3, 2], 45);
    });
    it('crossEntropy with probability targets (weight + smoothing; none), unbatched input', () => {
      const p = tensor(T.probs).reshape(4, 3);
      expectCase('ceP', (x) => F.crossEntropy(x, p, { weight: tensor(T.w3), labelSmoothing: 0.1 }), [4, 3], 47);
      expectCase('cePnone', (x) => F.crossEntropy(x, p, { reduction: 'none' }), [4, 3], 47);
      expectCase('ceU', (x) => F.crossEntropy(x, ints(2)), [3], 48);
    });
    it('all targets ignored: NaN loss with zero gradients (as PyTorch), also with label smoothing', () => {
      for (const labelSmoothing of [0, 0.1]) {
        const x = seq([2, 3], 51, { requiresGrad: true });
        const loss = F.crossEntropy(x, ints([1, 1]), { ignoreIndex: 1, labelSmoothing });
        assert.ok(Number.isNaN(loss.item()));
        close(grad(loss, [x])[0] as Tensor, [0, 0, 0, 0, 0, 0], 0);
      }
    });
    it('nllLoss with weight, sum', () => {
      expectCase('nll', (x) => F.nllLoss(x, ints([3, 0, 1]), { weight: tensor(T.w4), reduction: 'sum' }), [3, 4], 50);
    });
  });

  describe('float64 finite differences (reference)', () => {
    it('softmax / logSoftmax: first, second order and forward mode', () => {
      check((x) => F.softmax(x, 1), [rnd([2, 3, 4], 1)]);
      check((x) => F.logSoftmax(x, 0), [rnd([3, 2], 2)]);
      check2((x) => F.softmax(x, -1), [rnd([2, 4], 3)]);
      check2((x) => F.logSoftmax(x, 1), [rnd([2, 3, 2], 4)]);
      checkJvp((x) => F.softmax(x, 1), [rnd([2, 3, 2], 5)]);
      checkJvp((x) => F.logSoftmax(x, -1), [rnd([3, 4], 6)]);
    });
    it('crossEntropy: indices with weight/ignore/smoothing, and probability targets', () => {
      const w = rnd([3], 7, false).abs().add(0.5);
      check((x) => F.crossEntropy(x, ints([[0, 2], [2, 1]]), { weight: w, ignoreIndex: 1, labelSmoothing: 0.1 }), [rnd([2, 3, 2], 8)]);
      check((x, p) => F.crossEntropy(x, p, { labelSmoothing: 0.2 }), [rnd([3, 4], 9), rnd([3, 4], 10).abs()]);
      check2((x) => F.crossEntropy(x, ints([1, 0])), [rnd([2, 3], 11)]);
    });
  });

  describe('errors', () => {
    it('target values out of range name the value and the number of classes', () => {
      throwsWith(() => F.crossEntropy(seq([2, 3], 1), ints([0, 3])),
        'crossEntropy: target 3 is out of bounds: expected class indices in [0, 2] (input [2, 3] has 3 classes) or ignoreIndex=-100');
      throwsWith(() => F.nllLoss(seq([2, 3], 1), ints([-1, 0])), 'nllLoss: target -1 is out of bounds');
    });
    it('shapes, dtypes, options', () => {
      throwsWith(() => F.crossEntropy(seq([2, 3], 1), ints([0, 1, 2])), 'crossEntropy: expected target of shape [2] for input [2, 3]');
      throwsWith(() => F.crossEntropy(seq([2, 3], 1), seq([2], 2)), 'a floating point target holds class probabilities and must have the input\'s shape [2, 3], got [2] (for class indices use an int32 target');
      throwsWith(() => F.crossEntropy(seq([2, 3], 1), ints([0, 1]), { weight: seq([2], 3) }), 'crossEntropy: expected weight of shape [3]');
      throwsWith(() => F.crossEntropy(seq([2, 3], 1), ints([0, 1]), { reduction: 'avg' as never }), 'F.crossEntropy: reduction must be one of "none", "mean", "sum", got "avg"');
      throwsWith(() => F.crossEntropy(seq([2, 3], 1), ints([0, 1]), { labelSmoothing: 1.5 }), 'F.crossEntropy: labelSmoothing must be a probability in [0, 1], got 1.5');
      throwsWith(() => F.softmax(seq([2, 3], 1), 2), 'softmax: dimension out of range (expected to be in range of [-2, 1], but got 2)');
      throwsWith(() => F.softmax(ints([1, 2]), 0), 'softmax: expected input to be a floating point tensor');
    });
  });
});

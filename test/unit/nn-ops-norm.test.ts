/** F.batchNorm / layerNorm / groupNorm / instanceNorm: values, gradients, running statistics vs PyTorch; errors. */
import { F, assert, bothBackends, check, check2, checkJvp, close, rnd, seq, tensor, throwsWith, valueAndGrads } from './nn-ops-helpers';
import type { Tensor } from '../../src/runtime/tensor';

// torch 1.13, same seq() inputs, loss sum(y * seq(y.shape, 99)). Running stats: rm = seq([3], 20), rv = |seq([3], 21)| + 0.5
// (instanceNorm: seeds 33, 34) after one update. Near-zero gradients carry float32 noise, hence tolerance 1e-4.
const T: Record<string, number[]> = {
  bn_y: [0.1557003, 1.475896, -0.410098, 0.910098, -0.629608, -1.332725, -0.3282722, -1.031389, 0.2891507, -0.4157867, 0.07766949, -0.6272678, -0.03289916, 1.287297, -0.5986975, 0.7214986, -0.5291628, -1.23228, -1.935397, -0.9309438, 0.218657, -0.4862804, 0.007175758, -0.6977616, -0.2214986, 1.098697, -0.7872969, 0.5328991, -0.4287175, -1.131834, -1.834951, -0.8304986, 0.1481632, -0.5567741, -0.06331798, 0.4301382, -0.410098, 0.910098, -0.9758964, 0.3442997, -0.3282722, -1.031389, -1.734506, -0.7300533, 0.07766949, -0.6272678, -0.1338117, 0.3596444],
  bn_g0: [0.4962393, -1.241051, -0.1332891, 1.335611, 0.0768486, -0.6768125, 0.3998462, -0.3538149, -0.6520427, -0.00114201, 0.382103, -0.1653899, 0.2863965, -1.450894, -0.343132, 1.125768, 0.1845145, -0.5691466, 0.3847619, -0.246149, 0.4916015, -0.05589129, 0.3273537, -0.2201391, 0.07655367, -1.660737, -0.5529748, 0.9159249, 0.2921803, -0.4614808, 0.4924277, -0.1384831, 0.4368523, -0.1106406, 0.2726044, -0.5425441, -0.1332891, 1.335611, -0.7628176, 0.7060821, 0.3998462, -0.3538149, 0.6000936, -0.03081727, 0.382103, -0.1653899, 0.2178551, -0.5972934],
  bn_g1: [-0.8958473, -0.7156726, 2.376226],
  bn_g2: [2.625, -3, -0.125],
  bn_rm: [-0.2625, 0.3671875, -0.596875],
  bn_rv: [1.1525, 0.4823828, 1.194115],
  bnEval_y: [-0.07994998, -0.6395998, 0.1599, -0.3997499, -0.2651624, -0.1104843, 0.04419373, -0.1767749, 0.9593997, -0.1065999, 0.6395998, 1.3858, 0, -0.5596498, 0.2398499, -0.3197999, 0.08838746, -0.1325812, 0.02209686, -0.1988718, 0.8527997, -0.2131999, 0.5329998, 1.2792],
  bnEval_g0: [-0.3197999, 0.4796999, -0.07994998, -0.6395998, -0.04419373, 0.1104843, -0.1104843, 0.04419373, -0.8527998, -0.1066, 0.6395998, -0.4263999, -0.2398499, 0.5596498, -0, -0.5596498, -0.0662906, 0.08838747, -0.1325812, 0.02209687, 0.8527998, -0.2131999, 0.5329999, -0.5329999],
  bnEval_g1: [-0.3597749, -1.723556, -0.7195498],
  bn2d_y: [1.146909, -0.2699484, 0.4949054, -1.515559, 0.6298796, 1.394733, -0.6963378, 1.529708, -1.529708, 0.1228831, -1.394733, -0.6298796, 0.942104, -0.4949054, 0.2699484],
  bn2d_g0: [0.5140732, -1.052835, 1.598827e-05, 1.185879, -0.09289861, 4.505786e-05, -1.43123, 0.8670374, -4.94183e-05, -0.5666509, 1.571514, -2.034871e-05, 0.2979284, -1.292819, 8.720876e-06],
  ln_y: [-0.6912619, -0.8914139, -0.9572504, 0.3815826, 1.363456, -0.5, -0.7771013, -0.9198871, 0.7780424, 1.246921, -0.2574387, -0.6114892, -0.6912619, -0.8914139, -0.9572504, 0.3815826, 1.363456, -0.5, -0.7771013, -0.9198871, 0.7780424, 1.246921, -0.2574387, -0.6114892],
  ln_g0: [-0.01497079, -0.3558316, 0.1290086, 0.5112497, 0.7346834, 0.03963508, -0.378175, 0.02971594, -0.9731294, 0.4814923, 0.1455405, -0.3492188, -0.2473065, -0.2655089, 0.1242841, -0.02456766, 0.9575703, -0.268571, -0.3637228, -0.05087894, 0.1593658, 0.6285087, -0.2385361, -0.410637],
  ln_g1: [0.463833, 2.473063, -0.0106874, 2.532913, 0.4381832, 0.8272045, 1.810445, 0.04488706, 0, 0.1859607, 1.293175, 1.250425],
  ln_g2: [0.875, -1.625, 0.125, 1.875, -0.625, 1.125, -1.375, 0.375, 0, -0.375, 1.375, -1.125],
  gn_y: [0.7184138, -0.1796034, 0.4490086, 1.548513, 0.6055949, 1.952621, -0.3896299, -0.1848115, -0.4774092, 1.319274, -1.021508, 0.6170391, 0.5085322, -0.4757237, 0.2132554, 2.031501, 0.998032, -0.03543663, -0.3896299, -0.1848115, -0.4774092, 1.319274, -1.021508, 0.6170391],
  gn_g0: [-0.05478439, -0.1079104, -0.07072216, -0.3932533, 0.3623486, 0.2643218, -0.1734195, 0.6159058, -0.5117017, 0.07280512, 0.8763426, -0.8799323, 0.2594208, -0.1474334, 0.1373645, -0.3187024, 0.7535002, -0.6841497, -0.1595242, 0.7083588, -0.03405795, -0.07322788, 0.6180842, -1.059633],
  gn_g1: [2.313987, -2.566613, 0.7314943, -2.53097],
  gn_g2: [-0.625, 2.375, -1, -0.125],
  in_y: [0.1271331, -0.1189309, 0.05331386, -0.1927501, -0.02050533, 0.1517394, -0.7179475, 0.7897422, -1.3641, 0.1435895, 1.651279, -0.5025632, -0.1256408, 0.4128198, 0.03589737, -0.3410251, 0.1974356, -0.1794869, -0.08974344, 0.09871778, -0.1705125, 0.01794869, 0.2064099, -0.0628204, 0.5025632, -1.651279, -0.1435895, 1.3641, -0.7897422, 0.7179475, 0.3034789, -0.04101066, -0.3855002, 0.1066277, -0.2378618, 0.2542661],
  in_g0: [0.03962496, -0.1720068, -0.02386458, 0.1828124, -0.0873541, 0.06078813, -2.131947e-05, 2.334358e-05, -4.040944e-05, 4.240787e-06, 4.891668e-05, -1.493904e-05, -3.73155e-06, 1.230299e-05, 1.073035e-06, -1.016334e-05, 5.896876e-06, -5.336288e-06, -0.1509915, 0.005898582, 0.2394615, -0.06134001, 0.09555005, -0.1285786, 1.497755e-05, -4.921195e-05, -4.266463e-06, 4.065335e-05, -2.353615e-05, 2.13965e-05, 7.506831e-06, -1.014437e-06, -9.535706e-06, 2.637536e-06, -5.883734e-06, 6.289507e-06],
  in_g1: [1.116471, 6.964091, 7.291936],
  in_rm: [-0.384375, 0.2625, -0.578125],
  in_rv: [1.183203, 0.55875, 1.008203],
};

const running = (s1: number, s2: number): [Tensor, Tensor] => [seq([3], s1), seq([3], s2).abs().add(0.5)];

function expectCase(name: string, fn: (...x: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const r = valueAndGrads(fn, inputs);
  close(r.y, T[`${name}_y`], 1e-4, `${name} y`);
  r.grads.forEach((g, i) => close(g, T[`${name}_g${i}`], 1e-4, `${name} grad ${i}`));
}

describe('nn ops: normalisation', () => {
  bothBackends(() => {
    it('batchNorm training [N, C, H, W]: batch statistics, affine grads, running stats updated in place (unbiased var)', () => {
      const [rm, rv] = running(20, 21);
      const storage = rm.storage();
      expectCase('bn', (x, w, b) => F.batchNorm(x, rm, rv, { weight: w, bias: b, training: true, momentum: 0.2, eps: 1e-3 }),
        [seq([4, 3, 2, 2], 19), seq([3], 22), seq([3], 23)]);
      close(rm, T.bn_rm, 1e-5, 'running mean');
      close(rv, T.bn_rv, 1e-5, 'running var');
      assert.equal(rm.storage(), storage, 'running mean must be updated in its own storage');
      assert.equal(rm.requiresGrad, false);
    });
    it('batchNorm eval [N, C, L] uses the running statistics; [N, C] training without running stats', () => {
      const [rm, rv] = running(20, 21);
      expectCase('bnEval', (x, w) => F.batchNorm(x, rm, rv, { weight: w }), [seq([2, 3, 4], 24), seq([3], 25)]);
      close(rm, seq([3], 20).dataSync(), 0, 'eval leaves running mean');
      expectCase('bn2d', (x) => F.batchNorm(x, null, null, { training: true }), [seq([5, 3], 26)]);
    });
    it('layerNorm over the last two dims', () => {
      expectCase('ln', (x, w, b) => F.layerNorm(x, [3, 4], { weight: w, bias: b, eps: 1e-4 }), [seq([2, 3, 4], 27), seq([3, 4], 28), seq([3, 4], 29)]);
    });
    it('groupNorm with 2 groups', () => {
      expectCase('gn', (x, w, b) => F.groupNorm(x, 2, { weight: w, bias: b }), [seq([2, 4, 3], 30), seq([4], 31), seq([4], 32)]);
    });
    it('instanceNorm with running stats (averaged over the batch, unbiased var)', () => {
      const [rm, rv] = running(33, 34);
      expectCase('in', (x, w) => F.instanceNorm(x, { runningMean: rm, runningVar: rv, weight: w, momentum: 0.3 }), [seq([2, 3, 2, 3], 35), seq([3], 36)]);
      close(rm, T.in_rm, 1e-5, 'running mean');
      close(rv, T.in_rv, 1e-5, 'running var');
    });
  });

  describe('float64 finite differences (reference)', () => {
    it('batchNorm training, layerNorm, groupNorm, instanceNorm: first order', () => {
      check((x, w, b) => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }), [rnd([3, 2, 2, 3], 1), rnd([2], 2), rnd([2], 3)]);
      check((x, w, b) => F.layerNorm(x, 4, { weight: w, bias: b }), [rnd([3, 4], 4), rnd([4], 5), rnd([4], 6)]);
      check((x, w) => F.groupNorm(x, 3, { weight: w }), [rnd([2, 6, 2], 7), rnd([6], 8)]);
      check((x) => F.instanceNorm(x), [rnd([2, 2, 5], 9)]);
    });
    it('forward mode', () => {
      checkJvp((x, w) => F.layerNorm(x, [2, 3], { weight: w }), [rnd([2, 2, 3], 12), rnd([2, 3], 13)]);
    });
  });

  // Pending: ops/basic.ts unaryOp's backward returns unaryGradRaw (not recorded), so gradients of gradients through
  // rsqrt/exp/log... are lost. Un-skip once unary backward is differentiable.
  it.skip('batchNorm second order (needs a differentiable unary backward in ops/basic.ts)', () => {
    check2((x, w) => F.batchNorm(x, null, null, { weight: w, training: true }), [rnd([4, 2], 10), rnd([2], 11)]);
  });

  describe('errors', () => {
    it('name the op, shapes and arguments', () => {
      throwsWith(() => F.batchNorm(seq([1, 3], 1), null, null, { training: true }), 'batchNorm: expected more than 1 value per channel when training, got input size [1, 3]');
      throwsWith(() => F.batchNorm(seq([2, 3], 1), null, null), 'batchNorm: runningMean and runningVar must be given when training is false');
      throwsWith(() => F.batchNorm(seq([2, 3], 1), seq([4], 2), seq([4], 3)), 'batchNorm: expected runningMean of shape [3] (for input [2, 3]), got [4]');
      throwsWith(() => F.layerNorm(seq([2, 3], 1), [4]), 'layerNorm: given normalizedShape=[4], expected input with shape [*, 4], but got input of size [2, 3]');
      throwsWith(() => F.layerNorm(seq([2, 3], 1), 3, { weight: seq([4], 2) }), 'layerNorm: expected weight of shape [3]');
      throwsWith(() => F.groupNorm(seq([2, 6, 2], 1), 4), 'groupNorm: expected number of channels in input to be divisible by numGroups, but got input of shape [2, 6, 2] and numGroups=4');
      throwsWith(() => F.instanceNorm(seq([2, 3], 1)), 'instanceNorm: expected an input [N, C, ...spatial] with at least 3 dims, got [2, 3]');
      throwsWith(() => F.batchNorm(tensor([[1, 2], [3, 4]], { dtype: 'int32' }), null, null, { training: true }), 'batchNorm: expected input to be a floating point tensor');
    });
  });
});

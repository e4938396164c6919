/** F.huberLoss / klDiv / embedding / oneHot / normalize / cosineSimilarity vs PyTorch on both backends; errors. */
import { F, assert, bothBackends, check, close, rnd, seq, tensor, throwsWith, valueAndGrads } from './nn-ops-helpers';
import { Tensor } from '../../src/runtime/tensor';
import { metaBackend } from '../../src/runtime/backend/meta';

// torch 1.13, same seq() inputs, loss sum(y * seq(y.shape, 99)); klTarget = softmax(seq([2, 4], 80), 1) with [0, 1] = 0.
const T: Record<string, number[]> = {
  huber_y: [0.265625],
  huber_g0: [0.02083333, 0.02083333, 0.02083333, -0.02083333, 0.02083333, 0.02083333, 0.02083333, 0.02083333, -0.02083333, 0.02083333, -0.02083333, 0.02083333],
  huber_g1: [-0.02083333, -0.02083333, -0.02083333, 0.02083333, -0.02083333, -0.02083333, -0.02083333, -0.02083333, 0.02083333, -0.02083333, 0.02083333, -0.02083333],
  klTarget: [0.1743714, 0, 0.1198436, 0.2874898, 0.4606797, 0.1319869, 0.3166202, 0.09071322],
  kl_y: [-1.102297],
  kl_g0: [-0.04359285, -0, -0.0299609, -0.07187246, -0.1151699, -0.03299674, -0.07915506, -0.0226783],
  klLog_y: [5.455217],
  klLog_g0: [-0.5, -1.199438, -0.3436446, -0.8243606, -0.2361833, -0.5665742, -1.359141, -0.3894004],
  klLog_g1: [0.25, 3.148524, 0.1718223, 0.4121803, 0.1180916, 0.2832871, 3.567745, 0.1947002],
  emb_y: [0, 0.875, -0.375, -0.625, 0.25, -1, -0.5, 0.375, -0.875, -0.625, 0.25, -1, 0.5, -0.75, 0.125, 0, 0.875, -0.375],
  emb_g0: [-0.625, 0.25, -1, 1.375, -1.125, 0.625, 0.375, -0.875, 0, 0, 0, 0, 0, 0, 0],
  normz_y: [-0.8834522, -0.1230915, 0.7071068, -0.492366, 0.3312946, -0.8616404, 0, 0.8616404, -0.3312946, 0.492366, -0.7071068, 0.1230915],
  normz_g0: [0.2908928, -0.8000947, 0.412479, 0.8206099, -0.1643006, 0.1846372, -0.5892557, 0.5333965, -0.9400147, 0.1230915, 0.412479, -0.4513355],
  cos_y: [-0.7501051, -0.4082851, 0.9830614, 0.9169344, 0.6025569, -0.7628662],
  cos_g0: [0.3571741, 0.1731107, 0.3988041, 0.2147407, 0.6364081, 0.319632, 0.3310561, 0.01428011],
  cos_g1: [0.03898992, 0.06991418, -0.2509748, -0.2200505, -0.19245, 0.1011805, 0.09677557, 0.3904061, 0.1377746, 0.2164277, -0.1474086, -0.06875556],
};

function expectCase(name: string, fn: (...x: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const r = valueAndGrads(fn, inputs);
  close(r.y, T[`${name}_y`], 1e-5, `${name} y`);
  r.grads.forEach((g, i) => close(g, T[`${name}_g${i}`], 1e-5, `${name} grad ${i}`));
}

const ints = (v: unknown): Tensor => tensor(v, { dtype: 'int32' });

describe('nn ops: huber, KL, embedding, oneHot, normalize, cosine similarity', () => {
  bothBackends(() => {
    it('huberLoss (delta 0.5)', () => {
      expectCase('huber', (x, t) => F.huberLoss(x, t, { delta: 0.5 }), [seq([3, 4], 60), seq([3, 4], 61)]);
    });
    it('klDiv batchmean with a zero target entry; logTarget sum', () => {
      const tg = tensor(T.klTarget).reshape(2, 4);
      expectCase('kl', (x) => F.klDiv(x, tg, { reduction: 'batchmean' }), [seq([2, 4], 81)]);
      expectCase('klLog', (x, t) => F.klDiv(x, t, { reduction: 'sum', logTarget: true }), [seq([2, 4], 82), seq([2, 4], 83)]);
    });
    it('embedding with paddingIdx (values kept, no gradient to the padding row)', () => {
      expectCase('emb', (w) => F.embedding(ints([[1, 4, 0], [4, 2, 1]]), w, { paddingIdx: 4 }), [seq([5, 3], 84)]);
    });
    it('normalize and cosineSimilarity (broadcast)', () => {
      expectCase('normz', (x) => F.normalize(x, { dim: 0 }), [seq([3, 4], 85)]);
      expectCase('cos', (a, b) => F.cosineSimilarity(a, b, { dim: -1 }), [seq([2, 1, 4], 86), seq([3, 4], 87)]);
    });
    it('oneHot', () => {
      const h = F.oneHot(ints([2, 0, 1]), 4);
      assert.equal(h.dtype, 'int32');
      assert.deepEqual(h.toArray(), [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
      assert.deepEqual(F.oneHot(ints([1, 2])).shape, [2, 3]);
    });
  });

  describe('float64 finite differences (reference)', () => {
    it('huber, klDiv, normalize, cosineSimilarity, embedding', () => {
      check((x, t) => F.huberLoss(x, t, { delta: 0.3, reduction: 'sum' }), [rnd([3, 4], 1), rnd([3, 4], 2)]);
      check((x, t) => F.klDiv(x, t.abs(), { reduction: 'batchmean' }), [rnd([3, 4], 3), rnd([3, 4], 4)]);
      check((x) => F.normalize(x, { p: 3 }), [rnd([3, 4], 5)]);
      check((a, b) => F.cosineSimilarity(a, b), [rnd([3, 4], 6), rnd([3, 4], 7)]);
      check((w) => F.embedding(ints([3, 1, 3]), w), [rnd([4, 2], 8)]);
    });
  });

  describe('meta tensors (shape-only runs for summary)', () => {
    it('layers and losses propagate shapes without reading values', () => {
      const m = (shape: number[], dtype: 'float32' | 'int32' = 'float32'): Tensor =>
        new Tensor(metaBackend.alloc(dtype, shape.reduce((a, b) => a * b, 1)), shape, dtype);
      const x = m([2, 3, 8, 8]);
      assert.deepEqual(F.conv2d(x, m([4, 3, 3, 3]), m([4]), { padding: 1 }).shape, [2, 4, 8, 8]);
      assert.deepEqual(F.maxPool2d(F.batchNorm(x, m([3]), m([3]), { training: true }), 2).shape, [2, 3, 4, 4]);
      assert.deepEqual(F.dropout2d(F.dropout(x, { p: 0.3 })).shape, [2, 3, 8, 8]);
      assert.deepEqual(F.crossEntropy(m([2, 5]), m([2], 'int32')).shape, []);
      assert.deepEqual(F.embedding(m([2, 3], 'int32'), m([10, 4])).shape, [2, 3, 4]);
    });
  });

  describe('errors', () => {
    it('name the op and the bad value', () => {
      throwsWith(() => F.embedding(ints([0, 5]), seq([5, 3], 1)), 'embedding: index 5 is out of bounds for dimension 0 with size 5');
      throwsWith(() => F.embedding(tensor([0, 1], { dtype: 'float32' }), seq([5, 3], 1)), 'embedding: expected input to hold int32 indices');
      throwsWith(() => F.oneHot(ints([0, 3]), 3), 'oneHot: class value 3 is out of range for numClasses=3');
      throwsWith(() => F.klDiv(seq([2], 1), seq([2], 2), { reduction: 'avg' as never }), 'F.klDiv: reduction must be one of "none", "mean", "sum", "batchmean", got "avg"');
      throwsWith(() => F.huberLoss(seq([2], 1), seq([2], 2), { delta: 0 }), 'huberLoss: delta must be a positive number, got 0');
    });
  });
});

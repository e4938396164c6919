/** Linear, Identity, Flatten, Embedding, Maxout (torch/nn/modules/linear.py, flatten.py, sparse.py). */
import { kinds, nullable, type Parsed } from '../../args';
import { linearParams, thousands } from '../formulas';
import { fmtShape, ShapeError } from '../index';
import { layerSpec, sameShape } from './spec';

const LINEAR = {
  inFeatures: { kind: kinds.positiveInt, required: true },
  outFeatures: { kind: kinds.positiveInt, required: true },
  bias: { kind: kinds.boolean, default: true },
} as const;
export const LinearSpec = layerSpec('Linear', LINEAR, {
  parameters: (a) => ({ weight: [a.outFeatures, a.inFeatures], bias: a.bias ? [a.outFeatures] : null }),
  paramText: (a) => linearParams(a.inFeatures, a.outFeatures, a.bias).text,
  infer: (a, x) => {
    if (x.length < 1 || x[x.length - 1] !== a.inFeatures) {
      throw new ShapeError(
        `Linear: expected input ${fmtShape(x)} to end in ${a.inFeatures} features (in_features), got ${x[x.length - 1] ?? 'a scalar'}`,
      );
    }
    const rows = x.slice(0, -1).reduce((m, d) => m * d, 1);
    return {
      outShape: [...x.slice(0, -1), a.outFeatures],
      macs: rows * a.inFeatures * a.outFeatures,
      formulas: [linearParams(a.inFeatures, a.outFeatures, a.bias).text],
      warnings: [],
    };
  },
  repr: (a) => `inFeatures=${a.inFeatures}, outFeatures=${a.outFeatures}, bias=${a.bias}`,
});
export type LinearArgs = Parsed<typeof LINEAR>;

export const IdentitySpec = layerSpec('Identity', {}, { parameters: () => ({}), infer: (_a, x) => sameShape(x), repr: () => '' });

const FLATTEN = { startDim: { kind: kinds.dim, default: 1 }, endDim: { kind: kinds.dim, default: -1 } } as const;
export const FlattenSpec = layerSpec('Flatten', FLATTEN, {
  parameters: () => ({}),
  infer: (a, x) => {
    const n = Math.max(x.length, 1);
    const s = a.startDim < 0 ? a.startDim + n : a.startDim;
    const e = a.endDim < 0 ? a.endDim + n : a.endDim;
    if (s < 0 || e >= n || s > e)
      throw new ShapeError(`Flatten: startDim ${a.startDim} and endDim ${a.endDim} do not fit input ${fmtShape(x)}`);
    if (x.length === 0) return sameShape([1]);
    const mid = x.slice(s, e + 1);
    const size = mid.reduce((m, d) => m * d, 1);
    return {
      outShape: [...x.slice(0, s), size, ...x.slice(e + 1)],
      macs: 0,
      formulas: mid.length > 1 ? [`${mid.join('·')} = ${thousands(size)}`] : [],
      warnings: [],
    };
  },
  repr: (a) => `startDim=${a.startDim}, endDim=${a.endDim}`,
});
export type FlattenArgs = Parsed<typeof FLATTEN>;

const EMBEDDING = {
  numEmbeddings: { kind: kinds.positiveInt, required: true },
  embeddingDim: { kind: kinds.positiveInt, required: true },
  paddingIdx: { kind: nullable(kinds.integer), default: null },
} as const;
export const EmbeddingSpec = layerSpec('Embedding', EMBEDDING, {
  check: (a) => {
    if (a.paddingIdx !== null && (a.paddingIdx >= a.numEmbeddings || a.paddingIdx < -a.numEmbeddings)) {
      throw new Error(`Embedding: paddingIdx must be within numEmbeddings (${a.numEmbeddings}), got ${a.paddingIdx}`);
    }
  },
  parameters: (a) => ({ weight: [a.numEmbeddings, a.embeddingDim] }),
  paramText: (a) => `params = ${a.numEmbeddings}·${a.embeddingDim} = ${thousands(a.numEmbeddings * a.embeddingDim)}`,
  infer: (a, x) => ({
    outShape: [...x, a.embeddingDim],
    macs: 0,
    formulas: [`params = ${a.numEmbeddings}·${a.embeddingDim} = ${thousands(a.numEmbeddings * a.embeddingDim)}`],
    warnings: [],
  }),
  repr: (a) => `${a.numEmbeddings}, ${a.embeddingDim}${a.paddingIdx !== null ? `, paddingIdx=${a.paddingIdx}` : ''}`,
});
export type EmbeddingArgs = Parsed<typeof EMBEDDING>;

const MAXOUT = {
  inFeatures: { kind: kinds.positiveInt, required: true },
  outFeatures: { kind: kinds.positiveInt, required: true },
  pieces: { kind: kinds.positiveInt, default: 2 },
} as const;
/** Maxout is a container (a Linear of outFeatures·pieces and a max): its parameters belong to its child. */
export const MaxoutSpec = layerSpec('Maxout', MAXOUT, {
  parameters: () => ({}),
  infer: (a, x) => {
    if (x[x.length - 1] !== a.inFeatures)
      throw new ShapeError(`Maxout: expected input ${fmtShape(x)} to end in ${a.inFeatures} features, got ${x[x.length - 1]}`);
    return {
      outShape: [...x.slice(0, -1), a.outFeatures],
      macs: 0,
      formulas: [`max over ${a.pieces} pieces of ${a.outFeatures}`],
      warnings: [],
    };
  },
  repr: (a) => `inFeatures=${a.inFeatures}, outFeatures=${a.outFeatures}, pieces=${a.pieces}`,
});
export type MaxoutArgs = Parsed<typeof MAXOUT>;

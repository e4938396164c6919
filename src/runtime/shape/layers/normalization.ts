/** BatchNorm1d/2d, LayerNorm, GroupNorm, InstanceNorm2d, Dropout(2d) (torch/nn/modules/batchnorm.py, normalization.py, dropout.py). */
import { kind, kinds, type Parsed } from '../../args';
import { normParams } from '../formulas';
import { fmtShape, numel, ShapeError } from '../index';
import { layerSpec, sameShape, type LayerInfo } from './spec';

/** BatchNorm: [N, C] / [N, C, L] / [N, C, H, W]; InstanceNorm2d also unbatched [C, H, W]. */
const channelsMust = (type: string, n: number, x: readonly number[], dims: number[]): void => {
  if (!dims.includes(x.length))
    throw new ShapeError(
      `${type}: expected ${dims.map((d) => `${d}D`).join(' or ')} input, got ${x.length}D input of shape ${fmtShape(x)}`,
    );
  const c = type === 'InstanceNorm2d' && x.length === 3 ? x[0] : x[1];
  if (c !== n) throw new ShapeError(`${type}: expected ${n} channels (numFeatures), got ${c} in input ${fmtShape(x)}`);
};

const normInfo = (x: readonly number[], text: string): LayerInfo => ({ ...sameShape(x), formulas: [text] });

const BATCHNORM = {
  numFeatures: { kind: kinds.positiveInt, required: true },
  eps: { kind: kinds.positiveNumber, default: 1e-5 },
  momentum: { kind: kinds.probability, default: 0.1 },
  affine: { kind: kinds.boolean, default: true },
  trackRunningStats: { kind: kinds.boolean, default: true },
} as const;
export type BatchNormArgs = Parsed<typeof BATCHNORM>;

const batchNormSpec = (type: string, dims: number[], defaults: { affine: boolean; track: boolean }) =>
  layerSpec(
    type,
    {
      ...BATCHNORM,
      affine: { ...BATCHNORM.affine, default: defaults.affine },
      trackRunningStats: { ...BATCHNORM.trackRunningStats, default: defaults.track },
    },
    {
      parameters: (a) => ({ weight: a.affine ? [a.numFeatures] : null, bias: a.affine ? [a.numFeatures] : null }),
      buffers: (a) =>
        a.trackRunningStats
          ? { runningMean: [a.numFeatures], runningVar: [a.numFeatures], ...(type.startsWith('Batch') ? { numBatchesTracked: [] } : {}) }
          : {},
      paramText: (a) =>
        normParams(a.numFeatures, a.affine).text + (a.trackRunningStats ? `; buffers: running mean and var (2·${a.numFeatures})` : ''),
      infer: (a, x) => {
        channelsMust(type, a.numFeatures, x, dims);
        return normInfo(
          x,
          normParams(a.numFeatures, a.affine).text + (a.trackRunningStats ? `; buffers: running mean and var (2·${a.numFeatures})` : ''),
        );
      },
      repr: (a) => `${a.numFeatures}, eps=${a.eps}, momentum=${a.momentum}, affine=${a.affine}, trackRunningStats=${a.trackRunningStats}`,
    },
  );

export const BatchNorm1dSpec = batchNormSpec('BatchNorm1d', [2, 3], { affine: true, track: true });
export const BatchNorm2dSpec = batchNormSpec('BatchNorm2d', [4], { affine: true, track: true });
export const InstanceNorm2dSpec = batchNormSpec('InstanceNorm2d', [3, 4], { affine: false, track: false });

const shapeKind = kind<number | number[]>(
  'a positive integer or a shape',
  (v) => kinds.positiveInt.test(v) || (Array.isArray(v) && v.length > 0 && v.every(kinds.positiveInt.test)),
);
const LAYERNORM = {
  normalizedShape: { kind: shapeKind, required: true },
  eps: { kind: kinds.positiveNumber, default: 1e-5 },
  elementwiseAffine: { kind: kinds.boolean, default: true },
  bias: { kind: kinds.boolean, default: true },
} as const;
const lnShape = (a: { normalizedShape: number | number[] }): number[] =>
  typeof a.normalizedShape === 'number' ? [a.normalizedShape] : [...a.normalizedShape];
const lnText = (a: LayerNormArgs): string => {
  const n = numel(lnShape(a));
  if (a.elementwiseAffine && !a.bias) return `params = ${n} (γ only, bias=false) = ${n}`;
  return normParams(n, a.elementwiseAffine).text;
};
export const LayerNormSpec = layerSpec('LayerNorm', LAYERNORM, {
  parameters: (a) => ({ weight: a.elementwiseAffine ? lnShape(a) : null, bias: a.elementwiseAffine && a.bias ? lnShape(a) : null }),
  paramText: lnText,
  infer: (a, x) => {
    const s = lnShape(a);
    if (x.length < s.length || x.slice(x.length - s.length).some((d, i) => d !== s[i])) {
      throw new ShapeError(`LayerNorm: input ${fmtShape(x)} does not end in the normalized shape ${fmtShape(s)}`);
    }
    return normInfo(x, lnText(a));
  },
  repr: (a) => `${fmtShape(lnShape(a))}, eps=${a.eps}, elementwiseAffine=${a.elementwiseAffine}`,
});
export type LayerNormArgs = Parsed<typeof LAYERNORM>;

const GROUPNORM = {
  numGroups: { kind: kinds.positiveInt, required: true },
  numChannels: { kind: kinds.positiveInt, required: true },
  eps: { kind: kinds.positiveNumber, default: 1e-5 },
  affine: { kind: kinds.boolean, default: true },
} as const;
export const GroupNormSpec = layerSpec('GroupNorm', GROUPNORM, {
  check: (a) => {
    if (a.numChannels % a.numGroups !== 0)
      throw new Error(`GroupNorm: numChannels (${a.numChannels}) must be divisible by numGroups (${a.numGroups})`);
  },
  parameters: (a) => ({ weight: a.affine ? [a.numChannels] : null, bias: a.affine ? [a.numChannels] : null }),
  paramText: (a) => `${normParams(a.numChannels, a.affine).text}; ${a.numGroups} groups of ${a.numChannels / a.numGroups} channels`,
  infer: (a, x) => {
    if (x.length < 2 || x[1] !== a.numChannels)
      throw new ShapeError(`GroupNorm: expected ${a.numChannels} channels, got input ${fmtShape(x)}`);
    return normInfo(x, `${normParams(a.numChannels, a.affine).text}; ${a.numGroups} groups of ${a.numChannels / a.numGroups} channels`);
  },
  repr: (a) => `${a.numGroups}, ${a.numChannels}, eps=${a.eps}, affine=${a.affine}`,
});
export type GroupNormArgs = Parsed<typeof GROUPNORM>;

const pKind = kind<number>('a probability in [0, 1]', (v) => typeof v === 'number' && v >= 0 && v <= 1);
const DROPOUT = { p: { kind: pKind, default: 0.5 }, inplace: { kind: kinds.boolean, default: false } } as const;
const dropoutSpec = (type: string, dims: number[] | null) =>
  layerSpec(type, DROPOUT, {
    parameters: () => ({}),
    infer: (_a, x) => {
      if (dims && !dims.includes(x.length))
        throw new ShapeError(`${type}: expected ${dims.map((d) => `${d}D`).join(' or ')} input, got ${fmtShape(x)}`);
      return sameShape(x);
    },
    repr: (a) => `p=${a.p}${a.inplace ? ', inplace=true' : ''}`,
  });
export const DropoutSpec = dropoutSpec('Dropout', null);
export const Dropout2dSpec = dropoutSpec('Dropout2d', [3, 4]);
export type DropoutArgs = Parsed<typeof DROPOUT>;

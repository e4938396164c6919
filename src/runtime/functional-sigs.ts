/**
 * The signatures of the F namespace in PyTorch's positional order (torch.nn.functional), via args.ts: every
 * function takes its arguments positionally, as a trailing options object, or both, with PyTorch's snake_case
 * spellings as aliases. Unknown options throw and list the valid ones. PyTorch arguments Layerwise cannot honour
 * (in-place, deprecated size_average/reduce) are accepted only at their no-op values; anything else is an error.
 */
import { Tensor } from './tensor';
import { either, kind, kinds, nullable, oneOf, signature, type Kind } from './args';

export const tensorKind = kind<Tensor>('a Tensor', (v) => v instanceof Tensor);
export const optTensor = { kind: nullable(tensorKind), default: null } as const;
const reduction = { kind: oneOf('none', 'mean', 'sum'), default: 'mean' } as const;
/** Deprecated PyTorch positionals that precede `reduction`: accepted only as null/undefined. */
const deprecated = (what: string): { kind: Kind<null> } => ({ kind: kind<null>(`null (${what} is deprecated in PyTorch: use reduction)`, (v) => v === null) });
const noInplace = { kind: kind<false>('false (in-place functional ops are not supported: use the result)', (v) => v === false), default: false } as const;
const single = either(kinds.positiveInt, kind<[number]>('a one-element array', (v) => Array.isArray(v) && v.length === 1 && Number.isInteger(v[0]) && v[0] > 0));
const convPad = either(kinds.nonNegIntOrPair, oneOf('same', 'valid'));
const shapeOrInt = either(kinds.positiveInt, kinds.shape);

export const sigs = {
  linear: signature('F.linear', { weight: { kind: tensorKind, required: true }, bias: optTensor }),
  conv2d: signature('F.conv2d', {
    weight: { kind: tensorKind, required: true }, bias: optTensor, stride: { kind: kinds.intOrPair, default: 1 },
    padding: { kind: convPad, default: 0 }, dilation: { kind: kinds.intOrPair, default: 1 }, groups: { kind: kinds.positiveInt, default: 1 },
  }),
  conv1d: signature('F.conv1d', {
    weight: { kind: tensorKind, required: true }, bias: optTensor, stride: { kind: single, default: 1 },
    padding: { kind: either(either(kinds.nonNegativeInt, kind<[number]>('[n]', (v) => Array.isArray(v) && v.length === 1)), oneOf('same', 'valid')), default: 0 },
    dilation: { kind: single, default: 1 }, groups: { kind: kinds.positiveInt, default: 1 },
  }),
  maxPool2d: signature('F.maxPool2d', {
    kernelSize: { kind: kinds.intOrPair, required: true }, stride: { kind: nullable(kinds.intOrPair), default: null },
    padding: { kind: kinds.nonNegIntOrPair, default: 0 }, dilation: { kind: kinds.intOrPair, default: 1 },
    ceilMode: { kind: kinds.boolean, default: false }, returnIndices: { kind: kinds.boolean, default: false },
  }),
  maxPool1d: signature('F.maxPool1d', {
    kernelSize: { kind: single, required: true }, stride: { kind: nullable(single), default: null },
    padding: { kind: kinds.nonNegativeInt, default: 0 }, dilation: { kind: single, default: 1 },
    ceilMode: { kind: kinds.boolean, default: false }, returnIndices: { kind: kinds.boolean, default: false },
  }),
  avgPool2d: signature('F.avgPool2d', {
    kernelSize: { kind: kinds.intOrPair, required: true }, stride: { kind: nullable(kinds.intOrPair), default: null },
    padding: { kind: kinds.nonNegIntOrPair, default: 0 }, ceilMode: { kind: kinds.boolean, default: false },
    countIncludePad: { kind: kinds.boolean, default: true }, divisorOverride: { kind: nullable(kinds.positiveInt), default: null },
  }),
  avgPool1d: signature('F.avgPool1d', {
    kernelSize: { kind: single, required: true }, stride: { kind: nullable(single), default: null },
    padding: { kind: kinds.nonNegativeInt, default: 0 }, ceilMode: { kind: kinds.boolean, default: false },
    countIncludePad: { kind: kinds.boolean, default: true },
  }),
  adaptiveAvgPool2d: signature('F.adaptiveAvgPool2d', {
    outputSize: { kind: kind<number | (number | null)[]>('a positive integer or a pair (null keeps the input size)', (v) => (Number.isInteger(v) && (v as number) > 0) || (Array.isArray(v) && v.length === 2 && v.every((e) => e === null || (Number.isInteger(e) && e > 0)))), required: true },
  }),
  adaptiveAvgPool1d: signature('F.adaptiveAvgPool1d', { outputSize: { kind: single, required: true } }),
  batchNorm: signature('F.batchNorm', {
    runningMean: optTensor, runningVar: optTensor, weight: optTensor, bias: optTensor,
    training: { kind: kinds.boolean, default: false }, momentum: { kind: kinds.nonNegativeNumber, default: 0.1 }, eps: { kind: kinds.positiveNumber, default: 1e-5 },
  }),
  layerNorm: signature('F.layerNorm', { normalizedShape: { kind: shapeOrInt, required: true }, weight: optTensor, bias: optTensor, eps: { kind: kinds.positiveNumber, default: 1e-5 } }),
  groupNorm: signature('F.groupNorm', { numGroups: { kind: kinds.positiveInt, required: true }, weight: optTensor, bias: optTensor, eps: { kind: kinds.positiveNumber, default: 1e-5 } }),
  instanceNorm: signature('F.instanceNorm', {
    runningMean: optTensor, runningVar: optTensor, weight: optTensor, bias: optTensor,
    useInputStats: { kind: kinds.boolean, default: true }, momentum: { kind: kinds.nonNegativeNumber, default: 0.1 }, eps: { kind: kinds.positiveNumber, default: 1e-5 },
  }),
  relu: signature('F.relu', { inplace: noInplace }),
  leakyRelu: signature('F.leakyRelu', { negativeSlope: { kind: kinds.number, default: 0.01 }, inplace: noInplace }),
  elu: signature('F.elu', { alpha: { kind: kinds.number, default: 1 }, inplace: noInplace }),
  gelu: signature('F.gelu', { approximate: { kind: oneOf('none', 'tanh'), default: 'none' } }),
  none: signature('F', {}),
  softplus: signature('F.softplus', { beta: { kind: kinds.positiveNumber, default: 1 }, threshold: { kind: kinds.number, default: 20 } }),
  softmax: signature('F.softmax', { dim: { kind: kinds.dim, required: true }, dtype: { kind: nullable(oneOf('float32', 'float64')), default: null, keywordOnly: true } }),
  logSoftmax: signature('F.logSoftmax', { dim: { kind: kinds.dim, required: true }, dtype: { kind: nullable(oneOf('float32', 'float64')), default: null, keywordOnly: true } }),
  dropout: signature('F.dropout', { p: { kind: kinds.probability, default: 0.5 }, training: { kind: kinds.boolean, default: true }, inplace: noInplace }),
  embedding: signature('F.embedding', { weight: { kind: tensorKind, required: true }, paddingIdx: { kind: nullable(kinds.integer), default: null } }),
  oneHot: signature('F.oneHot', { numClasses: { kind: kinds.integer, default: -1 } }),
  normalize: signature('F.normalize', { p: { kind: kinds.number, default: 2 }, dim: { kind: kinds.dim, default: 1 }, eps: { kind: kinds.positiveNumber, default: 1e-12 } }),
  cosineSimilarity: signature('F.cosineSimilarity', { dim: { kind: kinds.dim, default: 1 }, eps: { kind: kinds.positiveNumber, default: 1e-8 } }),
  crossEntropy: signature('F.crossEntropy', {
    weight: optTensor, sizeAverage: deprecated('size_average'), ignoreIndex: { kind: kinds.integer, default: -100 }, reduce: deprecated('reduce'),
    reduction, labelSmoothing: { kind: kinds.probability, default: 0 },
  }),
  nllLoss: signature('F.nllLoss', { weight: optTensor, sizeAverage: deprecated('size_average'), ignoreIndex: { kind: kinds.integer, default: -100 }, reduce: deprecated('reduce'), reduction }),
  mseLoss: signature('F.mseLoss', { sizeAverage: deprecated('size_average'), reduce: deprecated('reduce'), reduction }),
  l1Loss: signature('F.l1Loss', { sizeAverage: deprecated('size_average'), reduce: deprecated('reduce'), reduction }),
  smoothL1Loss: signature('F.smoothL1Loss', { sizeAverage: deprecated('size_average'), reduce: deprecated('reduce'), reduction, beta: { kind: kinds.nonNegativeNumber, default: 1 } }),
  huberLoss: signature('F.huberLoss', { reduction, delta: { kind: kinds.positiveNumber, default: 1 } }),
  klDiv: signature('F.klDiv', { sizeAverage: deprecated('size_average'), reduce: deprecated('reduce'), reduction: { kind: oneOf('none', 'mean', 'sum', 'batchmean'), default: 'mean' }, logTarget: { kind: kinds.boolean, default: false } }),
  binaryCrossEntropy: signature('F.binaryCrossEntropy', { weight: optTensor, sizeAverage: deprecated('size_average'), reduce: deprecated('reduce'), reduction }),
  binaryCrossEntropyWithLogits: signature('F.binaryCrossEntropyWithLogits', { weight: optTensor, sizeAverage: deprecated('size_average'), reduce: deprecated('reduce'), reduction, posWeight: optTensor }),
  marginRankingLoss: signature('F.marginRankingLoss', { margin: { kind: kinds.number, default: 0 }, sizeAverage: deprecated('size_average'), reduce: deprecated('reduce'), reduction }),
  multiMarginLoss: signature('F.multiMarginLoss', { p: { kind: oneOf(1, 2), default: 1 }, margin: { kind: kinds.number, default: 1 }, weight: optTensor, sizeAverage: deprecated('size_average'), reduce: deprecated('reduce'), reduction }),
  sigmoidFocalLoss: signature('F.sigmoidFocalLoss', { alpha: { kind: kinds.number, default: 0.25 }, gamma: { kind: kinds.nonNegativeNumber, default: 2 }, reduction: { kind: oneOf('none', 'mean', 'sum'), default: 'none' } }),
  pad: signature('F.pad', { pad: { kind: kind<number[]>('an array of an even number of integers', (v) => Array.isArray(v) && v.length % 2 === 0 && v.every(Number.isInteger)), required: true }, mode: { kind: oneOf('constant', 'reflect', 'replicate'), default: 'constant' }, value: { kind: nullable(kinds.number), default: null } }),
};

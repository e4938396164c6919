/**
 * The `F` namespace (PyTorch's torch.nn.functional, camelCase): every function takes PyTorch's positional
 * arguments, a trailing options object, or both (`F.softmax(x, 1)`, `F.softmax(x, {dim: 1})`), with snake_case
 * aliases; see functional-sigs.ts for the signatures and docs/api.md, "Functional".
 */
import type { Tensor } from './tensor';
import * as nn from './ops/nn';
import { ACTIVATION_FUNCTIONS } from './ops/activations';
import { cast, elu, gelu, leakyRelu, relu, sigmoid, softplus, tanh } from './ops/basic';
import type { OptionsOf, Params, Parsed, Signature } from './args';
import { sigs } from './functional-sigs';
import { multiMarginLoss } from './ops/nn-more/multi-margin';
import { pad } from './ops/nn-more/pad';
import { interpolate } from './ops/nn-more/interpolate';
import { convTranspose1d, convTranspose2d } from './ops/nn-more/conv-transpose';

type Arg<S extends Params> = number | boolean | string | null | Tensor | readonly (number | null)[] | OptionsOf<S>;
type Fn1<S extends Params, R = Tensor> = (input: Tensor, ...args: Array<Arg<S>>) => R;
type Fn2<S extends Params, R = Tensor> = (input: Tensor, other: Tensor, ...args: Array<Arg<S>>) => R;

/** Max pooling: a [values, indices] pair with {returnIndices: true}, else the values. */
type MaxPool<S extends Params> = {
  (input: Tensor, ...args: [...Array<number | readonly number[] | null | boolean>, OptionsOf<S> & ({ returnIndices: true } | { return_indices: true })]): [Tensor, Tensor];
  (input: Tensor, ...args: Array<Arg<S>>): Tensor;
};

const one = <S extends Params, R = Tensor>(sig: Signature<S>, f: (x: Tensor, o: Parsed<S>) => R): Fn1<S, R> => (x, ...a) => f(x, sig.parse(a));
const two = <S extends Params, R = Tensor>(sig: Signature<S>, f: (x: Tensor, y: Tensor, o: Parsed<S>) => R): Fn2<S, R> => (x, y, ...a) => f(x, y, sig.parse(a));
/** Drops PyTorch's deprecated sizeAverage/reduce (the signature accepts them only at their no-op values). */
const losses = <O extends object>({ sizeAverage: _s, reduce: _r, ...o }: O & { sizeAverage?: unknown; reduce?: unknown }) => o;

export const F = Object.freeze({
  // layers
  linear: one(sigs.linear, (x, o) => nn.linear(x, o.weight, o.bias)),
  conv1d: one(sigs.conv1d, (x, { weight, bias, ...o }) => nn.conv1d(x, weight, bias, o)),
  conv2d: one(sigs.conv2d, (x, { weight, bias, ...o }) => nn.conv2d(x, weight, bias, o)),
  convTranspose1d: convTranspose1d as Fn1<typeof import('./ops/nn-more/conv-transpose').convTransposeSig.params>,
  convTranspose2d: convTranspose2d as Fn1<typeof import('./ops/nn-more/conv-transpose').convTransposeSig.params>,
  pad: one(sigs.pad, (x, o) => pad(x, o.pad, o.mode, o.value)),
  interpolate,
  // pooling
  maxPool1d: one(sigs.maxPool1d, (x, { kernelSize, returnIndices, ...o }) =>
    (returnIndices ? nn.maxPool1d(x, kernelSize, { ...o, returnIndices }) : nn.maxPool1d(x, kernelSize, o))) as MaxPool<typeof sigs.maxPool1d.params>,
  maxPool2d: one(sigs.maxPool2d, (x, { kernelSize, returnIndices, ...o }) =>
    (returnIndices ? nn.maxPool2d(x, kernelSize, { ...o, returnIndices }) : nn.maxPool2d(x, kernelSize, o))) as MaxPool<typeof sigs.maxPool2d.params>,
  avgPool1d: one(sigs.avgPool1d, (x, { kernelSize, ...o }) => nn.avgPool1d(x, kernelSize, o)),
  avgPool2d: one(sigs.avgPool2d, (x, { kernelSize, ...o }) => nn.avgPool2d(x, kernelSize, o)),
  adaptiveAvgPool1d: one(sigs.adaptiveAvgPool1d, (x, o) => nn.adaptiveAvgPool1d(x, o.outputSize)),
  adaptiveAvgPool2d: one(sigs.adaptiveAvgPool2d, (x, o) => nn.adaptiveAvgPool2d(x, o.outputSize)),
  // normalisation
  batchNorm: one(sigs.batchNorm, (x, { runningMean, runningVar, ...o }) => nn.batchNorm(x, runningMean, runningVar, o)),
  layerNorm: one(sigs.layerNorm, (x, { normalizedShape, ...o }) => nn.layerNorm(x, normalizedShape, o)),
  groupNorm: one(sigs.groupNorm, (x, { numGroups, ...o }) => nn.groupNorm(x, numGroups, o)),
  instanceNorm: one(sigs.instanceNorm, (x, o) => nn.instanceNorm(x, o)),
  // activations
  relu: one(sigs.relu, (x) => relu(x)),
  leakyRelu: one(sigs.leakyRelu, (x, o) => leakyRelu(x, o.negativeSlope)),
  elu: one(sigs.elu, (x, o) => elu(x, o.alpha)),
  gelu: one(sigs.gelu, (x, o) => gelu(x, { approximate: o.approximate })),
  sigmoid: one(sigs.none, (x) => sigmoid(x)),
  tanh: one(sigs.none, (x) => tanh(x)),
  softplus: one(sigs.softplus, (x, o) => softplus(x, o)),
  softmax: one(sigs.softmax, (x, o) => nn.softmax(o.dtype ? cast(x, o.dtype) : x, o.dim)),
  logSoftmax: one(sigs.logSoftmax, (x, o) => nn.logSoftmax(o.dtype ? cast(x, o.dtype) : x, o.dim)),
  // the activation table (src/runtime/ops/activations.ts)
  ...ACTIVATION_FUNCTIONS,
  // regularisation
  dropout: one(sigs.dropout, (x, o) => nn.dropout(x, { p: o.p, training: o.training })),
  dropout2d: one(sigs.dropout, (x, o) => nn.dropout2d(x, { p: o.p, training: o.training })),
  // embeddings and similarity
  embedding: one(sigs.embedding, (x, o) => nn.embedding(x, o.weight, { paddingIdx: o.paddingIdx })),
  oneHot: one(sigs.oneHot, (x, o) => nn.oneHot(x, o.numClasses)),
  normalize: one(sigs.normalize, (x, o) => nn.normalize(x, o)),
  cosineSimilarity: two(sigs.cosineSimilarity, (a, b, o) => nn.cosineSimilarity(a, b, o)),
  // losses
  crossEntropy: two(sigs.crossEntropy, (x, t, o) => nn.crossEntropy(x, t, losses(o))),
  nllLoss: two(sigs.nllLoss, (x, t, o) => nn.nllLoss(x, t, losses(o))),
  mseLoss: two(sigs.mseLoss, (x, t, o) => nn.mseLoss(x, t, losses(o))),
  l1Loss: two(sigs.l1Loss, (x, t, o) => nn.l1Loss(x, t, losses(o))),
  smoothL1Loss: two(sigs.smoothL1Loss, (x, t, o) => nn.smoothL1Loss(x, t, losses(o))),
  huberLoss: two(sigs.huberLoss, (x, t, o) => nn.huberLoss(x, t, o)),
  klDiv: two(sigs.klDiv, (x, t, o) => nn.klDiv(x, t, losses(o))),
  binaryCrossEntropy: two(sigs.binaryCrossEntropy, (x, t, o) => nn.binaryCrossEntropy(x, t, losses(o))),
  binaryCrossEntropyWithLogits: two(sigs.binaryCrossEntropyWithLogits, (x, t, o) => nn.binaryCrossEntropyWithLogits(x, t, losses(o))),
  marginRankingLoss: (a: Tensor, b: Tensor, target: Tensor, ...args: Array<Arg<typeof sigs.marginRankingLoss.params>>): Tensor =>
    nn.marginRankingLoss(a, b, target, losses(sigs.marginRankingLoss.parse(args))),
  multiMarginLoss: two(sigs.multiMarginLoss, (x, t, o) => multiMarginLoss(x, t, losses(o))),
  sigmoidFocalLoss: two(sigs.sigmoidFocalLoss, (x, t, o) => nn.sigmoidFocalLoss(x, t, o)),
});

export type Functional = typeof F;

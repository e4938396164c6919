/**
 * The `F` namespace (PyTorch's torch.nn.functional, camelCase, options objects): see docs/api.md, "Functional".
 */
import * as nn from './ops/nn';
import { elu, gelu, leakyRelu, relu, sigmoid, softplus, tanh } from './ops/basic';
import { ACTIVATION_FUNCTIONS } from './ops/activations';

export const F = Object.freeze({
  // layers
  linear: nn.linear,
  conv1d: nn.conv1d,
  conv2d: nn.conv2d,
  // pooling
  maxPool1d: nn.maxPool1d,
  maxPool2d: nn.maxPool2d,
  avgPool1d: nn.avgPool1d,
  avgPool2d: nn.avgPool2d,
  adaptiveAvgPool1d: nn.adaptiveAvgPool1d,
  adaptiveAvgPool2d: nn.adaptiveAvgPool2d,
  // normalisation
  batchNorm: nn.batchNorm,
  layerNorm: nn.layerNorm,
  groupNorm: nn.groupNorm,
  instanceNorm: nn.instanceNorm,
  // activations
  relu,
  leakyRelu,
  elu,
  gelu,
  sigmoid,
  tanh,
  softplus,
  softmax: nn.softmax,
  logSoftmax: nn.logSoftmax,
  // the activation table (src/runtime/ops/activations.ts)
  ...ACTIVATION_FUNCTIONS,
  // regularisation
  dropout: nn.dropout,
  dropout2d: nn.dropout2d,
  // embeddings and similarity
  embedding: nn.embedding,
  oneHot: nn.oneHot,
  normalize: nn.normalize,
  cosineSimilarity: nn.cosineSimilarity,
  // losses
  crossEntropy: nn.crossEntropy,
  nllLoss: nn.nllLoss,
  mseLoss: nn.mseLoss,
  l1Loss: nn.l1Loss,
  smoothL1Loss: nn.smoothL1Loss,
  huberLoss: nn.huberLoss,
  klDiv: nn.klDiv,
  binaryCrossEntropy: nn.binaryCrossEntropy,
  binaryCrossEntropyWithLogits: nn.binaryCrossEntropyWithLogits,
  marginRankingLoss: nn.marginRankingLoss,
  sigmoidFocalLoss: nn.sigmoidFocalLoss,
});

export type Functional = typeof F;

/**
 * Compatibility barrel: the layers now live one file per family (conv.ts, pooling.ts, linear.ts, activation.ts,
 * normalization.ts, dropout.ts, container.ts), as torch/nn/modules. Import from those (or from './index').
 */
export { Conv1d, Conv2d } from './conv';
export { MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './pooling';
export { Linear, Identity, Flatten, Embedding, Maxout } from './linear';
export { ReLU, Sigmoid, Tanh, LeakyReLU, ELU, GELU, Softplus, Softmax, LogSoftmax } from './activation';
export { Sequential, ModuleList } from './container';
export type { Conv2dOptions } from './conv';
export type { MaxPool2dOptions as PoolOptions } from './pooling';

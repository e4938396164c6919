/** The `nn` namespace: Module, Parameter, layers, init, meta. */
import type { Module } from './module';
import { withMeta } from '../backend/registry';

export { Module, Parameter } from './module';
export type { ForwardHook, ForwardPreHook, BackwardHook } from './module';
export { SpecLayer } from './layer';
export { Conv1d, Conv2d } from './conv';
export { MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './pooling';
export { Linear, Identity, Flatten, Embedding, Maxout } from './linear';
export * from './activation';
export * from './activation-table'; // Hardswish, SELU, SiLU, Mish, …: made from the activation table
export { BatchNorm1d, BatchNorm2d, InstanceNorm2d, LayerNorm, GroupNorm } from './normalization';
export { Dropout, Dropout2d } from './dropout';
export { Sequential, ModuleList } from './container';
export { Upsample, Unflatten, PReLU, LocalResponseNorm } from './resample';
export { ConvTranspose1d, ConvTranspose2d } from './conv-transpose';
export { LazyLinear, LazyConv2d, LazyBatchNorm2d } from './lazy';
export { ModuleDict, ParameterList } from './dict-list';
export type { Conv1dOptions, Conv2dOptions } from './conv';
export type { MaxPool1dOptions, MaxPool2dOptions, AvgPool2dOptions } from './pooling';
export type { BatchNormOptions } from './normalization';
export { MSELoss, L1Loss, SmoothL1Loss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss, MarginRankingLoss, HuberLoss, KLDivLoss } from './loss';
export * as init from './init';
export * as utils from './utils';

/** Build modules without allocating or initialising weights (shapes only): summary(nn.meta(() => models.vgg19()), ...). */
export function meta<T>(fn: () => T): T {
  return withMeta(fn);
}
// safetensors I/O; importing it also installs Module.prototype.save/load.
export { saveSafetensors, loadSafetensors, loadSafetensorsMetadata, serializeSafetensors, deserializeSafetensors, installModuleIO,
  toTorchNames, fromTorchNames } from './io';
export type { StateDictLike, SafetensorsMetadata } from './io';

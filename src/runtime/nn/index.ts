/** The `nn` namespace: Module, Parameter, layers, init, meta. */
import type { Module } from './module';
import { withMeta } from '../backend/registry';

export { Module, Parameter } from './module';
export type { ForwardHook, ForwardPreHook, BackwardHook } from './module';
export {
  Linear, Conv1d, Conv2d, MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, ReLU, LeakyReLU, ELU, GELU,
  Sigmoid, Tanh, Softmax, LogSoftmax, Identity, Sequential, ModuleList, Softplus, Embedding,
} from './layers';
export { BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d, Dropout, Dropout2d, Maxout } from './norm';
export { MSELoss, L1Loss, SmoothL1Loss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss, MarginRankingLoss, HuberLoss, KLDivLoss } from './loss';
export * as init from './init';
export * as utils from './utils';

/** Build modules without allocating or initialising weights (shapes only): summary(nn.meta(() => models.vgg19()), ...). */
export function meta<T extends Module>(fn: () => T): T {
  return withMeta(fn);
}
// safetensors I/O; importing it also installs Module.prototype.save/load.
export { saveSafetensors, loadSafetensors, loadSafetensorsMetadata, serializeSafetensors, deserializeSafetensors, installModuleIO,
  toTorchNames, fromTorchNames } from './io';
export type { StateDictLike, SafetensorsMetadata } from './io';

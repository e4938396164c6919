/**
 * The layer-spec table: every nn layer type's signature, parameter/buffer shapes, output-shape rule, MACs and
 * formula text, in one place (see spec.ts). nn classes construct from it, summary() and the Layers view print
 * it, the Draft analyser runs the same classes on meta tensors.
 */
import type { LayerSpec } from './spec';
import { Conv1dSpec, Conv2dSpec } from './conv';
import { AdaptiveAvgPool2dSpec, AvgPool2dSpec, MaxPool1dSpec, MaxPool2dSpec } from './pooling';
import { EmbeddingSpec, FlattenSpec, IdentitySpec, LinearSpec, MaxoutSpec } from './linear';
import { ELUSpec, GELUSpec, LeakyReLUSpec, LogSoftmaxSpec, ReLUSpec, SigmoidSpec, SoftmaxSpec, SoftplusSpec, TanhSpec } from './activation';
import {
  BatchNorm1dSpec,
  BatchNorm2dSpec,
  DropoutSpec,
  Dropout2dSpec,
  GroupNormSpec,
  InstanceNorm2dSpec,
  LayerNormSpec,
} from './normalization';

export * from './spec';
export * from './conv';
export * from './pooling';
export * from './linear';
export * from './activation';
export * from './normalization';

/** Every spec by layer type (the keys are the nn class names). */
export const LAYER_SPECS: Readonly<Record<string, LayerSpec>> = Object.fromEntries(
  [
    Conv1dSpec,
    Conv2dSpec,
    MaxPool1dSpec,
    MaxPool2dSpec,
    AvgPool2dSpec,
    AdaptiveAvgPool2dSpec,
    LinearSpec,
    IdentitySpec,
    FlattenSpec,
    EmbeddingSpec,
    MaxoutSpec,
    ReLUSpec,
    SigmoidSpec,
    TanhSpec,
    LeakyReLUSpec,
    ELUSpec,
    GELUSpec,
    SoftplusSpec,
    SoftmaxSpec,
    LogSoftmaxSpec,
    BatchNorm1dSpec,
    BatchNorm2dSpec,
    InstanceNorm2dSpec,
    LayerNormSpec,
    GroupNormSpec,
    DropoutSpec,
    Dropout2dSpec,
  ].map((s) => [s.type, s as unknown as LayerSpec]),
);

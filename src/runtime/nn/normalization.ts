/** Normalisation layers (torch/nn/modules/batchnorm.py, normalization.py, instancenorm.py). */
import type { Tensor } from '../tensor';
import type { Parameter } from './module';
import { SpecLayer } from './layer';
import { batchNorm, groupNorm, instanceNorm, layerNorm } from '../ops/nn/norm';
import { BatchNorm1dSpec, BatchNorm2dSpec, GroupNormSpec, InstanceNorm2dSpec, LayerNormSpec, type LayerSpec } from '../shape/layers';
import type { CallForms, OptionsOf } from '../args';
import { add_ } from '../ops/inplace-ops';

type BNParams = typeof BatchNorm2dSpec.signature.params;
export type BatchNormOptions = OptionsOf<BNParams>;
type BNArgs = CallForms<
  [numFeatures: number],
  [eps: number, momentum: number, affine: boolean, trackRunningStats: boolean],
  BatchNormOptions
>;

abstract class BatchNormBase extends SpecLayer<BNParams> {
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;
  constructor(spec: LayerSpec<BNParams>, args: readonly unknown[]) {
    super(spec, args);
    this.weight = this.param('weight', 'ones');
    this.bias = this.param('bias', 'zeros');
    this.registerSpecBuffers(['runningMean', 'runningVar', 'numBatchesTracked']);
  }
  get numFeatures(): number {
    return this.args.numFeatures;
  }
  get eps(): number {
    return this.args.eps;
  }
  get momentum(): number {
    return this.args.momentum;
  }
  get affine(): boolean {
    return this.args.affine;
  }
  get trackRunningStats(): boolean {
    return this.args.trackRunningStats;
  }
  forward(x: Tensor): Tensor {
    this.spec.infer(this.args, x.shape); // the rank and channel check, with the layer's name
    const useBatch = this.training || !this.trackRunningStats;
    if (this.training && this.numBatchesTracked) add_(this.numBatchesTracked, 1);
    return batchNorm(x, this.trackRunningStats ? this.runningMean : null, this.trackRunningStats ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatch,
      momentum: this.momentum,
      eps: this.eps,
    });
  }
}

/**
 * Batch normalisation over (N, C) or (N, C, L), PyTorch's `nn.BatchNorm1d(numFeatures, eps = 1e-5, momentum = 0.1,
 * affine = true, trackRunningStats = true)`; γ [C], β [C], running mean/var buffers.
 *
 * Shape:
 * - Input: (N, C) or (N, C, L)
 * - Output: same shape as the input
 *
 * @example
 * const bn = new nn.BatchNorm1d(16, 1e-3);          // eps 1e-3
 * bn(randn([8, 16])).shape;                         // [8, 16]
 */
export class BatchNorm1d extends BatchNormBase {
  constructor(...args: BNArgs) {
    super(BatchNorm1dSpec, args);
  }
}

/**
 * Batch normalisation over (N, C, H, W) per channel, PyTorch's `nn.BatchNorm2d(numFeatures, eps = 1e-5,
 * momentum = 0.1, affine = true, trackRunningStats = true)` (`track_running_stats` accepted).
 *
 * Shape:
 * - Input: (N, C, H, W)
 * - Output: (N, C, H, W), same shape as the input
 *
 * @example
 * const bn = new nn.BatchNorm2d(64);
 * bn(randn([8, 64, 32, 32])).shape;                 // [8, 64, 32, 32]
 */
export class BatchNorm2d extends BatchNormBase {
  constructor(...args: BNArgs) {
    super(BatchNorm2dSpec, args);
  }
}

/**
 * Instance normalisation per sample and channel, PyTorch's `nn.InstanceNorm2d(numFeatures, eps = 1e-5,
 * momentum = 0.1, affine = false, trackRunningStats = false)`.
 *
 * Shape:
 * - Input: (N, C, H, W) or (C, H, W)
 * - Output: same shape as the input
 *
 * @example
 * const norm = new nn.InstanceNorm2d(3, { affine: true });
 * norm(randn([2, 3, 8, 8])).shape;                  // [2, 3, 8, 8]
 */
export class InstanceNorm2d extends SpecLayer<BNParams> {
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  constructor(...args: BNArgs) {
    super(InstanceNorm2dSpec, args);
    this.weight = this.param('weight', 'ones');
    this.bias = this.param('bias', 'zeros');
    this.registerSpecBuffers(['runningMean', 'runningVar']);
  }
  get numFeatures(): number {
    return this.args.numFeatures;
  }
  forward(x: Tensor): Tensor {
    this.spec.infer(this.args, x.shape);
    const track = this.runningMean !== null;
    return instanceNorm(x, {
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.training || !track,
      momentum: this.args.momentum,
      eps: this.args.eps,
    });
  }
}

/**
 * Layer normalisation over the trailing `normalizedShape`, PyTorch's `nn.LayerNorm(normalizedShape, eps = 1e-5,
 * elementwiseAffine = true, bias = true)`.
 *
 * Shape:
 * - Input: (N, *, normalizedShape)
 * - Output: same shape as the input
 *
 * @example
 * const ln = new nn.LayerNorm(64);
 * ln(randn([8, 10, 64])).shape;                     // [8, 10, 64]
 */
export class LayerNorm extends SpecLayer<typeof LayerNormSpec.signature.params> {
  weight: Parameter | null;
  bias: Parameter | null;
  constructor(
    ...args: CallForms<
      [normalizedShape: number | number[]],
      [eps: number, elementwiseAffine: boolean, bias: boolean],
      OptionsOf<typeof LayerNormSpec.signature.params>
    >
  ) {
    super(LayerNormSpec, args);
    this.weight = this.param('weight', 'ones');
    this.bias = this.param('bias', 'zeros');
  }
  get normalizedShape(): number[] {
    const s = this.args.normalizedShape;
    return typeof s === 'number' ? [s] : [...s];
  }
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.args.eps });
  }
}

/**
 * Group normalisation: channels split into `numGroups` groups, PyTorch's `nn.GroupNorm(numGroups, numChannels,
 * eps = 1e-5, affine = true)`.
 *
 * Shape:
 * - Input: (N, C, *)
 * - Output: same shape as the input
 *
 * @example
 * const gn = new nn.GroupNorm(4, 32);
 * gn(randn([2, 32, 8, 8])).shape;                   // [2, 32, 8, 8]
 */
export class GroupNorm extends SpecLayer<typeof GroupNormSpec.signature.params> {
  weight: Parameter | null;
  bias: Parameter | null;
  constructor(
    ...args: CallForms<
      [numGroups: number, numChannels: number],
      [eps: number, affine: boolean],
      OptionsOf<typeof GroupNormSpec.signature.params>
    >
  ) {
    super(GroupNormSpec, args);
    this.weight = this.param('weight', 'ones');
    this.bias = this.param('bias', 'zeros');
  }
  get numGroups(): number {
    return this.args.numGroups;
  }
  get numChannels(): number {
    return this.args.numChannels;
  }
  forward(x: Tensor): Tensor {
    return groupNorm(x, this.args.numGroups, { weight: this.weight, bias: this.bias, eps: this.args.eps });
  }
}

/** Normalisation and regularisation layers: BatchNorm1d/2d, LayerNorm, GroupNorm, InstanceNorm2d, Dropout(2d), Maxout. */
import { Tensor } from '../tensor';
import { Module, Parameter } from './module';
import { ones, zeros } from '../ops/creation';
import { batchNorm, groupNorm, instanceNorm, layerNorm } from '../ops/nn/norm';
import { dropout, dropout2d } from '../ops/nn/dropout';
import { max } from '../ops/reduce';
import { fmtShape } from '../shape';
import { Linear } from './layers';
import type { ValuesIndices } from '../ops/reduce';

export interface BatchNormOptions {
  eps?: number;
  momentum?: number;
  affine?: boolean;
  trackRunningStats?: boolean;
}

abstract class BatchNormBase extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;
  protected abstract readonly dims: number[];

  constructor(readonly numFeatures: number, opts: BatchNormOptions = {}) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) throw new Error(`${this.constructor.name}: numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    this.weight = this.affine ? new Parameter(ones([numFeatures])) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures])) : null;
    this.registerBuffer('runningMean', this.trackRunningStats ? zeros([numFeatures]) : null);
    this.registerBuffer('runningVar', this.trackRunningStats ? ones([numFeatures]) : null);
    this.registerBuffer('numBatchesTracked', this.trackRunningStats ? zeros([], { dtype: 'int32' }) : null);
  }

  forward(x: Tensor): Tensor {
    if (!this.dims.includes(x.ndim)) {
      throw new Error(`${this.constructor.name}: expected ${this.dims.map((d) => `${d}D`).join(' or ')} input, got ${x.ndim}D input of shape ${fmtShape(x.shape)}`);
    }
    const useBatch = this.training || !this.trackRunningStats;
    if (this.training && this.numBatchesTracked) this.numBatchesTracked.add_(1);
    return batchNorm(x, this.trackRunningStats ? this.runningMean : null, this.trackRunningStats ? this.runningVar : null, {
      weight: this.weight, bias: this.bias, training: useBatch, momentum: this.momentum, eps: this.eps,
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

export class BatchNorm1d extends BatchNormBase {
  protected readonly dims = [2, 3];
}

export class BatchNorm2d extends BatchNormBase {
  protected readonly dims = [4];
}

export class LayerNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly normalizedShape: number[];
  constructor(normalizedShape: number | number[], readonly opts: { eps?: number; elementwiseAffine?: boolean; bias?: boolean } = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    const affine = opts.elementwiseAffine ?? true;
    this.weight = affine ? new Parameter(ones(this.normalizedShape)) : null;
    this.bias = affine && opts.bias !== false ? new Parameter(zeros(this.normalizedShape)) : null;
  }
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.opts.eps ?? 1e-5 });
  }
  override extraRepr(): string {
    return `${fmtShape(this.normalizedShape)}, eps=${this.opts.eps ?? 1e-5}, elementwiseAffine=${this.weight !== null}`;
  }
}

export class GroupNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  constructor(readonly numGroups: number, readonly numChannels: number, readonly opts: { eps?: number; affine?: boolean } = {}) {
    super();
    if (numChannels % numGroups !== 0) throw new Error(`GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    const affine = opts.affine ?? true;
    this.weight = affine ? new Parameter(ones([numChannels])) : null;
    this.bias = affine ? new Parameter(zeros([numChannels])) : null;
  }
  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.opts.eps ?? 1e-5 });
  }
  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.opts.eps ?? 1e-5}, affine=${this.weight !== null}`;
  }
}

export class InstanceNorm2d extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  constructor(readonly numFeatures: number, readonly opts: BatchNormOptions = {}) {
    super();
    const affine = opts.affine ?? false;
    this.weight = affine ? new Parameter(ones([numFeatures])) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures])) : null;
    const track = opts.trackRunningStats ?? false;
    this.registerBuffer('runningMean', track ? zeros([numFeatures]) : null);
    this.registerBuffer('runningVar', track ? ones([numFeatures]) : null);
  }
  forward(x: Tensor): Tensor {
    if (x.ndim !== 4 && x.ndim !== 3) throw new Error(`InstanceNorm2d: expected 3D or 4D input, got ${x.ndim}D input of shape ${fmtShape(x.shape)}`);
    const track = this.runningMean !== null;
    return instanceNorm(x, {
      runningMean: this.runningMean, runningVar: this.runningVar, weight: this.weight, bias: this.bias,
      useInputStats: this.training || !track, momentum: this.opts.momentum ?? 0.1, eps: this.opts.eps ?? 1e-5,
    });
  }
}

/** Dropout and Dropout2d differ only in the functional op they call (elements vs whole channels). */
abstract class DropoutBase extends Module {
  protected abstract readonly op: typeof dropout;
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`${new.target.name}: dropout probability has to be between 0 and 1, but got ${p}`);
  }
  forward(x: Tensor): Tensor {
    return this.op(x, { p: this.p, training: this.training });
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

export class Dropout extends DropoutBase {
  protected readonly op = dropout;
}

export class Dropout2d extends DropoutBase {
  protected readonly op = dropout2d;
}

/** Maxout (Goodfellow et al.): max over `pieces` affine maps, max(w₁ᵀx + b₁, …, w_kᵀx + b_k), per output unit. */
export class Maxout extends Module {
  linear: Linear;
  constructor(readonly inFeatures: number, readonly outFeatures: number, readonly pieces = 2) {
    super();
    if (!Number.isInteger(pieces) || pieces < 1) throw new Error(`Maxout: pieces must be a positive integer, got ${pieces}`);
    this.linear = new Linear(inFeatures, outFeatures * pieces);
  }
  forward(x: Tensor): Tensor {
    const y = this.linear(x) as Tensor;
    const shape = [...y.shape.slice(0, -1), this.outFeatures, this.pieces];
    return (max(y.reshape(shape), -1) as ValuesIndices).values;
  }
  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, pieces=${this.pieces}`;
  }
}

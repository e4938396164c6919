/**
 * Lazy modules (PyTorch's LazyLinear, LazyConv2d, LazyBatchNorm2d, as d2l uses them): the input size is inferred
 * at the first forward call. Until then the parameters are uninitialised placeholders (shape [0]) that optimizers
 * may already hold; the first call materialises them in place — the same Parameter objects, as PyTorch's
 * UninitializedParameter — and the module then becomes the regular layer (PyTorch's cls_to_become): a LazyLinear is
 * a Linear from then on (instanceof, toString, summary), with PyTorch's initialisation.
 */
import type { Tensor } from '../tensor';
import { Module, Parameter } from './module';
import { Linear } from './linear';
import { Conv2d } from './conv';
import { BatchNorm2d } from './normalization';
import { empty } from '../ops/creation';
import { contiguousStrides, fmtShape, ShapeError } from '../shape';

const KEEP = new Set(['training', 'inputShape', 'constructedAt', '_forwardHooks', '_forwardPreHooks', '_backwardHooks', 'name', 'length']);

/** Uninitialised parameter placeholder: shape [0] until the first forward call. */
function placeholder(): Parameter {
  return new Parameter(empty([0]));
}

/** Gives `p` the storage and shape of `real` (p keeps its identity: optimizers holding it see the real values). */
function materialise(p: Parameter, real: Tensor): void {
  const target = p as unknown as { _storage: unknown; shape: number[]; _strides: number[] };
  target._storage = real._storage;
  target.shape.splice(0, target.shape.length, ...real.shape);
  target._strides.splice(0, target._strides.length, ...contiguousStrides(real.shape));
}

abstract class LazyModule extends Module {
  weight: Parameter | null = placeholder();
  bias: Parameter | null = placeholder();
  /** Builds the regular module for the first input. */
  protected abstract build(x: Tensor): Module;

  forward(x: Tensor): Tensor {
    const real = this.build(x) as Module & { weight?: Parameter | null; bias?: Parameter | null };
    const self = this as unknown as Record<string, unknown>;
    for (const name of ['weight', 'bias'] as const) {
      const mine = this[name];
      const theirs = real[name];
      if (mine && theirs) {
        materialise(mine, theirs);
        (real as unknown as Record<string, unknown>)[name] = mine;
      } else if (!theirs) self[name] = null;
    }
    if (!real.training && this.training) real.train();
    // become the regular module: its state (args, buffers, hidden fields) and its prototype
    for (const key of Reflect.ownKeys(real)) {
      if (typeof key === 'string' && KEEP.has(key)) continue;
      const d = Object.getOwnPropertyDescriptor(real, key);
      if (d) Object.defineProperty(this, key, d);
    }
    Object.setPrototypeOf(this, Object.getPrototypeOf(real));
    if (!this.training) (this as unknown as Module).eval();
    return (this as unknown as { forward(x: Tensor): Tensor }).forward(x);
  }
}

function dimOf(op: string, x: Tensor, minNdim: number, dim: number): number {
  if (x.ndim < minNdim) throw new ShapeError(`${op}: expected an input with at least ${minNdim} dims to infer its size, got ${fmtShape(x.shape)}`);
  return x.shape[dim < 0 ? x.ndim + dim : dim];
}

/** nn.LazyLinear(outFeatures, bias = true): inFeatures from the input's last dim. */
export class LazyLinear extends LazyModule {
  private readonly a: unknown[];
  constructor(...args: unknown[]) {
    super();
    this.a = args;
    new Linear(1, ...(args as [number])); // validates the arguments now (PyTorch's signature, minus inFeatures)
    if ((args[1] === false) || (typeof args[args.length - 1] === 'object' && (args[args.length - 1] as { bias?: boolean }).bias === false)) this.bias = null;
  }
  protected build(x: Tensor): Module {
    return new Linear(dimOf('LazyLinear', x, 1, -1), ...(this.a as [number]));
  }
}

/** nn.LazyConv2d(outChannels, kernelSize, stride?, padding?, ...): inChannels from the input's dim 1. */
export class LazyConv2d extends LazyModule {
  private readonly a: unknown[];
  constructor(...args: unknown[]) {
    super();
    this.a = args;
    const probe = new Conv2d(1, ...(args as [number, number]));
    if (!probe.bias) this.bias = null;
  }
  protected build(x: Tensor): Module {
    return new Conv2d(dimOf('LazyConv2d', x, 3, -3), ...(this.a as [number, number]));
  }
}

/** nn.LazyBatchNorm2d(eps?, momentum?, affine?, trackRunningStats?): numFeatures from the input's dim 1. */
export class LazyBatchNorm2d extends LazyModule {
  private readonly a: unknown[];
  constructor(...args: unknown[]) {
    super();
    this.a = args;
    const probe = new BatchNorm2d(1, ...(args as []));
    if (!probe.weight) this.weight = null;
    if (!probe.bias) this.bias = null;
  }
  protected build(x: Tensor): Module {
    return new BatchNorm2d(dimOf('LazyBatchNorm2d', x, 4, 1), ...(this.a as []));
  }
}

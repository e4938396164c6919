/**
 * Upsample, Unflatten, PReLU and LocalResponseNorm (torch/nn/modules/upsampling.py, flatten.py, activation.py,
 * normalization.py), in PyTorch's call forms via args.ts. Built from differentiable ops, so backward and jvp come
 * from those.
 */
import type { Tensor } from '../tensor';
import { Module, Parameter } from './module';
import { interpolate } from '../ops/nn-more/interpolate';
import { full, zeros } from '../ops/creation';
import { add, mul, pow, div, where, ge } from '../ops/basic';
import { cat, sliceDim, reshape } from '../ops/views';
import { either, kind, kinds, nullable, oneOf, signature, type OptionsOf } from '../args';
import { fmtShape, normDim, ShapeError } from '../shape';

type Arg = number | number[] | string | boolean | null;

const upsampleSig = signature('Upsample', {
  size: { kind: nullable(either(kinds.positiveInt, kind<number[]>('an array of positive integers', (v) => Array.isArray(v) && v.every((e) => Number.isInteger(e) && e > 0)))), default: null },
  scaleFactor: { kind: nullable(either(kinds.positiveNumber, kind<number[]>('an array of positive numbers', (v) => Array.isArray(v) && v.every((e) => typeof e === 'number' && e > 0)))), default: null },
  mode: { kind: oneOf('nearest', 'bilinear', 'linear'), default: 'nearest' },
  alignCorners: { kind: nullable(kinds.boolean), default: null },
  recomputeScaleFactor: { kind: nullable(kinds.boolean), default: null },
});

/** nn.Upsample(size?, scaleFactor?, mode = 'nearest', alignCorners?): F.interpolate as a layer. */
export class Upsample extends Module {
  readonly size: number | number[] | null;
  readonly scaleFactor: number | number[] | null;
  readonly mode: 'nearest' | 'bilinear' | 'linear';
  readonly alignCorners: boolean | null;
  private readonly o: Record<string, unknown>;
  constructor(...args: Array<Arg | OptionsOf<typeof upsampleSig.params>>) {
    super();
    const o = upsampleSig.parse(args);
    if ((o.size === null) === (o.scaleFactor === null)) throw new Error('Upsample: give exactly one of size and scaleFactor');
    [this.size, this.scaleFactor, this.mode, this.alignCorners] = [o.size, o.scaleFactor, o.mode, o.alignCorners];
    this.o = o;
  }
  forward(x: Tensor): Tensor {
    return interpolate(x, this.o);
  }
  override extraRepr(): string {
    return `${this.size !== null ? `size=${JSON.stringify(this.size)}` : `scale_factor=${JSON.stringify(this.scaleFactor)}`}, mode='${this.mode}'`;
  }
}

const unflattenSig = signature('Unflatten', { dim: { kind: kinds.dim, required: true }, unflattenedSize: { kind: kind<number[]>('a shape (one -1 allowed)', (v) => Array.isArray(v) && v.every((e) => Number.isInteger(e) && (e > 0 || e === -1))), required: true } });

/** nn.Unflatten(dim, unflattenedSize): splits one dim into the given shape ([N, 12] → [N, 3, 4]). */
export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattenedSize: number[];
  constructor(...args: Array<Arg | OptionsOf<typeof unflattenSig.params>>) {
    super();
    const o = unflattenSig.parse(args);
    [this.dim, this.unflattenedSize] = [o.dim, o.unflattenedSize];
  }
  forward(x: Tensor): Tensor {
    const d = normDim(this.dim, x.ndim, 'Unflatten');
    const known = this.unflattenedSize.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
    const sizes = this.unflattenedSize.map((s) => (s === -1 ? x.shape[d] / known : s));
    if (sizes.reduce((a, b) => a * b, 1) !== x.shape[d] || !sizes.every(Number.isInteger)) {
      throw new ShapeError(`Unflatten: unflattenedSize [${this.unflattenedSize.join(', ')}] does not multiply to dim ${d} of the input ${fmtShape(x.shape)}`);
    }
    return reshape(x, [...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)]);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=(${this.unflattenedSize.join(', ')})`;
  }
}

const preluSig = signature('PReLU', { numParameters: { kind: kinds.positiveInt, default: 1 }, init: { kind: kinds.number, default: 0.25 } });

/** nn.PReLU(numParameters = 1, init = 0.25): max(0, x) + a·min(0, x) with a learnt slope a (one, or one per channel). */
export class PReLU extends Module {
  weight: Parameter;
  readonly numParameters: number;
  constructor(...args: Array<Arg | OptionsOf<typeof preluSig.params>>) {
    super();
    const o = preluSig.parse(args);
    this.numParameters = o.numParameters;
    this.weight = new Parameter(full([o.numParameters], o.init));
  }
  forward(x: Tensor): Tensor {
    const n = this.numParameters;
    if (n !== 1 && (x.ndim < 2 || x.shape[1] !== n)) {
      throw new ShapeError(`PReLU: numParameters (${n}) must equal the number of channels (dim 1) of the input ${fmtShape(x.shape)}`);
    }
    const w = n === 1 || x.ndim < 2 ? this.weight : reshape(this.weight, [n, ...Array(x.ndim - 2).fill(1)]);
    return where(ge(x, 0), x, mul(w, x));
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

const lrnSig = signature('LocalResponseNorm', {
  size: { kind: kinds.positiveInt, required: true }, alpha: { kind: kinds.number, default: 1e-4 },
  beta: { kind: kinds.number, default: 0.75 }, k: { kind: kinds.number, default: 1 },
});

/**
 * nn.LocalResponseNorm(size, alpha = 1e-4, beta = 0.75, k = 1) (AlexNet): x / (k + α/n · Σ x² over n neighbouring
 * channels)^β, with the window zero-padded at the channel edges, as PyTorch.
 */
export class LocalResponseNorm extends Module {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;
  constructor(...args: Array<Arg | OptionsOf<typeof lrnSig.params>>) {
    super();
    const o = lrnSig.parse(args);
    [this.size, this.alpha, this.beta, this.k] = [o.size, o.alpha, o.beta, o.k];
  }
  forward(x: Tensor): Tensor {
    if (x.ndim < 3) throw new ShapeError(`LocalResponseNorm: expected a 3-D or higher input [N, C, ...], got ${fmtShape(x.shape)}`);
    const c = x.shape[1];
    const sq = mul(x, x);
    const padShape = (m: number): number[] => x.shape.map((s, i) => (i === 1 ? m : s));
    const lo = Math.floor(this.size / 2);
    const hi = Math.floor((this.size - 1) / 2);
    const parts = [...(lo > 0 ? [zeros(padShape(lo), { dtype: x.dtype === 'float64' ? 'float64' : 'float32' })] : []), sq, ...(hi > 0 ? [zeros(padShape(hi), { dtype: x.dtype === 'float64' ? 'float64' : 'float32' })] : [])];
    const padded = parts.length > 1 ? cat(parts, 1) : sq;
    let win: Tensor | null = null;
    for (let j = 0; j < this.size; j++) {
      const s = sliceDim(padded, 1, j, j + c);
      win = win ? add(win, s) : s;
    }
    const denom = pow(add(mul(win as Tensor, this.alpha / this.size), this.k), this.beta);
    return div(x, denom);
  }
  override extraRepr(): string {
    return `${this.size}, alpha=${this.alpha}, beta=${this.beta}, k=${this.k}`;
  }
}

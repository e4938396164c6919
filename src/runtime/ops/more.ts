/** Tensor ops PyTorch programs reach for: repeat, tile, all, any, randperm, normal, addcmul/addcdiv, viewAs. */
import { Tensor } from '../tensor';
import { add, cast, div, eq, mul, ne, contiguous, detach } from './basic';
import { sum } from './reduce';
import { expand, reshape, view } from './views';
import { alloc } from './raw';
import { randn } from './creation';
import { createOptions, type CreateOptions } from './creation';
import * as rng from '../random';
import { fmtShape, normDim, ShapeError } from '../shape';
import { kinds, nullable, signature } from '../args';

function sizesOf(op: string, args: Array<number | readonly number[]>): number[] {
  const s = args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as number[])] : (args as number[]);
  for (const v of s) if (!Number.isInteger(v) || v < 0) throw new Error(`${op}: repeats must be non-negative integers, got ${JSON.stringify(s)}`);
  return s;
}

/** PyTorch's Tensor.repeat: x tiled sizes[i] times along each dim (sizes may add leading dims). */
export function repeat(x: Tensor, ...args: Array<number | readonly number[]>): Tensor {
  const reps = sizesOf('repeat', args);
  if (reps.length < x.ndim) {
    throw new ShapeError(`repeat: number of repeat dims (${reps.length}) can not be smaller than number of tensor dims (${x.ndim}) of ${fmtShape(x.shape)}`);
  }
  const shape = [...Array(reps.length - x.ndim).fill(1), ...x.shape];
  const view = reshape(x, shape.flatMap((n) => [1, n]));
  const big = expand(view, shape.flatMap((n, i) => [reps[i], n]));
  return reshape(contiguous(big), shape.map((n, i) => n * reps[i]));
}

/** PyTorch's tile: like repeat, with fewer repeats than dims padded by leading 1s. */
export function tile(x: Tensor, ...args: Array<number | readonly number[]>): Tensor {
  const reps = sizesOf('tile', args);
  return repeat(x, [...Array(Math.max(0, x.ndim - reps.length)).fill(1), ...reps]);
}

const reduceSig = (name: string) => signature(name, { dim: { kind: nullable(kinds.dim), default: null }, keepdim: { kind: kinds.boolean, default: false } });
const allSig = reduceSig('all');
const anySig = reduceSig('any');

/** True where every element (along dim) is non-zero; a bool tensor. */
export function all(x: Tensor, ...args: unknown[]): Tensor {
  const o = allSig.parse(args);
  const zeros = cast(eq(x, 0), 'int32');
  const n = o.dim === null ? sum(zeros) : sum(zeros, normDim(o.dim, x.ndim, 'all'), { keepdim: o.keepdim });
  return eq(n, 0);
}

/** True where some element (along dim) is non-zero; a bool tensor. */
export function any(x: Tensor, ...args: unknown[]): Tensor {
  const o = anySig.parse(args);
  const nz = cast(ne(x, 0), 'int32');
  const n = o.dim === null ? sum(nz) : sum(nz, normDim(o.dim, x.ndim, 'any'), { keepdim: o.keepdim });
  return ne(n, 0);
}

/** A random permutation of 0..n−1 (int32: our int64), from the seeded generator. */
export function randperm(n: number, options: CreateOptions = {}): Tensor {
  const opts = createOptions('randperm', options);
  if (!Number.isInteger(n) || n < 0) throw new Error(`randperm: n must be a non-negative integer, got ${n}`);
  const p = rng.permutation(n);
  const t = alloc([n], 'int32');
  if (n > 0) t.storage().view().set(p);
  return opts.dtype && opts.dtype !== 'int32' ? cast(t, opts.dtype) : t;
}

/**
 * torch.normal: normal(mean, std) with tensor mean and/or std (broadcast), or normal(mean, std, size) with numbers.
 * Not differentiable w.r.t. mean/std (as in PyTorch).
 */
export function normal(mean: Tensor | number, std: Tensor | number, size?: number | readonly number[], options: CreateOptions = {}): Tensor {
  const opts = createOptions('normal', options);
  if (typeof std === 'number' && !(std >= 0)) throw new Error(`normal: expected std >= 0.0, got ${std}`);
  if (typeof mean === 'number' && typeof std === 'number') {
    if (size === undefined) throw new Error('normal: with number mean and std, give the size: normal(0, 1, [2, 3])');
    return add(mul(randn(size as number[], { dtype: opts.dtype }), std), mean);
  }
  if (size !== undefined) throw new Error('normal: size is only for number mean and std (the tensors give the shape)');
  const like = mean instanceof Tensor ? mean : (std as Tensor);
  const shape = mean instanceof Tensor && std instanceof Tensor ? broadcast(mean.shape, std.shape) : like.shape;
  return add(mul(randn(shape, { dtype: like.dtype === 'float64' ? 'float64' : 'float32' }), detachIf(std)), detachIf(mean));
}
const detachIf = (v: Tensor | number): Tensor | number => (v instanceof Tensor ? detach(v) : v);
function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new ShapeError(`normal: the shapes of mean ${fmtShape(a)} and std ${fmtShape(b)} do not broadcast`);
    return Math.max(x, y);
  });
}

const valueSig = (name: string) => signature(name, { value: { kind: kinds.number, default: 1, keywordOnly: true } });
const addcmulSig = valueSig('addcmul');
const addcdivSig = valueSig('addcdiv');

/** x + value·t1·t2 (PyTorch's addcmul). */
export function addcmul(x: Tensor, t1: Tensor, t2: Tensor, ...args: unknown[]): Tensor {
  const { value } = addcmulSig.parse(args);
  return add(x, mul(mul(t1, t2), value));
}

/** x + value·t1/t2 (PyTorch's addcdiv). */
export function addcdiv(x: Tensor, t1: Tensor, t2: Tensor, ...args: unknown[]): Tensor {
  const { value } = addcdivSig.parse(args);
  return add(x, mul(div(t1, t2), value));
}

/** x viewed with other's shape. */
export function viewAs(x: Tensor, other: Tensor): Tensor {
  return view(x, other.shape);
}

/**
 * Raw tensor plumbing without autograd: allocation, contiguity, dtype rules, broadcasting strides and thin
 * wrappers over the backend kernels. Op modules build differentiable ops from these.
 */
import type { Backend, BinaryOp, DType, ReduceOp, StorageType, UnaryOp } from '../backend/types';
import { storageTypeOf } from '../backend/types';
import { backendFor } from '../backend/registry';
import { Tensor } from '../tensor';
import { checkSize } from './size-checks';
import { broadcastShapes, checkShape, contiguousStrides, fmtShape, numel } from '../shape';

export const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64';

/** A new tensor with uninitialised contents on `backend` (default: where this dtype lives). */
export function alloc(shape: readonly number[], dtype: DType, backend?: Backend): Tensor {
  const be = backend ?? backendFor(dtype);
  checkSize(null, shape, dtype, be);
  const st: StorageType = storageTypeOf(dtype);
  if (!be.supports(st)) throw new Error(`the ${be.name} backend does not support ${dtype} tensors`);
  return new Tensor(be.alloc(st, numel(shape)), shape, dtype);
}

/** A contiguous tensor with the same values (t itself when already contiguous). No autograd. */
export function contig(t: Tensor): Tensor {
  if (t.isContiguous()) return t;
  const out = alloc(t.shape, t.dtype, t.backend);
  if (out.numel() > 0) t.backend.copy(t.ref(), t._strides, out.ref(), t.shape);
  return out;
}

/** All tensors must share a backend; returns it. */
export function sameBackend(op: string, ...ts: Tensor[]): Backend {
  const be = ts[0].backend;
  for (const t of ts) {
    if (t.backend !== be) {
      throw new Error(
        `${op}: expected all tensors on the same backend, but found ${be.name} (${ts[0].dtype}) and ${t.backend.name} (${t.dtype}); ` +
          'float64 tensors live on the reference backend: convert with .float() or .double()',
      );
    }
  }
  return be;
}

/** Result dtype of a binary op between tensors, PyTorch-style (int/bool with float → float); float32×float64 is an error. */
export function promote(op: string, a: DType, b: DType): DType {
  if (a === b) return a;
  if (isFloat(a) && isFloat(b)) {
    throw new Error(`${op}: expected both tensors to have the same dtype, but got ${a} and ${b} (use .float() or .double())`);
  }
  if (isFloat(a)) return a;
  if (isFloat(b)) return b;
  return 'int32'; // int32 with bool
}

/** Raw dtype conversion (new storage). */
export function castRaw(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  const src = contig(t);
  const dst = alloc(t.shape, dtype);
  if (dst.numel() === 0) return dst;
  if (src.backend === dst.backend && storageTypeOf(t.dtype) === storageTypeOf(dtype)) {
    src.backend.copy(src.ref(), contiguousStrides(t.shape), dst.ref(), t.shape);
  } else if (src.backend === dst.backend) {
    src.backend.cast(src.ref(), dst.ref(), t.numel());
  } else {
    // crossing backends (e.g. float32 on wasm → float64 on reference): go through JS
    const vals = src.dataSync();
    const view = dst.storage().view();
    const isInt = !isFloat(dtype);
    for (let i = 0; i < vals.length; i++) view[i] = isInt ? Math.trunc(vals[i]) : vals[i];
  }
  if (dtype === 'bool') return binaryRaw('ne', dst, scalarLike(0, dst));
  return dst;
}

/**
 * A 0-d tensor holding v with t's dtype and backend — or float32 when t is integer and v is fractional or beyond
 * int32 (such a JS number is what Python writes as a float literal, e.g. 1e30: PyTorch promotes to float too).
 */
export function scalarLike(v: number, t: Tensor): Tensor {
  const intLike = Number.isInteger(v) && v >= -(2 ** 31) && v <= 2 ** 31 - 1;
  const dtype: DType = !isFloat(t.dtype) && !intLike ? 'float32' : t.dtype === 'bool' ? 'int32' : t.dtype;
  const out = alloc([], dtype, dtype === t.dtype || dtype !== 'float64' ? t.backend : undefined);
  out.backend.fill(out.ref(), 1, v);
  return out;
}

/** Strides that read `t` broadcast to `shape` (0 along broadcast dims). */
export function broadcastStrides(t: Tensor, shape: readonly number[]): number[] {
  const n = shape.length;
  const off = n - t.ndim;
  const st = new Array<number>(n).fill(0);
  for (let i = 0; i < t.ndim; i++) st[off + i] = t.shape[i] === 1 && shape[off + i] !== 1 ? 0 : t._strides[i];
  return st;
}

const COMPARISONS = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

/** out = a ∘ b with broadcasting; comparisons give bool. Operands must already have a common dtype. */
export function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const be = sameBackend(op, a, b);
  const shape = broadcastShapes(a.shape, b.shape, op);
  const out = alloc(shape, COMPARISONS.has(op) ? 'bool' : a.dtype, be);
  if (out.numel() > 0) be.binary(op, a.ref(), broadcastStrides(a, shape), b.ref(), broadcastStrides(b, shape), out.ref(), shape);
  return out;
}

export function unaryRaw(op: UnaryOp, x: Tensor, p0 = 0, p1 = 0): Tensor {
  const src = contig(x);
  const out = alloc(x.shape, x.dtype, x.backend);
  if (out.numel() > 0) x.backend.unary(op, src.ref(), out.ref(), out.numel(), p0, p1);
  return out;
}

export function unaryGradRaw(op: UnaryOp, x: Tensor, y: Tensor, dy: Tensor, p0 = 0, p1 = 0): Tensor {
  const xc = contig(x);
  const yc = contig(y);
  const dyc = contig(dy);
  const out = alloc(x.shape, x.dtype, x.backend);
  if (out.numel() > 0) x.backend.unaryGrad(op, xc.ref(), yc.ref(), dyc.ref(), out.ref(), out.numel(), p0, p1);
  return out;
}

/** Reduce one dim; returns [values, indices|null] with the dim removed. */
export function reduceDimRaw(op: ReduceOp, x: Tensor, dim: number, withArg: boolean): [Tensor, Tensor | null] {
  const src = contig(x);
  const outer = numel(x.shape.slice(0, dim));
  const red = x.shape[dim];
  const inner = numel(x.shape.slice(dim + 1));
  const shape = [...x.shape.slice(0, dim), ...x.shape.slice(dim + 1)];
  const out = alloc(shape, x.dtype, x.backend);
  const arg = withArg ? alloc(shape, 'int32', x.backend) : null;
  if (out.numel() > 0) x.backend.reduce(op, src.ref(), outer, red, inner, out.ref(), arg ? arg.ref() : null);
  return [out, arg];
}

export function fillRaw(t: Tensor, v: number): Tensor {
  if (t.numel() > 0) t.backend.fill(t.ref(), t.numel(), v);
  return t;
}

/** A view sharing storage (no autograd). */
export function viewRaw(t: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return new Tensor(t._storage, shape, t.dtype, strides, offset);
}

export function assertShape(op: string, t: Tensor, expected: readonly number[], what = 'input'): void {
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${op}: expected ${what} of shape ${fmtShape(expected)}, got ${fmtShape(t.shape)}`);
  }
}

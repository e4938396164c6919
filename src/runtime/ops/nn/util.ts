/** Shared argument checks and helpers for the NN functional ops. */
import type { Backend } from '../../backend/types';
import { Tensor } from '../../tensor';
import { alloc, isFloat } from '../raw';
import { mean, sum } from '../reduce';
import { fmtShape } from '../../shape';
import { mode } from '../../autograd/mode';

export type Reduction = 'none' | 'mean' | 'sum';

/** Throws unless x is a float32/float64 tensor. */
export function checkFloat(op: string, x: unknown, what = 'input'): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected ${what} to be a Tensor, got ${describe(x)}`);
  if (!isFloat(x.dtype)) {
    throw new TypeError(`${op}: expected ${what} to be a floating point tensor (float32 or float64), got ${x.dtype} ${fmtShape(x.shape)}`);
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/** An optional parameter tensor (weight/bias) must match x's dtype and backend and have `shape`. */
export function checkParam(op: string, p: Tensor | null | undefined, what: string, shape: readonly number[], x: Tensor): void {
  if (p === null || p === undefined) return;
  checkFloat(op, p, what);
  if (p.shape.length !== shape.length || p.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`${op}: expected ${what} of shape ${fmtShape(shape)} (for input ${fmtShape(x.shape)}), got ${fmtShape(p.shape)}`);
  }
  checkSameKind(op, x, p, what);
}

/** Same dtype and backend as x, with a message naming both. */
export function checkSameKind(op: string, x: Tensor, p: Tensor, what: string): void {
  if (p.dtype !== x.dtype) {
    throw new TypeError(`${op}: expected ${what} to have the input's dtype ${x.dtype}, got ${p.dtype} (use .float() or .double())`);
  }
  if (p.backend !== x.backend) {
    throw new Error(`${op}: expected ${what} on the input's backend (${x.backend.name}), got ${p.backend.name}`);
  }
}

export function checkReduction(op: string, r: unknown): Reduction {
  if (r === undefined) return 'mean';
  if (r !== 'none' && r !== 'mean' && r !== 'sum') {
    throw new Error(`${op}: reduction must be 'none', 'mean' or 'sum', got ${JSON.stringify(r)}`);
  }
  return r;
}

export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? sum(loss) : mean(loss);
}

/** Positive / non-negative integer option check. */
export function checkInt(op: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new Error(`${op}: ${name} must be ${min >= 1 ? 'a positive' : 'a non-negative'} integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Values of a tensor for validation in JS; zeros for meta tensors (shape-only runs under nn.meta / summary). */
export function valuesOf(t: Tensor): ArrayLike<number> {
  return t.isMeta ? new Int32Array(t.numel()) : t.dataSync();
}

/** An int32 tensor on `be` holding `vals` (left unwritten on the meta backend). */
export function intTensor(vals: ArrayLike<number>, shape: readonly number[], be: Backend): Tensor {
  const t = alloc(shape, 'int32', be);
  if (vals.length > 0 && !t.isMeta) (t.storage().view() as Int32Array).set(vals as ArrayLike<number>);
  return t;
}

/** A float tensor with x's dtype and backend holding `vals`. */
export function floatTensorLike(vals: ArrayLike<number>, shape: readonly number[], x: Tensor): Tensor {
  const t = alloc(shape, x.dtype, x.backend);
  if (vals.length > 0 && !t.isMeta) t.storage().view().set(vals as ArrayLike<number>);
  return t;
}

/** Shape of a broadcastable per-channel parameter: [1, C, 1, ...] for an input of `ndim` dims (channel dim 1). */
export function channelShape(c: number, ndim: number): number[] {
  return Array.from({ length: ndim }, (_, i) => (i === 1 ? c : 1));
}

/**
 * Evaluates a forward-mode (jvp) rule on primal values without re-entering tangent propagation (primals inside
 * the rule still carry their own tangents; without this, rules such as div's recurse forever).
 */
export function primalOnly<T>(fn: () => T): T {
  if (mode.forwardLevel === 0) return fn();
  mode.forwardLevel--;
  try {
    return fn();
  } finally {
    mode.forwardLevel++;
  }
}

/**
 * Differentiable elementwise ops with broadcasting: arithmetic, math functions, activations, comparisons, where.
 * Each op's backward (and forward-mode jvp) sits beside its forward.
 */
import type { BinaryOp, DType, UnaryOp } from '../backend/types';
import { Tensor } from '../tensor';
import { record } from '../autograd/node';
import { mode } from '../autograd/mode';
import { alloc, binaryRaw, broadcastStrides, castRaw, contig, isFloat, promote, reduceDimRaw, sameBackend, scalarLike, unaryGradRaw, unaryRaw, viewRaw } from './raw';
import { broadcastShapes, contiguousStrides } from '../shape';
import { onesLike, zerosLike } from './creation';
import { nonzero } from './nonzero';
import { expand, unsqueeze } from './views';
import { unaryDerivative } from './unary-table';
import { BINARY } from './binary-table';
import { REDUCTIONS, type ReduceCtx } from './reduce-table';

export { onesLike, zerosLike };
export type Operand = Tensor | number;

/** Sum g over broadcast dims so it has `shape` (the backward of broadcasting). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  let r = g;
  const lead = g.ndim - shape.length;
  for (let i = 0; i < lead; i++) r = sumDim(r, 0);
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1 && r.shape[i] !== 1) r = sumDim(r, i, true);
  }
  return r;
}

/** Differentiable sum over one dim (the primitive behind sum(); kept here so broadcasting backward can use it). */
export function sumDim(x: Tensor, dim: number, keepdim = false): Tensor {
  const [raw] = reduceDimRaw('sum', x, dim, false);
  const out = keepdim ? viewRaw(raw, x.shape.map((d, i) => (i === dim ? 1 : d)), contiguousStrides(x.shape.map((d, i) => (i === dim ? 1 : d))), 0) : raw;
  const c: ReduceCtx = { x, out, dim, keepdim };
  return record(out, 'sum', [x], (g) => [REDUCTIONS.sum.vjp(g, c)], { attrs: { dim, keepdim }, jvp: ([t]) => (t ? REDUCTIONS.sum.jvp(t, c) : null) });
}

function asTensor(v: Operand, like: Tensor): Tensor {
  return v instanceof Tensor ? v : scalarLike(v, like);
}

/** Bring two operands to a common dtype (PyTorch promotion; float32 vs float64 is an error). */
export function coerce(op: string, a: Operand, b: Operand): [Tensor, Tensor] {
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) throw new Error(`${op}: expected at least one tensor operand`);
  const ta = asTensor(a, (a instanceof Tensor ? a : b) as Tensor);
  const tb = asTensor(b, ta);
  const dt = promote(op, ta.dtype, tb.dtype);
  return [cast(ta, dt), cast(tb, dt)];
}

/** Differentiable dtype conversion. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = castRaw(x, dtype);
  if (!isFloat(dtype) || !isFloat(x.dtype)) return out;
  const from = x.dtype;
  return record(out, 'cast', [x], (g) => [cast(g, from)], { attrs: { dtype }, jvp: ([t]) => (t ? cast(t, dtype) : null) });
}

function scalarFast(x: Operand, c: Operand): x is Tensor {
  return x instanceof Tensor && typeof c === 'number' && isFloat(x.dtype);
}

function affine(x: Tensor, scale: number, shift: number, op: string, c: number): Tensor {
  const y = unaryRaw('affine', x, scale, shift);
  return record(y, op, [x], (g) => [scale === 1 ? g : affine(g, scale, 0, 'mul', scale)], {
    attrs: { other: c },
    saved: { other: c },
    jvp: ([t]) => (t ? affine(t, scale, 0, 'mul', scale) : null),
  });
}

/**
 * Record a binary table op (ops/binary-table.ts) on coerced operands: backward = the entry's chain rule summed
 * over broadcast dims, jvp = the same chain rule applied to the tangents. Comparisons record nothing.
 */
export function binaryOp(op: BinaryOp, x: Tensor, y: Tensor): Tensor {
  const out = binaryRaw(op, x, y);
  const { chain, savesInputs } = BINARY[op];
  if (!chain) return out;
  const [cx, cy] = chain;
  return record(out, op, [x, y], (g) => [
    x.requiresGrad ? sumToShape(cx(g, x, y, out), x.shape) : null,
    y.requiresGrad ? sumToShape(cy(g, x, y, out), y.shape) : null,
  ], {
    saved: savesInputs ? { a: x, b: y } : undefined,
    jvp: ([ta, tb]) => addTangents(ta ? cx(ta, x, y, out) : null, tb ? cy(tb, x, y, out) : null, out.shape),
  });
}

export function add(a: Operand, b: Operand, opts: { alpha?: number } = {}): Tensor {
  const alpha = opts.alpha ?? 1;
  if (alpha !== 1) return add(a, mul(b, alpha));
  if (scalarFast(a, b)) return affine(a, 1, b as number, 'add', b as number);
  if (scalarFast(b, a)) return affine(b, 1, a as number, 'add', a as number);
  return binaryOp('add', ...coerce('add', a, b));
}

export function sub(a: Operand, b: Operand, opts: { alpha?: number } = {}): Tensor {
  const alpha = opts.alpha ?? 1;
  if (alpha !== 1) return sub(a, mul(b, alpha));
  if (scalarFast(a, b)) return affine(a, 1, -(b as number), 'sub', b as number);
  if (scalarFast(b, a)) return affine(b, -1, a as number, 'rsub', a as number);
  return binaryOp('sub', ...coerce('sub', a, b));
}

export function mul(a: Operand, b: Operand): Tensor {
  if (scalarFast(a, b)) return affine(a, b as number, 0, 'mul', b as number);
  if (scalarFast(b, a)) return affine(b, a as number, 0, 'mul', a as number);
  return binaryOp('mul', ...coerce('mul', a, b));
}

export function div(a: Operand, b: Operand): Tensor {
  if (scalarFast(a, b)) return affine(a, 1 / (b as number), 0, 'div', b as number);
  const [x, y] = coerce('div', a, b);
  return isFloat(x.dtype) ? binaryOp('div', x, y) : binaryOp('div', cast(x, 'float32'), cast(y, 'float32')); // true division
}

export function pow(a: Operand, b: Operand): Tensor {
  if (scalarFast(a, b)) return unaryOp('powScalar', a, b as number, 0);
  return binaryOp('pow', ...coerce('pow', a, b));
}

function addTangents(a: Tensor | null, b: Tensor | null, shape: number[]): Tensor | null {
  const r = a && b ? add(a, b) : a ?? b;
  return r && (r.shape.length !== shape.length || r.shape.some((d, i) => d !== shape[i])) ? contiguous(expand(r, shape)) : r;
}

export const maximum = (a: Operand, b: Operand): Tensor => binaryOp('maximum', ...coerce('maximum', a, b));
export const minimum = (a: Operand, b: Operand): Tensor => binaryOp('minimum', ...coerce('minimum', a, b));

/** A unary op whose derivative is the backend's unaryGrad kernel (used for both backward and jvp). */
export function unaryOp(op: UnaryOp, x: Tensor, p0 = 0, p1 = 0, name: string = op): Tensor {
  if (!isFloat(x.dtype)) {
    if (op === 'neg' || op === 'abs' || op === 'sign' || op === 'square') return intUnary(op, x);
    x = cast(x, 'float32');
  }
  const y = unaryRaw(op, x, p0, p1);
  // createGraph (grad enabled during backward): a differentiable derivative so second derivatives are right
  return record(y, name, [x], (g) => [mode.gradEnabled ? mul(g, unaryDerivative(op, x, y, p0, p1)) : unaryGradRaw(op, x, y, g, p0, p1)], {
    attrs: p0 !== 0 || p1 !== 0 ? { p0, p1 } : {},
    saved: { x },
    jvp: ([t]) => (t ? unaryGradRaw(op, x, y, t, p0, p1) : null),
  });
}

function intUnary(op: 'neg' | 'abs' | 'sign' | 'square', x: Tensor): Tensor {
  const zero = scalarLike(0, x);
  if (op === 'neg') return binaryRaw('sub', zero, x);
  if (op === 'square') return binaryRaw('mul', x, x);
  if (op === 'abs') return binaryRaw('maximum', x, binaryRaw('sub', zero, x));
  return binaryRaw('sub', castRaw(binaryRaw('gt', x, zero), 'int32'), castRaw(binaryRaw('lt', x, zero), 'int32'));
}

export const neg = (x: Tensor): Tensor => unaryOp('neg', x);
export const exp = (x: Tensor): Tensor => unaryOp('exp', x);
export const log = (x: Tensor): Tensor => unaryOp('log', x);
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x);
export const rsqrt = (x: Tensor): Tensor => unaryOp('rsqrt', x);
export const abs = (x: Tensor): Tensor => unaryOp('abs', x);
export const sign = (x: Tensor): Tensor => unaryOp('sign', x);
export const square = (x: Tensor): Tensor => unaryOp('square', x);
export const reciprocal = (x: Tensor): Tensor => unaryOp('reciprocal', x);
export const sin = (x: Tensor): Tensor => unaryOp('sin', x);
export const cos = (x: Tensor): Tensor => unaryOp('cos', x);
export const floor = (x: Tensor): Tensor => unaryOp('floor', x);
export const ceil = (x: Tensor): Tensor => unaryOp('ceil', x);
export const round = (x: Tensor): Tensor => unaryOp('round', x);
export const erf = (x: Tensor): Tensor => unaryOp('erf', x);
export const log1p = (x: Tensor): Tensor => unaryOp('log1p', x);
export const expm1 = (x: Tensor): Tensor => unaryOp('expm1', x);
export const relu = (x: Tensor): Tensor => unaryOp('relu', x);
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', x);
export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x);
export const leakyRelu = (x: Tensor, negativeSlope = 0.01): Tensor => unaryOp('leakyRelu', x, negativeSlope, 0, 'leakyRelu');
export const elu = (x: Tensor, alpha = 1): Tensor => unaryOp('elu', x, alpha, 0);
export function gelu(x: Tensor, opts: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  return opts.approximate === 'tanh' ? unaryOp('geluTanh', x, 0, 0, 'gelu') : unaryOp('gelu', x);
}
export function softplus(x: Tensor, opts: { beta?: number; threshold?: number } = {}): Tensor {
  return unaryOp('softplus', x, opts.beta ?? 1, opts.threshold ?? 20);
}

/** clamp(min?, max?) or clamp({min, max}); bounds may be undefined/null for one-sided clamping. */
export function clamp(x: Tensor, min?: number | null | { min?: number | null; max?: number | null }, max?: number | null): Tensor {
  if (min !== null && typeof min === 'object') [min, max] = [min.min, min.max];
  if ((min === undefined || min === null) && (max === undefined || max === null)) {
    throw new Error("clamp: at least one of 'min' or 'max' must not be None");
  }
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  if (typeof lo !== 'number' || typeof hi !== 'number') throw new TypeError(`clamp: min and max must be numbers (or null), got ${typeof lo} and ${typeof hi}`);
  if (!isFloat(x.dtype)) return binaryRaw('minimum', binaryRaw('maximum', x, scalarLike(lo === -Infinity ? -(2 ** 31) : lo, x)), scalarLike(hi === Infinity ? 2 ** 31 - 1 : hi, x));
  return unaryOp('clamp', x, lo, hi);
}

const compare = (op: BinaryOp, a: Operand, b: Operand): Tensor => binaryOp(op, ...coerce(op, a, b));

export const eq = (a: Operand, b: Operand): Tensor => compare('eq', a, b);
export const ne = (a: Operand, b: Operand): Tensor => compare('ne', a, b);
export const lt = (a: Operand, b: Operand): Tensor => compare('lt', a, b);
export const le = (a: Operand, b: Operand): Tensor => compare('le', a, b);
export const gt = (a: Operand, b: Operand): Tensor => compare('gt', a, b);
export const ge = (a: Operand, b: Operand): Tensor => compare('ge', a, b);
export const isnan = (x: Tensor): Tensor => compare('ne', x, x);

/**
 * where(cond, a, b): elementwise cond ? a : b with broadcasting; grads flow to a and b through the mask.
 * where(cond) alone is nonzero(cond, {asTuple: true}), as in PyTorch.
 */
export function where(cond: Tensor): Tensor[];
export function where(cond: Tensor, a: Operand, b: Operand): Tensor;
export function where(cond: Tensor, a?: Operand, b?: Operand): Tensor | Tensor[] {
  if (a === undefined && b === undefined) return nonzero(cond, { asTuple: true }) as Tensor[];
  if (a === undefined || b === undefined) throw new Error('where: expected where(cond) or where(cond, input, other); got only one of input/other');
  if (cond.dtype !== 'bool' && cond.dtype !== 'int32') throw new Error(`where: expected a bool condition, got ${cond.dtype}`);
  const [x, y] = coerce('where', a, b);
  const be = sameBackend('where', cond, x, y);
  const shape = broadcastShapes(broadcastShapes(cond.shape, x.shape, 'where'), y.shape, 'where');
  const out = alloc(shape, x.dtype, be);
  if (out.numel() > 0) {
    be.where(cond.ref(), broadcastStrides(cond, shape), x.ref(), broadcastStrides(x, shape), y.ref(), broadcastStrides(y, shape), out.ref(), shape);
  }
  const zero = (): Tensor => scalarLike(0, x);
  return record(out, 'where', [x, y], (g) => [
    x.requiresGrad ? sumToShape(where(cond, g, zero()), x.shape) : null,
    y.requiresGrad ? sumToShape(where(cond, zero(), g), y.shape) : null,
  ], { jvp: ([ta, tb]) => where(cond, ta ?? zero(), tb ?? zero()) });
}

/** A copy that stays in the graph (PyTorch's clone). */
export function clone(x: Tensor): Tensor {
  const out = alloc(x.shape, x.dtype, x.backend);
  if (out.numel() > 0) x.backend.copy(x.ref(), x._strides, out.ref(), x.shape);
  return record(out, 'clone', [x], (g) => [g], { jvp: ([t]) => t });
}

/** A view of the same values outside the graph. */
export function detach(x: Tensor): Tensor {
  const d = viewRaw(x, x.shape, x._strides, x._offset);
  return d;
}

/** Values must be materialised contiguously for a kernel; stays differentiable. */
export function contiguous(x: Tensor): Tensor {
  if (x.isContiguous()) return x;
  const out = contig(x);
  return record(out, 'contiguous', [x], (g) => [g], { jvp: ([t]) => t });
}

export { mode };

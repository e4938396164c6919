/** Reductions over dims with keepdim: sum, mean, prod, var/std, max/min (values + indices), argmax/argmin, logsumexp, norm. */
import { Tensor } from '../tensor';
import { record } from '../autograd/node';
import { mode } from '../autograd/mode';
import type { ReduceOp } from '../backend/types';
import { add, cast, div, eq, exp, log, mul, abs, pow, sqrt, sub, sumDim, where, contiguous } from './basic';
import { alloc, contig, fillRaw, isFloat, reduceDimRaw, viewRaw } from './raw';
import { reshape, unsqueeze } from './views';
import { contiguousStrides, normDim } from '../shape';
import { detach } from './basic';
import { takeOptions } from './options';
import { REDUCTIONS, reductionNode, type ReduceCtx } from './reduce-table';

export interface ReduceOptions {
  keepdim?: boolean;
}
export type Dims = number | readonly number[] | undefined | null;

/** Normalised, sorted, de-duplicated dims (all dims when undefined/null or []). */
export function reduceDims(x: Tensor, dims: Dims, op: string): number[] {
  if (dims === undefined || dims === null) return x.shape.map((_, i) => i);
  if (typeof dims !== 'number' && !Array.isArray(dims)) throw new TypeError(`${op}: dim must be an integer or a list of integers, got ${typeof dims}`);
  const list = (typeof dims === 'number' ? [dims] : [...dims]).map((d) => normDim(d, x.ndim, op));
  if (new Set(list).size !== list.length) throw new Error(`${op}: dim ${list.find((d, i) => list.indexOf(d) !== i)} appears multiple times in the list of dims`);
  return (list.length === 0 ? x.shape.map((_, i) => i) : list).sort((a, b) => a - b);
}

function keptShape(x: Tensor, dims: number[]): number[] {
  return x.shape.map((d, i) => (dims.includes(i) ? 1 : d));
}

/**
 * Parse the (dim?, keepdim?) / (dim?, {keepdim}) / ({dim, keepdim}) argument forms (PyTorch's x.sum(1, True) is
 * sum(x, 1, true)); unknown option keys throw.
 */
export function reduceArgs(dim: Dims | (ReduceOptions & { dim?: Dims }), opts: ReduceOptions | boolean = {}, op = 'reduce'): { dims: Dims; keepdim: boolean } {
  if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) {
    const o = takeOptions(op, dim as ReduceOptions & { dim?: Dims }, ['dim', 'keepdim']);
    return { dims: o.dim, keepdim: o.keepdim ?? false };
  }
  if (typeof opts === 'boolean') return { dims: dim as Dims, keepdim: opts };
  const o = takeOptions(op, opts, ['keepdim']);
  if (o.keepdim !== undefined && typeof o.keepdim !== 'boolean') throw new Error(`${op}: keepdim must be a boolean, got ${String(o.keepdim)}`);
  return { dims: dim as Dims, keepdim: o.keepdim ?? false };
}

export function sum(x: Tensor, dim?: Dims | (ReduceOptions & { dim?: Dims }), opts: ReduceOptions | boolean = {}): Tensor {
  const { dims, keepdim } = reduceArgs(dim, opts, 'sum');
  const ds = reduceDims(x, dims, 'sum');
  let src = x.dtype === 'bool' ? cast(x, 'int32') : x;
  if (x.ndim === 0) return src;
  if (ds.length === x.ndim && !keepdim) return sumAll(src);
  for (let k = ds.length - 1; k >= 0; k--) {
    const next = sumDim(src, ds[k], true);
    // a partial sum made here is read by nothing else (its node keeps no input unless the stepper traces values)
    if (src !== x && !mode.traceValues && src._storage) src._storage.release();
    src = next;
  }
  return keepdim ? src : reshape(src, x.shape.filter((_, i) => !ds.includes(i)));
}

/** Full reduction as ONE graph node (the stepper shows "sum", not reshape + sum). */
function sumAll(x: Tensor): Tensor {
  const xc = contig(x);
  const [raw] = reduceDimRaw('sum', viewRaw(xc, [xc.numel()], [1], xc._offset), 0, false);
  const c: ReduceCtx = { x, out: raw, dim: null, keepdim: false };
  return record(raw, 'sum', [x], (g) => [REDUCTIONS.sum.vjp(g, c)], { jvp: ([t]) => (t ? REDUCTIONS.sum.jvp(t, c) : null) });
}

export function mean(x: Tensor, dim?: Dims | (ReduceOptions & { dim?: Dims }), opts: ReduceOptions | boolean = {}): Tensor {
  const { dims, keepdim } = reduceArgs(dim, opts, 'mean');
  if (!isFloat(x.dtype)) throw new Error(`mean: could not infer output dtype: input dtype must be floating point, got ${x.dtype}`);
  const ds = reduceDims(x, dims, 'mean');
  const n = ds.reduce((a, d) => a * x.shape[d], 1);
  return div(sum(x, ds, { keepdim }), n);
}

export function varOf(x: Tensor, dim?: Dims | (ReduceOptions & { dim?: Dims; unbiased?: boolean; correction?: number }), opts: ReduceOptions & { unbiased?: boolean; correction?: number } = {}, op = 'var'): Tensor {
  const keys = ['dim', 'keepdim', 'unbiased', 'correction'];
  const o = dim !== null && typeof dim === 'object' && !Array.isArray(dim)
    ? takeOptions(op, dim as typeof opts & { dim?: Dims }, keys)
    : { ...takeOptions(op, typeof opts === 'boolean' ? { unbiased: opts } : opts, keys.slice(1)), dim: dim as Dims };
  if (!isFloat(x.dtype)) throw new TypeError(`${op}: could not infer output dtype: input dtype must be floating point, got ${x.dtype}`);
  const ds = reduceDims(x, o.dim, op);
  const n = ds.reduce((a, d) => a * x.shape[d], 1);
  const correction = o.correction ?? (o.unbiased === false ? 0 : 1);
  const m = mean(x, ds, { keepdim: true });
  const sq = sum(mul(sub(x, m), sub(x, m)), ds, { keepdim: o.keepdim });
  return div(sq, Math.max(0, n - correction));
}

export function std(x: Tensor, dim?: Dims | (ReduceOptions & { dim?: Dims; unbiased?: boolean }), opts: ReduceOptions & { unbiased?: boolean } = {}): Tensor {
  return sqrtMasked(varOf(x, dim, opts, 'std'), 'std');
}

/**
 * √v whose gradient is 0 where the result is 0 (PyTorch's std and 2-norm backward mask the 0/0 there), instead
 * of the NaN a plain sqrt would give.
 */
function sqrtMasked(v: Tensor, op: 'std' | 'norm'): Tensor {
  const y = detach(sqrt(detach(v)));
  const e = reductionNode(op);
  const c: ReduceCtx = { x: v, out: y, dim: null, keepdim: false };
  return record(y, op, [v], (g) => [e.vjp(g, c)], { jvp: ([t]) => (t ? e.jvp(t, c) : null) });
}

export function prod(x: Tensor, dim?: number | (ReduceOptions & { dim?: number }), opts: ReduceOptions | boolean = {}): Tensor {
  const { dims, keepdim } = reduceArgs(dim, opts, 'prod');
  if (dims === undefined || dims === null) return prod(reshape(x, [-1]), 0, { keepdim: false });
  const d = normDim(dims as number, x.ndim, 'prod');
  const [raw] = reduceDimRaw('prod', x, d, false);
  const kshape = keptShape(x, [d]);
  const out = keepdim ? viewRaw(raw, kshape, contiguousStrides(kshape), 0) : raw;
  const c: ReduceCtx = { x, out, dim: d, keepdim };
  return record(out, 'prod', [x], (g) => [REDUCTIONS.prod.vjp(g, c)], {
    attrs: { dim: d, keepdim },
    jvp: ([t]) => (t ? REDUCTIONS.prod.jvp(t, c) : null),
  });
}

/** Π_{j≠i} x_j along d for every i (p = the product with d kept): p/x_i when no x is 0, else exact products. */
export function leaveOneOutProd(x: Tensor, d: number, p: Tensor): Tensor {
  const zero = eq(x, 0);
  if (sum(zero).item() === 0) return div(p, x);
  // slow exact path: product of all others along d
  const xs = x.dataSync();
  const out = alloc(x.shape, x.dtype, x.backend);
  const ov = out.storage().view();
  const outer = x.shape.slice(0, d).reduce((a, b) => a * b, 1);
  const n = x.shape[d];
  const inner = x.shape.slice(d + 1).reduce((a, b) => a * b, 1);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) for (let k = 0; k < n; k++) {
    let r = 1;
    for (let j = 0; j < n; j++) if (j !== k) r *= xs[(o * n + j) * inner + i];
    ov[(o * n + k) * inner + i] = r;
  }
  return out;
}

/** PyTorch's (values, indices) named tuple: `const [v, i] = x.max(1)`, `r.values`, `r.indices`, `r[0]`. */
export type ValuesIndices = readonly [Tensor, Tensor] & { readonly values: Tensor; readonly indices: Tensor };

export function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  const r = [values, indices] as unknown as ValuesIndices & { values: Tensor; indices: Tensor };
  Object.defineProperty(r, 'values', { value: values, enumerable: false });
  Object.defineProperty(r, 'indices', { value: indices, enumerable: false });
  return Object.freeze(r);
}

function extremum(op: 'max' | 'min', x: Tensor, dim?: number | (ReduceOptions & { dim?: number }), opts: ReduceOptions | boolean = {}, name: string = op): Tensor | ValuesIndices {
  const { dims, keepdim } = reduceArgs(dim, opts, name);
  if (dims === undefined || dims === null) return extremumAll(op, x);
  const d = normDim(dims as number, x.ndim, name);
  if (x.ndim === 0) {
    // a 0-d tensor reduces over its single element (PyTorch): values x, index 0
    const r = extremum(op, reshape(x, [1]), 0, {}, name) as ValuesIndices;
    return valuesIndices(reshape(r.values, []), reshape(r.indices, []));
  }
  if (x.shape[d] === 0) throw new Error(`${name}: cannot reduce over a zero-size dimension ${d}`);
  const [rawV, rawI] = reduceDimRaw(op as ReduceOp, x, d, true);
  const kshape = keptShape(x, [d]);
  const values = keepdim ? viewRaw(rawV, kshape, contiguousStrides(kshape), 0) : rawV;
  const indices = keepdim ? viewRaw(rawI as Tensor, kshape, contiguousStrides(kshape), 0) : (rawI as Tensor);
  const idxK = viewRaw(rawI as Tensor, kshape, contiguousStrides(kshape), 0);
  const c: ReduceCtx = { x, out: values, dim: d, keepdim, indices: idxK };
  record(values, op, [x], (g) => [REDUCTIONS[op].vjp(g, c)], { attrs: { dim: d, keepdim }, jvp: ([t]) => (t ? REDUCTIONS[op].jvp(t, c) : null) });
  return valuesIndices(values, indices);
}

/** zeros(shape) with g added at idx along d (idx, g shaped like shape with d of size k). */
export function scatterAlong(g: Tensor, idx: Tensor, shape: readonly number[], d: number): Tensor {
  const out = fillRaw(alloc(shape, g.dtype, g.backend), 0);
  const gc = g.isContiguous() ? g : contiguous(g);
  const outer = shape.slice(0, d).reduce((a, b) => a * b, 1);
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const ic = idx.isContiguous() ? idx : contiguous(idx);
  if (gc.numel() > 0) g.backend.scatterAdd(gc.ref(), ic.ref(), out.ref(), outer, shape[d], inner, idx.shape[d]);
  return record(out, 'scatter', [g], (gg) => [gatherAlong(gg, idx, d, true)], { attrs: { dim: d } });
}

/** out[..., j, ...] = x[..., idx[..., j, ...], ...] along d (PyTorch's gather). */
export function gatherAlong(x: Tensor, idx: Tensor, d: number, keepdim = true): Tensor {
  const xc = x.isContiguous() ? x : contiguous(x);
  const ic = idx.isContiguous() ? idx : contiguous(idx);
  const out = alloc(idx.shape, x.dtype, x.backend);
  const outer = x.shape.slice(0, d).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(d + 1).reduce((a, b) => a * b, 1);
  if (out.numel() > 0) x.backend.gather(xc.ref(), ic.ref(), out.ref(), outer, x.shape[d], inner, idx.shape[d]);
  const inShape = x.shape;
  const r = record(out, 'gather', [x], (g) => [scatterAlong(g, idx, inShape, d)], { attrs: { dim: d }, jvp: ([t]) => (t ? gatherAlong(t, idx, d) : null) });
  return keepdim ? r : reshape(r, r.shape.filter((_, i) => i !== d));
}

/** Full reduction max()/min(): ties share the gradient evenly (PyTorch's rule for the full reduction). */
function extremumAll(op: 'max' | 'min', x: Tensor): Tensor {
  if (x.numel() === 0) throw new Error(`${op}: expected a non-empty tensor for the full reduction`);
  const flat = reshape(detach(x), [-1]);
  const [raw] = reduceDimRaw(op as ReduceOp, flat, 0, false);
  const c: ReduceCtx = { x, out: raw, dim: null, keepdim: false };
  return record(raw, op, [x], (g) => [REDUCTIONS[op].vjp(g, c)], { jvp: ([t]) => (t ? REDUCTIONS[op].jvp(t, c) : null) });
}

/** max(x): the full reduction (a 0-d tensor); max(x, dim): (values, indices) along dim. */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number | (ReduceOptions & { dim: number }), opts?: ReduceOptions): ValuesIndices;
export function max(x: Tensor, dim?: number | (ReduceOptions & { dim?: number }), opts?: ReduceOptions): Tensor | ValuesIndices;
export function max(x: Tensor, dim?: number | (ReduceOptions & { dim?: number }), opts: ReduceOptions = {}): Tensor | ValuesIndices {
  return extremum('max', x, dim, opts);
}
/** min(x): the full reduction (a 0-d tensor); min(x, dim): (values, indices) along dim. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number | (ReduceOptions & { dim: number }), opts?: ReduceOptions): ValuesIndices;
export function min(x: Tensor, dim?: number | (ReduceOptions & { dim?: number }), opts?: ReduceOptions): Tensor | ValuesIndices;
export function min(x: Tensor, dim?: number | (ReduceOptions & { dim?: number }), opts: ReduceOptions = {}): Tensor | ValuesIndices {
  return extremum('min', x, dim, opts);
}

function argExtremum(op: 'max' | 'min', x: Tensor, dim?: number | null, opts: ReduceOptions = {}): Tensor {
  if (dim !== undefined && dim !== null && typeof dim !== 'number') throw new TypeError(`arg${op}: dim must be an integer or null, got ${typeof dim}`);
  if (dim === undefined || dim === null) {
    const r = (extremum(op, reshape(detach(x), [-1]), 0, {}, `arg${op}`) as ValuesIndices).indices;
    return opts.keepdim ? reshape(r, x.shape.map(() => 1)) : r;
  }
  return (extremum(op, detach(x), dim, opts, `arg${op}`) as ValuesIndices).indices;
}
export const argmax = (x: Tensor, dim?: number | null, opts: ReduceOptions = {}): Tensor => argExtremum('max', x, dim, opts);
export const argmin = (x: Tensor, dim?: number | null, opts: ReduceOptions = {}): Tensor => argExtremum('min', x, dim, opts);

/** log Σ exp(x) over dims, stable: m + log Σ exp(x − m) with m the (detached) max, infinities handled as PyTorch. */
export function logsumexp(x: Tensor, dim: Dims, options: ReduceOptions | boolean = {}): Tensor {
  const opts = typeof options === 'boolean' ? { keepdim: options } : takeOptions('logsumexp', options, ['keepdim']);
  const ds = reduceDims(x, dim, 'logsumexp');
  let m = detach(x);
  for (let k = ds.length - 1; k >= 0; k--) m = (extremum('max', m, ds[k], { keepdim: true }, 'logsumexp') as ValuesIndices).values;
  m = where(eq(abs(m), Infinity), 0, m);
  const r = add(log(sum(exp(sub(x, m)), ds, { keepdim: true })), m);
  return opts.keepdim ? r : reshape(r, x.shape.filter((_, i) => !ds.includes(i)));
}

export function norm(x: Tensor, p: number | 'fro' = 2, dim?: Dims, opts: ReduceOptions = {}): Tensor {
  const pp = p === 'fro' ? 2 : p;
  if (pp === Infinity) return (extremum('max', abs(x), dim as number, opts) as ValuesIndices).values ?? extremumAll('max', abs(x));
  if (pp === 2) return sqrtMasked(sum(mul(x, x), dim, opts), 'norm');
  if (pp === 1) return sum(abs(x), dim, opts);
  return pow(sum(pow(abs(x), pp), dim, opts), 1 / pp);
}

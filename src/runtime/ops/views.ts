/**
 * Views and movement: reshape, permute, transpose, expand, narrow/slice/select, squeeze/unsqueeze, flatten,
 * cat, stack, chunk, split. Views share storage; their backward maps the gradient back to the input's shape.
 */
import { Tensor } from '../tensor';
import { record } from '../autograd/node';
import { alloc, contig, fillRaw, viewRaw } from './raw';
import { contiguous, sumToShape } from './basic';
import { checkIndexRange, checkIndexTensor, indexFromArray } from './index-checks';
import { contiguousStrides, fmtShape, normDim, numel, ShapeError } from '../shape';

type ViewBackward = (g: Tensor) => Tensor;

/** A view of x recorded in the graph; `again` applies the same view to a tangent (forward mode). */
function viewOp(x: Tensor, op: string, shape: number[], strides: number[], offset: number, back: ViewBackward,
  attrs: Record<string, unknown>, again: (t: Tensor) => Tensor): Tensor {
  const out = viewRaw(x, shape, strides, offset);
  return record(out, op, [x], (g) => [back(g)], { attrs, jvp: ([t]) => (t ? again(t) : null) });
}

/** Resolve a -1 entry and check the element count. */
export function inferShape(shape: readonly number[], n: number, op: string, from: readonly number[]): number[] {
  const s = [...shape];
  const neg = s.indexOf(-1);
  if (neg !== s.lastIndexOf(-1)) throw new ShapeError(`${op}: only one dimension can be inferred (shape ${fmtShape(shape)})`);
  if (neg >= 0) {
    const rest = numel(s.filter((_, i) => i !== neg));
    if (rest === 0 || n % rest !== 0) throw new ShapeError(`${op}: shape ${fmtShape(shape)} is invalid for input of size ${n} (shape ${fmtShape(from)})`);
    s[neg] = n / rest;
  }
  for (const d of s) if (!Number.isInteger(d) || d < 0) throw new ShapeError(`${op}: invalid shape ${fmtShape(shape)}`);
  if (numel(s) !== n) throw new ShapeError(`${op}: shape ${fmtShape(shape)} is invalid for input of size ${n} (shape ${fmtShape(from)})`);
  return s;
}

const flatShape = (args: Array<number | readonly number[]>): number[] =>
  args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as number[])] : (args as number[]);

export function reshape(x: Tensor, ...args: Array<number | readonly number[]>): Tensor {
  const shape = inferShape(flatShape(args), x.numel(), 'reshape', x.shape);
  const src = x.isContiguous() ? x : contiguous(x);
  const inShape = x.shape;
  if (src !== x) return reshape(src, shape);
  return viewOp(x, 'reshape', shape, contiguousStrides(shape), x._offset, (g) => reshape(g, inShape), { shape }, (t) => reshape(t, shape));
}

/** view() requires a contiguous input, like PyTorch's view for incompatible strides. */
export function view(x: Tensor, ...args: Array<number | readonly number[]>): Tensor {
  if (!x.isContiguous()) {
    throw new ShapeError(`view: size is not compatible with input tensor's size and stride ${fmtShape(x.shape)}; use .reshape(...) instead`);
  }
  return reshape(x, ...args);
}

export function permute(x: Tensor, ...args: Array<number | readonly number[]>): Tensor {
  const dims = flatShape(args).map((d) => normDim(d, x.ndim, 'permute'));
  if (dims.length !== x.ndim || new Set(dims).size !== dims.length) {
    throw new ShapeError(`permute: dims [${dims.join(', ')}] are not a permutation of the ${x.ndim} dims of ${fmtShape(x.shape)}`);
  }
  const inv = new Array<number>(dims.length);
  dims.forEach((d, i) => (inv[d] = i));
  return viewOp(x, 'permute', dims.map((d) => x.shape[d]), dims.map((d) => x._strides[d]), x._offset, (g) => permute(g, inv), { dims }, (t) => permute(t, dims));
}

export function transpose(x: Tensor, d0: number, d1: number): Tensor {
  const a = normDim(d0, x.ndim, 'transpose');
  const b = normDim(d1, x.ndim, 'transpose');
  const dims = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, dims);
}

export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new ShapeError(`t: expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

export function expand(x: Tensor, ...args: Array<number | readonly number[]>): Tensor {
  const shape = flatShape(args);
  if (shape.length < x.ndim) throw new ShapeError(`expand: the number of sizes provided (${shape.length}) must be >= the number of dims (${x.ndim})`);
  const lead = shape.length - x.ndim;
  const outShape = shape.map((d, i) => (d === -1 ? (i < lead ? -1 : x.shape[i - lead]) : d));
  if (outShape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < -1)) throw new ShapeError(`expand: sizes must be integers (-1 keeps a size), got ${fmtShape(shape)}`);
  const strides = outShape.map((d, i) => {
    if (i < lead) return 0;
    const src = x.shape[i - lead];
    if (src === d) return x._strides[i - lead];
    if (src === 1) return 0;
    throw new ShapeError(`expand: the expanded size of the tensor (${d}) must match the existing size (${src}) at non-singleton dimension ${i}. Target sizes: ${fmtShape(shape)}. Tensor sizes: ${fmtShape(x.shape)}`);
  });
  if (outShape.some((d) => d < 0)) throw new ShapeError(`expand: -1 is not allowed in a leading, non-existing dimension (${fmtShape(shape)})`);
  if (outShape.length === x.ndim && outShape.every((d, i) => d === x.shape[i])) return x;
  const inShape = x.shape;
  return viewOp(x, 'expand', outShape, strides, x._offset, (g) => sumToShape(g, inShape), { shape: outShape }, (t) => expand(t, outShape));
}

export function squeeze(x: Tensor, dim?: number): Tensor {
  const dims = dim === undefined ? x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0) : [normDim(dim, x.ndim, 'squeeze')];
  const keep = x.shape.map((_, i) => i).filter((i) => !(dims.includes(i) && x.shape[i] === 1));
  if (keep.length === x.ndim) return x;
  const inShape = x.shape;
  return viewOp(x, 'squeeze', keep.map((i) => x.shape[i]), keep.map((i) => x._strides[i]), x._offset, (g) => reshape(g, inShape), { dim }, (t) => squeeze(t, dim));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normDim(dim, x.ndim + 1, 'unsqueeze');
  const shape = [...x.shape];
  const strides = [...x._strides];
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x.ndim ? x._strides[d] * x.shape[d] : 1);
  const inShape = x.shape;
  return viewOp(x, 'unsqueeze', shape, strides, x._offset, (g) => reshape(g, inShape), { dim: d }, (t) => unsqueeze(t, d));
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim(startDim, x.ndim, 'flatten');
  const e = normDim(endDim, x.ndim, 'flatten');
  if (s > e) throw new ShapeError(`flatten: startDim (${startDim}) cannot come after endDim (${endDim})`);
  return reshape(x, [...x.shape.slice(0, s), numel(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

/** Index tensor [start, start+step, ...] of length k (int32, on x's backend). */
function rangeIndex(x: Tensor, start: number, k: number, step: number): Tensor {
  const idx = alloc([k], 'int32', x.backend);
  if (idx.isMeta) return idx;
  const v = idx.storage().view();
  for (let i = 0; i < k; i++) v[i] = start + i * step;
  return idx;
}

/** Scatter g (x's shape along dim restricted to idx) back into zeros of `shape`. */
export function embedAlong(g: Tensor, shape: readonly number[], dim: number, idx: Tensor): Tensor {
  const out = fillRaw(alloc(shape, g.dtype, g.backend), 0);
  const gc = contig(g);
  const outer = numel(shape.slice(0, dim));
  const inner = numel(shape.slice(dim + 1));
  if (gc.numel() > 0) g.backend.indexAdd(gc.ref(), idx.ref(), out.ref(), outer, shape[dim], inner, idx.numel());
  return record(out, 'embed', [g], (gg) => [indexSelectRaw(gg, dim, idx)], { attrs: { dim } });
}

function indexSelectRaw(x: Tensor, dim: number, idx: Tensor): Tensor {
  const xc = contig(x);
  const shape = x.shape.map((d, i) => (i === dim ? idx.numel() : d));
  const out = alloc(shape, x.dtype, x.backend);
  if (out.numel() > 0) x.backend.indexSelect(xc.ref(), idx.ref(), out.ref(), numel(x.shape.slice(0, dim)), x.shape[dim], numel(x.shape.slice(dim + 1)), idx.numel());
  return out;
}

/** x[..., start:end:step, ...] along one dim, as a view. Bounds are clamped like Python slices. */
export function sliceDim(x: Tensor, dim: number, start = 0, end = Infinity, step = 1): Tensor {
  const d = normDim(dim, x.ndim, 'slice');
  if (!Number.isInteger(step) || step < 1) throw new ShapeError(`slice: step must be a positive integer, got ${step}`);
  const n = x.shape[d];
  const norm = (v: number): number => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const s = norm(start);
  const e = Math.max(norm(end), s);
  const k = Math.ceil((e - s) / step);
  const shape = x.shape.map((v, i) => (i === d ? k : v));
  const strides = x._strides.map((v, i) => (i === d ? v * step : v));
  if (k === n && step === 1) return x;
  const inShape = x.shape;
  return viewOp(x, 'slice', shape, strides, x._offset + s * x._strides[d],
    (g) => embedAlong(g, inShape, d, rangeIndex(g, s, k, step)), { dim: d, start: s, end: e, step }, (t) => sliceDim(t, d, s, e, step));
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normDim(dim, x.ndim, 'narrow');
  const s = start < 0 ? start + x.shape[d] : start;
  if (!Number.isInteger(start) || !Number.isInteger(length) || length < 0 || s < 0 || s + length > x.shape[d]) {
    throw new ShapeError(`narrow: start (${start}) + length (${length}) exceeds dimension size (${x.shape[d]}) of dim ${d} in ${fmtShape(x.shape)}`);
  }
  return sliceDim(x, d, s, s + length, 1);
}

export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normDim(dim, x.ndim, 'select');
  const n = x.shape[d];
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw new ShapeError(`select: index ${index} is out of bounds for dimension ${d} with size ${n} (shape ${fmtShape(x.shape)})`);
  }
  const i = index < 0 ? index + n : index;
  const shape = x.shape.filter((_, j) => j !== d);
  const strides = x._strides.filter((_, j) => j !== d);
  const inShape = x.shape;
  return viewOp(x, 'select', shape, strides, x._offset + i * x._strides[d],
    (g) => embedAlong(unsqueeze(g, d), inShape, d, rangeIndex(g, i, 1, 1)), { dim: d, index: i }, (t) => select(t, d, i));
}

/** x gathered at integer positions along dim (PyTorch's index_select: indices in [0, size), no wrapping). */
export function indexSelect(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  return takeAlong(x, dim, index, 'indexSelect', false);
}

/** Advanced indexing on one dim (x[..., idx, ...]): like indexSelect, but negative indices count from the end. */
export function indexAlong(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  return takeAlong(x, dim, index, 'index', true);
}

function takeAlong(x: Tensor, dim: number, index: Tensor | readonly number[], op: string, wrap: boolean): Tensor {
  if (x.ndim === 0) {
    // a 0-d tensor indexes as one element; PyTorch returns 0-d for a 0-d or one-element index
    const r = takeAlong(reshape(x, [1]), dim, index, op, wrap);
    const k = index instanceof Tensor ? index.numel() : (index as readonly number[]).length;
    return k === 1 ? reshape(r, []) : r;
  }
  const d = normDim(dim, x.ndim, op);
  const idx = toIndex(x, index, d, op, wrap);
  const out = indexSelectRaw(x, d, idx);
  const inShape = x.shape;
  return record(out, op, [x], (g) => [embedAlong(g, inShape, d, idx)], { attrs: { dim: d }, jvp: ([tn]) => (tn ? indexSelect(tn, d, idx) : null) });
}

function toIndex(x: Tensor, index: Tensor | readonly number[], d: number, op: string, wrap: boolean): Tensor {
  const n = x.shape[d];
  if (!(index instanceof Tensor)) {
    if (!Array.isArray(index)) throw new TypeError(`${op}: expected index to be an int32 Tensor or an array of integers, got ${index === null ? 'null' : typeof index}`);
    return indexFromArray(op, x, index, d, n, wrap);
  }
  checkIndexTensor(op, index);
  if (index.ndim > 1) throw new ShapeError(`${op}: index must be a 1-D tensor, got ${fmtShape(index.shape)}`);
  if (x.isMeta || index.isMeta) return alloc([index.numel()], 'int32', x.backend);
  const checked = checkIndexRange(op, index, d, n, wrap);
  return checked.isContiguous() && checked.ndim === 1 ? checked : contig(reshape(checked, [-1]));
}

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error('cat: expected a non-empty list of tensors');
  tensors.forEach((t, k) => {
    if (!(t instanceof Tensor)) throw new TypeError(`cat: expected a list of Tensors, entry ${k} is ${t === null ? 'null' : typeof t}`);
    if (t.ndim === 0) throw new ShapeError(`cat: zero-dimensional tensor (at position ${k}) cannot be concatenated`);
  });
  const ref = tensors.find((t) => !(t.ndim === 1 && t.numel() === 0)) ?? tensors[0];
  const d = normDim(dim, ref.ndim, 'cat');
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.numel() === 0 && ref.ndim !== 1));
  parts.forEach((t, k) => {
    if (t.ndim !== ref.ndim || t.shape.some((s, i) => i !== d && s !== ref.shape[i])) {
      throw new ShapeError(`cat: sizes of tensors must match except in dimension ${d}: tensor 0 has shape ${fmtShape(ref.shape)} but tensor ${k} has shape ${fmtShape(t.shape)}`);
    }
    if (t.dtype !== ref.dtype) throw new Error(`cat: expected all tensors to have dtype ${ref.dtype}, tensor ${k} has ${t.dtype}`);
  });
  const total = parts.reduce((a, t) => a + t.shape[d], 0);
  const shape = ref.shape.map((s, i) => (i === d ? total : s));
  const out = fillRaw(alloc(shape, ref.dtype, ref.backend), 0);
  const outer = numel(shape.slice(0, d));
  const inner = numel(shape.slice(d + 1));
  let off = 0;
  const offsets: number[] = [];
  for (const p of parts) {
    offsets.push(off);
    const pc = contig(p);
    if (pc.numel() > 0) out.backend.indexAdd(pc.ref(), rangeIndex(p, off, p.shape[d], 1).ref(), out.ref(), outer, total, inner, p.shape[d]);
    off += p.shape[d];
  }
  return record(out, 'cat', parts, (g) => parts.map((p, k) => (p.requiresGrad ? sliceDim(g, d, offsets[k], offsets[k] + p.shape[d]) : null)), {
    attrs: { dim: d },
    jvp: (ts) => (ts.some((x) => x) ? cat(ts.map((x, k) => x ?? fillRaw(alloc(parts[k].shape, parts[k].dtype, parts[k].backend), 0)), d) : null),
  });
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error('stack: expected a non-empty list of tensors');
  tensors.forEach((t, k) => {
    if (!(t instanceof Tensor)) throw new TypeError(`stack: expected a list of Tensors, entry ${k} is ${t === null ? 'null' : typeof t}`);
  });
  const d = normDim(dim, tensors[0].ndim + 1, 'stack');
  tensors.forEach((t, k) => {
    if (t.ndim !== tensors[0].ndim || t.shape.some((s, i) => s !== tensors[0].shape[i])) {
      throw new ShapeError(`stack: expects each tensor to be equal size, but got ${fmtShape(tensors[0].shape)} at entry 0 and ${fmtShape(t.shape)} at entry ${k}`);
    }
    if (t.dtype !== tensors[0].dtype) throw new Error(`stack: expected all tensors to have dtype ${tensors[0].dtype}, tensor ${k} has ${t.dtype}`);
  });
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

export function split(x: Tensor, size: number | readonly number[], dim = 0): Tensor[] {
  if (x.ndim === 0) throw new ShapeError('split: split expects at least a 1-dimensional tensor');
  const d = normDim(dim, x.ndim, 'split');
  const sizes: number[] = [];
  if (typeof size !== 'number' && !Array.isArray(size)) throw new TypeError(`split: split_size_or_sections must be an integer or a list of integers, got ${size === null ? 'null' : typeof size}`);
  if (Array.isArray(size) && size.some((k) => !Number.isInteger(k) || k < 0)) throw new ShapeError(`split: split sizes must be non-negative integers, got [${size.join(', ')}]`);
  if (typeof size === 'number') {
    if (!Number.isInteger(size) || size < 1) throw new ShapeError(`split: split size must be a positive integer, got ${size}`);
    for (let s = 0; s < x.shape[d]; s += size) sizes.push(Math.min(size, x.shape[d] - s));
  } else {
    sizes.push(...size);
    if (sizes.reduce((a, b) => a + b, 0) !== x.shape[d]) throw new ShapeError(`split: sizes [${sizes.join(', ')}] do not sum to ${x.shape[d]} (dim ${d} of ${fmtShape(x.shape)})`);
  }
  let s = 0;
  return sizes.map((k) => {
    const r = sliceDim(x, d, s, s + k);
    s += k;
    return r;
  });
}

export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (x.ndim === 0) throw new ShapeError('chunk: chunk expects at least a 1-dimensional tensor');
  const d = normDim(dim, x.ndim, 'chunk');
  if (typeof chunks !== 'number' || !Number.isInteger(chunks) || chunks < 1) throw new ShapeError(`chunk: chunks must be a positive integer, got ${String(chunks)}`);
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

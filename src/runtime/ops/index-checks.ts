/**
 * Bounds checks for every op that takes indices from the user (gather, indexSelect, index, embedding, …).
 *
 * One pass of min/max over the int32 index data, read straight from its storage (for wasm, the index buffer
 * inside the WASM memory; no copy), before any kernel runs. Messages follow PyTorch's:
 * `gather: index 100 is out of bounds for dimension 1 with size 4`.
 */
import { Tensor } from '../tensor';
import { alloc } from './raw';
import { fmtShape, normDim, ShapeError } from '../shape';
import { gatherAlong } from './reduce';
import { reshape, sliceDim } from './views';
import { contiguous } from './basic';

export class IndexError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'IndexError';
  }
}

/** Index data of an int32 tensor as a (contiguous) typed array and its range [start, end) — no copy when contiguous. */
function indexData(idx: Tensor): { data: Int32Array; start: number; end: number } {
  const c = idx.isContiguous() ? idx : contiguous(idx);
  const data = c.storage().view() as Int32Array;
  return { data, start: c._offset, end: c._offset + c.numel() };
}

/** Throws unless `idx` is an int32 (index) tensor. */
export function checkIndexTensor(op: string, idx: unknown, what = 'index'): asserts idx is Tensor {
  if (!(idx instanceof Tensor)) {
    throw new TypeError(`${op}: expected ${what} to be an int32 Tensor, got ${idx === null ? 'null' : Array.isArray(idx) ? 'an array' : typeof idx}`);
  }
  if (idx.dtype !== 'int32') throw new TypeError(`${op}: expected ${what} to be an int32 tensor (use .int()), got ${idx.dtype} ${fmtShape(idx.shape)}`);
}

/**
 * Checks every value of the int32 tensor `idx` is a valid position in a dimension of `size`:
 * [0, size) — or [-size, size) when `wrap` (PyTorch's advanced indexing). Returns `idx` itself when nothing
 * needs wrapping, else a new int32 tensor with negative values wrapped (same shape, same backend).
 */
export function checkIndexRange(op: string, idx: Tensor, dim: number, size: number, wrap = false): Tensor {
  if (idx.isMeta || idx.numel() === 0) return idx;
  const { data, start, end } = indexData(idx);
  let lo = 0;
  let hi = -1;
  for (let i = start; i < end; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const min = wrap ? -size : 0;
  if (lo < min || hi >= size) {
    const bad = hi >= size ? hi : lo;
    throw new IndexError(`${op}: index ${bad} is out of bounds for dimension ${dim} with size ${size}`);
  }
  if (lo >= 0) return idx;
  const out = alloc(idx.shape, 'int32', idx.backend);
  const ov = out.storage().view() as Int32Array;
  const src = indexData(idx).data; // re-read: the allocation above may have grown (and detached) the memory
  for (let i = start, k = 0; i < end; i++, k++) ov[k] = src[i] < 0 ? src[i] + size : src[i];
  return out;
}

/** Index values given as a JS array → checked int32 tensor (wrapping negatives when `wrap`). */
export function indexFromArray(op: string, like: Tensor, vals: readonly number[], dim: number, size: number, wrap: boolean): Tensor {
  const idx = alloc([vals.length], 'int32', like.backend);
  if (idx.isMeta) return idx;
  const v = idx.storage().view() as Int32Array;
  for (let i = 0; i < vals.length; i++) {
    const raw = vals[i];
    if (typeof raw !== 'number' || !Number.isInteger(raw)) throw new TypeError(`${op}: indices must be integers, got ${String(raw)} at position ${i}`);
    if (raw >= size || raw < (wrap ? -size : 0)) throw new IndexError(`${op}: index ${raw} is out of bounds for dimension ${dim} with size ${size}`);
    v[i] = raw < 0 ? raw + size : raw;
  }
  return idx;
}

/**
 * PyTorch's gather: out[i][j][k] = x[i][index[i][j][k]][k] (dim = 1). `index` is int32 with x's number of dims and
 * no larger than x in every dim but `dim`; values in [0, x.size(dim)) (no wrapping, as PyTorch).
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const op = 'gather';
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected input to be a Tensor, got ${typeof x}`);
  checkIndexTensor(op, index);
  const d = normDim(dim, x.ndim, op);
  if (x.ndim === 0 || index.ndim === 0) {
    if (x.ndim > 1 || index.ndim > 1) throw new ShapeError(`${op}: index tensor must have the same number of dimensions as input tensor (input ${fmtShape(x.shape)}, index ${fmtShape(index.shape)})`);
    return reshape(gather(reshape(x, [-1]), 0, reshape(index, [-1])), index.shape);
  }
  if (index.ndim !== x.ndim) {
    throw new ShapeError(`${op}: index tensor must have the same number of dimensions as input tensor (input ${fmtShape(x.shape)}, index ${fmtShape(index.shape)})`);
  }
  for (let i = 0; i < x.ndim; i++) {
    if (i !== d && index.shape[i] > x.shape[i]) {
      throw new ShapeError(`${op}: size does not match at dimension ${i}: expected index ${fmtShape(index.shape)} to be smaller than self ${fmtShape(x.shape)} apart from dimension ${d}`);
    }
  }
  const idx = checkIndexRange(op, index, d, x.shape[d]);
  // the kernel walks x and index over the same [outer, ·, inner] grid: look only at the part of x the index covers
  let xs = x;
  for (let i = 0; i < x.ndim; i++) if (i !== d && index.shape[i] < x.shape[i]) xs = sliceDim(xs, i, 0, index.shape[i]);
  return gatherAlong(xs, idx, d);
}

/**
 * PyTorch/NumPy indexing: x.index(0, ':', '1:5', '::2', null, '...', slice(1, -1), [0, 2], idxTensor, mask).
 * Integers, slices, null and '...' give views. Index tensors/arrays are advanced indices and pair up as in
 * PyTorch: they broadcast together and x.index(rows, cols) is x[rows[i], cols[i]]. A boolean mask stands for
 * the index tensors of its true positions (x.index(mask) = x[mask]). The broadcast index dims replace the indexed
 * dims in place when the advanced indices are adjacent, and go first otherwise (as in PyTorch).
 */
import { Tensor } from '../tensor';
import { indexAlong, permute, select, sliceDim, unsqueeze, reshape, expand } from './views';
import { broadcastShapes, fmtShape, ShapeError } from '../shape';
import { maskIndices } from './nonzero';
import { alloc } from './raw';
import { where, contiguous } from './basic';
import { checkIndexRange } from './index-checks';

export class Slice {
  constructor(readonly start?: number | null, readonly end?: number | null, readonly step?: number | null) {}
}

/** slice(start?, end?, step?) — Python's start:end:step. */
export function slice(start?: number | null, end?: number | null, step?: number | null): Slice {
  return new Slice(start, end, step);
}

export type IndexSpec = number | string | null | Slice | readonly number[] | readonly boolean[] | Tensor;

function parseRange(s: string): Slice {
  const parts = s.split(':').map((p) => p.trim());
  if (parts.length < 2 || parts.length > 3) throw new Error(`index: cannot parse '${s}' (expected 'start:end' or 'start:end:step')`);
  const num = (p: string | undefined): number | null => {
    if (p === undefined || p === '') return null;
    const v = Number(p);
    if (!Number.isInteger(v)) throw new Error(`index: '${p}' in '${s}' is not an integer`);
    return v;
  };
  return new Slice(num(parts[0]), num(parts[1]), num(parts[2]));
}

/** Index arrays/tensors as int32 tensors or bool masks. */
function asIndexTensor(s: readonly number[] | readonly boolean[] | Tensor): Tensor {
  if (s instanceof Tensor) {
    if (s.dtype !== 'int32' && s.dtype !== 'bool') throw new Error(`index: tensors used as indices must be integer or bool tensors, got ${s.dtype}`);
    return s;
  }
  const arr = s as readonly unknown[];
  const isBool = arr.length > 0 && arr.every((v) => typeof v === 'boolean');
  if (!isBool && !arr.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    throw new Error(`index: an index list must hold integers or booleans, got ${JSON.stringify(s)}`);
  }
  const t = alloc([arr.length], isBool ? 'bool' : 'int32');
  if (arr.length > 0) t.storage().view().set(arr.map((v) => (v === true ? 1 : v === false ? 0 : (v as number))));
  return t;
}

interface Adv {
  dim: number; // dim of the basic-indexed tensor this index applies to
  idx: Tensor; // int32
}

export function index(x: Tensor, ...specs: IndexSpec[]): Tensor {
  const ellipsis = specs.filter((s) => s === '...').length;
  if (ellipsis > 1) throw new Error("index: an index can only have a single ellipsis ('...')");
  // a boolean mask consumes as many dims as it has
  const tensorSpecs = specs.map((s) => (Array.isArray(s) || s instanceof Tensor ? asIndexTensor(s as Tensor) : s));
  const consumes = (s: IndexSpec): number => (s === null || s === '...' ? 0 : s instanceof Tensor && s.dtype === 'bool' ? Math.max(s.ndim, 1) : 1);
  const used = tensorSpecs.reduce((a: number, s) => a + consumes(s), 0);
  if (used > x.ndim) throw new ShapeError(`index: too many indices for tensor of dimension ${x.ndim} (shape ${fmtShape(x.shape)})`);
  const expanded: IndexSpec[] = [];
  for (const s of tensorSpecs) {
    if (s === '...') for (let i = 0; i < x.ndim - used; i++) expanded.push(':');
    else expanded.push(s);
  }
  let out = x;
  let dim = 0; // current dim in `out`
  const adv: Adv[] = [];
  for (const s of expanded) {
    if (s === null) {
      out = unsqueeze(out, dim);
      dim++;
    } else if (typeof s === 'number') {
      out = select(out, dim, s);
    } else if (typeof s === 'string' || s instanceof Slice) {
      const sl = typeof s === 'string' ? parseRange(s) : s;
      const step = sl.step ?? 1;
      if (step < 1) throw new Error(`index: step must be greater than zero, got ${step}`);
      out = sliceDim(out, dim, sl.start ?? 0, sl.end ?? Infinity, step);
      dim++;
    } else if (s instanceof Tensor && s.dtype === 'bool') {
      const m = s.ndim === 0 ? s : s;
      if (m.ndim === 0) throw new Error('index: a 0-d boolean index is not supported; use where()');
      const want = out.shape.slice(dim, dim + m.ndim);
      if (m.shape.some((d, k) => d !== want[k])) {
        throw new ShapeError(`index: the shape of the mask ${fmtShape(m.shape)} does not match the shape of the indexed tensor ${fmtShape(out.shape)} at dims ${dim}..${dim + m.ndim - 1}`);
      }
      maskIndices(m).forEach((t, k) => adv.push({ dim: dim + k, idx: t }));
      dim += m.ndim;
    } else if (s instanceof Tensor) {
      adv.push({ dim, idx: s });
      dim++;
    } else {
      throw new Error(`index: unsupported index ${JSON.stringify(s)}`);
    }
  }
  return adv.length === 0 ? out : advancedIndex(out, adv);
}

/** Gathers out[i1[b], i2[b], ...] for the broadcast index position b; see the module comment for dim placement. */
function advancedIndex(x: Tensor, adv: Adv[]): Tensor {
  const bshape = adv.reduce((s: number[], a) => broadcastShapes(s, a.idx.shape, 'index'), [] as number[]);
  const dims = adv.map((a) => a.dim);
  const rest = x.shape.map((_, d) => d).filter((d) => !dims.includes(d));
  // linear index into the advanced dims (row-major over them, in the order given)
  const sizes = dims.map((d) => x.shape[d]);
  const n = bshape.reduce((a, b) => a * b, 1);
  const lin = alloc([n], 'int32');
  const lv = lin.storage().view();
  lv.fill(0);
  let mult = 1;
  for (let k = adv.length - 1; k >= 0; k--) {
    const size = sizes[k];
    const vals = checkIndexRange('index', contiguous(expand(adv[k].idx, bshape)), dims[k], size, true).dataSync();
    for (let i = 0; i < n; i++) lv[i] += vals[i] * mult;
    mult *= size;
  }
  const moved = permute(x, [...dims, ...rest]);
  const flat = reshape(moved, [mult, ...rest.map((d) => x.shape[d])]);
  let out = reshape(indexAlong(flat, 0, lin), [...bshape, ...rest.map((d) => x.shape[d])]);
  const adjacent = dims.every((d, k) => k === 0 || d === dims[k - 1] + 1);
  const at = dims[0];
  if (adjacent && at > 0) {
    // put the broadcast dims where the indexed dims were
    const nb = bshape.length;
    const order = [...Array(at).keys()].map((i) => nb + i);
    out = permute(out, [...order, ...[...Array(nb).keys()], ...[...Array(out.ndim - nb - at).keys()].map((i) => nb + at + i)]);
  }
  return out;
}

/** x with `value` where mask is true (mask broadcasts against x), PyTorch's masked_fill. */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  if (mask.dtype !== 'bool') throw new Error(`maskedFill: expected a bool mask, got ${mask.dtype}`);
  const shape = broadcastShapes(x.shape, mask.shape, 'maskedFill');
  if (shape.length !== x.ndim || shape.some((d, i) => d !== x.shape[i])) {
    throw new ShapeError(`maskedFill: the mask ${fmtShape(mask.shape)} must broadcast to the tensor's shape ${fmtShape(x.shape)}`);
  }
  if (value instanceof Tensor && value.ndim !== 0) throw new Error(`maskedFill: only supports a 0-dimensional value tensor, got shape ${fmtShape(value.shape)}`);
  return where(mask, value, x);
}

/** 1-D tensor of the elements of x where mask (broadcast together) is true, PyTorch's masked_select. */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== 'bool') throw new Error(`maskedSelect: expected a bool mask, got ${mask.dtype}`);
  const shape = broadcastShapes(x.shape, mask.shape, 'maskedSelect');
  return index(expand(x, shape), contiguous(expand(mask, shape)));
}

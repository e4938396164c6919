/**
 * NumPy/PyTorch-style indexing: x.index(0, ':', '1:5', '::2', null, '...', slice(1, -1), [0, 2], idxTensor).
 * Basic specs give views; one list/tensor spec gives an advanced (copying) index along that dim.
 */
import { Tensor } from '../tensor';
import { indexAlong, select, sliceDim, unsqueeze } from './views';
import { fmtShape, ShapeError } from '../shape';

export class Slice {
  constructor(readonly start?: number | null, readonly end?: number | null, readonly step?: number | null) {}
}

/** slice(start?, end?, step?) — Python's start:end:step. */
export function slice(start?: number | null, end?: number | null, step?: number | null): Slice {
  return new Slice(start, end, step);
}

export type IndexSpec = number | string | null | Slice | readonly number[] | Tensor;

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

export function index(x: Tensor, ...specs: IndexSpec[]): Tensor {
  const ellipsis = specs.filter((s) => s === '...').length;
  if (ellipsis > 1) throw new Error("index: an index can only have a single ellipsis ('...')");
  const consumes = (s: IndexSpec): number => (s === null || s === '...' ? 0 : 1);
  const used = specs.reduce((a: number, s) => a + consumes(s), 0);
  if (used > x.ndim) throw new ShapeError(`index: too many indices for tensor of dimension ${x.ndim} (shape ${fmtShape(x.shape)})`);
  const expanded: IndexSpec[] = [];
  for (const s of specs) {
    if (s === '...') for (let i = 0; i < x.ndim - used; i++) expanded.push(':');
    else expanded.push(s);
  }
  let out = x;
  let dim = 0; // current dim in `out`
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
    } else if (Array.isArray(s) || s instanceof Tensor) {
      if (s instanceof Tensor && s.dtype === 'bool') throw new Error('index: boolean mask indexing is not supported yet; use where() or maskedSelect');
      if (s instanceof Tensor && s.ndim !== 1) {
        // N-d index tensor on one dim: gather the flattened indices, then restore the index shape in place of dim
        const flat = indexAlong(out, dim, s.reshape(-1));
        out = flat.reshape([...out.shape.slice(0, dim), ...s.shape, ...out.shape.slice(dim + 1)]);
        dim += s.ndim;
        continue;
      }
      out = indexAlong(out, dim, s as Tensor | number[]);
      dim++;
    } else {
      throw new Error(`index: unsupported index ${JSON.stringify(s)}`);
    }
  }
  return out;
}

/**
 * F.interpolate / nn.Upsample: 'nearest' (1-D, 2-D) and 'bilinear' (2-D, with alignCorners), PyTorch's source
 * coordinate rules, composed from index gathers and lerps (so autograd and jvp come from those ops).
 */
import type { Tensor } from '../../tensor';
import { add, mul, sub } from '../basic';
import { tensor } from '../creation';
import { indexAlong, reshape } from '../views';
import { either, kind, kinds, nullable, oneOf, signature } from '../../args';
import { fmtShape, ShapeError } from '../../shape';

const sizeKind = either(kinds.positiveInt, kind<number[]>('an array of positive integers', (v) => Array.isArray(v) && v.every((e) => Number.isInteger(e) && e > 0)));
const scaleKind = either(kinds.positiveNumber, kind<number[]>('an array of positive numbers', (v) => Array.isArray(v) && v.every((e) => typeof e === 'number' && e > 0)));

export const interpolateSig = signature('F.interpolate', {
  size: { kind: nullable(sizeKind), default: null },
  scaleFactor: { kind: nullable(scaleKind), default: null },
  mode: { kind: oneOf('nearest', 'bilinear', 'linear'), default: 'nearest' },
  alignCorners: { kind: nullable(kinds.boolean), default: null },
  recomputeScaleFactor: { kind: nullable(kinds.boolean), default: null },
});

/** Source indices and weights along one dim of size n → m. */
function axis(n: number, m: number, sf: number | null, mode: string, alignCorners: boolean, recompute: boolean): { i0: number[]; i1: number[]; w: number[] } {
  const scale = sf !== null && !recompute ? 1 / sf : n / m;
  const i0: number[] = [];
  const i1: number[] = [];
  const w: number[] = [];
  for (let j = 0; j < m; j++) {
    if (mode === 'nearest') {
      i0.push(Math.min(Math.floor(j * scale), n - 1));
      continue;
    }
    let src = alignCorners ? (m > 1 ? (j * (n - 1)) / (m - 1) : 0) : Math.max((j + 0.5) * scale - 0.5, 0);
    src = Math.min(src, n - 1);
    const a = Math.floor(src);
    i0.push(a);
    i1.push(Math.min(a + 1, n - 1));
    w.push(src - a);
  }
  return { i0, i1, w };
}

export function interpolate(x: Tensor, ...args: unknown[]): Tensor {
  const o = interpolateSig.parse(args);
  const spatial = x.ndim - 2;
  if (spatial < 1 || spatial > 2) throw new ShapeError(`F.interpolate: expected a 3-D [N, C, L] or 4-D [N, C, H, W] input, got ${fmtShape(x.shape)}`);
  if ((o.size === null) === (o.scaleFactor === null)) throw new Error('F.interpolate: give exactly one of size and scaleFactor');
  const linear = o.mode === 'bilinear' || o.mode === 'linear';
  if ((o.mode === 'bilinear' && spatial !== 2) || (o.mode === 'linear' && spatial !== 1)) {
    throw new Error(`F.interpolate: mode '${o.mode}' expects a ${o.mode === 'bilinear' ? '4' : '3'}-D input, got ${fmtShape(x.shape)}`);
  }
  if (!linear && o.alignCorners !== null) throw new Error("F.interpolate: alignCorners can only be set with the 'linear' or 'bilinear' modes");
  const per = <T>(v: T | T[] | null, what: string): Array<T | null> => {
    if (v === null) return Array(spatial).fill(null);
    if (!Array.isArray(v)) return Array(spatial).fill(v);
    if (v.length !== spatial) throw new Error(`F.interpolate: ${what} has ${v.length} values for ${spatial} spatial dims`);
    return v;
  };
  const sizes = per(o.size, 'size');
  const sfs = per(o.scaleFactor, 'scaleFactor');
  let out = x;
  for (let k = 0; k < spatial; k++) {
    const d = 2 + k;
    const n = x.shape[d];
    const m = sizes[k] ?? Math.floor(n * (sfs[k] as number));
    if (m < 1) throw new Error(`F.interpolate: output size ${m} along dim ${d} is not positive`);
    const { i0, i1, w } = axis(n, m, sfs[k], o.mode, o.alignCorners ?? false, o.recomputeScaleFactor ?? false);
    if (!linear) {
      out = indexAlong(out, d, i0);
      continue;
    }
    const a = indexAlong(out, d, i0);
    const b = indexAlong(out, d, i1);
    const wt = reshape(tensor(w, { dtype: x.dtype === 'float64' ? 'float64' : 'float32' }), out.shape.map((_, i) => (i === d ? m : 1)));
    out = add(a, mul(sub(b, a), wt));
  }
  return out;
}

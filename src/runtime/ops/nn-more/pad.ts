/** F.pad: constant, reflect and replicate padding of the trailing dims (PyTorch's pad order: last dim first). */
import type { Tensor } from '../../tensor';
import { full } from '../creation';
import { cat, indexAlong, sliceDim } from '../views';
import { fmtShape, ShapeError } from '../../shape';

export type PadMode = 'constant' | 'reflect' | 'replicate';

/** pad = [left, right, top, bottom, front, back]: pairs for the last, second-to-last, ... dims. */
export function pad(x: Tensor, pads: readonly number[], mode: PadMode = 'constant', value: number | null = null): Tensor {
  const op = 'F.pad';
  if (pads.length % 2 !== 0 || pads.length / 2 > x.ndim) {
    throw new Error(`${op}: padding length must be even and at most 2 × the number of dims (${x.ndim}), got ${pads.length}`);
  }
  if (mode !== 'constant' && value !== null && value !== 0) throw new Error(`${op}: padding mode '${mode}' doesn't take in a value argument`);
  if (mode !== 'constant' && pads.length / 2 > x.ndim - 1) {
    throw new Error(`${op}: '${mode}' padding pads at most ${x.ndim - 1} trailing dims of a ${x.ndim}-D input (the batch dim is not padded), got ${pads.length / 2}`);
  }
  let out = x;
  for (let k = 0; k < pads.length / 2; k++) {
    const d = x.ndim - 1 - k;
    const [lo, hi] = [pads[2 * k], pads[2 * k + 1]];
    if (lo === 0 && hi === 0) continue;
    const n = out.shape[d];
    if (mode === 'constant') {
      // negative padding crops, as in PyTorch
      out = sliceDim(out, d, Math.max(0, -lo), n - Math.max(0, -hi));
      const parts: Tensor[] = [];
      const side = (m: number): Tensor => full(out.shape.map((s, i) => (i === d ? m : s)), value ?? 0, { dtype: x.dtype === 'float64' ? 'float64' : x.dtype });
      if (lo > 0) parts.push(side(lo));
      parts.push(out);
      if (hi > 0) parts.push(side(hi));
      out = parts.length === 1 ? out : cat(parts, d);
      continue;
    }
    if (lo < 0 || hi < 0) throw new Error(`${op}: negative padding is only supported in 'constant' mode`);
    if (mode === 'reflect' && (lo >= n || hi >= n)) {
      throw new ShapeError(`${op}: padding size should be less than the corresponding input dimension, but got padding (${lo}, ${hi}) at dimension ${d} of input ${fmtShape(x.shape)}`);
    }
    const idx: number[] = [];
    for (let i = -lo; i < n + hi; i++) {
      if (mode === 'replicate') idx.push(Math.min(Math.max(i, 0), n - 1));
      else idx.push(i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
    }
    out = indexAlong(out, d, idx);
  }
  return out;
}

/** Reductions over the middle axis of [outer, red, inner], and row-wise softmax / log-softmax. */
import type { ReduceOp, Ref } from '../types';
import { arr, isInt } from './storage';

/** Sum in float64 (exact for int32 up to 2^53; stored modulo 2^32 like wrapped int32 adds). */
function sumAt(x: ArrayLike<number>, base: number, red: number, inner: number): number {
  let s = 0;
  for (let r = 0; r < red; r++) s += x[base + r * inner];
  return s;
}

function prodAt(x: ArrayLike<number>, base: number, red: number, inner: number, int: boolean): number {
  let p = 1;
  for (let r = 0; r < red; r++) p = int ? Math.imul(p, x[base + r * inner]) : p * x[base + r * inner];
  return p;
}

/**
 * Index of the first extremum; the first NaN wins over everything (PyTorch max/min/argmax/argmin).
 * `better(v, best)` is the strict comparison (v > best for max).
 */
function extremumAt(x: ArrayLike<number>, base: number, red: number, inner: number,
  better: (v: number, best: number) => boolean): number {
  let bi = 0;
  let best = x[base];
  if (best !== best) return 0;
  for (let r = 1; r < red; r++) {
    const v = x[base + r * inner];
    if (v !== v) return r;
    if (better(v, best)) {
      best = v;
      bi = r;
    }
  }
  return bi;
}

const gt = (v: number, b: number): boolean => v > b;
const lt = (v: number, b: number): boolean => v < b;

export function reduce(op: ReduceOp, x: Ref, outer: number, red: number, inner: number, out: Ref,
  arg: Ref | null): void {
  const xs = arr(x);
  const os = arr(out);
  const as = arg ? arr(arg) : null;
  const int = isInt(x);
  if ((op === 'max' || op === 'min') && red === 0 && outer * inner > 0) {
    throw new Error(`reference backend: ${op} over an empty dimension (the op layer must reject it)`);
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = x.off + o * red * inner + i;
      const k = o * inner + i;
      if (op === 'sum') os[out.off + k] = sumAt(xs, base, red, inner);
      else if (op === 'prod') os[out.off + k] = prodAt(xs, base, red, inner, int);
      else {
        const r = extremumAt(xs, base, red, inner, op === 'max' ? gt : lt);
        os[out.off + k] = xs[base + r * inner];
        if (as && arg) as[arg.off + k] = r;
      }
    }
  }
}

/** softmax / log-softmax of each row, max-subtracted; a NaN in a row makes the whole row NaN (PyTorch). */
export function softmax(x: Ref, y: Ref, rows: number, cols: number, log: boolean): void {
  const xs = arr(x);
  const ys = arr(y);
  const e = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const xb = x.off + r * cols;
    const yb = y.off + r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, xs[xb + j]);
    let s = 0;
    for (let j = 0; j < cols; j++) {
      e[j] = Math.exp(xs[xb + j] - m);
      s += e[j];
    }
    if (log) {
      const ls = Math.log(s);
      for (let j = 0; j < cols; j++) ys[yb + j] = xs[xb + j] - m - ls;
    } else {
      for (let j = 0; j < cols; j++) ys[yb + j] = e[j] / s;
    }
  }
}

/** softmax: dx = y ⊙ (dy − Σ dy⊙y); log-softmax: dx = dy − exp(y) ⊙ Σ dy. */
export function softmaxBackward(y: Ref, dy: Ref, dx: Ref, rows: number, cols: number, log: boolean): void {
  const ys = arr(y);
  const gs = arr(dy);
  const ds = arr(dx);
  for (let r = 0; r < rows; r++) {
    const yb = y.off + r * cols;
    const gb = dy.off + r * cols;
    const db = dx.off + r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += log ? gs[gb + j] : gs[gb + j] * ys[yb + j];
    for (let j = 0; j < cols; j++) {
      ds[db + j] = log ? gs[gb + j] - Math.exp(ys[yb + j]) * s : ys[yb + j] * (gs[gb + j] - s);
    }
  }
}

/** gather / scatterAdd / indexSelect / indexAdd over [outer, dim, inner] layouts. Indices are int32 and valid. */
import type { Ref } from '../types';
import { arr } from './storage';

/** out[o, j, i] = x[o, idx[o, j, i], i]. */
export function gather(x: Ref, idx: Ref, out: Ref, outer: number, xDim: number, inner: number, idxDim: number): void {
  const xs = arr(x);
  const is = arr(idx);
  const os = arr(out);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idxDim; j++) {
      for (let i = 0; i < inner; i++) {
        const k = (o * idxDim + j) * inner + i;
        os[out.off + k] = xs[x.off + (o * xDim + is[idx.off + k]) * inner + i];
      }
    }
  }
}

/** out[o, idx[o, j, i], i] += src[o, j, i]. */
export function scatterAdd(src: Ref, idx: Ref, out: Ref, outer: number, outDim: number, inner: number,
  idxDim: number): void {
  const ss = arr(src);
  const is = arr(idx);
  const os = arr(out);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idxDim; j++) {
      for (let i = 0; i < inner; i++) {
        const k = (o * idxDim + j) * inner + i;
        os[out.off + (o * outDim + is[idx.off + k]) * inner + i] += ss[src.off + k];
      }
    }
  }
}

/** out[o, j, i] = x[o, idx[j], i]. */
export function indexSelect(x: Ref, idx: Ref, out: Ref, outer: number, xDim: number, inner: number, k: number): void {
  const xs = arr(x);
  const is = arr(idx);
  const os = arr(out);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const row = is[idx.off + j];
      for (let i = 0; i < inner; i++) {
        os[out.off + (o * k + j) * inner + i] = xs[x.off + (o * xDim + row) * inner + i];
      }
    }
  }
}

/** out[o, idx[j], i] += src[o, j, i]. */
export function indexAdd(src: Ref, idx: Ref, out: Ref, outer: number, outDim: number, inner: number, k: number): void {
  const ss = arr(src);
  const is = arr(idx);
  const os = arr(out);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const row = is[idx.off + j];
      for (let i = 0; i < inner; i++) {
        os[out.off + (o * outDim + row) * inner + i] += ss[src.off + (o * k + j) * inner + i];
      }
    }
  }
}

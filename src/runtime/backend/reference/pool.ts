/**
 * 2-D pooling over NCHW planes, transcribing ATen's CPU kernels (MaxPoolKernel, AvgPoolKernel,
 * AdaptiveAvgPoolKernel) so that windows, divisors, NaN handling and argmax indices match PyTorch.
 */
import type { Pool2dArgs, Ref } from '../types';
import { arr } from './storage';

interface Window { y0: number; y1: number; x0: number; x1: number }

/** Calls fn(plane, oy, ox, yi) for every output element; plane = n·c index. */
function forEachOutput(planes: number, oh: number, ow: number,
  fn: (plane: number, oy: number, ox: number, yi: number) => void): void {
  for (let p = 0; p < planes; p++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) fn(p, oy, ox, (p * oh + oy) * ow + ox);
    }
  }
}

/** Max-pool window: dilated taps from the first in-bounds one; ends clipped to the input. */
function maxWindow(a: Pool2dArgs, oy: number, ox: number): Window {
  let y0 = oy * a.sh - a.ph;
  let x0 = ox * a.sw - a.pw;
  const y1 = Math.min(y0 + (a.kh - 1) * a.dh + 1, a.h);
  const x1 = Math.min(x0 + (a.kw - 1) * a.dw + 1, a.w);
  while (y0 < 0) y0 += a.dh;
  while (x0 < 0) x0 += a.dw;
  return { y0, y1, x0, x1 };
}

/**
 * y = max over the window; idx = iy·w + ix of the max. Initial index is the first in-bounds tap with value −∞,
 * then a tap wins if it is strictly greater or NaN (so y is NaN if any tap is, with idx at the last NaN, and
 * ties keep the first), exactly as ATen. Padding never wins because it is never visited.
 */
export function maxPool2d(x: Ref, y: Ref, idx: Ref, a: Pool2dArgs): void {
  const xs = arr(x);
  const ys = arr(y);
  const is = arr(idx);
  const plane = a.h * a.w;
  forEachOutput(a.n * a.c, a.oh, a.ow, (p, oy, ox, yi) => {
    const win = maxWindow(a, oy, ox);
    let best = -Infinity;
    // a window entirely in the padding (possible with dilation) has no input tap: index -1, skipped by backward
    let bi = win.y0 < win.y1 && win.x0 < win.x1 ? win.y0 * a.w + win.x0 : -1;
    for (let iy = win.y0; iy < win.y1; iy += a.dh) {
      for (let ix = win.x0; ix < win.x1; ix += a.dw) {
        const v = xs[x.off + p * plane + iy * a.w + ix];
        if (v > best || v !== v) {
          best = v;
          bi = iy * a.w + ix;
        }
      }
    }
    ys[y.off + yi] = best;
    is[idx.off + yi] = bi;
  });
}

export function maxPool2dBackward(dy: Ref, idx: Ref, dx: Ref, a: Pool2dArgs): void {
  const gs = arr(dy);
  const is = arr(idx);
  const ds = arr(dx);
  const plane = a.h * a.w;
  const acc = new Float64Array(a.n * a.c * plane);
  forEachOutput(a.n * a.c, a.oh, a.ow, (p, _oy, _ox, yi) => {
    const i = is[idx.off + yi];
    if (i >= 0) acc[p * plane + i] += gs[dy.off + yi];
  });
  for (let i = 0; i < acc.length; i++) ds[dx.off + i] = acc[i];
}

/**
 * PyTorch's avg-pool window and divisor (see Pool2dArgs); divisor 0 marks an empty window (output 0).
 * dh/dw are not used: PyTorch's avg_pool2d has no dilation.
 */
function avgWindow(a: Pool2dArgs, oy: number, ox: number): Window & { div: number } {
  let y0 = oy * a.sh - a.ph;
  let x0 = ox * a.sw - a.pw;
  let y1 = Math.min(y0 + a.kh, a.h + a.ph);
  let x1 = Math.min(x0 + a.kw, a.w + a.pw);
  const poolSize = (y1 - y0) * (x1 - x0);
  y0 = Math.max(y0, 0);
  x0 = Math.max(x0, 0);
  y1 = Math.min(y1, a.h);
  x1 = Math.min(x1, a.w);
  if (y0 >= y1 || x0 >= x1) return { y0, y1, x0, x1, div: 0 };
  const div = a.divisorOverride || (a.countIncludePad ? poolSize : (y1 - y0) * (x1 - x0));
  return { y0, y1, x0, x1, div };
}

export function avgPool2d(x: Ref, y: Ref, a: Pool2dArgs): void {
  const xs = arr(x);
  const ys = arr(y);
  const plane = a.h * a.w;
  forEachOutput(a.n * a.c, a.oh, a.ow, (p, oy, ox, yi) => {
    const win = avgWindow(a, oy, ox);
    let s = 0;
    for (let iy = win.y0; iy < win.y1; iy++) {
      for (let ix = win.x0; ix < win.x1; ix++) s += xs[x.off + p * plane + iy * a.w + ix];
    }
    ys[y.off + yi] = win.div === 0 ? 0 : s / win.div;
  });
}

export function avgPool2dBackward(dy: Ref, dx: Ref, a: Pool2dArgs): void {
  const gs = arr(dy);
  const ds = arr(dx);
  const plane = a.h * a.w;
  const acc = new Float64Array(a.n * a.c * plane);
  forEachOutput(a.n * a.c, a.oh, a.ow, (p, oy, ox, yi) => {
    const win = avgWindow(a, oy, ox);
    if (win.div === 0) return;
    const g = gs[dy.off + yi] / win.div;
    for (let iy = win.y0; iy < win.y1; iy++) {
      for (let ix = win.x0; ix < win.x1; ix++) acc[p * plane + iy * a.w + ix] += g;
    }
  });
  for (let i = 0; i < acc.length; i++) ds[dx.off + i] = acc[i];
}

/** PyTorch's adaptive window along one axis: [floor(i·in/out), ceil((i+1)·in/out)). */
export function adaptiveRange(i: number, inSize: number, outSize: number): [number, number] {
  return [Math.floor((i * inSize) / outSize), Math.ceil(((i + 1) * inSize) / outSize)];
}

function adaptiveWindow(h: number, w: number, oh: number, ow: number, oy: number, ox: number): Window {
  const [y0, y1] = adaptiveRange(oy, h, oh);
  const [x0, x1] = adaptiveRange(ox, w, ow);
  return { y0, y1, x0, x1 };
}

export function adaptiveAvgPool2d(x: Ref, y: Ref, n: number, c: number, h: number, w: number, oh: number,
  ow: number): void {
  const xs = arr(x);
  const ys = arr(y);
  forEachOutput(n * c, oh, ow, (p, oy, ox, yi) => {
    const win = adaptiveWindow(h, w, oh, ow, oy, ox);
    let s = 0;
    for (let iy = win.y0; iy < win.y1; iy++) {
      for (let ix = win.x0; ix < win.x1; ix++) s += xs[x.off + p * h * w + iy * w + ix];
    }
    ys[y.off + yi] = s / ((win.y1 - win.y0) * (win.x1 - win.x0));
  });
}

export function adaptiveAvgPool2dBackward(dy: Ref, dx: Ref, n: number, c: number, h: number, w: number, oh: number,
  ow: number): void {
  const gs = arr(dy);
  const ds = arr(dx);
  const acc = new Float64Array(n * c * h * w);
  forEachOutput(n * c, oh, ow, (p, oy, ox, yi) => {
    const win = adaptiveWindow(h, w, oh, ow, oy, ox);
    const g = gs[dy.off + yi] / ((win.y1 - win.y0) * (win.x1 - win.x0));
    for (let iy = win.y0; iy < win.y1; iy++) {
      for (let ix = win.x0; ix < win.x1; ix++) acc[p * h * w + iy * w + ix] += g;
    }
  });
  for (let i = 0; i < acc.length; i++) ds[dx.off + i] = acc[i];
}

/**
 * 2-D convolution (NCHW, weights [O, C/groups, KH, KW]) by direct loops. Every formula is the definition:
 *   y[n, o, oy, ox] = bias[o] + Σ_{ci ∈ group(o), ky, kx} x[n, ci, iy, ix] · w[o, ci − group(o)·C/groups, ky, kx],
 *   iy = oy·sh − ph + ky·dh, ix = ox·sw − pw + kx·dw
 * with taps outside the input contributing zero (padding). Accumulation is float64.
 */
import type { Conv2dArgs, Ref } from '../types';
import { arr } from './storage';

interface Geometry {
  cpg: number; // input channels per group
  opg: number; // output channels per group
}

function geometry(a: Conv2dArgs): Geometry {
  return { cpg: a.c / a.groups, opg: a.o / a.groups };
}

const xIndex = (a: Conv2dArgs, n: number, ci: number, iy: number, ix: number): number =>
  ((n * a.c + ci) * a.h + iy) * a.w + ix;
const wIndex = (a: Conv2dArgs, cpg: number, oc: number, cig: number, ky: number, kx: number): number =>
  ((oc * cpg + cig) * a.kh + ky) * a.kw + kx;
const yIndex = (a: Conv2dArgs, n: number, oc: number, oy: number, ox: number): number =>
  ((n * a.o + oc) * a.oh + oy) * a.ow + ox;

/**
 * Calls fn(xi, wi) for every in-bounds tap of output (n, oc, oy, ox): xi indexes x, wi indexes w.
 * Shared by all three kernels so that forward and both backwards use literally the same taps.
 */
function forEachTap(a: Conv2dArgs, g: Geometry, n: number, oc: number, oy: number, ox: number,
  fn: (xi: number, wi: number) => void): void {
  const group = Math.floor(oc / g.opg);
  for (let cig = 0; cig < g.cpg; cig++) {
    const ci = group * g.cpg + cig;
    for (let ky = 0; ky < a.kh; ky++) {
      const iy = oy * a.sh - a.ph + ky * a.dh;
      if (iy < 0 || iy >= a.h) continue;
      for (let kx = 0; kx < a.kw; kx++) {
        const ix = ox * a.sw - a.pw + kx * a.dw;
        if (ix < 0 || ix >= a.w) continue;
        fn(xIndex(a, n, ci, iy, ix), wIndex(a, g.cpg, oc, cig, ky, kx));
      }
    }
  }
}

/** Calls fn(n, oc, oy, ox, yi) for every output position. */
function forEachOutput(a: Conv2dArgs, fn: (n: number, oc: number, oy: number, ox: number, yi: number) => void): void {
  for (let n = 0; n < a.n; n++) {
    for (let oc = 0; oc < a.o; oc++) {
      for (let oy = 0; oy < a.oh; oy++) {
        for (let ox = 0; ox < a.ow; ox++) fn(n, oc, oy, ox, yIndex(a, n, oc, oy, ox));
      }
    }
  }
}

export function conv2d(x: Ref, w: Ref, bias: Ref | null, y: Ref, a: Conv2dArgs): void {
  const xs = arr(x);
  const ws = arr(w);
  const ys = arr(y);
  const bs = bias ? arr(bias) : null;
  const g = geometry(a);
  forEachOutput(a, (n, oc, oy, ox, yi) => {
    let acc = bs && bias ? bs[bias.off + oc] : 0;
    forEachTap(a, g, n, oc, oy, ox, (xi, wi) => {
      acc += xs[x.off + xi] * ws[w.off + wi];
    });
    ys[y.off + yi] = acc;
  });
}

/** dx[xi] = Σ over every (output, tap) that read x[xi] of dy[output] · w[tap]. */
export function conv2dBackwardData(dy: Ref, w: Ref, dx: Ref, a: Conv2dArgs): void {
  const gs = arr(dy);
  const ws = arr(w);
  const ds = arr(dx);
  const g = geometry(a);
  const acc = new Float64Array(a.n * a.c * a.h * a.w);
  forEachOutput(a, (n, oc, oy, ox, yi) => {
    const gv = gs[dy.off + yi];
    forEachTap(a, g, n, oc, oy, ox, (xi, wi) => {
      acc[xi] += gv * ws[w.off + wi];
    });
  });
  for (let i = 0; i < acc.length; i++) ds[dx.off + i] = acc[i];
}

/** dw[wi] = Σ over every (output, tap) that used w[wi] of dy[output] · x[tap], summed over the batch. */
export function conv2dBackwardFilter(x: Ref, dy: Ref, dw: Ref, a: Conv2dArgs): void {
  const xs = arr(x);
  const gs = arr(dy);
  const ds = arr(dw);
  const g = geometry(a);
  const acc = new Float64Array(a.o * g.cpg * a.kh * a.kw);
  forEachOutput(a, (n, oc, oy, ox, yi) => {
    const gv = gs[dy.off + yi];
    forEachTap(a, g, n, oc, oy, ox, (xi, wi) => {
      acc[wi] += gv * xs[x.off + xi];
    });
  });
  for (let i = 0; i < acc.length; i++) ds[dw.off + i] = acc[i];
}

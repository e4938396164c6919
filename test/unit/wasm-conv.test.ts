/** conv2d forward / dX / dW vs float64 loops: stride, padding (incl. asymmetric), dilation, groups, bias. */
import type { Conv2dArgs } from '../../src/runtime/backend/types';
import { assertClose, core, randomArray, ref, upload } from './wasm-helpers';

type Spec = Partial<Conv2dArgs> & { n: number; c: number; h: number; w: number; o: number; kh: number; kw: number;
  extraH?: number; extraW?: number };

function full(s: Spec): Conv2dArgs {
  const sh = s.sh ?? 1, sw = s.sw ?? 1, ph = s.ph ?? 0, pw = s.pw ?? 0, dh = s.dh ?? 1, dw = s.dw ?? 1;
  // extraH/W: padding after = before + extra (PyTorch 'same' with even kernels).
  const oh = Math.floor((s.h + 2 * ph + (s.extraH ?? 0) - dh * (s.kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((s.w + 2 * pw + (s.extraW ?? 0) - dw * (s.kw - 1) - 1) / sw) + 1;
  return { n: s.n, c: s.c, h: s.h, w: s.w, o: s.o, kh: s.kh, kw: s.kw, sh, sw, ph, pw, dh, dw,
    groups: s.groups ?? 1, oh, ow };
}

/** Calls f(n, o, oy, ox, xIndex, wIndex) for every in-range tap. */
function taps(a: Conv2dArgs, f: (yi: number, xi: number, wi: number) => void): void {
  const cg = a.c / a.groups, og = a.o / a.groups;
  for (let n = 0; n < a.n; n++) for (let o = 0; o < a.o; o++) {
    const g = Math.floor(o / og);
    for (let oy = 0; oy < a.oh; oy++) for (let ox = 0; ox < a.ow; ox++) {
      const yi = ((n * a.o + o) * a.oh + oy) * a.ow + ox;
      for (let ci = 0; ci < cg; ci++) for (let ky = 0; ky < a.kh; ky++) for (let kx = 0; kx < a.kw; kx++) {
        const iy = oy * a.sh - a.ph + ky * a.dh, ix = ox * a.sw - a.pw + kx * a.dw;
        if (iy < 0 || iy >= a.h || ix < 0 || ix >= a.w) continue;
        const c = g * cg + ci;
        f(yi, ((n * a.c + c) * a.h + iy) * a.w + ix, ((o * cg + ci) * a.kh + ky) * a.kw + kx);
      }
    }
  }
}

function check(s: Spec, seed: number, withBias = true): void {
  const be = core();
  const a = full(s);
  const cg = a.c / a.groups;
  const xN = a.n * a.c * a.h * a.w, wN = a.o * cg * a.kh * a.kw, yN = a.n * a.o * a.oh * a.ow;
  const X = randomArray(xN, seed), Wt = randomArray(wN, seed + 1), B = randomArray(a.o, seed + 2);
  const DY = randomArray(yN, seed + 3);
  const Y = new Float64Array(yN), DX = new Float64Array(xN), DW = new Float64Array(wN);
  if (withBias) for (let i = 0; i < yN; i++) Y[i] = B[Math.floor(i / (a.oh * a.ow)) % a.o];
  taps(a, (yi, xi, wi) => { Y[yi] += X[xi] * Wt[wi]; DX[xi] += DY[yi] * Wt[wi]; DW[wi] += DY[yi] * X[xi]; });

  const sx = upload(be, X, 1), sw = upload(be, Wt, 2), sb = upload(be, B, 3), sdy = upload(be, DY, 1);
  const sy = upload(be, new Float64Array(yN).fill(NaN), 1), sdx = upload(be, new Float64Array(xN).fill(NaN), 2);
  const sdw = upload(be, new Float64Array(wN).fill(NaN), 3);
  be.conv2d(ref(sx, 1), ref(sw, 2), withBias ? ref(sb, 3) : null, ref(sy, 1), a);
  be.conv2dBackwardData(ref(sdy, 1), ref(sw, 2), ref(sdx, 2), a);
  be.conv2dBackwardFilter(ref(sx, 1), ref(sdy, 1), ref(sdw, 3), a);
  const what = JSON.stringify(s);
  const terms = cg * a.kh * a.kw;
  assertClose((sy.view() as Float32Array).subarray(1), Y, 2e-6, terms, `forward ${what}`);
  assertClose((sdx.view() as Float32Array).subarray(2), DX, 2e-6, a.o * a.kh * a.kw, `dX ${what}`);
  assertClose((sdw.view() as Float32Array).subarray(3), DW, 2e-6, a.n * a.oh * a.ow, `dW ${what}`);
  for (const st of [sx, sw, sb, sdy, sy, sdx, sdw]) st.release();
}

describe('wasm conv2d (forward, dX, dW)', () => {
  it('plain 3x3, awkward channel counts and sizes', () => {
    let seed = 1;
    for (const c of [1, 3, 5]) for (const o of [1, 6, 9]) check({ n: 2, c, h: 7, w: 9, o, kh: 3, kw: 3 }, seed++);
  });
  it('stride, padding, dilation', () => {
    check({ n: 2, c: 3, h: 11, w: 10, o: 5, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1 }, 11);
    check({ n: 1, c: 2, h: 9, w: 13, o: 4, kh: 3, kw: 2, sh: 3, sw: 2, ph: 2, pw: 0 }, 12);
    check({ n: 2, c: 4, h: 12, w: 12, o: 3, kh: 3, kw: 3, dh: 2, dw: 3, ph: 2, pw: 3 }, 13);
    check({ n: 1, c: 1, h: 5, w: 5, o: 2, kh: 5, kw: 5, ph: 4, pw: 4 }, 14); // mostly padding
  });
  it('asymmetric padding (more after, as PyTorch "same" with even kernels)', () => {
    check({ n: 2, c: 3, h: 8, w: 7, o: 4, kh: 4, kw: 2, ph: 1, pw: 0, extraH: 1, extraW: 1 }, 21);
  });
  it('groups (incl. depthwise) and no bias', () => {
    check({ n: 2, c: 6, h: 7, w: 8, o: 9, kh: 3, kw: 3, groups: 3, ph: 1, pw: 1 }, 31);
    check({ n: 2, c: 4, h: 6, w: 6, o: 4, kh: 3, kw: 3, groups: 4, sh: 2, sw: 2, ph: 1, pw: 1 }, 32, false);
    check({ n: 1, c: 8, h: 5, w: 5, o: 16, kh: 1, kw: 1, groups: 2 }, 33);
  });
  it('1x1 pointwise (im2col skipped) and 1x1 with stride', () => {
    check({ n: 3, c: 17, h: 5, w: 7, o: 9, kh: 1, kw: 1 }, 41);
    check({ n: 2, c: 5, h: 6, w: 7, o: 3, kh: 1, kw: 1, sh: 2, sw: 2 }, 42);
  });
  it('im2col in row chunks (tiny chunk budgets: 1 row, and a partial last chunk)', () => {
    const ex = core().ctx.ex;
    try {
      for (const budget of [1, 3 * 27 * 9 * 4 * 2]) {
        ex.conv_set_chunk(budget);
        check({ n: 2, c: 3, h: 11, w: 9, o: 5, kh: 3, kw: 3, ph: 1, pw: 1 }, 61);
        check({ n: 1, c: 3, h: 12, w: 10, o: 4, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 2, dh: 2, dw: 1 }, 62);
      }
    } finally {
      ex.conv_set_chunk(0); // default
    }
  });
  it('small images batched into one GEMM, with a partial last batch (N = 11)', () => {
    check({ n: 11, c: 2, h: 7, w: 9, o: 3, kh: 3, kw: 3, ph: 1, pw: 1 }, 71);
    check({ n: 11, c: 4, h: 5, w: 6, o: 6, kh: 2, kw: 3, sh: 2, groups: 2 }, 72, false);
  });
  it('LeNet-like shapes and a larger layer crossing GEMM blocks', () => {
    check({ n: 2, c: 1, h: 28, w: 28, o: 6, kh: 5, kw: 5, ph: 2, pw: 2 }, 51);
    check({ n: 2, c: 6, h: 14, w: 14, o: 16, kh: 5, kw: 5 }, 52);
    check({ n: 1, c: 33, h: 17, w: 17, o: 65, kh: 3, kw: 3, ph: 1, pw: 1 }, 53);
  });
});

/** wasm pooling and softmax kernels vs float64 oracles written here (PyTorch's window and divisor rules). */
import type { Pool2dArgs } from '../../src/runtime/backend/types';
import { SIZES, assertNear, assertSame, get, out, put, randf, randi, release, wasm } from './wasm-ew-common.test';

/** PyTorch's pooling output size, including the ceil-mode rule that the last window must start inside. */
function outSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = size + 2 * p - d * (k - 1) - 1;
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (o - 1) * s >= size + p) o--;
  return o;
}

function poolConfigs(avg: boolean): Pool2dArgs[] {
  const res: Pool2dArgs[] = [];
  const dims: Array<[number, number]> = [[1, 1], [5, 7], [8, 8], [9, 6], [4, 17], [7, 25], [6, 16]];
  for (const [h, w] of dims) for (const k of [1, 2, 3]) for (const kw of new Set([k, Math.min(k + 1, 3)])) {
    for (const s of [1, 2, 3]) for (const p of [0, 1]) for (const d of avg ? [1] : [1, 2]) for (const ceil of [false, true]) {
      if (2 * p > Math.min(k, kw)) continue;
      const oh = outSize(h, k, s, p, d, ceil);
      const ow = outSize(w, kw, s, p, d, ceil);
      if (oh < 1 || ow < 1 || h + 2 * p < d * (k - 1) + 1 || w + 2 * p < d * (kw - 1) + 1) continue;
      for (const [cip, dov] of avg ? [[true, 0], [false, 0], [false, 3]] as const : [[false, 0]] as const) {
        res.push({ n: 2, c: 3, h, w, kh: k, kw, sh: s, sw: s, ph: p, pw: p, dh: d, dw: d, oh, ow,
          countIncludePad: cip, divisorOverride: dov });
      }
    }
  }
  return res;
}

function maxPoolOracle(xs: number[], a: Pool2dArgs): { y: number[]; idx: number[] } {
  const y: number[] = [];
  const idx: number[] = [];
  for (let pl = 0; pl < a.n * a.c; pl++) {
    for (let oy = 0; oy < a.oh; oy++) for (let ox = 0; ox < a.ow; ox++) {
      let best = -Infinity;
      let bi = -1;
      for (let ky = 0; ky < a.kh; ky++) for (let kx = 0; kx < a.kw; kx++) {
        const iy = oy * a.sh - a.ph + ky * a.dh;
        const ix = ox * a.sw - a.pw + kx * a.dw;
        if (iy < 0 || iy >= a.h || ix < 0 || ix >= a.w) continue;
        const v = xs[pl * a.h * a.w + iy * a.w + ix];
        if (bi < 0) bi = iy * a.w + ix; // the first valid position (kept if everything is -inf); -1 if none
        if (v > best || Number.isNaN(v)) { best = v; bi = iy * a.w + ix; }
      }
      y.push(best); idx.push(bi);
    }
  }
  return { y, idx };
}

/** Clipped window and divisor, per the rule documented in types.ts Pool2dArgs. */
function avgWindow(a: Pool2dArgs, oy: number, ox: number): [number, number, number, number, number] {
  let y0 = oy * a.sh - a.ph, x0 = ox * a.sw - a.pw;
  let y1 = Math.min(y0 + a.kh, a.h + a.ph), x1 = Math.min(x0 + a.kw, a.w + a.pw);
  const poolSize = (y1 - y0) * (x1 - x0);
  y0 = Math.max(y0, 0); x0 = Math.max(x0, 0); y1 = Math.min(y1, a.h); x1 = Math.min(x1, a.w);
  const div = a.divisorOverride || (a.countIncludePad ? poolSize : (y1 - y0) * (x1 - x0));
  return [y0, y1, x0, x1, div];
}

function avgOracle(xs: number[], dys: number[], a: Pool2dArgs): { y: number[]; dx: number[] } {
  const y: number[] = [];
  const dx = new Array(a.n * a.c * a.h * a.w).fill(0);
  let q = 0;
  for (let pl = 0; pl < a.n * a.c; pl++) {
    for (let oy = 0; oy < a.oh; oy++) for (let ox = 0; ox < a.ow; ox++, q++) {
      const [y0, y1, x0, x1, div] = avgWindow(a, oy, ox);
      let s = 0;
      for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) {
        s += xs[pl * a.h * a.w + iy * a.w + ix];
        dx[pl * a.h * a.w + iy * a.w + ix] += dys[q] / div;
      }
      y.push(y1 > y0 && x1 > x0 ? s / div : 0);
    }
  }
  return { y, dx };
}

describe('wasm-ew: pooling', () => {
  it('maxPool2d (+ indices, padding never wins, ties keep the first, NaN wins) and backward', () => {
    const be = wasm();
    poolConfigs(false).forEach((a, k) => {
      const nIn = a.n * a.c * a.h * a.w, nOut = a.n * a.c * a.oh * a.ow;
      const xs = randi(nIn, k, -6, -1).map((v, i) => (i % 23 === 7 ? NaN : i % 11 === 3 ? -Infinity : v));
      const x = put(be, 'float32', xs);
      const y = out(be, 'float32', nOut);
      const idx = out(be, 'int32', nOut);
      be.maxPool2d(x, y, idx, a);
      const want = maxPoolOracle(xs, a);
      const what = `maxPool ${JSON.stringify(a)}`;
      assertSame(get(y, nOut), want.y, what);
      assertSame(get(idx, nOut), want.idx, `${what} idx`);
      const dys = randf(nOut, k + 1, -1, 1);
      const dy = put(be, 'float32', dys);
      const dx = out(be, 'float32', nIn);
      be.maxPool2dBackward(dy, idx, dx, a);
      const wdx = new Array(nIn).fill(0);
      want.idx.forEach((r, q) => {
        if (r >= 0) wdx[Math.floor(q / (a.oh * a.ow)) * a.h * a.w + r] += dys[q];
      });
      assertNear(get(dx, nIn), wdx, `${what} backward`);
      release(x, y, idx, dy, dx);
    });
  });

  it('avgPool2d (countIncludePad, ceil-mode windows, divisorOverride) and backward', () => {
    const be = wasm();
    poolConfigs(true).forEach((a, k) => {
      const nIn = a.n * a.c * a.h * a.w, nOut = a.n * a.c * a.oh * a.ow;
      const xs = randf(nIn, k, -2, 2);
      const dys = randf(nOut, k + 5, -1, 1);
      const x = put(be, 'float32', xs);
      const y = out(be, 'float32', nOut);
      be.avgPool2d(x, y, a);
      const want = avgOracle(xs, dys, a);
      const what = `avgPool ${JSON.stringify(a)}`;
      assertNear(get(y, nOut), want.y, what);
      const dy = put(be, 'float32', dys);
      const dx = out(be, 'float32', nIn);
      be.avgPool2dBackward(dy, dx, a);
      assertNear(get(dx, nIn), want.dx, `${what} backward`);
      release(x, y, dy, dx);
    });
  });

  it('adaptiveAvgPool2d windows [floor(i*h/oh), ceil((i+1)*h/oh)) and backward', () => {
    const be = wasm();
    const cases: Array<[number, number, number, number]> = [[1, 1, 1, 1], [7, 7, 3, 3], [5, 9, 2, 4], [3, 2, 5, 4],
      [8, 8, 1, 1], [6, 10, 6, 10], [17, 5, 4, 3]];
    cases.forEach(([h, w, oh, ow], k) => {
      const n = 2, c = 3;
      const xs = randf(n * c * h * w, k, -2, 2);
      const dys = randf(n * c * oh * ow, k + 1, -1, 1);
      const wy: number[] = [];
      const wdx = new Array(xs.length).fill(0);
      let q = 0;
      for (let pl = 0; pl < n * c; pl++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++, q++) {
        const y0 = Math.floor(oy * h / oh), y1 = Math.ceil((oy + 1) * h / oh);
        const x0 = Math.floor(ox * w / ow), x1 = Math.ceil((ox + 1) * w / ow);
        const cnt = (y1 - y0) * (x1 - x0);
        let s = 0;
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) {
          s += xs[pl * h * w + iy * w + ix];
          wdx[pl * h * w + iy * w + ix] += dys[q] / cnt;
        }
        wy.push(s / cnt);
      }
      const x = put(be, 'float32', xs);
      const y = out(be, 'float32', wy.length);
      be.adaptiveAvgPool2d(x, y, n, c, h, w, oh, ow);
      assertNear(get(y, wy.length), wy, `adaptive ${[h, w, oh, ow]}`);
      const dy = put(be, 'float32', dys);
      const dx = out(be, 'float32', xs.length);
      be.adaptiveAvgPool2dBackward(dy, dx, n, c, h, w, oh, ow);
      assertNear(get(dx, xs.length), wdx, `adaptive backward ${[h, w, oh, ow]}`);
      release(x, y, dy, dx);
    });
  });
});

describe('wasm-ew: softmax', () => {
  for (const log of [false, true]) {
    it(`${log ? 'log-' : ''}softmax rows (stable, -inf entries, NaN and +inf rows) and backward`, () => {
      const be = wasm();
      for (const cols of [...SIZES, 100]) {
        const rows = 4;
        const xs = randf(rows * cols, cols, -20, 20);
        xs[0] = -Infinity; // row 0 has a -inf entry (its probability is 0)
        xs[cols] = 80; // row 1 would overflow without max subtraction
        xs[2 * cols + cols - 1] = NaN; // row 2 becomes all NaN
        if (cols > 1) xs[3 * cols + 1] = Infinity; // row 3: inf − inf = NaN, as PyTorch
        const wy: number[] = [];
        for (let r = 0; r < rows; r++) {
          const row = xs.slice(r * cols, (r + 1) * cols);
          const m = Math.max(...row);
          const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
          for (const v of row) wy.push(log ? v - lse : Math.exp(v - lse));
        }
        const x = put(be, 'float32', xs);
        const y = out(be, 'float32', xs.length);
        be.softmax(x, y, rows, cols, log);
        const ys = get(y, xs.length);
        assertNear(ys, wy.map(Math.fround), `softmax log=${log} cols=${cols}`, 4e-6, 1e-6);
        const dys = randf(xs.length, cols + 3, -1, 1);
        const wdx: number[] = [];
        for (let r = 0; r < rows; r++) {
          const yr = ys.slice(r * cols, (r + 1) * cols), gr = dys.slice(r * cols, (r + 1) * cols);
          const s = log ? gr.reduce((a, b) => a + b, 0) : gr.reduce((a, g, j) => a + g * yr[j], 0);
          for (let j = 0; j < cols; j++) wdx.push(log ? gr[j] - Math.exp(yr[j]) * s : yr[j] * (gr[j] - s));
        }
        const dy = put(be, 'float32', dys);
        const dx = out(be, 'float32', xs.length);
        be.softmaxBackward(y, dy, dx, rows, cols, log);
        assertNear(get(dx, xs.length), wdx.map(Math.fround), `softmax backward log=${log} cols=${cols}`, 4e-6, 2e-6);
        release(x, y, dy, dx);
      }
    });
  }
});

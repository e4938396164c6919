// 2-D pooling over NCHW float32 planes: max (with int32 flat indices iy*w+ix), average (PyTorch's divisor
// rule), adaptive average, and their backward passes. Flat exports over byte addresses; no allocation.
//
// `meta` points to int32 words: n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, countIncludePad,
// divisorOverride (see Pool2dArgs in src/runtime/backend/types.ts).

@inline function m(meta: usize, k: i32): i32 { return load<i32>(meta + (<usize>k << 2)); }
@inline function addr(p: usize, k: i32): usize { return p + (<usize>k << 2); }

@inline function zero(p: usize, n: i32): void { memory.fill(p, 0, <usize>n << 2); }

/** One max-pool output (generic window with padding / dilation); see pool_max2d_f32 for the rules. */
@inline function maxOne(xp: usize, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32,
  dw: i32, oy: i32, ox: i32, py: usize, pi: usize): void {
  let y0 = oy * sh - ph;
  const y1 = min(y0 + (kh - 1) * dh + 1, h);
  while (y0 < 0) y0 += dh;
  let x0 = ox * sw - pw;
  const x1 = min(x0 + (kw - 1) * dw + 1, w);
  while (x0 < 0) x0 += dw;
  let best: f32 = -Infinity;
  let bi = y0 < y1 && x0 < x1 ? y0 * w + x0 : -1; // -1: the window lies entirely in the padding
  for (let iy = y0; iy < y1; iy += dh) {
    for (let ix = x0; ix < x1; ix += dw) {
      const k = iy * w + ix;
      const v = load<f32>(addr(xp, k));
      const take = (v > best) | (v != v); // branchless: random data mispredicts a branch half the time
      best = select<f32>(v, best, take);
      bi = select<i32>(k, bi, take);
    }
  }
  store<f32>(py, best);
  store<i32>(pi, bi);
}

/** 2×2 stride-2 windows of 4 adjacent outputs, all inside the plane, in the same scan order and update rule. */
@inline function max2x2x4(xp: usize, w: i32, oy: i32, ox: i32, py: usize, pi: usize): void {
  const k0 = 2 * oy * w + 2 * ox;
  const r0 = addr(xp, k0);
  const r1 = addr(xp, k0 + w);
  const a0 = v128.load(r0), a1 = v128.load(r0, 16), b0 = v128.load(r1), b1 = v128.load(r1, 16);
  let best = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
  let bi = i32x4.add(i32x4.splat(k0), i32x4(0, 2, 4, 6));
  let c = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
  let mk = v128.or(f32x4.gt(c, best), f32x4.ne(c, c));
  best = v128.bitselect(c, best, mk);
  bi = v128.bitselect(i32x4.add(bi, i32x4.splat(1)), bi, mk);
  const base1 = i32x4.add(i32x4.splat(k0 + w), i32x4(0, 2, 4, 6));
  c = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
  mk = v128.or(f32x4.gt(c, best), f32x4.ne(c, c));
  best = v128.bitselect(c, best, mk);
  bi = v128.bitselect(base1, bi, mk);
  c = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
  mk = v128.or(f32x4.gt(c, best), f32x4.ne(c, c));
  best = v128.bitselect(c, best, mk);
  bi = v128.bitselect(i32x4.add(base1, i32x4.splat(1)), bi, mk);
  v128.store(py, best);
  v128.store(pi, bi);
}

/**
 * 4 adjacent outputs whose windows lie inside the plane, any kernel / dilation, column stride 1 or 2: each lane
 * scans its window in PyTorch's order (rows, then columns) with the same update rule as maxOne.
 */
@inline function maxInterior4(xp: usize, w: i32, kh: i32, kw: i32, sw: i32, dh: i32, dw: i32, y0: i32, x0: i32,
  py: usize, pi: usize): void {
  const lanes = sw == 1 ? i32x4(0, 1, 2, 3) : i32x4(0, 2, 4, 6);
  let best = f32x4.splat(-Infinity);
  let bi = i32x4.add(i32x4.splat(y0 * w + x0), lanes);
  for (let ky = 0; ky < kh; ky++) {
    const row = (y0 + ky * dh) * w + x0;
    for (let kx = 0; kx < kw; kx++) {
      const k = row + kx * dw;
      const q = addr(xp, k);
      const c = sw == 1 ? v128.load(q) : v128.shuffle<f32>(v128.load(q), v128.load(q, 16), 0, 2, 4, 6);
      const mk = v128.or(f32x4.gt(c, best), f32x4.ne(c, c));
      best = v128.bitselect(c, best, mk);
      bi = v128.bitselect(i32x4.add(i32x4.splat(k), lanes), bi, mk);
    }
  }
  v128.store(py, best);
  v128.store(pi, bi);
}

/** Runs of 4 outputs in row oy whose windows (and vector loads) lie inside the plane; returns outputs done. */
@inline function maxRowInterior(xp: usize, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  dh: i32, dw: i32, oy: i32, ox: i32, ow: i32, py: usize, pi: usize): i32 {
  const y0 = oy * sh - ph;
  if ((sw != 1 && sw != 2) || y0 < 0 || y0 + (kh - 1) * dh >= h) return 0;
  const reach = (kw - 1) * dw + (sw == 1 ? 3 : 7); // last column a vector load reads, relative to x0
  let done = 0;
  for (; ox + done + 4 <= ow; done += 4) {
    const x0 = (ox + done) * sw - pw;
    if (x0 < 0 || x0 + reach >= w) break;
    const o = <usize>done << 2;
    if (sw == 1) maxInterior4(xp, w, kh, kw, 1, dh, dw, y0, x0, py + o, pi + o); // constant stride: no branch
    else maxInterior4(xp, w, kh, kw, 2, dh, dw, y0, x0, py + o, pi + o);
  }
  return done;
}

/**
 * Max pool. Padding never wins; ties keep the first; a NaN wins (PyTorch: val > max || isnan(val), so the last
 * NaN's index); a window with only -inf gives the first valid position. A window lying entirely in the padding
 * (possible with dilation) gives -inf and index -1, which the backward skips (as PyTorch's backward does).
 * Interior windows run 4 outputs per step with SIMD (column stride 1 or 2); 2×2 stride 2 has its own path.
 */
export function pool_max2d_f32(x: usize, y: usize, idx: usize, meta: usize): void {
  const planes = m(meta, 0) * m(meta, 1), h = m(meta, 2), w = m(meta, 3), oh = m(meta, 12), ow = m(meta, 13);
  const kh = m(meta, 4), kw = m(meta, 5), sh = m(meta, 6), sw = m(meta, 7);
  const ph = m(meta, 8), pw = m(meta, 9), dh = m(meta, 10), dw = m(meta, 11);
  const fast = kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1;
  let po = 0;
  for (let p = 0; p < planes; p++) {
    const xp = addr(x, p * h * w);
    for (let oy = 0; oy < oh; oy++) {
      let ox = 0;
      if (fast && 2 * oy + 1 < h) {
        for (; ox + 4 <= ow && 2 * ox + 8 <= w; ox += 4, po += 4) max2x2x4(xp, w, oy, ox, addr(y, po), addr(idx, po));
      }
      while (ox < ow) { // interior runs of 4 with SIMD, border outputs one by one
        const done = maxRowInterior(xp, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oy, ox, ow, addr(y, po), addr(idx, po));
        ox += done; po += done;
        if (ox >= ow) break;
        maxOne(xp, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oy, ox, addr(y, po), addr(idx, po));
        ox++; po++;
      }
    }
  }
}

/** dx = 0, then dx[plane, idx] += dy (idx -1 is skipped). */
export function pool_max2d_backward_f32(dy: usize, idx: usize, dx: usize, meta: usize): void {
  const planes = m(meta, 0) * m(meta, 1), hw = m(meta, 2) * m(meta, 3), ohw = m(meta, 12) * m(meta, 13);
  zero(dx, planes * hw);
  let po = 0;
  for (let p = 0; p < planes; p++) {
    const dp = addr(dx, p * hw);
    for (let j = 0; j < ohw; j++, po++) {
      const k = load<i32>(addr(idx, po));
      if (k < 0) continue;
      const d = addr(dp, k);
      store<f32>(d, load<f32>(d) + load<f32>(addr(dy, po)));
    }
  }
}

/**
 * The average-pool window of output (oy, ox), clipped, and its divisor, exactly PyTorch's rule:
 * end = min(start + k, size + pad); poolSize from the unclipped window; then clip to [0, size).
 * Returns the divisor (0 when the clipped window is empty); leaves the clipped window in wy0, wy1, wx0, wx1.
 */
let wy0 = 0, wy1 = 0, wx0 = 0, wx1 = 0;
@inline function avgWindow(meta: usize, oy: i32, ox: i32): i32 {
  const h = m(meta, 2), w = m(meta, 3);
  let y0 = oy * m(meta, 6) - m(meta, 8);
  let x0 = ox * m(meta, 7) - m(meta, 9);
  let y1 = min(y0 + m(meta, 4), h + m(meta, 8));
  let x1 = min(x0 + m(meta, 5), w + m(meta, 9));
  const poolSize = (y1 - y0) * (x1 - x0);
  y0 = max(y0, 0); x0 = max(x0, 0); y1 = min(y1, h); x1 = min(x1, w);
  wy0 = y0; wy1 = y1; wx0 = x0; wx1 = x1;
  if (y0 >= y1 || x0 >= x1) return 0;
  const ovr = m(meta, 15);
  if (ovr != 0) return ovr;
  return m(meta, 14) != 0 ? poolSize : (y1 - y0) * (x1 - x0);
}

/** Average pool (no dilation, as PyTorch). Empty windows give 0. Unpadded 2×2 stride 2 runs 4 outputs per step. */
export function pool_avg2d_f32(x: usize, y: usize, meta: usize): void {
  const planes = m(meta, 0) * m(meta, 1), h = m(meta, 2), w = m(meta, 3), oh = m(meta, 12), ow = m(meta, 13);
  const fast = m(meta, 4) == 2 && m(meta, 5) == 2 && m(meta, 6) == 2 && m(meta, 7) == 2 && m(meta, 8) == 0 &&
    m(meta, 9) == 0;
  const ovr = m(meta, 15);
  const fastDiv = f32x4.splat(<f32>select<i32>(ovr, 4, ovr != 0));
  let po = 0;
  for (let p = 0; p < planes; p++) {
    const xp = addr(x, p * h * w);
    for (let oy = 0; oy < oh; oy++) {
      let ox = 0;
      if (fast && 2 * oy + 1 < h) { // full 2×2 windows, summed in the scalar order: x00 + x01 + x10 + x11
        for (; ox + 4 <= ow && 2 * ox + 8 <= w; ox += 4, po += 4) {
          const r0 = addr(xp, 2 * oy * w + 2 * ox), r1 = addr(r0, w);
          const a0 = v128.load(r0), a1 = v128.load(r0, 16), b0 = v128.load(r1), b1 = v128.load(r1, 16);
          let s = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 2, 4, 6), v128.shuffle<f32>(a0, a1, 1, 3, 5, 7));
          s = f32x4.add(f32x4.add(s, v128.shuffle<f32>(b0, b1, 0, 2, 4, 6)), v128.shuffle<f32>(b0, b1, 1, 3, 5, 7));
          v128.store(addr(y, po), f32x4.div(s, fastDiv));
        }
      }
      for (; ox < ow; ox++, po++) {
        const div = avgWindow(meta, oy, ox);
        const y0 = wy0, y1 = wy1, x0 = wx0, x1 = wx1;
        let s: f32 = 0;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) s += load<f32>(addr(xp, iy * w + ix));
        }
        store<f32>(addr(y, po), div == 0 ? <f32>0 : s / <f32>div);
      }
    }
  }
}

/** dx = 0, then every input in the window gets dy / divisor. */
export function pool_avg2d_backward_f32(dy: usize, dx: usize, meta: usize): void {
  const planes = m(meta, 0) * m(meta, 1), h = m(meta, 2), w = m(meta, 3), oh = m(meta, 12), ow = m(meta, 13);
  zero(dx, planes * h * w);
  let po = 0;
  for (let p = 0; p < planes; p++) {
    const dp = addr(dx, p * h * w);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++, po++) {
        const div = avgWindow(meta, oy, ox);
        if (div == 0) continue;
        const y0 = wy0, y1 = wy1, x0 = wx0, x1 = wx1;
        const g = load<f32>(addr(dy, po)) / <f32>div;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const d = addr(dp, iy * w + ix);
            store<f32>(d, load<f32>(d) + g);
          }
        }
      }
    }
  }
}

@inline function adStart(i: i32, size: i32, osize: i32): i32 { return <i32>((<i64>i * size) / osize); }
@inline function adEnd(i: i32, size: i32, osize: i32): i32 {
  return <i32>(((<i64>(i + 1) * size) + osize - 1) / osize);
}

/** Adaptive average pool: window [floor(i*h/oh), ceil((i+1)*h/oh)). */
export function pool_adaptive_avg2d_f32(x: usize, y: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32): void {
  let po = 0;
  for (let p = 0; p < planes; p++) {
    const xp = addr(x, p * h * w);
    for (let oy = 0; oy < oh; oy++) {
      const y0 = adStart(oy, h, oh), y1 = adEnd(oy, h, oh);
      for (let ox = 0; ox < ow; ox++, po++) {
        const x0 = adStart(ox, w, ow), x1 = adEnd(ox, w, ow);
        let s: f32 = 0;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) s += load<f32>(addr(xp, iy * w + ix));
        }
        store<f32>(addr(y, po), s / <f32>((y1 - y0) * (x1 - x0)));
      }
    }
  }
}

/** dx = 0, then each input in a window gets dy / window size. */
export function pool_adaptive_avg2d_backward_f32(dy: usize, dx: usize, planes: i32, h: i32, w: i32, oh: i32,
  ow: i32): void {
  zero(dx, planes * h * w);
  let po = 0;
  for (let p = 0; p < planes; p++) {
    const dp = addr(dx, p * h * w);
    for (let oy = 0; oy < oh; oy++) {
      const y0 = adStart(oy, h, oh), y1 = adEnd(oy, h, oh);
      for (let ox = 0; ox < ow; ox++, po++) {
        const x0 = adStart(ox, w, ow), x1 = adEnd(ox, w, ow);
        const g = load<f32>(addr(dy, po)) / <f32>((y1 - y0) * (x1 - x0));
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const d = addr(dp, iy * w + ix);
            store<f32>(d, load<f32>(d) + g);
          }
        }
      }
    }
  }
}

// Fused memory-bound kernels: BatchNorm (training statistics, per-channel affine, backward reductions and
// apply), the multi-tensor SGD / Adam updates, and the SIMD peak probe the bench divides by.
// Layout for BatchNorm: x contiguous [n, c, hw] (NCHW with hw = H*W, or [N, C] with hw = 1); per-channel arrays
// are f32[c]. Statistics accumulate in f32x4 over chunks of <= 4096 elements, then in f64 across chunks.

const CHUNK: i32 = 4096;

@inline function hsum(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) +
    <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/**
 * Per-channel batch statistics with the channel's first element as shift K (sums of x-K and (x-K)^2, so no
 * catastrophic cancellation when |mean| >> std): mean[c], biased var[c], invstd[c] = 1/sqrt(var + eps).
 */
export function bn_stats_f32(x: usize, n: i32, c: i32, hw: i32, mean: usize, varOut: usize, invstd: usize, eps: f32): void {
  bn_stats_range_f32(x, n, c, hw, 0, c, mean, varOut, invstd, eps);
}

/**
 * bn_stats_f32 for channels [c0, c1) only (the worker pool splits the channels; each channel's loop is the same, so
 * its result does not depend on the split).
 */
export function bn_stats_range_f32(x: usize, n: i32, c: i32, hw: i32, c0: i32, c1: i32, mean: usize, varOut: usize,
  invstd: usize, eps: f32): void {
  const cnt = <f64>n * <f64>hw;
  for (let ch = c0; ch < c1; ch++) {
    const k = load<f32>(x + (<usize>ch * <usize>hw << 2));
    const kv = f32x4.splat(k);
    let s1: f64 = 0, s2: f64 = 0;
    for (let s = 0; s < n; s++) {
      const base = x + ((<usize>s * <usize>c + <usize>ch) * <usize>hw << 2);
      for (let j0 = 0; j0 < hw; j0 += CHUNK) {
        const j1 = min(hw, j0 + CHUNK);
        let a1 = f32x4.splat(0), a2 = f32x4.splat(0);
        let j = j0;
        for (; j + 4 <= j1; j += 4) {
          const d = f32x4.sub(v128.load(base + (<usize>j << 2)), kv);
          a1 = f32x4.add(a1, d);
          a2 = f32x4.add(a2, f32x4.mul(d, d));
        }
        let t1 = hsum(a1), t2 = hsum(a2);
        for (; j < j1; j++) {
          const d = <f64>(load<f32>(base + (<usize>j << 2)) - k);
          t1 += d;
          t2 += d * d;
        }
        s1 += t1;
        s2 += t2;
      }
    }
    const m1 = s1 / cnt;
    let v = s2 / cnt - m1 * m1;
    if (v < 0) v = 0;
    store<f32>(mean + (<usize>ch << 2), <f32>(<f64>k + m1));
    store<f32>(varOut + (<usize>ch << 2), <f32>v);
    store<f32>(invstd + (<usize>ch << 2), <f32>(1.0 / Math.sqrt(v + <f64>eps)));
  }
}

/** y = x * scale[c] + shift[c] (one pass; y may alias x). */
export function bn_apply_f32(x: usize, y: usize, n: i32, c: i32, hw: i32, scale: usize, shift: usize): void {
  for (let s = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      const off = (<usize>s * <usize>c + <usize>ch) * <usize>hw << 2;
      const a = load<f32>(scale + (<usize>ch << 2)), b = load<f32>(shift + (<usize>ch << 2));
      const av = f32x4.splat(a), bv = f32x4.splat(b);
      const xp = x + off, yp = y + off;
      let j = 0;
      for (; j + 4 <= hw; j += 4) {
        const o = <usize>j << 2;
        v128.store(yp + o, f32x4.add(f32x4.mul(v128.load(xp + o), av), bv));
      }
      for (; j < hw; j++) store<f32>(yp + (<usize>j << 2), load<f32>(xp + (<usize>j << 2)) * a + b);
    }
  }
}

/** Backward reductions: sumDy[c] = Σ dy, sumDyXm[c] = Σ dy·(x − mean[c]) over n and hw. */
export function bn_backward_reduce_f32(dy: usize, x: usize, n: i32, c: i32, hw: i32, mean: usize, sumDy: usize, sumDyXm: usize): void {
  bn_backward_reduce_range_f32(dy, x, n, c, hw, 0, c, mean, sumDy, sumDyXm);
}

/** bn_backward_reduce_f32 for channels [c0, c1) only (the worker pool's split). */
export function bn_backward_reduce_range_f32(dy: usize, x: usize, n: i32, c: i32, hw: i32, c0: i32, c1: i32,
  mean: usize, sumDy: usize, sumDyXm: usize): void {
  for (let ch = c0; ch < c1; ch++) {
    const m = load<f32>(mean + (<usize>ch << 2));
    const mv = f32x4.splat(m);
    let s1: f64 = 0, s2: f64 = 0;
    for (let s = 0; s < n; s++) {
      const off = (<usize>s * <usize>c + <usize>ch) * <usize>hw << 2;
      const gp = dy + off, xp = x + off;
      for (let j0 = 0; j0 < hw; j0 += CHUNK) {
        const j1 = min(hw, j0 + CHUNK);
        let a1 = f32x4.splat(0), a2 = f32x4.splat(0);
        let j = j0;
        for (; j + 4 <= j1; j += 4) {
          const o = <usize>j << 2;
          const g = v128.load(gp + o);
          a1 = f32x4.add(a1, g);
          a2 = f32x4.add(a2, f32x4.mul(g, f32x4.sub(v128.load(xp + o), mv)));
        }
        let t1 = hsum(a1), t2 = hsum(a2);
        for (; j < j1; j++) {
          const g = load<f32>(gp + (<usize>j << 2));
          t1 += <f64>g;
          t2 += <f64>(g * (load<f32>(xp + (<usize>j << 2)) - m));
        }
        s1 += t1;
        s2 += t2;
      }
    }
    store<f32>(sumDy + (<usize>ch << 2), <f32>s1);
    store<f32>(sumDyXm + (<usize>ch << 2), <f32>s2);
  }
}

/**
 * dx = A[c]·dy + K[c]·(x − mean[c]) + C[c]: the whole BatchNorm input gradient in one pass (x − mean formed
 * explicitly, as PyTorch's CPU kernel, so a large mean costs no precision).
 */
export function bn_backward_apply_f32(dy: usize, x: usize, dx: usize, n: i32, c: i32, hw: i32, ca: usize, ck: usize,
  cc: usize, mean: usize): void {
  for (let s = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      const off = (<usize>s * <usize>c + <usize>ch) * <usize>hw << 2;
      const co = <usize>ch << 2;
      const a = load<f32>(ca + co), k = load<f32>(ck + co), q = load<f32>(cc + co), m = load<f32>(mean + co);
      const av = f32x4.splat(a), kv = f32x4.splat(k), qv = f32x4.splat(q), mv = f32x4.splat(m);
      const gp = dy + off, xp = x + off, dp = dx + off;
      let j = 0;
      for (; j + 4 <= hw; j += 4) {
        const o = <usize>j << 2;
        const t = f32x4.mul(f32x4.sub(v128.load(xp + o), mv), kv);
        v128.store(dp + o, f32x4.add(f32x4.add(f32x4.mul(v128.load(gp + o), av), t), qv));
      }
      for (; j < hw; j++) {
        const o = <usize>j << 2;
        store<f32>(dp + o, load<f32>(gp + o) * a + (load<f32>(xp + o) - m) * k + q);
      }
    }
  }
}

// ---- optimizers: one call updates every parameter of a group ----------------------------------------------
// A table of `count` entries of 8 x i32/f32 words describes the tensors (byte addresses, 0 = absent):
//   SGD:  [p, g, buf, n, first(0/1), 0, 0, 0]
//   Adam: [p, g, m, v, vmax, n, stepSize (f32), 1/sqrt(bc2) (f32)]
// The arithmetic follows PyTorch 1.13's single-tensor updates operation by operation (no FMA), so the results
// equal the per-tensor path bit for bit.

/** nlr = −lr, damp1 = 1 − dampening (computed by the caller in f64 and rounded once, as PyTorch's scalars). */
export function sgd_step_f32(table: usize, count: i32, nlr: f32, momentum: f32, damp1: f32, wd: f32,
  nesterov: i32, maximize: i32): void {
  for (let e = 0; e < count; e++) {
    const row = table + (<usize>e << 5);
    const p = <usize>load<u32>(row), g = <usize>load<u32>(row, 4), buf = <usize>load<u32>(row, 8);
    const n = load<i32>(row, 12), first = load<i32>(row, 16);
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      let d = load<f32>(g + o);
      if (maximize) d = -d;
      const pv = load<f32>(p + o);
      if (wd != 0) d = d + wd * pv;
      if (momentum != 0) {
        let b: f32;
        if (first) b = d;
        else b = load<f32>(buf + o) * momentum + damp1 * d;
        store<f32>(buf + o, b);
        d = nesterov ? d + momentum * b : b;
      }
      store<f32>(p + o, pv + d * nlr);
    }
  }
}

/** omb1 = 1 − β1, omb2 = 1 − β2, decay = 1 − lr·wd (AdamW), all rounded once from f64 by the caller. */
export function adam_step_f32(table: usize, count: i32, b1: f32, omb1: f32, b2: f32, omb2: f32, eps: f32, wd: f32,
  decay: f32, decoupled: i32, amsgrad: i32, maximize: i32): void {
  for (let e = 0; e < count; e++) {
    const row = table + (<usize>e << 5);
    const p = <usize>load<u32>(row), g = <usize>load<u32>(row, 4), m = <usize>load<u32>(row, 8);
    const v = <usize>load<u32>(row, 12), vmax = <usize>load<u32>(row, 16), n = load<i32>(row, 20);
    const nStep = -load<f32>(row, 24), invSqrtBc2 = load<f32>(row, 28);
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      let gv = load<f32>(g + o);
      if (maximize) gv = -gv;
      let pv = load<f32>(p + o);
      if (wd != 0) {
        if (decoupled) pv = pv * decay;
        else gv = gv + wd * pv;
      }
      const mv = load<f32>(m + o) * b1 + omb1 * gv;
      const vv = load<f32>(v + o) * b2 + (omb2 * gv) * gv;
      store<f32>(m + o, mv);
      store<f32>(v + o, vv);
      let vh = vv;
      if (amsgrad) {
        const prev = load<f32>(vmax + o);
        vh = prev > vv || isNaN(prev) ? prev : vv;
        store<f32>(vmax + o, vh);
      }
      const denom = Mathf.sqrt(vh) * invSqrtBc2 + eps; // the per-tensor path divides by a scalar as x·(1/s)
      store<f32>(p + o, pv + (mv * nStep) / denom);
    }
  }
}

// ---- SIMD peak probe --------------------------------------------------------------------------------------

/** FLOPs per iteration of simd_peak: 8 independent chains of one f32x4 multiply-add (8 flops each). */
export function simd_peak_flops_per_iter(): i32 {
  return 64;
}

/** 8 independent f32x4 mul+add chains (relaxed_madd in the relaxed build), `iters` times; returns a checksum. */
export function simd_peak(iters: i32): f32 {
  let a0 = f32x4.splat(0.1), a1 = f32x4.splat(0.2), a2 = f32x4.splat(0.3), a3 = f32x4.splat(0.4);
  let a4 = f32x4.splat(0.5), a5 = f32x4.splat(0.6), a6 = f32x4.splat(0.7), a7 = f32x4.splat(0.8);
  const m = f32x4.splat(0.999999), c = f32x4.splat(1e-7);
  for (let i = 0; i < iters; i++) {
    a0 = madd(a0, m, c); a1 = madd(a1, m, c); a2 = madd(a2, m, c); a3 = madd(a3, m, c);
    a4 = madd(a4, m, c); a5 = madd(a5, m, c); a6 = madd(a6, m, c); a7 = madd(a7, m, c);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(s, 0);
}

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

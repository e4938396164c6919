// Activation epilogues fused into the BatchNorm kernels (nn.Sequential's BatchNorm → ReLU: one pass instead of
// two, forward and backward). The arithmetic is fused.ts's, operation for operation, with ReLU applied as the
// elementwise kernel does (v < 0 ? 0 : v, which keeps NaN and −0) and its gradient as ATen's threshold_backward
// on the result (y > 0 ? dy : 0, so relu'(0) = 0): results equal the unfused pair's bit for bit.

const CHUNK: i32 = 4096;

@inline function hsum(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) +
    <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/** y = relu(x * scale[c] + shift[c]) (one pass; y may alias x). */
export function bn_apply_relu_f32(x: usize, y: usize, n: i32, c: i32, hw: i32, scale: usize, shift: usize): void {
  const zero = f32x4.splat(0);
  for (let s = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      const off = (<usize>s * <usize>c + <usize>ch) * <usize>hw << 2;
      const a = load<f32>(scale + (<usize>ch << 2)), b = load<f32>(shift + (<usize>ch << 2));
      const av = f32x4.splat(a), bv = f32x4.splat(b);
      const xp = x + off, yp = y + off;
      let j = 0;
      for (; j + 4 <= hw; j += 4) {
        const o = <usize>j << 2;
        const v = f32x4.add(f32x4.mul(v128.load(xp + o), av), bv);
        v128.store(yp + o, v128.bitselect(zero, v, f32x4.lt(v, zero)));
      }
      for (; j < hw; j++) {
        const v = load<f32>(xp + (<usize>j << 2)) * a + b;
        store<f32>(yp + (<usize>j << 2), v < 0 ? <f32>0 : v);
      }
    }
  }
}

/**
 * bn_backward_reduce_f32 of the masked gradient g = (y > 0 ? dy : 0): sumDy[c] = Σ g, sumDyXm[c] = Σ g·(x − mean[c]).
 * y > 0 is recomputed from x as the forward computed it (x·scale[c] + shift[c] > 0, the same rounding), so the
 * pass reads two arrays, as the unfused BatchNorm backward does.
 */
export function bn_backward_reduce_relu_f32(dy: usize, x: usize, n: i32, c: i32, hw: i32, mean: usize, scale: usize,
  shift: usize, sumDy: usize, sumDyXm: usize): void {
  bn_backward_reduce_relu_range_f32(dy, x, n, c, hw, 0, c, mean, scale, shift, sumDy, sumDyXm);
}

/** bn_backward_reduce_relu_f32 over the channels [c0, c1) only (the worker pool's split; same loop per channel). */
export function bn_backward_reduce_relu_range_f32(dy: usize, x: usize, n: i32, c: i32, hw: i32, c0: i32, c1: i32,
  mean: usize, scale: usize, shift: usize, sumDy: usize, sumDyXm: usize): void {
  const zero = f32x4.splat(0);
  for (let ch = c0; ch < c1; ch++) {
    const m = load<f32>(mean + (<usize>ch << 2));
    const mv = f32x4.splat(m);
    const a = load<f32>(scale + (<usize>ch << 2)), b = load<f32>(shift + (<usize>ch << 2));
    const av = f32x4.splat(a), bv = f32x4.splat(b);
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
          const xv = v128.load(xp + o);
          const on = f32x4.gt(f32x4.add(f32x4.mul(xv, av), bv), zero);
          const g = v128.bitselect(v128.load(gp + o), zero, on);
          a1 = f32x4.add(a1, g);
          a2 = f32x4.add(a2, f32x4.mul(g, f32x4.sub(xv, mv)));
        }
        let t1 = hsum(a1), t2 = hsum(a2);
        for (; j < j1; j++) {
          const o = <usize>j << 2;
          const xs = load<f32>(xp + o);
          const g: f32 = xs * a + b > 0 ? load<f32>(gp + o) : <f32>0;
          t1 += <f64>g;
          t2 += <f64>(g * (xs - m));
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
 * dx = A[c]·g + K[c]·(x − mean[c]) + C[c] with g = (y > 0 ? dy : 0) (bn_backward_apply_f32 of the masked gradient;
 * y > 0 recomputed from x as in bn_backward_reduce_relu_f32).
 */
export function bn_backward_apply_relu_f32(dy: usize, x: usize, dx: usize, n: i32, c: i32, hw: i32, ca: usize,
  ck: usize, cc: usize, mean: usize, scale: usize, shift: usize): void {
  const zero = f32x4.splat(0);
  for (let s = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      const off = (<usize>s * <usize>c + <usize>ch) * <usize>hw << 2;
      const co = <usize>ch << 2;
      const a = load<f32>(ca + co), k = load<f32>(ck + co), q = load<f32>(cc + co), m = load<f32>(mean + co);
      const sa = load<f32>(scale + co), sb = load<f32>(shift + co);
      const av = f32x4.splat(a), kv = f32x4.splat(k), qv = f32x4.splat(q), mv = f32x4.splat(m);
      const sav = f32x4.splat(sa), sbv = f32x4.splat(sb);
      const gp = dy + off, xp = x + off, dp = dx + off;
      let j = 0;
      for (; j + 4 <= hw; j += 4) {
        const o = <usize>j << 2;
        const xv = v128.load(xp + o);
        const on = f32x4.gt(f32x4.add(f32x4.mul(xv, sav), sbv), zero);
        const g = v128.bitselect(v128.load(gp + o), zero, on);
        const t = f32x4.mul(f32x4.sub(xv, mv), kv);
        v128.store(dp + o, f32x4.add(f32x4.add(f32x4.mul(g, av), t), qv));
      }
      for (; j < hw; j++) {
        const o = <usize>j << 2;
        const xs = load<f32>(xp + o);
        const g: f32 = xs * sa + sb > 0 ? load<f32>(gp + o) : <f32>0;
        store<f32>(dp + o, g * a + (xs - m) * k + q);
      }
    }
  }
}

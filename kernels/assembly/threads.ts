// Kernels the worker pool (src/runtime/backend/wasm/pool-split.ts) needs besides the serial ones: BatchNorm
// reductions over a channel range [c0, c1) of a contiguous [n, c, hw] (each channel's loop is the one of
// bn_stats_f32 / bn_backward_reduce_f32 in fused.ts, operation for operation, so a channel's result does not depend
// on how the channels were split), and the ordered sum of per-thread partial conv weight gradients.

const CHUNK: i32 = 4096;

@inline function hsum(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) +
    <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/** bn_stats_f32 for channels [c0, c1) only. */
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

/** bn_backward_reduce_f32 for channels [c0, c1) only. */
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

/** dst[i] += src[k][i] for k = 0 .. count − 1 in order (partials `stride` bytes apart), i < n. */
export function sum_partials_f32(dst: usize, src: usize, count: i32, stride: usize, n: i32): void {
  for (let k = 0; k < count; k++) {
    const s = src + <usize>k * stride;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(s + o)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(dst + o, load<f32>(dst + o) + load<f32>(s + o));
    }
  }
}

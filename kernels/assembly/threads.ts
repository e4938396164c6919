// Kernels the worker pool (src/runtime/backend/wasm/pool-split.ts) needs besides the serial ones: the ordered sum
// of per-thread partial conv weight gradients. (The channel-range BatchNorm reductions are in fused.ts and
// epilogue.ts, where the whole-tensor kernels call them with the full range.)

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

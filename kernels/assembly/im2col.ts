// im2col / col2im for the NCHW convolution (conv.ts), plus small copy helpers. Pointers are byte addresses.
// Rows are short (one output row) in the common case: plain v128 loops beat bulk-memory calls there.

@inline export function min32(a: i32, b: i32): i32 { return a < b ? a : b; }
@inline export function max32(a: i32, b: i32): i32 { return a > b ? a : b; }
@inline export function align16(x: usize): usize { return (x + 15) & ~15; }

// First output index o in [0, outN) with lo <= o*s + off, i.e. ceil((lo - off) / s), clamped.
@inline function firstAtLeast(lo: i32, off: i32, s: i32, outN: i32): i32 {
  const d = lo - off;
  const q = d <= 0 ? 0 : (d + s - 1) / s;
  return min32(q, outN);
}

// Short rows are the common case (one output row per call): plain v128 loops beat the bulk-memory calls.
@inline export function zero(p: usize, n: usize): void {
  if (n >= 256) { memory.fill(p, 0, n << 2); return; }
  const z = f32x4.splat(0);
  const end = p + (n << 2);
  for (; p + 16 <= end; p += 16) v128.store(p, z);
  for (; p < end; p += 4) store<f32>(p, 0);
}

@inline export function copyF32(dst: usize, src: usize, n: i32): void {
  if (n >= 256) { memory.copy(dst, src, <usize>n << 2); return; }
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

// For output rows [oy0, oy1); `ld` is the row stride of col in elements (>= (oy1 - oy0) * OW):
// col[(c*KH + ky)*KW + kx][(oy - oy0)*OW + ox] = x[c][oy*sh - ph + ky*dh][ox*sw - pw + kx*dw] (0 outside).
export function im2col(x: usize, C: i32, H: i32, W: i32, KH: i32, KW: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  dh: i32, dw: i32, oy0: i32, oy1: i32, OW: i32, col: usize, ld: i32): void {
  let row = col;
  for (let c = 0; c < C; c++) {
    const plane = x + ((<usize>c * <usize>H * <usize>W) << 2);
    for (let ky = 0; ky < KH; ky++) {
      for (let kx = 0; kx < KW; kx++) {
        const offX = kx * dw - pw;
        const ox0 = firstAtLeast(0, offX, sw, OW);
        const ox1 = max32(ox0, firstAtLeast(W, offX, sw, OW));
        for (let oy = oy0; oy < oy1; oy++) {
          const dst = row + ((<usize>(oy - oy0) * <usize>OW) << 2);
          const iy = oy * sh - ph + ky * dh;
          if (iy < 0 || iy >= H) { zero(dst, <usize>OW); continue; }
          const src = plane + ((<usize>iy * <usize>W) << 2);
          if (ox0 > 0) zero(dst, <usize>ox0);
          if (sw == 1) {
            copyF32(dst + (<usize>ox0 << 2), src + (<usize>(ox0 + offX) << 2), ox1 - ox0);
          } else {
            for (let ox = ox0; ox < ox1; ox++) {
              store<f32>(dst + (<usize>ox << 2), load<f32>(src + (<usize>(ox * sw + offX) << 2)));
            }
          }
          if (ox1 < OW) zero(dst + (<usize>ox1 << 2), <usize>(OW - ox1));
        }
        row += <usize>ld << 2;
      }
    }
  }
}

// dst[i] += src[i], i < n.
@inline function addInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

// The adjoint of im2col (same rows and ld): x[c][iy][ix] += col[...] for in-range taps.
export function col2im(col: usize, C: i32, H: i32, W: i32, KH: i32, KW: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  dh: i32, dw: i32, oy0: i32, oy1: i32, OW: i32, x: usize, ld: i32): void {
  let row = col;
  for (let c = 0; c < C; c++) {
    const plane = x + ((<usize>c * <usize>H * <usize>W) << 2);
    for (let ky = 0; ky < KH; ky++) {
      for (let kx = 0; kx < KW; kx++) {
        const offX = kx * dw - pw;
        const ox0 = firstAtLeast(0, offX, sw, OW);
        const ox1 = max32(ox0, firstAtLeast(W, offX, sw, OW));
        for (let oy = oy0; oy < oy1; oy++) {
          const iy = oy * sh - ph + ky * dh;
          if (iy < 0 || iy >= H) continue;
          const src = row + ((<usize>(oy - oy0) * <usize>OW) << 2);
          const dst = plane + ((<usize>iy * <usize>W) << 2);
          if (sw == 1) {
            addInto(dst + (<usize>(ox0 + offX) << 2), src + (<usize>ox0 << 2), ox1 - ox0);
          } else {
            for (let ox = ox0; ox < ox1; ox++) {
              const d = dst + (<usize>(ox * sw + offX) << 2);
              store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>ox << 2)));
            }
          }
        }
        row += <usize>ld << 2;
      }
    }
  }
}


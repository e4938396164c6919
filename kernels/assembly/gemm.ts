// Packed, register-tiled SGEMM: C = alpha * op(A) · op(B) + beta * C   (row-major, leading dims in elements).
//
// Structure (GotoBLAS-style): for each NC column block, for each KC depth block, pack B into 8-wide panels
// (zero-padded edge panel); for each MC row block, pack A into 4-row tiles [kc][4] (+ a 2-row and a 1-row tile
// for the M remainder); then run the 4x8 "loadsplat" micro-kernel (8 f32x4 accumulators, one load32_splat of A
// per row and two B loads per k). Transposes are absorbed by the packers. beta == 0 never reads C.
// Scratch for the packed blocks is passed in by the caller (`pack`, gemm_scratch_bytes() bytes, 16-aligned).
import { packRowsT, packCols } from './pack';

const MC_DEFAULT: i32 = 64;
const KC_DEFAULT: i32 = 384;
const NC_DEFAULT: i32 = 256;
let MC: i32 = MC_DEFAULT;
let KC: i32 = KC_DEFAULT;
let NC: i32 = NC_DEFAULT;

/** Tuning / test hook: block sizes (mc rounded up to 4, nc to 8); a value <= 0 restores its default. */
export function gemm_set_blocking(mc: i32, kc: i32, nc: i32): void {
  MC = mc > 0 ? (mc + 3) & ~3 : MC_DEFAULT;
  KC = kc > 0 ? kc : KC_DEFAULT;
  NC = nc > 0 ? (nc + 7) & ~7 : NC_DEFAULT;
}

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  else return f32x4.add(c, f32x4.mul(a, b));
}

@inline function min32(a: i32, b: i32): i32 { return a < b ? a : b; }

/** Stores the first `cnt` lanes (any cnt; >= 4 stores all) of alpha*v (+ beta*C). */
@inline function storeN(c: usize, v: v128, cnt: i32, beta: f32): void {
  if (cnt >= 4) {
    if (beta != 0) v = madd(f32x4.splat(beta), v128.load(c), v);
    v128.store(c, v);
  } else if (cnt > 0) {
    if (beta != 0) {
      let old = cnt == 1 ? v128.load32_zero(c) : v128.load64_zero(c);
      if (cnt == 3) old = v128.load32_lane(c, old, 2, 8);
      v = madd(f32x4.splat(beta), old, v);
    }
    if (cnt == 1) v128.store32_lane(c, v, 0);
    else {
      v128.store64_lane(c, v, 0);
      if (cnt == 3) v128.store32_lane(c, v, 2, 8);
    }
  }
}

@inline function storeRow(c: usize, v0: v128, v1: v128, nr: i32, alpha: f32, beta: f32): void {
  if (alpha != 1) {
    const va = f32x4.splat(alpha);
    v0 = f32x4.mul(v0, va); v1 = f32x4.mul(v1, va);
  }
  storeN(c, v0, nr, beta);
  storeN(c + 16, v1, nr - 4, beta);
}

// 4 rows x 8 columns. pa: [kc][4], pb: [kc][8]; c: top-left of the C tile; ldc in bytes.
function kernel4x8(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, nr: i32, alpha: f32, beta: f32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 16; pb += 32;
  }
  storeRow(c, c00, c01, nr, alpha, beta);
  storeRow(c + ldc, c10, c11, nr, alpha, beta);
  storeRow(c + 2 * ldc, c20, c21, nr, alpha, beta);
  storeRow(c + 3 * ldc, c30, c31, nr, alpha, beta);
}

function kernel2x8(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, nr: i32, alpha: f32, beta: f32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    pa += 8; pb += 32;
  }
  storeRow(c, c00, c01, nr, alpha, beta);
  storeRow(c + ldc, c10, c11, nr, alpha, beta);
}

function kernel1x8(kc: i32, pa: usize, pb: usize, c: usize, nr: i32, alpha: f32, beta: f32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), d00 = f32x4.splat(0), d01 = f32x4.splat(0);
  let p = 0;
  for (; p + 2 <= kc; p += 2) {
    const a0 = v128.load32_splat(pa), a1 = v128.load32_splat(pa, 4);
    c00 = madd(a0, v128.load(pb), c00); c01 = madd(a0, v128.load(pb, 16), c01);
    d00 = madd(a1, v128.load(pb, 32), d00); d01 = madd(a1, v128.load(pb, 48), d01);
    pa += 8; pb += 64;
  }
  if (p < kc) {
    const a0 = v128.load32_splat(pa);
    c00 = madd(a0, v128.load(pb), c00); c01 = madd(a0, v128.load(pb, 16), c01);
  }
  storeRow(c, f32x4.add(c00, d00), f32x4.add(c01, d01), nr, alpha, beta);
}

// Packs rows [i0, i0+mc) x depth [k0, k0+kc) of op(A): 4-row tiles, then a 2-row and a 1-row tile.
function packA(a: usize, lda: i32, transA: bool, i0: i32, mc: i32, k0: i32, kc: i32, dst: usize): void {
  let i = 0;
  while (i < mc) {
    const left = mc - i;
    const w = left >= 4 ? 4 : left >= 2 ? 2 : 1;
    if (transA) packCols(a, lda, i0 + i, w, k0, kc, dst, w);
    else packRowsT(a, lda, i0 + i, w, k0, kc, dst, w);
    dst += (<usize>kc * <usize>w) << 2;
    i += w;
  }
}

function packB(b: usize, ldb: i32, transB: bool, j0: i32, nc: i32, k0: i32, kc: i32, dst: usize): void {
  if (!transB) {
    // Row by row (contiguous reads; avoids streaming one 32-byte column strip at a power-of-two stride).
    const full = nc & ~7;
    const panelStride = <usize>kc << 5;
    for (let p = 0; p < kc; p++) {
      const src = b + ((<usize>(k0 + p) * <usize>ldb + <usize>j0) << 2);
      let d = dst + (<usize>p << 5);
      for (let j = 0; j < full; j += 8) {
        const s = src + (<usize>j << 2);
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        d += panelStride;
      }
    }
    if (full < nc) packCols(b, ldb, j0 + full, nc - full, k0, kc, dst + <usize>(full >> 3) * panelStride, 8);
    return;
  }
  for (let j = 0; j < nc; j += 8) {
    const w = min32(8, nc - j);
    if (transB) packRowsT(b, ldb, j0 + j, w, k0, kc, dst, 8);
    else packCols(b, ldb, j0 + j, w, k0, kc, dst, 8);
    dst += <usize>kc << 5;
  }
}

// The macro-kernel: one packed A block (mc rows) times one packed B block (nc columns).
function macro(mc: i32, nc: i32, kc: i32, pA: usize, pB: usize, c: usize, ldc: i32, alpha: f32, beta: f32): void {
  const ldcb = <usize>ldc << 2;
  for (let j = 0; j < nc; j += 8) {
    const nr = min32(8, nc - j);
    const pb = pB + ((<usize>(j >> 3) * <usize>kc) << 5);
    let pa = pA;
    let cp = c + (<usize>j << 2);
    let i = 0;
    for (; i + 4 <= mc; i += 4) {
      kernel4x8(kc, pa, pb, cp, ldcb, nr, alpha, beta);
      pa += <usize>kc << 4; cp += ldcb << 2;
    }
    if (i + 2 <= mc) {
      kernel2x8(kc, pa, pb, cp, ldcb, nr, alpha, beta);
      pa += <usize>kc << 3; cp += ldcb << 1; i += 2;
    }
    if (i < mc) kernel1x8(kc, pa, pb, cp, nr, alpha, beta);
  }
}

function scaleC(m: i32, n: i32, c: usize, ldc: i32, beta: f32): void {
  for (let i = 0; i < m; i++) {
    const row = c + ((<usize>i * <usize>ldc) << 2);
    for (let j = 0; j < n; j++) {
      const p = row + (<usize>j << 2);
      store<f32>(p, beta == 0 ? 0 : load<f32>(p) * beta);
    }
  }
}

/** Bytes of packing scratch gemm() needs for this problem (16-aligned). */
export function gemm_scratch_bytes(m: i32, n: i32, k: i32): i32 {
  const kc = min32(KC, k > 0 ? k : 1);
  const mc = (min32(MC, m) + 3) & ~3;
  const nc = (min32(NC, n) + 7) & ~7;
  return (mc * kc + nc * kc) * 4 + 32;
}

/**
 * Packs all of op(A) (m x k) once, in the layout gemm_prepacked() reads: K block pc, row block ic at element
 * offset pc*m + ic*kc. Reuse it across calls that share A (conv weights over images / row chunks).
 * Needs m*k floats; valid until gemm_set_blocking() changes the blocking.
 */
export function gemm_pack_a(transA: bool, m: i32, k: i32, a: usize, lda: i32, dst: usize): void {
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min32(KC, k - pc);
    for (let ic = 0; ic < m; ic += MC) {
      packA(a, lda, transA, ic, min32(MC, m - ic), pc, kc, dst + ((<usize>pc * <usize>m + <usize>ic * <usize>kc) << 2));
    }
  }
}

/** gemm() with op(A) already packed by gemm_pack_a(). */
export function gemm_prepacked(packedA: usize, transB: bool, m: i32, n: i32, k: i32,
  b: usize, ldb: i32, c: usize, ldc: i32, alpha: f32, beta: f32, pack: usize): void {
  gemmImpl(false, transB, m, n, k, 0, 0, packedA, b, ldb, c, ldc, alpha, beta, pack);
}

export function gemm(transA: bool, transB: bool, m: i32, n: i32, k: i32, a: usize, lda: i32,
  b: usize, ldb: i32, c: usize, ldc: i32, alpha: f32, beta: f32, pack: usize): void {
  gemmImpl(transA, transB, m, n, k, a, lda, 0, b, ldb, c, ldc, alpha, beta, pack);
}

function gemmImpl(transA: bool, transB: bool, m: i32, n: i32, k: i32, a: usize, lda: i32, packedA: usize,
  b: usize, ldb: i32, c: usize, ldc: i32, alpha: f32, beta: f32, pack: usize): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0) { scaleC(m, n, c, ldc, beta); return; }
  const kcMax = min32(KC, k);
  const pA = pack;
  const pB = pack + ((<usize>(((min32(MC, m) + 3) & ~3) * kcMax) << 2) + 15 & ~15);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min32(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min32(KC, k - pc);
      const bet: f32 = pc == 0 ? beta : 1;
      packB(b, ldb, transB, jc, nc, pc, kc, pB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min32(MC, m - ic);
        let blockA = pA;
        if (packedA != 0) blockA = packedA + ((<usize>pc * <usize>m + <usize>ic * <usize>kc) << 2);
        else packA(a, lda, transA, ic, mc, pc, kc, pA);
        macro(mc, nc, kc, blockA, pB, c + ((<usize>ic * <usize>ldc + <usize>jc) << 2), ldc, alpha, bet);
      }
    }
  }
}

/** Batched gemm; strides in elements, 0 broadcasts. */
export function gemm_batched(transA: bool, transB: bool, m: i32, n: i32, k: i32, a: usize, lda: i32,
  b: usize, ldb: i32, c: usize, ldc: i32, alpha: f32, beta: f32, batch: i32,
  strideA: i32, strideB: i32, strideC: i32, pack: usize): void {
  for (let i = 0; i < batch; i++) {
    gemm(transA, transB, m, n, k, a + ((<usize>i * <usize>strideA) << 2), lda,
      b + ((<usize>i * <usize>strideB) << 2), ldb, c + ((<usize>i * <usize>strideC) << 2), ldc,
      alpha, beta, pack);
  }
}

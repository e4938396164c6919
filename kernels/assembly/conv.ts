// 2-D convolution, NCHW, weights [O, C/groups, KH, KW], as im2col + packed GEMM (see gemm.ts, im2col.ts).
//
// Per image and group, with Kg = Cg*KH*KW and P = OH*OW:
//   forward: Y_g[Og, P]   = W_g[Og, Kg] · col[Kg, P]          (+ bias)
//   dX:      col[Kg, P]   = W_gᵀ · dY_g[Og, P], then col2im scatter-adds col into dX (zeroed first)
//   dW:      dW_g[Og, Kg] += dY_g · colᵀ                      (beta = 1 after the first block)
// Padding: top/left = ph/pw; bottom/right implied by oh/ow; out-of-range taps read as 0 (and are dropped in col2im).
// Big images: col is built for a few output rows at a time (~colBudget bytes, still in L2 when the GEMM packs it).
// Small images (P small): several images share one GEMM (columns side by side), so the GEMM is not starved;
// dY rows are gathered into a temp and outputs scattered back. 1x1 / stride 1 / unpadded convs skip im2col.
// The weights (the GEMM's A operand in forward and dX) are packed once per group, not per chunk.
// Scratch (caller-provided, conv_scratch_bytes()): [col][packed weights Og*Kg][temp Og x cols][gemm packing].
import { gemm, gemm_pack_a, gemm_prepacked, gemm_scratch_bytes } from './gemm';
import { align16, col2im, copyF32, im2col, max32, min32, zero } from './im2col';

const COL_BUDGET: i32 = 256 * 1024;
let colBudget: i32 = COL_BUDGET;
// dW (a reduction over the columns) prefers longer blocks: it uses DW_SCALE x the budget.
const DW_SCALE: i32 = 4;
// Batch small images until a GEMM has about this many columns.
const TARGET_COLS: i32 = 512;

/** Tuning / test hook: bytes of col per block (<= 0 restores the default). */
export function conv_set_chunk(bytes: i32): void { colBudget = bytes > 0 ? bytes : COL_BUDGET; }

// Output rows per block (whole image when it fits), and images per block (> 1 only for whole images).
@inline function blockRows(Kg: i32, OH: i32, OW: i32, scale: i32): i32 {
  return max32(1, min32(OH, (colBudget / max32(1, Kg * OW * 4)) * scale));
}
@inline function blockImages(Kg: i32, OH: i32, OW: i32, N: i32, scale: i32): i32 {
  const P = max32(1, OH * OW);
  if (blockRows(Kg, OH, OW, scale) < OH) return 1;
  const byBudget = (colBudget / max32(1, Kg * 4)) * scale / P;
  return max32(1, min32(N, min32(byBudget, (TARGET_COLS + P - 1) / P)));
}

@inline function isPointwise(KH: i32, KW: i32, sh: i32, sw: i32, ph: i32, pw: i32, H: i32, W: i32,
  OH: i32, OW: i32): bool {
  return KH == 1 && KW == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && OH == H && OW == W;
}

/**
 * Images per block of the conv kernels for these dims (1 for a pointwise conv, or when one image needs row
 * blocks); `forDw`: conv2d_backward_filter's longer blocks. The worker pool splits a batch in multiples of it, so
 * every thread's GEMM blocks are the serial kernel's.
 */
export function conv_block_images(N: i32, Kg: i32, KH: i32, KW: i32, sh: i32, sw: i32, ph: i32, pw: i32, H: i32, W: i32,
  OH: i32, OW: i32, forDw: bool): i32 {
  return isPointwise(KH, KW, sh, sw, ph, pw, H, W, OH, OW) ? 1 : blockImages(Kg, OH, OW, N, forDw ? DW_SCALE : 1);
}

// Columns of one block (rows x OW, or nb whole images).
@inline function blockCols(Kg: i32, N: i32, OH: i32, OW: i32, scale: i32): i32 {
  const nb = blockImages(Kg, OH, OW, N, scale);
  return nb > 1 ? nb * OH * OW : blockRows(Kg, OH, OW, scale) * OW;
}

/** Scratch bytes the three conv entry points need (the max over them). */
export function conv_scratch_bytes(N: i32, C: i32, O: i32, KH: i32, KW: i32, G: i32, OH: i32, OW: i32): i32 {
  const Cg = C / G, Og = O / G, Kg = Cg * KH * KW, P = OH * OW;
  const cols = max32(blockCols(Kg, N, OH, OW, 1), blockCols(Kg, N, OH, OW, DW_SCALE));
  let g = max32(gemm_scratch_bytes(Og, P, Kg), gemm_scratch_bytes(Kg, P, Og)); // pointwise: whole image
  g = max32(g, gemm_scratch_bytes(Og, Kg, P));
  g = max32(g, max32(gemm_scratch_bytes(Og, cols, Kg), gemm_scratch_bytes(Kg, cols, Og)));
  g = max32(g, gemm_scratch_bytes(Og, Kg, cols));
  return <i32>(align16(<usize>Kg * <usize>cols * 4) + align16(<usize>Og * <usize>Kg * 4) +
    align16(<usize>Og * <usize>cols * 4)) + g + 16;
}

// Scratch regions for a block of `cols` columns.
let sCol: usize = 0, sW: usize = 0, sTmp: usize = 0, sPack: usize = 0;
function carve(scratch: usize, Kg: i32, Og: i32, cols: i32): void {
  sCol = align16(scratch);
  sW = align16(sCol + ((<usize>Kg * <usize>cols) << 2));
  sTmp = align16(sW + ((<usize>Og * <usize>Kg) << 2));
  sPack = align16(sTmp + ((<usize>Og * <usize>cols) << 2));
}

// tmp[o][i*P + p] = src[(n0 + i)*O*P + o*P + p]  (gathers nb images' rows of one group side by side)
function gather(src: usize, n0: i32, nb: i32, O: i32, Og: i32, P: i32, tmp: usize): void {
  const cols = nb * P;
  for (let i = 0; i < nb; i++) {
    for (let o = 0; o < Og; o++) {
      copyF32(tmp + ((<usize>(o * cols + i * P)) << 2), src + ((<usize>((n0 + i) * O + o) * <usize>P) << 2), P);
    }
  }
}

export function conv2d_forward(x: usize, w: usize, bias: usize, hasBias: bool, y: usize,
  N: i32, C: i32, H: i32, W: i32, O: i32, KH: i32, KW: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  dh: i32, dw: i32, G: i32, OH: i32, OW: i32, scratch: usize): void {
  const Cg = C / G, Og = O / G, Kg = Cg * KH * KW, P = OH * OW;
  const direct = isPointwise(KH, KW, sh, sw, ph, pw, H, W, OH, OW);
  const rows = blockRows(Kg, OH, OW, 1), nb = direct ? 1 : blockImages(Kg, OH, OW, N, 1);
  carve(scratch, Kg, Og, nb > 1 ? nb * P : rows * OW);
  for (let g = 0; g < G; g++) {
    const wg = w + ((<usize>(g * Og) * <usize>Kg) << 2);
    if (!direct) gemm_pack_a(false, Og, Kg, wg, Kg, sW);
    for (let n0 = 0; n0 < N; n0 += nb) {
      const nbb = min32(nb, N - n0), cols = nbb * P;
      const yg = y + ((<usize>(n0 * O + g * Og) * <usize>P) << 2);
      if (hasBias) {
        for (let i = 0; i < nbb; i++) for (let o = 0; o < Og; o++) {
          const v = f32x4.splat(load<f32>(bias + (<usize>(g * Og + o) << 2)));
          const row = yg + ((<usize>(i * O + o) * <usize>P) << 2);
          let p = 0;
          for (; p + 4 <= P; p += 4) v128.store(row + (<usize>p << 2), v);
          for (; p < P; p++) v128.store32_lane(row + (<usize>p << 2), v, 0);
        }
      }
      const beta: f32 = hasBias ? 1 : 0;
      const xn = x + ((<usize>(n0 * C + g * Cg) * <usize>H * <usize>W) << 2);
      if (direct) { gemm(false, false, Og, P, Kg, wg, Kg, xn, P, yg, P, 1, beta, sPack); continue; }
      if (nb > 1) {
        for (let i = 0; i < nbb; i++) {
          im2col(xn + ((<usize>(i * C) * <usize>H * <usize>W) << 2), Cg, H, W, KH, KW, sh, sw, ph, pw, dh, dw,
            0, OH, OW, sCol + (<usize>(i * P) << 2), cols);
        }
        gemm_prepacked(sW, false, Og, cols, Kg, sCol, cols, sTmp, cols, 1, 0, sPack);
        for (let i = 0; i < nbb; i++) for (let o = 0; o < Og; o++) {
          const dst = yg + ((<usize>(i * O + o) * <usize>P) << 2), src = sTmp + (<usize>(o * cols + i * P) << 2);
          if (hasBias) addRow(dst, src, P); else copyF32(dst, src, P);
        }
        continue;
      }
      for (let oy0 = 0; oy0 < OH; oy0 += rows) {
        const oy1 = min32(OH, oy0 + rows), PC = (oy1 - oy0) * OW;
        im2col(xn, Cg, H, W, KH, KW, sh, sw, ph, pw, dh, dw, oy0, oy1, OW, sCol, PC);
        gemm_prepacked(sW, false, Og, PC, Kg, sCol, PC, yg + (<usize>(oy0 * OW) << 2), P, 1, beta, sPack);
      }
    }
  }
}

// dst[i] += src[i]
function addRow(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(dst + (<usize>i << 2)) + load<f32>(src + (<usize>i << 2)));
}

export function conv2d_backward_data(dy: usize, w: usize, dx: usize,
  N: i32, C: i32, H: i32, W: i32, O: i32, KH: i32, KW: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  dh: i32, dw: i32, G: i32, OH: i32, OW: i32, scratch: usize): void {
  const Cg = C / G, Og = O / G, Kg = Cg * KH * KW, P = OH * OW;
  const direct = isPointwise(KH, KW, sh, sw, ph, pw, H, W, OH, OW);
  const rows = blockRows(Kg, OH, OW, 1), nb = direct ? 1 : blockImages(Kg, OH, OW, N, 1);
  carve(scratch, Kg, Og, nb > 1 ? nb * P : rows * OW);
  if (!direct) zero(dx, <usize>N * <usize>C * <usize>H * <usize>W);
  for (let g = 0; g < G; g++) {
    const wg = w + ((<usize>(g * Og) * <usize>Kg) << 2);
    if (!direct) gemm_pack_a(true, Kg, Og, wg, Kg, sW);
    for (let n0 = 0; n0 < N; n0 += nb) {
      const nbb = min32(nb, N - n0), cols = nbb * P;
      const dxn = dx + ((<usize>(n0 * C + g * Cg) * <usize>H * <usize>W) << 2);
      const dyg = dy + ((<usize>(n0 * O + g * Og) * <usize>P) << 2);
      if (direct) { gemm(true, false, Kg, P, Og, wg, Kg, dyg, P, dxn, P, 1, 0, sPack); continue; }
      if (nb > 1) {
        gather(dy + ((<usize>(g * Og) * <usize>P) << 2), n0, nbb, O, Og, P, sTmp);
        gemm_prepacked(sW, false, Kg, cols, Og, sTmp, cols, sCol, cols, 1, 0, sPack);
        for (let i = 0; i < nbb; i++) {
          col2im(sCol + (<usize>(i * P) << 2), Cg, H, W, KH, KW, sh, sw, ph, pw, dh, dw, 0, OH, OW,
            dxn + ((<usize>(i * C) * <usize>H * <usize>W) << 2), cols);
        }
        continue;
      }
      for (let oy0 = 0; oy0 < OH; oy0 += rows) {
        const oy1 = min32(OH, oy0 + rows), PC = (oy1 - oy0) * OW;
        gemm_prepacked(sW, false, Kg, PC, Og, dyg + (<usize>(oy0 * OW) << 2), P, sCol, PC, 1, 0, sPack);
        col2im(sCol, Cg, H, W, KH, KW, sh, sw, ph, pw, dh, dw, oy0, oy1, OW, dxn, PC);
      }
    }
  }
}

export function conv2d_backward_filter(x: usize, dy: usize, dw_: usize,
  N: i32, C: i32, H: i32, W: i32, O: i32, KH: i32, KW: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  dh: i32, dw: i32, G: i32, OH: i32, OW: i32, scratch: usize): void {
  const Cg = C / G, Og = O / G, Kg = Cg * KH * KW, P = OH * OW;
  if (N <= 0 || P <= 0) { zero(dw_, <usize>O * <usize>Kg); return; }
  const direct = isPointwise(KH, KW, sh, sw, ph, pw, H, W, OH, OW);
  const rows = blockRows(Kg, OH, OW, DW_SCALE), nb = direct ? 1 : blockImages(Kg, OH, OW, N, DW_SCALE);
  carve(scratch, Kg, Og, nb > 1 ? nb * P : rows * OW);
  for (let g = 0; g < G; g++) {
    const dwg = dw_ + ((<usize>(g * Og) * <usize>Kg) << 2);
    for (let n0 = 0; n0 < N; n0 += nb) {
      const nbb = min32(nb, N - n0), cols = nbb * P;
      const xn = x + ((<usize>(n0 * C + g * Cg) * <usize>H * <usize>W) << 2);
      const dyg = dy + ((<usize>(n0 * O + g * Og) * <usize>P) << 2);
      if (direct) { gemm(false, true, Og, Kg, P, dyg, P, xn, P, dwg, Kg, 1, n0 == 0 ? 0 : 1, sPack); continue; }
      if (nb > 1) {
        gather(dy + ((<usize>(g * Og) * <usize>P) << 2), n0, nbb, O, Og, P, sTmp);
        for (let i = 0; i < nbb; i++) {
          im2col(xn + ((<usize>(i * C) * <usize>H * <usize>W) << 2), Cg, H, W, KH, KW, sh, sw, ph, pw, dh, dw,
            0, OH, OW, sCol + (<usize>(i * P) << 2), cols);
        }
        gemm(false, true, Og, Kg, cols, sTmp, cols, sCol, cols, dwg, Kg, 1, n0 == 0 ? 0 : 1, sPack);
        continue;
      }
      for (let oy0 = 0; oy0 < OH; oy0 += rows) {
        const oy1 = min32(OH, oy0 + rows), PC = (oy1 - oy0) * OW;
        im2col(xn, Cg, H, W, KH, KW, sh, sw, ph, pw, dh, dw, oy0, oy1, OW, sCol, PC);
        const beta: f32 = n0 == 0 && oy0 == 0 ? 0 : 1;
        gemm(false, true, Og, Kg, PC, dyg + (<usize>(oy0 * OW) << 2), P, sCol, PC, dwg, Kg, 1, beta, sPack);
      }
    }
  }
}

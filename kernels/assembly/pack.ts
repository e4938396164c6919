// Packing for the GEMM: copies an operand block into the panel layout the micro-kernels read,
// transposing on the way when needed (transA/transB are handled HERE, never by a slow kernel).
//
// A panel of width W holds `kc` steps of W consecutive floats: dst[p*W + j] = element (row j, k = k0 + p).
// Missing rows/columns of an edge panel are zero-filled so the kernels always compute full tiles.
// All pointers are byte addresses; `ld` is in elements.

// Rows are contiguous along k: element (j, p) = src[(r0 + j) * ld + k0 + p]. Packs `rows` (<= W) rows.
export function packRowsT(src: usize, ld: i32, r0: i32, rows: i32, k0: i32, kc: i32, dst: usize, W: i32): void {
  const rowStride = <usize>ld << 2;
  const base = src + ((<usize>r0 * <usize>ld + <usize>k0) << 2);
  if (W == 1) {
    memory.copy(dst, base, <usize>kc << 2);
    return;
  }
  if ((W & 3) == 0) {
    // Groups of 4 rows: 4x4 transposes with v128 shuffles; rows past `rows` read as zero vectors.
    const z = f32x4.splat(0);
    const dStep = <usize>W << 2;
    for (let g = 0; g < W; g += 4) {
      const have = rows - g;
      const s0 = base + <usize>g * rowStride;
      const s1 = s0 + rowStride, s2 = s1 + rowStride, s3 = s2 + rowStride;
      const d = dst + (<usize>g << 2);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        const r0v = have > 0 ? v128.load(s0 + o) : z;
        const r1v = have > 1 ? v128.load(s1 + o) : z;
        const r2v = have > 2 ? v128.load(s2 + o) : z;
        const r3v = have > 3 ? v128.load(s3 + o) : z;
        const a = v128.shuffle<f32>(r0v, r1v, 0, 4, 1, 5);
        const b = v128.shuffle<f32>(r2v, r3v, 0, 4, 1, 5);
        const c = v128.shuffle<f32>(r0v, r1v, 2, 6, 3, 7);
        const e = v128.shuffle<f32>(r2v, r3v, 2, 6, 3, 7);
        const dp = d + <usize>p * dStep;
        v128.store(dp, v128.shuffle<f32>(a, b, 0, 1, 4, 5));
        v128.store(dp + dStep, v128.shuffle<f32>(a, b, 2, 3, 6, 7));
        v128.store(dp + 2 * dStep, v128.shuffle<f32>(c, e, 0, 1, 4, 5));
        v128.store(dp + 3 * dStep, v128.shuffle<f32>(c, e, 2, 3, 6, 7));
      }
      for (; p < kc; p++) {
        const o = <usize>p << 2;
        const dp = d + <usize>p * dStep;
        store<f32>(dp, have > 0 ? load<f32>(s0 + o) : 0);
        store<f32>(dp, have > 1 ? load<f32>(s1 + o) : 0, 4);
        store<f32>(dp, have > 2 ? load<f32>(s2 + o) : 0, 8);
        store<f32>(dp, have > 3 ? load<f32>(s3 + o) : 0, 12);
      }
    }
    return;
  }
  // W == 2 (the 2-row A tile of an M remainder).
  for (let p = 0; p < kc; p++) {
    const dp = dst + ((<usize>p * <usize>W) << 2);
    for (let j = 0; j < W; j++) {
      const v: f32 = j < rows ? load<f32>(base + <usize>j * rowStride + (<usize>p << 2)) : 0;
      store<f32>(dp + (<usize>j << 2), v);
    }
  }
}

// Columns are contiguous: element (j, p) = src[(k0 + p) * ld + c0 + j]. Packs `cols` (<= W) columns.
export function packCols(src: usize, ld: i32, c0: i32, cols: i32, k0: i32, kc: i32, dst: usize, W: i32): void {
  const rowStride = <usize>ld << 2;
  let s = src + ((<usize>k0 * <usize>ld + <usize>c0) << 2);
  const dStep = <usize>W << 2;
  let d = dst;
  if (cols == W && W == 8) {
    for (let p = 0; p < kc; p++) {
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 16);
      s += rowStride; d += dStep;
    }
    return;
  }
  if (cols == W && W == 4) {
    for (let p = 0; p < kc; p++) {
      v128.store(d, v128.load(s));
      s += rowStride; d += dStep;
    }
    return;
  }
  for (let p = 0; p < kc; p++) {
    for (let j = 0; j < W; j++) {
      const v: f32 = j < cols ? load<f32>(s + (<usize>j << 2)) : 0;
      store<f32>(d + (<usize>j << 2), v);
    }
    s += rowStride; d += dStep;
  }
}

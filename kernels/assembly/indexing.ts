// Strided N-d kernels (copy, binary, where) and index kernels (gather, scatterAdd, indexSelect, indexAdd).
// Flat exports over byte addresses; no allocation.
//
// Strided kernels take `meta`, a pointer to int32 words: shape[6], then 6 element strides per input operand
// (0 = broadcast). Shapes are padded with leading 1s to 6 dims and already coalesced by the TS glue; the
// output is contiguous. The innermost dim is processed as a "run" with SIMD fast paths for strides 1 and 0.
import {
  EW_BIN_ADD, EW_BIN_SUB, EW_BIN_MUL, EW_BIN_DIV, EW_BIN_POW, EW_BIN_MAXIMUM, EW_BIN_MINIMUM,
  EW_BIN_EQ, EW_BIN_NE, EW_BIN_LT, EW_BIN_LE, EW_BIN_GT, EW_BIN_GE,
} from './elementwise';
import { sm_ipow, sm_cpow } from './softmax';

@inline function dim(meta: usize, k: i32): i32 { return load<i32>(meta + (<usize>k << 2)); }
@inline function at(p: usize, i: i32, stride: i32): usize { return p + (<usize>(i * stride) << 2); }

// ---- copy --------------------------------------------------------------------------------------------------

@inline function copyRun(src: usize, ss: i32, dst: usize, n: i32): void {
  if (ss == 1) { memory.copy(dst, src, <usize>n << 2); return; }
  if (ss == 0) {
    const bits = load<i32>(src);
    const v = i32x4.splat(bits);
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v);
    for (; i < n; i++) store<i32>(dst + (<usize>i << 2), bits);
    return;
  }
  for (let i = 0; i < n; i++) store<i32>(dst + (<usize>i << 2), load<i32>(at(src, i, ss)));
}

/**
 * dst[r·n + j] = src[r + j·ss] for r < rows, j < n: a transposing copy whose source is contiguous along r. Tiles of
 * 8 rows keep 8 destination rows hot while the source is read 8 words at a time.
 */
function transposeRows(src: usize, ss: i32, rows: i32, n: i32, dst: usize): void {
  let r = 0;
  for (; r + 8 <= rows; r += 8) {
    const d = dst + (<usize>(r * n) << 2);
    const rowBytes = <usize>n << 2;
    for (let j = 0; j < n; j++) {
      const ps = src + (<usize>(r + j * ss) << 2);
      const pd = d + (<usize>j << 2);
      for (let k: usize = 0; k < 8; k++) store<i32>(pd + k * rowBytes, load<i32>(ps + (k << 2)));
    }
  }
  for (; r < rows; r++) copyRun(src + (<usize>r << 2), ss, dst + (<usize>(r * n) << 2), n);
}

/** dst (contiguous) = src read with strides; 32-bit words, so float32 and int32 alike. meta: shape6, srcStrides6. */
export function ix_copy_32(src: usize, dst: usize, meta: usize): void {
  const n4 = dim(meta, 4), n5 = dim(meta, 5), s4 = dim(meta, 10), s5 = dim(meta, 11);
  const transpose = s4 == 1 && <u32>s5 > 1 && n4 >= 8;
  let po = dst;
  for (let i0 = 0; i0 < dim(meta, 0); i0++) {
    const p0 = at(src, i0, dim(meta, 6));
    for (let i1 = 0; i1 < dim(meta, 1); i1++) {
      const p1 = at(p0, i1, dim(meta, 7));
      for (let i2 = 0; i2 < dim(meta, 2); i2++) {
        const p2 = at(p1, i2, dim(meta, 8));
        for (let i3 = 0; i3 < dim(meta, 3); i3++) {
          const p3 = at(p2, i3, dim(meta, 9));
          if (transpose) {
            transposeRows(p3, s5, n4, n5, po);
            po += <usize>(n4 * n5) << 2;
            continue;
          }
          for (let i4 = 0; i4 < n4; i4++) {
            copyRun(at(p3, i4, s4), s5, po, n5);
            po += <usize>n5 << 2;
          }
        }
      }
    }
  }
}

// ---- where -------------------------------------------------------------------------------------------------

@inline function vecOrSplat(p: usize, i: i32, s: i32): v128 {
  return s == 1 ? v128.load(p + (<usize>i << 2)) : i32x4.splat(load<i32>(p));
}

function whereRun(c: usize, sc: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void {
  let i = 0;
  if (<u32>sc <= 1 && <u32>sa <= 1 && <u32>sb <= 1) {
    const zero = i32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const m = i32x4.ne(vecOrSplat(c, i, sc), zero);
      v128.store(o + (<usize>i << 2), v128.bitselect(vecOrSplat(a, i, sa), vecOrSplat(b, i, sb), m));
    }
  }
  for (; i < n; i++) {
    const v = load<i32>(at(c, i, sc)) != 0 ? load<i32>(at(a, i, sa)) : load<i32>(at(b, i, sb));
    store<i32>(o + (<usize>i << 2), v);
  }
}

/** out = cond ? a : b (32-bit words). meta: shape6, condStrides6, aStrides6, bStrides6. */
export function ix_where_32(c: usize, a: usize, b: usize, out: usize, meta: usize): void {
  const n5 = dim(meta, 5);
  let po = out;
  for (let i0 = 0; i0 < dim(meta, 0); i0++) {
    const c0 = at(c, i0, dim(meta, 6)), a0 = at(a, i0, dim(meta, 12)), b0 = at(b, i0, dim(meta, 18));
    for (let i1 = 0; i1 < dim(meta, 1); i1++) {
      const c1 = at(c0, i1, dim(meta, 7)), a1 = at(a0, i1, dim(meta, 13)), b1 = at(b0, i1, dim(meta, 19));
      for (let i2 = 0; i2 < dim(meta, 2); i2++) {
        const c2 = at(c1, i2, dim(meta, 8)), a2 = at(a1, i2, dim(meta, 14)), b2 = at(b1, i2, dim(meta, 20));
        for (let i3 = 0; i3 < dim(meta, 3); i3++) {
          const c3 = at(c2, i3, dim(meta, 9)), a3 = at(a2, i3, dim(meta, 15)), b3 = at(b2, i3, dim(meta, 21));
          for (let i4 = 0; i4 < dim(meta, 4); i4++) {
            whereRun(at(c3, i4, dim(meta, 10)), dim(meta, 11), at(a3, i4, dim(meta, 16)), dim(meta, 17),
              at(b3, i4, dim(meta, 22)), dim(meta, 23), po, n5);
            po += <usize>n5 << 2;
          }
        }
      }
    }
  }
}

// ---- binary: per-op definitions ---------------------------------------------------------------------------

@inline function isCmp(op: i32): bool { return op >= EW_BIN_EQ; }

/** float32 op on two scalars; returns the 32-bit result (float bits, or 0/1 for comparisons). */
@inline function binF(op: i32, a: f32, b: f32): i32 {
  switch (op) {
    case EW_BIN_ADD: return reinterpret<i32>(a + b);
    case EW_BIN_SUB: return reinterpret<i32>(a - b);
    case EW_BIN_MUL: return reinterpret<i32>(a * b);
    case EW_BIN_DIV: return reinterpret<i32>(a / b);
    case EW_BIN_POW: return reinterpret<i32>(sm_cpow(a, b));
    case EW_BIN_MAXIMUM: return reinterpret<i32>(max<f32>(a, b));
    case EW_BIN_MINIMUM: return reinterpret<i32>(min<f32>(a, b));
    case EW_BIN_EQ: return <i32>(a == b);
    case EW_BIN_NE: return <i32>(a != b);
    case EW_BIN_LT: return <i32>(a < b);
    case EW_BIN_LE: return <i32>(a <= b);
    case EW_BIN_GT: return <i32>(a > b);
    default: return <i32>(a >= b);
  }
}

@inline function binFV(op: i32, a: v128, b: v128): v128 {
  const one = i32x4.splat(1);
  switch (op) {
    case EW_BIN_ADD: return f32x4.add(a, b);
    case EW_BIN_SUB: return f32x4.sub(a, b);
    case EW_BIN_MUL: return f32x4.mul(a, b);
    case EW_BIN_DIV: return f32x4.div(a, b);
    case EW_BIN_MAXIMUM: return f32x4.max(a, b);
    case EW_BIN_MINIMUM: return f32x4.min(a, b);
    case EW_BIN_EQ: return v128.and(f32x4.eq(a, b), one);
    case EW_BIN_NE: return v128.and(f32x4.ne(a, b), one);
    case EW_BIN_LT: return v128.and(f32x4.lt(a, b), one);
    case EW_BIN_LE: return v128.and(f32x4.le(a, b), one);
    case EW_BIN_GT: return v128.and(f32x4.gt(a, b), one);
    default: return v128.and(f32x4.ge(a, b), one);
  }
}

/** int32 op on two scalars. div truncates toward zero; x / 0 gives 0 (callers must reject it); never traps. */
@inline function binI(op: i32, a: i32, b: i32): i32 {
  switch (op) {
    case EW_BIN_ADD: return a + b;
    case EW_BIN_SUB: return a - b;
    case EW_BIN_MUL: return a * b;
    case EW_BIN_DIV: return b == 0 ? 0 : (b == -1 ? -a : a / b);
    case EW_BIN_POW: return sm_ipow(a, b);
    case EW_BIN_MAXIMUM: return max<i32>(a, b);
    case EW_BIN_MINIMUM: return min<i32>(a, b);
    case EW_BIN_EQ: return <i32>(a == b);
    case EW_BIN_NE: return <i32>(a != b);
    case EW_BIN_LT: return <i32>(a < b);
    case EW_BIN_LE: return <i32>(a <= b);
    case EW_BIN_GT: return <i32>(a > b);
    default: return <i32>(a >= b);
  }
}

@inline function binIV(op: i32, a: v128, b: v128): v128 {
  const one = i32x4.splat(1);
  switch (op) {
    case EW_BIN_ADD: return i32x4.add(a, b);
    case EW_BIN_SUB: return i32x4.sub(a, b);
    case EW_BIN_MUL: return i32x4.mul(a, b);
    case EW_BIN_MAXIMUM: return i32x4.max_s(a, b);
    case EW_BIN_MINIMUM: return i32x4.min_s(a, b);
    case EW_BIN_EQ: return v128.and(i32x4.eq(a, b), one);
    case EW_BIN_NE: return v128.and(i32x4.ne(a, b), one);
    case EW_BIN_LT: return v128.and(i32x4.lt_s(a, b), one);
    case EW_BIN_LE: return v128.and(i32x4.le_s(a, b), one);
    case EW_BIN_GT: return v128.and(i32x4.gt_s(a, b), one);
    default: return v128.and(i32x4.ge_s(a, b), one);
  }
}

// ---- binary: runs and walkers ------------------------------------------------------------------------------

/** One inner run of a float32 (isInt = false) or int32 op; SIMD when both strides are 0/1, not both 0. */
@inline function binRun(isInt: bool, op: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void {
  let i = 0;
  const simd = !(op == EW_BIN_POW || (isInt && op == EW_BIN_DIV));
  if (simd && <u32>sa <= 1 && <u32>sb <= 1 && (sa | sb) != 0) {
    if (sa == 1 && sb == 1) {
      for (; i + 4 <= n; i += 4) {
        const k = <usize>i << 2;
        const r = isInt ? binIV(op, v128.load(a + k), v128.load(b + k)) : binFV(op, v128.load(a + k), v128.load(b + k));
        v128.store(o + k, r);
      }
    } else if (sb == 0) {
      const vb = i32x4.splat(load<i32>(b));
      for (; i + 4 <= n; i += 4) {
        const k = <usize>i << 2;
        v128.store(o + k, isInt ? binIV(op, v128.load(a + k), vb) : binFV(op, v128.load(a + k), vb));
      }
    } else {
      const va = i32x4.splat(load<i32>(a));
      for (; i + 4 <= n; i += 4) {
        const k = <usize>i << 2;
        v128.store(o + k, isInt ? binIV(op, va, v128.load(b + k)) : binFV(op, va, v128.load(b + k)));
      }
    }
  }
  for (; i < n; i++) {
    const r = isInt ? binI(op, load<i32>(at(a, i, sa)), load<i32>(at(b, i, sb)))
      : binF(op, load<f32>(at(a, i, sa)), load<f32>(at(b, i, sb)));
    store<i32>(o + (<usize>i << 2), r);
  }
}

function binRowF32(op: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void {
  switch (op) {
    case EW_BIN_ADD: binRun(false, EW_BIN_ADD, a, sa, b, sb, o, n); break;
    case EW_BIN_SUB: binRun(false, EW_BIN_SUB, a, sa, b, sb, o, n); break;
    case EW_BIN_MUL: binRun(false, EW_BIN_MUL, a, sa, b, sb, o, n); break;
    case EW_BIN_DIV: binRun(false, EW_BIN_DIV, a, sa, b, sb, o, n); break;
    case EW_BIN_POW: binRun(false, EW_BIN_POW, a, sa, b, sb, o, n); break;
    case EW_BIN_MAXIMUM: binRun(false, EW_BIN_MAXIMUM, a, sa, b, sb, o, n); break;
    case EW_BIN_MINIMUM: binRun(false, EW_BIN_MINIMUM, a, sa, b, sb, o, n); break;
    case EW_BIN_EQ: binRun(false, EW_BIN_EQ, a, sa, b, sb, o, n); break;
    case EW_BIN_NE: binRun(false, EW_BIN_NE, a, sa, b, sb, o, n); break;
    case EW_BIN_LT: binRun(false, EW_BIN_LT, a, sa, b, sb, o, n); break;
    case EW_BIN_LE: binRun(false, EW_BIN_LE, a, sa, b, sb, o, n); break;
    case EW_BIN_GT: binRun(false, EW_BIN_GT, a, sa, b, sb, o, n); break;
    default: binRun(false, EW_BIN_GE, a, sa, b, sb, o, n); break;
  }
}

function binRowI32(op: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void {
  switch (op) {
    case EW_BIN_ADD: binRun(true, EW_BIN_ADD, a, sa, b, sb, o, n); break;
    case EW_BIN_SUB: binRun(true, EW_BIN_SUB, a, sa, b, sb, o, n); break;
    case EW_BIN_MUL: binRun(true, EW_BIN_MUL, a, sa, b, sb, o, n); break;
    case EW_BIN_DIV: binRun(true, EW_BIN_DIV, a, sa, b, sb, o, n); break;
    case EW_BIN_POW: binRun(true, EW_BIN_POW, a, sa, b, sb, o, n); break;
    case EW_BIN_MAXIMUM: binRun(true, EW_BIN_MAXIMUM, a, sa, b, sb, o, n); break;
    case EW_BIN_MINIMUM: binRun(true, EW_BIN_MINIMUM, a, sa, b, sb, o, n); break;
    case EW_BIN_EQ: binRun(true, EW_BIN_EQ, a, sa, b, sb, o, n); break;
    case EW_BIN_NE: binRun(true, EW_BIN_NE, a, sa, b, sb, o, n); break;
    case EW_BIN_LT: binRun(true, EW_BIN_LT, a, sa, b, sb, o, n); break;
    case EW_BIN_LE: binRun(true, EW_BIN_LE, a, sa, b, sb, o, n); break;
    case EW_BIN_GT: binRun(true, EW_BIN_GT, a, sa, b, sb, o, n); break;
    default: binRun(true, EW_BIN_GE, a, sa, b, sb, o, n); break;
  }
}

@inline function binWalk(isInt: bool, op: i32, a: usize, b: usize, out: usize, meta: usize): void {
  const n5 = dim(meta, 5);
  let po = out;
  for (let i0 = 0; i0 < dim(meta, 0); i0++) {
    const a0 = at(a, i0, dim(meta, 6)), b0 = at(b, i0, dim(meta, 12));
    for (let i1 = 0; i1 < dim(meta, 1); i1++) {
      const a1 = at(a0, i1, dim(meta, 7)), b1 = at(b0, i1, dim(meta, 13));
      for (let i2 = 0; i2 < dim(meta, 2); i2++) {
        const a2 = at(a1, i2, dim(meta, 8)), b2 = at(b1, i2, dim(meta, 14));
        for (let i3 = 0; i3 < dim(meta, 3); i3++) {
          const a3 = at(a2, i3, dim(meta, 9)), b3 = at(b2, i3, dim(meta, 15));
          for (let i4 = 0; i4 < dim(meta, 4); i4++) {
            const pa = at(a3, i4, dim(meta, 10)), pb = at(b3, i4, dim(meta, 16));
            if (isInt) binRowI32(op, pa, dim(meta, 11), pb, dim(meta, 17), po, n5);
            else binRowF32(op, pa, dim(meta, 11), pb, dim(meta, 17), po, n5);
            po += <usize>n5 << 2;
          }
        }
      }
    }
  }
}

/** out = a ∘ b over float32 (comparisons write int32 0/1). meta: shape6, aStrides6, bStrides6. */
export function ix_binary_f32(op: i32, a: usize, b: usize, out: usize, meta: usize): void {
  binWalk(false, op, a, b, out, meta);
}

/** out = a ∘ b over int32. */
export function ix_binary_i32(op: i32, a: usize, b: usize, out: usize, meta: usize): void {
  binWalk(true, op, a, b, out, meta);
}

// ---- gather / scatterAdd / indexSelect / indexAdd (indices are validated by the caller) -------------------

/** out[o, j, i] = x[o, idx[o, j, i], i] (32-bit words). */
export function ix_gather_32(x: usize, idx: usize, out: usize, outer: i32, xDim: i32, inner: i32, idxDim: i32): void {
  let p = 0;
  for (let o = 0; o < outer; o++) {
    const xo = x + (<usize>o * <usize>xDim * <usize>inner << 2);
    for (let j = 0; j < idxDim; j++) {
      for (let i = 0; i < inner; i++, p++) {
        const r = load<i32>(idx + (<usize>p << 2));
        store<i32>(out + (<usize>p << 2), load<i32>(xo + (<usize>(r * inner + i) << 2)));
      }
    }
  }
}

@inline function scatterAddImpl(isInt: bool, src: usize, idx: usize, out: usize, outer: i32, outDim: i32,
  inner: i32, idxDim: i32): void {
  let p = 0;
  for (let o = 0; o < outer; o++) {
    const oo = out + (<usize>o * <usize>outDim * <usize>inner << 2);
    for (let j = 0; j < idxDim; j++) {
      for (let i = 0; i < inner; i++, p++) {
        const d = oo + (<usize>(load<i32>(idx + (<usize>p << 2)) * inner + i) << 2);
        if (isInt) store<i32>(d, load<i32>(d) + load<i32>(src + (<usize>p << 2)));
        else store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>p << 2)));
      }
    }
  }
}

/** out[o, idx[o, j, i], i] += src[o, j, i]; out is not cleared. Sequential, so duplicates accumulate in order. */
export function ix_scatter_add_f32(src: usize, idx: usize, out: usize, outer: i32, outDim: i32, inner: i32,
  idxDim: i32): void {
  scatterAddImpl(false, src, idx, out, outer, outDim, inner, idxDim);
}

export function ix_scatter_add_i32(src: usize, idx: usize, out: usize, outer: i32, outDim: i32, inner: i32,
  idxDim: i32): void {
  scatterAddImpl(true, src, idx, out, outer, outDim, inner, idxDim);
}

/** out[o, j, i] = x[o, idx[j], i] (32-bit words). */
export function ix_index_select_32(x: usize, idx: usize, out: usize, outer: i32, xDim: i32, inner: i32, k: i32): void {
  const row = <usize>inner << 2;
  let po = out;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * <usize>xDim * row;
    for (let j = 0; j < k; j++) {
      memory.copy(po, xo + <usize>load<i32>(idx + (<usize>j << 2)) * row, row);
      po += row;
    }
  }
}

@inline function addRow(isInt: bool, dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const k = <usize>i << 2;
    const s = isInt ? i32x4.add(v128.load(dst + k), v128.load(src + k)) : f32x4.add(v128.load(dst + k), v128.load(src + k));
    v128.store(dst + k, s);
  }
  for (; i < n; i++) {
    const k = <usize>i << 2;
    if (isInt) store<i32>(dst + k, load<i32>(dst + k) + load<i32>(src + k));
    else store<f32>(dst + k, load<f32>(dst + k) + load<f32>(src + k));
  }
}

@inline function indexAddImpl(isInt: bool, src: usize, idx: usize, out: usize, outer: i32, outDim: i32,
  inner: i32, k: i32): void {
  const row = <usize>inner << 2;
  let ps = src;
  for (let o = 0; o < outer; o++) {
    const oo = out + <usize>o * <usize>outDim * row;
    for (let j = 0; j < k; j++) {
      addRow(isInt, oo + <usize>load<i32>(idx + (<usize>j << 2)) * row, ps, inner);
      ps += row;
    }
  }
}

/** out[o, idx[j], i] += src[o, j, i]; out is not cleared. */
export function ix_index_add_f32(src: usize, idx: usize, out: usize, outer: i32, outDim: i32, inner: i32, k: i32): void {
  indexAddImpl(false, src, idx, out, outer, outDim, inner, k);
}

export function ix_index_add_i32(src: usize, idx: usize, out: usize, outer: i32, outDim: i32, inner: i32, k: i32): void {
  indexAddImpl(true, src, idx, out, outer, outDim, inner, k);
}

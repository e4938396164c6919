// Reductions over x viewed contiguous as [outer, red, inner]: out[o, i] = reduce_r x[o, r, i].
// float32 sum/prod accumulate in float64 (then round once); int32 wraps. max/min optionally write the int32
// index r of the FIRST extremum; for float32 a NaN wins (the first NaN), as PyTorch.
// Flat exports over byte addresses; no allocation.
import { EW_RED_SUM, EW_RED_MAX, EW_RED_MIN, EW_RED_PROD } from './elementwise';

@inline function addr(p: usize, k: i32): usize { return p + (<usize>k << 2); }

// ---- sum / prod ---------------------------------------------------------------------------------------------

@inline function comb64(isProd: bool, a: v128, b: v128): v128 { return isProd ? f64x2.mul(a, b) : f64x2.add(a, b); }
@inline function hiHalf(v: v128): v128 { return v128.shuffle<f32>(v, v, 2, 3, 2, 3); }

/** float32 sum/prod of a contiguous row, in float64. */
@inline function rowSumProdF32(isProd: bool, p: usize, n: i32): f32 {
  const init: f64 = isProd ? 1 : 0;
  let lo = f64x2.splat(init);
  let hi = f64x2.splat(init);
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    const v = v128.load(addr(p, r));
    lo = comb64(isProd, lo, f64x2.promote_low_f32x4(v));
    hi = comb64(isProd, hi, f64x2.promote_low_f32x4(hiHalf(v)));
  }
  const t = comb64(isProd, lo, hi);
  let s = isProd ? f64x2.extract_lane(t, 0) * f64x2.extract_lane(t, 1) : f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  for (; r < n; r++) s = isProd ? s * <f64>load<f32>(addr(p, r)) : s + <f64>load<f32>(addr(p, r));
  return <f32>s;
}

/** 4 adjacent columns at once (stride `inner` between rows), in float64. */
@inline function colSumProdF32(isProd: bool, p: usize, red: i32, inner: i32, out: usize): void {
  const init: f64 = isProd ? 1 : 0;
  let lo = f64x2.splat(init);
  let hi = f64x2.splat(init);
  for (let r = 0; r < red; r++) {
    const v = v128.load(addr(p, r * inner));
    lo = comb64(isProd, lo, f64x2.promote_low_f32x4(v));
    hi = comb64(isProd, hi, f64x2.promote_low_f32x4(hiHalf(v)));
  }
  const lo32 = f32x4.demote_f64x2_zero(lo);
  const hi32 = f32x4.demote_f64x2_zero(hi);
  v128.store(out, v128.shuffle<f32>(lo32, hi32, 0, 1, 4, 5));
}

/** 16 adjacent columns (one cache line per row) with 8 float64x2 accumulators. */
@inline function col16SumProdF32(isProd: bool, p: usize, red: i32, inner: i32, out: usize): void {
  const init = f64x2.splat(isProd ? 1 : 0);
  let a0 = init, a1 = init, a2 = init, a3 = init, a4 = init, a5 = init, a6 = init, a7 = init;
  for (let r = 0; r < red; r++) {
    const q = addr(p, r * inner);
    const v0 = v128.load(q), v1 = v128.load(q, 16), v2 = v128.load(q, 32), v3 = v128.load(q, 48);
    a0 = comb64(isProd, a0, f64x2.promote_low_f32x4(v0)); a1 = comb64(isProd, a1, f64x2.promote_low_f32x4(hiHalf(v0)));
    a2 = comb64(isProd, a2, f64x2.promote_low_f32x4(v1)); a3 = comb64(isProd, a3, f64x2.promote_low_f32x4(hiHalf(v1)));
    a4 = comb64(isProd, a4, f64x2.promote_low_f32x4(v2)); a5 = comb64(isProd, a5, f64x2.promote_low_f32x4(hiHalf(v2)));
    a6 = comb64(isProd, a6, f64x2.promote_low_f32x4(v3)); a7 = comb64(isProd, a7, f64x2.promote_low_f32x4(hiHalf(v3)));
  }
  v128.store(out, v128.shuffle<f32>(f32x4.demote_f64x2_zero(a0), f32x4.demote_f64x2_zero(a1), 0, 1, 4, 5));
  v128.store(out, v128.shuffle<f32>(f32x4.demote_f64x2_zero(a2), f32x4.demote_f64x2_zero(a3), 0, 1, 4, 5), 16);
  v128.store(out, v128.shuffle<f32>(f32x4.demote_f64x2_zero(a4), f32x4.demote_f64x2_zero(a5), 0, 1, 4, 5), 32);
  v128.store(out, v128.shuffle<f32>(f32x4.demote_f64x2_zero(a6), f32x4.demote_f64x2_zero(a7), 0, 1, 4, 5), 48);
}

@inline function colSumProdScalarF32(isProd: bool, p: usize, red: i32, inner: i32): f32 {
  let s: f64 = isProd ? 1 : 0;
  for (let r = 0; r < red; r++) {
    const v = <f64>load<f32>(addr(p, r * inner));
    s = isProd ? s * v : s + v;
  }
  return <f32>s;
}

@inline function sumProdF32(isProd: bool, x: usize, outer: i32, red: i32, inner: i32, out: usize): void {
  for (let o = 0; o < outer; o++) {
    const xo = addr(x, o * red * inner);
    const oo = addr(out, o * inner);
    if (inner == 1) { store<f32>(oo, rowSumProdF32(isProd, xo, red)); continue; }
    let i = 0;
    for (; i + 16 <= inner; i += 16) col16SumProdF32(isProd, addr(xo, i), red, inner, addr(oo, i));
    for (; i + 4 <= inner; i += 4) colSumProdF32(isProd, addr(xo, i), red, inner, addr(oo, i));
    for (; i < inner; i++) store<f32>(addr(oo, i), colSumProdScalarF32(isProd, addr(xo, i), red, inner));
  }
}

@inline function sumProdI32(isProd: bool, x: usize, outer: i32, red: i32, inner: i32, out: usize): void {
  const init = isProd ? 1 : 0;
  for (let o = 0; o < outer; o++) {
    const xo = addr(x, o * red * inner);
    const oo = addr(out, o * inner);
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      let acc = i32x4.splat(init);
      for (let r = 0; r < red; r++) {
        const v = v128.load(addr(xo, r * inner + i));
        acc = isProd ? i32x4.mul(acc, v) : i32x4.add(acc, v);
      }
      v128.store(addr(oo, i), acc);
    }
    for (; i < inner; i++) {
      let s = init;
      for (let r = 0; r < red; r++) {
        const v = load<i32>(addr(xo, r * inner + i));
        s = isProd ? s * v : s + v;
      }
      store<i32>(addr(oo, i), s);
    }
  }
}

// ---- max / min with first-extremum index --------------------------------------------------------------------

/** Does v (strictly) beat the current best b? NaN beats any non-NaN; the first NaN stays. */
@inline function beatsV(isInt: bool, isMax: bool, v: v128, b: v128): v128 {
  if (isInt) return isMax ? i32x4.gt_s(v, b) : i32x4.lt_s(v, b);
  const c = isMax ? f32x4.gt(v, b) : f32x4.lt(v, b);
  return v128.or(c, v128.andnot(f32x4.ne(v, v), f32x4.ne(b, b)));
}

@inline function beats(isInt: bool, isMax: bool, v: i32, b: i32): bool {
  if (isInt) return isMax ? v > b : v < b;
  const fv = reinterpret<f32>(v);
  const fb = reinterpret<f32>(b);
  return (isMax ? fv > fb : fv < fb) || (isNaN(fv) && !isNaN(fb));
}

@inline function same(isInt: bool, v: i32, b: i32): bool {
  if (isInt) return v == b;
  const fv = reinterpret<f32>(v);
  const fb = reinterpret<f32>(b);
  return fv == fb || (isNaN(fv) && isNaN(fb));
}

@inline function initBits(isInt: bool, isMax: bool): i32 {
  if (isInt) return isMax ? i32.MIN_VALUE : i32.MAX_VALUE;
  return reinterpret<i32>(isMax ? -Infinity : Infinity);
}

/** Row (inner == 1): 4 lanes, each keeping its first extremum, merged with ties → lower index, then the tail. */
@inline function rowMinMax(isInt: bool, isMax: bool, p: usize, red: i32, out: usize, arg: usize, hasArg: bool): void {
  let vb = i32x4.splat(initBits(isInt, isMax));
  let vi = i32x4(0, 1, 2, 3);
  let cur = i32x4(0, 1, 2, 3);
  const four = i32x4.splat(4);
  let r = 0;
  for (; r + 4 <= red; r += 4) {
    const v = v128.load(addr(p, r));
    const m = beatsV(isInt, isMax, v, vb);
    vb = v128.bitselect(v, vb, m);
    vi = v128.bitselect(cur, vi, m);
    cur = i32x4.add(cur, four);
  }
  let b = i32x4.extract_lane(vb, 0);
  let bi = i32x4.extract_lane(vi, 0);
  // lanes 1..3 (constant lane numbers for extract_lane)
  let v = i32x4.extract_lane(vb, 1), vIdx = i32x4.extract_lane(vi, 1);
  if (beats(isInt, isMax, v, b) || (same(isInt, v, b) && vIdx < bi)) { b = v; bi = vIdx; }
  v = i32x4.extract_lane(vb, 2); vIdx = i32x4.extract_lane(vi, 2);
  if (beats(isInt, isMax, v, b) || (same(isInt, v, b) && vIdx < bi)) { b = v; bi = vIdx; }
  v = i32x4.extract_lane(vb, 3); vIdx = i32x4.extract_lane(vi, 3);
  if (beats(isInt, isMax, v, b) || (same(isInt, v, b) && vIdx < bi)) { b = v; bi = vIdx; }
  for (; r < red; r++) {
    v = load<i32>(addr(p, r));
    if (beats(isInt, isMax, v, b)) { b = v; bi = r; }
  }
  store<i32>(out, b);
  if (hasArg) store<i32>(arg, bi);
}

@inline function colMinMax(isInt: bool, isMax: bool, p: usize, red: i32, inner: i32, out: usize, arg: usize,
  hasArg: bool): void {
  let vb = i32x4.splat(initBits(isInt, isMax));
  let vi = i32x4.splat(0);
  for (let r = 0; r < red; r++) {
    const v = v128.load(addr(p, r * inner));
    const m = beatsV(isInt, isMax, v, vb);
    vb = v128.bitselect(v, vb, m);
    vi = v128.bitselect(i32x4.splat(r), vi, m);
  }
  v128.store(out, vb);
  if (hasArg) v128.store(arg, vi);
}

@inline function colMinMaxScalar(isInt: bool, isMax: bool, p: usize, red: i32, inner: i32, out: usize, arg: usize,
  hasArg: bool): void {
  let b = initBits(isInt, isMax);
  let bi = 0;
  for (let r = 0; r < red; r++) {
    const v = load<i32>(addr(p, r * inner));
    if (beats(isInt, isMax, v, b)) { b = v; bi = r; }
  }
  store<i32>(out, b);
  if (hasArg) store<i32>(arg, bi);
}

@inline function minMax(isInt: bool, isMax: bool, x: usize, outer: i32, red: i32, inner: i32, out: usize,
  arg: usize, hasArg: bool): void {
  for (let o = 0; o < outer; o++) {
    const xo = addr(x, o * red * inner);
    const oo = addr(out, o * inner);
    const ao = addr(arg, o * inner);
    if (inner == 1) { rowMinMax(isInt, isMax, xo, red, oo, ao, hasArg); continue; }
    let i = 0;
    for (; i + 4 <= inner; i += 4) colMinMax(isInt, isMax, addr(xo, i), red, inner, addr(oo, i), addr(ao, i), hasArg);
    for (; i < inner; i++) colMinMaxScalar(isInt, isMax, addr(xo, i), red, inner, addr(oo, i), addr(ao, i), hasArg);
  }
}

// ---- exports ------------------------------------------------------------------------------------------------

/**
 * float32 reduction. op: RED_*. arg is written only when hasArg != 0 (max/min). With red = 0 the result is the
 * identity (0, 1, -inf, +inf) and arg 0; callers reject empty max/min as PyTorch does.
 */
export function red_reduce_f32(op: i32, x: usize, outer: i32, red: i32, inner: i32, out: usize, arg: usize,
  hasArg: i32): void {
  switch (op) {
    case EW_RED_SUM: sumProdF32(false, x, outer, red, inner, out); break;
    case EW_RED_PROD: sumProdF32(true, x, outer, red, inner, out); break;
    case EW_RED_MAX: minMax(false, true, x, outer, red, inner, out, arg, hasArg != 0); break;
    case EW_RED_MIN: minMax(false, false, x, outer, red, inner, out, arg, hasArg != 0); break;
    default: break;
  }
}

/** int32 reduction (sum/prod wrap around). */
export function red_reduce_i32(op: i32, x: usize, outer: i32, red: i32, inner: i32, out: usize, arg: usize,
  hasArg: i32): void {
  switch (op) {
    case EW_RED_SUM: sumProdI32(false, x, outer, red, inner, out); break;
    case EW_RED_PROD: sumProdI32(true, x, outer, red, inner, out); break;
    case EW_RED_MAX: minMax(true, true, x, outer, red, inner, out, arg, hasArg != 0); break;
    case EW_RED_MIN: minMax(true, false, x, outer, red, inner, out, arg, hasArg != 0); break;
    default: break;
  }
}

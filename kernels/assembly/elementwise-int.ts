// int32 unary kernels (split from elementwise.ts; the opcodes are defined there).
import { EW_UN_ABS, EW_UN_CEIL, EW_UN_CLAMP, EW_UN_FLOOR, EW_UN_NEG, EW_UN_POW_SCALAR, EW_UN_RELU, EW_UN_ROUND, EW_UN_SIGN, EW_UN_SQUARE } from './elementwise';
import { sm_ipow } from './softmax';

// ---- int32 unary ops (neg, abs, sign, square, relu, clamp, powScalar; floor/ceil/round are copies) -----------

@inline function unaryI(op: i32, x: i32, lo: i32, hi: i32): i32 {
  switch (op) {
    case EW_UN_NEG: return -x;
    case EW_UN_ABS: return x < 0 ? -x : x;
    case EW_UN_SIGN: return <i32>(x > 0) - <i32>(x < 0);
    case EW_UN_SQUARE: return x * x;
    case EW_UN_RELU: return x < 0 ? 0 : x;
    case EW_UN_POW_SCALAR: return sm_ipow(x, lo);
    case EW_UN_CLAMP: return min<i32>(max<i32>(x, lo), hi);
    default: return x; // floor, ceil, round
  }
}

@inline function unaryIV(op: i32, x: v128, lo: v128, hi: v128): v128 {
  const z = i32x4.splat(0);
  switch (op) {
    case EW_UN_NEG: return i32x4.neg(x);
    case EW_UN_ABS: return i32x4.abs(x);
    case EW_UN_SIGN: return i32x4.sub(i32x4.neg(i32x4.gt_s(x, z)), i32x4.neg(i32x4.lt_s(x, z)));
    case EW_UN_SQUARE: return i32x4.mul(x, x);
    case EW_UN_RELU: return i32x4.max_s(x, z);
    case EW_UN_CLAMP: return i32x4.min_s(i32x4.max_s(x, lo), hi);
    default: return x;
  }
}

@inline function unaryLoopI(op: i32, x: usize, y: usize, n: i32, lo: i32, hi: i32): void {
  const vlo = i32x4.splat(lo);
  const vhi = i32x4.splat(hi);
  let i = 0;
  if (op != EW_UN_POW_SCALAR) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, unaryIV(op, v128.load(x + o), vlo, vhi));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<i32>(y + o, unaryI(op, load<i32>(x + o), lo, hi));
  }
}

/**
 * int32 y = f(x) for op in {neg, abs, sign, square, relu, clamp(lo, hi), powScalar(lo = exponent), floor, ceil,
 * round}; other ops are float32 only and not dispatched here.
 */
export function ew_unary_i32(op: i32, x: usize, y: usize, n: i32, lo: i32, hi: i32): void {
  switch (op) {
    case EW_UN_NEG: unaryLoopI(EW_UN_NEG, x, y, n, lo, hi); break;
    case EW_UN_ABS: unaryLoopI(EW_UN_ABS, x, y, n, lo, hi); break;
    case EW_UN_SIGN: unaryLoopI(EW_UN_SIGN, x, y, n, lo, hi); break;
    case EW_UN_SQUARE: unaryLoopI(EW_UN_SQUARE, x, y, n, lo, hi); break;
    case EW_UN_RELU: unaryLoopI(EW_UN_RELU, x, y, n, lo, hi); break;
    case EW_UN_CLAMP: unaryLoopI(EW_UN_CLAMP, x, y, n, lo, hi); break;
    case EW_UN_POW_SCALAR: unaryLoopI(EW_UN_POW_SCALAR, x, y, n, lo, hi); break;
    case EW_UN_FLOOR: case EW_UN_CEIL: case EW_UN_ROUND: unaryLoopI(EW_UN_FLOOR, x, y, n, lo, hi); break;
    default: break;
  }
}

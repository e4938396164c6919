// Elementwise kernels: the opcode table, fill, cast, unary ops with their gradients (float32; a few on int32).
// Flat exports over byte addresses; no allocation. Semantics follow PyTorch (see src/runtime/backend/types.ts).
// The opcode numbers are mirrored in src/runtime/backend/wasm/ew-opcodes.ts (a unit test checks they agree).
import { sm_erf64, sm_erfc64, sm_pow_scalar, sm_trans_f32 } from './softmax';

// ---- opcode table (exported as immutable globals so the test can compare with the TS table) ----------------
export const EW_UN_NEG: i32 = 0;
export const EW_UN_EXP: i32 = 1;
export const EW_UN_LOG: i32 = 2;
export const EW_UN_SQRT: i32 = 3;
export const EW_UN_RSQRT: i32 = 4;
export const EW_UN_ABS: i32 = 5;
export const EW_UN_SIGN: i32 = 6;
export const EW_UN_SQUARE: i32 = 7;
export const EW_UN_RECIPROCAL: i32 = 8;
export const EW_UN_SIN: i32 = 9;
export const EW_UN_COS: i32 = 10;
export const EW_UN_FLOOR: i32 = 11;
export const EW_UN_CEIL: i32 = 12;
export const EW_UN_ROUND: i32 = 13;
export const EW_UN_ERF: i32 = 14;
export const EW_UN_LOG1P: i32 = 15;
export const EW_UN_EXPM1: i32 = 16;
export const EW_UN_RELU: i32 = 17;
export const EW_UN_LEAKY_RELU: i32 = 18;
export const EW_UN_ELU: i32 = 19;
export const EW_UN_GELU: i32 = 20;
export const EW_UN_GELU_TANH: i32 = 21;
export const EW_UN_SIGMOID: i32 = 22;
export const EW_UN_TANH: i32 = 23;
export const EW_UN_SOFTPLUS: i32 = 24;
export const EW_UN_CLAMP: i32 = 25;
export const EW_UN_POW_SCALAR: i32 = 26;
export const EW_UN_AFFINE: i32 = 27;

export const EW_BIN_ADD: i32 = 0;
export const EW_BIN_SUB: i32 = 1;
export const EW_BIN_MUL: i32 = 2;
export const EW_BIN_DIV: i32 = 3;
export const EW_BIN_POW: i32 = 4;
export const EW_BIN_MAXIMUM: i32 = 5;
export const EW_BIN_MINIMUM: i32 = 6;
export const EW_BIN_EQ: i32 = 7;
export const EW_BIN_NE: i32 = 8;
export const EW_BIN_LT: i32 = 9;
export const EW_BIN_LE: i32 = 10;
export const EW_BIN_GT: i32 = 11;
export const EW_BIN_GE: i32 = 12;

export const EW_RED_SUM: i32 = 0;
export const EW_RED_MAX: i32 = 1;
export const EW_RED_MIN: i32 = 2;
export const EW_RED_PROD: i32 = 3;

// ---- fill and cast ----------------------------------------------------------------------------------------

/** Fill n 32-bit words with a bit pattern (float32 or int32: the TS glue converts the value). */
export function ew_fill_32(dst: usize, n: i32, bits: i32): void {
  const v = i32x4.splat(bits);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v);
  for (; i < n; i++) store<i32>(dst + (<usize>i << 2), bits);
}

/** float32 → int32, truncating toward zero (saturating; NaN → 0, so it never traps). */
export function ew_cast_f32_i32(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, i32x4.trunc_sat_f32x4_s(v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<i32>(dst + o, i32x4.extract_lane(i32x4.trunc_sat_f32x4_s(f32x4.splat(load<f32>(src + o))), 0));
  }
}

/** int32 → float32 (round to nearest even, as a C cast). */
export function ew_cast_i32_f32(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.convert_i32x4_s(v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, <f32>load<i32>(src + o));
  }
}

// ---- scalar definitions (the semantics; SIMD paths must agree with these bit for bit) ----------------------

const SQRT1_2: f64 = 0.7071067811865476;
const INV_SQRT_2PI: f64 = 0.3989422804014327;
const TWO_OVER_SQRTPI: f64 = 1.1283791670955126;
const GELU_BETA: f64 = 0.7978845608028654; // sqrt(2/pi)
const GELU_KAPPA: f64 = 0.044715;

@inline function signf(x: f32): f32 {
  return <f32>(<i32>(x > 0) - <i32>(x < 0)); // NaN → 0, as PyTorch's sign
}

/** y = f(x) for every unary op (p0, p1 as documented in UnaryOp). */
@inline function unaryScalar(op: i32, x: f32, p0: f32, p1: f32): f32 {
  switch (op) {
    case EW_UN_NEG: return -x;
    case EW_UN_EXP: return Mathf.exp(x);
    case EW_UN_LOG: return Mathf.log(x);
    case EW_UN_SQRT: return sqrt<f32>(x);
    case EW_UN_RSQRT: return <f32>1 / sqrt<f32>(x);
    case EW_UN_ABS: return abs<f32>(x);
    case EW_UN_SIGN: return signf(x);
    case EW_UN_SQUARE: return x * x;
    case EW_UN_RECIPROCAL: return <f32>1 / x;
    case EW_UN_SIN: return Mathf.sin(x);
    case EW_UN_COS: return Mathf.cos(x);
    case EW_UN_FLOOR: return floor<f32>(x);
    case EW_UN_CEIL: return ceil<f32>(x);
    case EW_UN_ROUND: return nearest<f32>(x);
    case EW_UN_ERF: return <f32>sm_erf64(<f64>x);
    case EW_UN_LOG1P: return Mathf.log1p(x);
    case EW_UN_EXPM1: return Mathf.expm1(x);
    case EW_UN_RELU: return x < 0 ? <f32>0 : x;
    case EW_UN_LEAKY_RELU: return x > 0 ? x : x * p0;
    case EW_UN_ELU: return x > 0 ? x : p0 * Mathf.expm1(x);
    case EW_UN_GELU: return <f32>(0.5 * <f64>x * sm_erfc64(-<f64>x * SQRT1_2));
    case EW_UN_GELU_TANH: { // in float64: 1 + tanh(·) cancels for x << 0
      const xd = <f64>x;
      return <f32>(0.5 * xd * (1 + Math.tanh(GELU_BETA * (xd + GELU_KAPPA * xd * xd * xd))));
    }
    case EW_UN_SIGMOID: return <f32>1 / (<f32>1 + Mathf.exp(-x));
    case EW_UN_TANH: return Mathf.tanh(x);
    case EW_UN_SOFTPLUS: return x * p0 > p1 ? x : Mathf.log1p(Mathf.exp(x * p0)) / p0;
    case EW_UN_CLAMP: return min<f32>(max<f32>(x, p0), p1);
    case EW_UN_POW_SCALAR: return sm_pow_scalar(x, p0);
    case EW_UN_AFFINE: return x * p0 + p1;
    default: return NaN;
  }
}

/** dx = dy · f'(x) given x, y = f(x) (PyTorch's backward formulas). */
@inline function gradScalar(op: i32, x: f32, y: f32, dy: f32, p0: f32, p1: f32): f32 {
  switch (op) {
    case EW_UN_NEG: return -dy;
    case EW_UN_EXP: return dy * y;
    case EW_UN_LOG: return dy / x;
    case EW_UN_SQRT: return dy / (<f32>2 * y);
    case EW_UN_RSQRT: return <f32>-0.5 * dy * (y * y * y);
    case EW_UN_ABS: return dy * signf(x);
    case EW_UN_SQUARE: return dy * (<f32>2 * x);
    case EW_UN_RECIPROCAL: return -dy * (y * y);
    case EW_UN_SIN: return dy * Mathf.cos(x);
    case EW_UN_COS: return dy * -Mathf.sin(x);
    case EW_UN_ERF: return <f32>(<f64>dy * TWO_OVER_SQRTPI * Math.exp(-<f64>x * <f64>x));
    case EW_UN_LOG1P: return dy / (x + <f32>1);
    case EW_UN_EXPM1: return dy * (y + <f32>1);
    case EW_UN_RELU: return y > 0 ? dy : <f32>0;
    case EW_UN_LEAKY_RELU: return x > 0 ? dy : dy * p0;
    case EW_UN_ELU: return x <= 0 ? dy * p0 * Mathf.exp(x) : dy;
    case EW_UN_GELU: {
      const xd = <f64>x;
      const cdf = 0.5 * sm_erfc64(-xd * SQRT1_2);
      return <f32>(<f64>dy * (cdf + xd * INV_SQRT_2PI * Math.exp(-0.5 * xd * xd)));
    }
    case EW_UN_GELU_TANH: return <f32>(<f64>dy * <f64>geluTanhDeriv(x));
    case EW_UN_SIGMOID: return dy * (<f32>1 - y) * y;
    case EW_UN_TANH: return dy * (<f32>1 - y * y);
    case EW_UN_SOFTPLUS: {
      if (x * p0 > p1) return dy;
      const z = Mathf.exp(x * p0);
      return dy * z / (z + <f32>1);
    }
    case EW_UN_CLAMP: return x >= p0 && x <= p1 ? dy : <f32>0;
    case EW_UN_POW_SCALAR:
      return p0 == 0 ? <f32>0 : dy * p0 * sm_pow_scalar(x, p0 - <f32>1);
    case EW_UN_AFFINE: return dy * p0;
    default: return 0; // sign, floor, ceil, round: zero gradient
  }
}

/** ATen's gelu_backward for approximate='tanh', evaluated in float64. */
function geluTanhDeriv(x32: f32): f32 {
  const x = <f64>x32;
  const xs = x * x;
  const t = Math.tanh(GELU_BETA * (x + GELU_KAPPA * xs * x));
  const left = 0.5 * x;
  const right = 1 + t;
  return <f32>(0.5 * right + left * (1 - t * t) * GELU_BETA * (1 + 3 * GELU_KAPPA * xs));
}

// ---- SIMD definitions for the simple ops (must match unaryScalar exactly, including NaN and ±0) ---------

@inline function unaryVec(op: i32, x: v128, a: v128, b: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  switch (op) {
    case EW_UN_NEG: return f32x4.neg(x);
    case EW_UN_SQRT: return f32x4.sqrt(x);
    case EW_UN_RSQRT: return f32x4.div(one, f32x4.sqrt(x));
    case EW_UN_ABS: return f32x4.abs(x);
    case EW_UN_SIGN: return f32x4.sub(v128.and(f32x4.gt(x, zero), one), v128.and(f32x4.lt(x, zero), one));
    case EW_UN_SQUARE: return f32x4.mul(x, x);
    case EW_UN_RECIPROCAL: return f32x4.div(one, x);
    case EW_UN_FLOOR: return f32x4.floor(x);
    case EW_UN_CEIL: return f32x4.ceil(x);
    case EW_UN_ROUND: return f32x4.nearest(x);
    case EW_UN_RELU: return v128.bitselect(zero, x, f32x4.lt(x, zero));
    case EW_UN_LEAKY_RELU: return v128.bitselect(x, f32x4.mul(x, a), f32x4.gt(x, zero));
    case EW_UN_CLAMP: return f32x4.min(f32x4.max(x, a), b);
    case EW_UN_AFFINE: return f32x4.add(f32x4.mul(x, a), b);
    default: return x;
  }
}

@inline function isSimdUnary(op: i32): bool {
  return op == EW_UN_NEG || op == EW_UN_SQRT || op == EW_UN_RSQRT || op == EW_UN_ABS || op == EW_UN_SIGN ||
    op == EW_UN_SQUARE ||
    op == EW_UN_RECIPROCAL || op == EW_UN_FLOOR || op == EW_UN_CEIL || op == EW_UN_ROUND || op == EW_UN_RELU ||
    op == EW_UN_LEAKY_RELU || op == EW_UN_CLAMP || op == EW_UN_AFFINE;
}

/** One op over n elements; inlined with a constant op so each case compiles to its own loop. */
@inline function unaryLoop(op: i32, x: usize, y: usize, n: i32, p0: f32, p1: f32): void {
  let i = 0;
  if (isSimdUnary(op)) {
    const a = f32x4.splat(p0);
    const b = f32x4.splat(p1);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, unaryVec(op, v128.load(x + o), a, b));
    }
  } else if (op == EW_UN_EXP || op == EW_UN_SIGMOID || op == EW_UN_TANH) {
    sm_trans_f32(op == EW_UN_EXP ? 0 : op == EW_UN_SIGMOID ? 1 : 2, x, y, n); // SIMD polynomials
    return;
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, unaryScalar(op, load<f32>(x + o), p0, p1));
  }
}

/** y[i] = f(x[i]) over n contiguous float32 (x and y may alias). */
export function ew_unary_f32(op: i32, x: usize, y: usize, n: i32, p0: f32, p1: f32): void {
  switch (op) {
    case EW_UN_NEG: unaryLoop(EW_UN_NEG, x, y, n, p0, p1); break;
    case EW_UN_EXP: unaryLoop(EW_UN_EXP, x, y, n, p0, p1); break;
    case EW_UN_LOG: unaryLoop(EW_UN_LOG, x, y, n, p0, p1); break;
    case EW_UN_SQRT: unaryLoop(EW_UN_SQRT, x, y, n, p0, p1); break;
    case EW_UN_RSQRT: unaryLoop(EW_UN_RSQRT, x, y, n, p0, p1); break;
    case EW_UN_ABS: unaryLoop(EW_UN_ABS, x, y, n, p0, p1); break;
    case EW_UN_SIGN: unaryLoop(EW_UN_SIGN, x, y, n, p0, p1); break;
    case EW_UN_SQUARE: unaryLoop(EW_UN_SQUARE, x, y, n, p0, p1); break;
    case EW_UN_RECIPROCAL: unaryLoop(EW_UN_RECIPROCAL, x, y, n, p0, p1); break;
    case EW_UN_SIN: unaryLoop(EW_UN_SIN, x, y, n, p0, p1); break;
    case EW_UN_COS: unaryLoop(EW_UN_COS, x, y, n, p0, p1); break;
    case EW_UN_FLOOR: unaryLoop(EW_UN_FLOOR, x, y, n, p0, p1); break;
    case EW_UN_CEIL: unaryLoop(EW_UN_CEIL, x, y, n, p0, p1); break;
    case EW_UN_ROUND: unaryLoop(EW_UN_ROUND, x, y, n, p0, p1); break;
    case EW_UN_ERF: unaryLoop(EW_UN_ERF, x, y, n, p0, p1); break;
    case EW_UN_LOG1P: unaryLoop(EW_UN_LOG1P, x, y, n, p0, p1); break;
    case EW_UN_EXPM1: unaryLoop(EW_UN_EXPM1, x, y, n, p0, p1); break;
    case EW_UN_RELU: unaryLoop(EW_UN_RELU, x, y, n, p0, p1); break;
    case EW_UN_LEAKY_RELU: unaryLoop(EW_UN_LEAKY_RELU, x, y, n, p0, p1); break;
    case EW_UN_ELU: unaryLoop(EW_UN_ELU, x, y, n, p0, p1); break;
    case EW_UN_GELU: unaryLoop(EW_UN_GELU, x, y, n, p0, p1); break;
    case EW_UN_GELU_TANH: unaryLoop(EW_UN_GELU_TANH, x, y, n, p0, p1); break;
    case EW_UN_SIGMOID: unaryLoop(EW_UN_SIGMOID, x, y, n, p0, p1); break;
    case EW_UN_TANH: unaryLoop(EW_UN_TANH, x, y, n, p0, p1); break;
    case EW_UN_SOFTPLUS: unaryLoop(EW_UN_SOFTPLUS, x, y, n, p0, p1); break;
    case EW_UN_CLAMP: unaryLoop(EW_UN_CLAMP, x, y, n, p0, p1); break;
    case EW_UN_POW_SCALAR: unaryLoop(EW_UN_POW_SCALAR, x, y, n, p0, p1); break;
    case EW_UN_AFFINE: unaryLoop(EW_UN_AFFINE, x, y, n, p0, p1); break;
    default: break;
  }
}

/** Gradient loop: SIMD for the ops whose derivative is a mask or a product, scalar otherwise. */
@inline function gradLoop(op: i32, x: usize, y: usize, dy: usize, dx: usize, n: i32, p0: f32, p1: f32): void {
  let i = 0;
  const a = f32x4.splat(p0);
  const b = f32x4.splat(p1);
  const zero = f32x4.splat(0);
  if (op == EW_UN_RELU || op == EW_UN_LEAKY_RELU || op == EW_UN_CLAMP || op == EW_UN_AFFINE || op == EW_UN_NEG ||
      op == EW_UN_EXP || op == EW_UN_SIGMOID || op == EW_UN_TANH) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const g = v128.load(dy + o);
      let r = g;
      if (op == EW_UN_RELU) r = v128.and(g, f32x4.gt(v128.load(y + o), zero));
      else if (op == EW_UN_LEAKY_RELU) r = v128.bitselect(g, f32x4.mul(g, a), f32x4.gt(v128.load(x + o), zero));
      else if (op == EW_UN_CLAMP) {
        const xv = v128.load(x + o);
        r = v128.and(g, v128.and(f32x4.ge(xv, a), f32x4.le(xv, b)));
      } else if (op == EW_UN_AFFINE) r = f32x4.mul(g, a);
      else if (op == EW_UN_NEG) r = f32x4.neg(g);
      else if (op == EW_UN_EXP) r = f32x4.mul(g, v128.load(y + o));
      else if (op == EW_UN_SIGMOID) {
        const yv = v128.load(y + o);
        r = f32x4.mul(f32x4.mul(g, f32x4.sub(f32x4.splat(1), yv)), yv);
      } else { // tanh
        const yv = v128.load(y + o);
        r = f32x4.mul(g, f32x4.sub(f32x4.splat(1), f32x4.mul(yv, yv)));
      }
      v128.store(dx + o, r);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, gradScalar(op, load<f32>(x + o), load<f32>(y + o), load<f32>(dy + o), p0, p1));
  }
}

/** dx[i] = dy[i] · f'(x[i]) with y = f(x) given. dx may alias dy. */
export function ew_unary_grad_f32(op: i32, x: usize, y: usize, dy: usize, dx: usize, n: i32, p0: f32, p1: f32): void {
  switch (op) {
    case EW_UN_NEG: gradLoop(EW_UN_NEG, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_EXP: gradLoop(EW_UN_EXP, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_LOG: gradLoop(EW_UN_LOG, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_SQRT: gradLoop(EW_UN_SQRT, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_RSQRT: gradLoop(EW_UN_RSQRT, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_ABS: gradLoop(EW_UN_ABS, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_SQUARE: gradLoop(EW_UN_SQUARE, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_RECIPROCAL: gradLoop(EW_UN_RECIPROCAL, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_SIN: gradLoop(EW_UN_SIN, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_COS: gradLoop(EW_UN_COS, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_ERF: gradLoop(EW_UN_ERF, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_LOG1P: gradLoop(EW_UN_LOG1P, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_EXPM1: gradLoop(EW_UN_EXPM1, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_RELU: gradLoop(EW_UN_RELU, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_LEAKY_RELU: gradLoop(EW_UN_LEAKY_RELU, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_ELU: gradLoop(EW_UN_ELU, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_GELU: gradLoop(EW_UN_GELU, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_GELU_TANH: gradLoop(EW_UN_GELU_TANH, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_SIGMOID: gradLoop(EW_UN_SIGMOID, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_TANH: gradLoop(EW_UN_TANH, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_SOFTPLUS: gradLoop(EW_UN_SOFTPLUS, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_CLAMP: gradLoop(EW_UN_CLAMP, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_POW_SCALAR: gradLoop(EW_UN_POW_SCALAR, x, y, dy, dx, n, p0, p1); break;
    case EW_UN_AFFINE: gradLoop(EW_UN_AFFINE, x, y, dy, dx, n, p0, p1); break;
    default: gradLoop(-1, x, y, dy, dx, n, p0, p1); break; // sign, floor, ceil, round → 0
  }
}

// int32 unary ops: ./elementwise-int.ts

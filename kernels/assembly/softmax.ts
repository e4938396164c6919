// Row softmax / log-softmax and their backward, plus math shared with elementwise.ts and indexing.ts: the
// error functions (erf / gelu), C / ATen pow semantics, and SIMD exp / sigmoid / tanh (sm_trans_f32).
// Flat exports over byte addresses; no allocation.

// ---- error function (float64 evaluation, ~1e-7 relative: float32-accurate, as erf / gelu need) --------------

const TWO_OVER_SQRTPI: f64 = 1.1283791670955126;

/** erf(x) for |x| < 0.5: 2/√π · Σ (−1)ⁿ x^{2n+1} / (n!(2n+1)), 8 terms (truncation < 1e-10 relative). */
@inline function erfTaylor(x: f64): f64 {
  const z = x * x;
  let p = -1.3227513227513228e-5;
  p = p * z + 1.0683760683760684e-4;
  p = p * z - 7.575757575757576e-4;
  p = p * z + 4.629629629629629e-3;
  p = p * z - 2.3809523809523808e-2;
  p = p * z + 0.1;
  p = p * z - 0.3333333333333333;
  p = p * z + 1;
  return TWO_OVER_SQRTPI * x * p;
}

/** erfc(z) for z >= 0 (Numerical Recipes' erfcc Chebyshev fit; relative error < 1.2e-7 for every z >= 0). */
@inline function erfcPos(z: f64): f64 {
  const t = 1 / (1 + 0.5 * z);
  let p = 0.17087277;
  p = p * t - 0.82215223;
  p = p * t + 1.48851587;
  p = p * t - 1.13520398;
  p = p * t + 0.27886807;
  p = p * t - 0.18628806;
  p = p * t + 0.09678418;
  p = p * t + 0.37409196;
  p = p * t + 1.00002368;
  return t * Math.exp(-z * z - 1.26551223 + t * p);
}

export function sm_erf64(x: f64): f64 {
  if (isNaN(x)) return x;
  const ax = abs<f64>(x);
  if (ax < 0.5) return erfTaylor(x);
  const r = ax > 10 ? 1 : 1 - erfcPos(ax);
  return x > 0 ? r : -r;
}

export function sm_erfc64(x: f64): f64 {
  if (isNaN(x)) return x;
  if (abs<f64>(x) < 0.5) return 1 - erfTaylor(x);
  if (x > 0) return x > 27 ? 0 : erfcPos(x);
  return x < -10 ? 2 : 2 - erfcPos(-x);
}

// ---- pow helpers (C / ATen semantics), used by elementwise.ts and indexing.ts ------------------------------

/** PyTorch's pow(tensor, scalar): special exponents use sqrt / products, the rest is C pow (in float64). */
export function sm_pow_scalar(x: f32, e: f32): f32 {
  if (e == 0.5) return sqrt<f32>(x);
  if (e == 2) return x * x;
  if (e == 3) return x * x * x;
  if (e == -0.5) return <f32>1 / sqrt<f32>(x);
  if (e == -1) return <f32>1 / x;
  if (e == -2) return <f32>1 / (x * x);
  return sm_cpow(x, e);
}

/** C's powf semantics (what PyTorch calls): pow(1, y) = pow(x, 0) = 1 and pow(-1, ±inf) = 1, even for NaN. */
export function sm_cpow(a: f32, b: f32): f32 {
  if (a == 1 || b == 0) return 1;
  if (a == -1 && abs<f32>(b) == Infinity) return 1;
  return <f32>Math.pow(<f64>a, <f64>b);
}

/** Integer power with wraparound (ATen powi); negative exponents give 1, ±1 or 0. */
export function sm_ipow(a: i32, b: i32): i32 {
  if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) ? -1 : 1) : 0;
  let r = 1;
  let base = a;
  let e = b;
  while (e) {
    if (e & 1) r *= base;
    base *= base;
    e >>>= 1;
  }
  return r;
}

// ---- softmax ---------------------------------------------------------------------------------------------

/** Max of a row (NaN propagates). */
@inline function rowMax(p: usize, cols: i32): f32 {
  let m = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= cols; j += 4) m = f32x4.max(m, v128.load(p + (<usize>j << 2)));
  let r = max<f32>(max<f32>(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)),
    max<f32>(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
  for (; j < cols; j++) r = max<f32>(r, load<f32>(p + (<usize>j << 2)));
  return r;
}

/**
 * y = softmax(x) (log = 0) or log_softmax(x) (log = 1) over each row of a contiguous [rows, cols].
 * Max-subtracted; a row holding NaN gives NaN; y may alias x.
 */
export function sm_softmax_f32(x: usize, y: usize, rows: i32, cols: i32, log: i32): void {
  for (let r = 0; r < rows; r++) {
    const px = x + (<usize>r * <usize>cols << 2);
    const py = y + (<usize>r * <usize>cols << 2);
    const m = rowMax(px, cols);
    const s = expRow(px, py, cols, m, !log); // softmax: py holds exp(x − m) for now
    if (log) {
      const ls = <f32>Math.log(s);
      const vm = f32x4.splat(m);
      const vl = f32x4.splat(ls);
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        v128.store(py + o, f32x4.sub(f32x4.sub(v128.load(px + o), vm), vl));
      }
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        store<f32>(py + o, (load<f32>(px + o) - m) - ls);
      }
    } else {
      const sum = <f32>s;
      const vs = f32x4.splat(sum);
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        v128.store(py + o, f32x4.div(v128.load(py + o), vs));
      }
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        store<f32>(py + o, load<f32>(py + o) / sum);
      }
    }
  }
}

/** Σ a[j]·b[j] (b = 0: Σ a[j]) over a row, accumulated in float64. */
@inline function rowDot(a: usize, b: usize, cols: i32, useB: bool): f64 {
  let s: f64 = 0;
  for (let j = 0; j < cols; j++) {
    const o = <usize>j << 2;
    s += useB ? <f64>load<f32>(a + o) * <f64>load<f32>(b + o) : <f64>load<f32>(a + o);
  }
  return s;
}

/** softmax: dx = y ⊙ (dy − Σ dy⊙y); log-softmax: dx = dy − exp(y) ⊙ Σ dy. dx may alias dy. */
export function sm_softmax_backward_f32(y: usize, dy: usize, dx: usize, rows: i32, cols: i32, log: i32): void {
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * <usize>cols << 2;
    const py = y + off;
    const pg = dy + off;
    const pd = dx + off;
    if (log) {
      const s = <f32>rowDot(pg, 0, cols, false);
      for (let j = 0; j < cols; j++) {
        const o = <usize>j << 2;
        store<f32>(pd + o, load<f32>(pg + o) - Mathf.exp(load<f32>(py + o)) * s);
      }
    } else {
      const s = <f32>rowDot(pg, py, cols, true);
      const vs = f32x4.splat(s);
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        v128.store(pd + o, f32x4.mul(v128.load(py + o), f32x4.sub(v128.load(pg + o), vs)));
      }
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        store<f32>(pd + o, load<f32>(py + o) * (load<f32>(pg + o) - s));
      }
    }
  }
}

// ---- SIMD exp / sigmoid / tanh (float32, ~2e-7 relative) ---------------------------------------------------
// exp: Cody-Waite reduction x = n·ln2 + t (|t| <= ln2/2) and Cephes' degree-5 expf polynomial, valid for
// x in [-87, 88] (normal results); lanes outside (or NaN) are recomputed by the caller with Mathf.

@inline function vexp(x: v128): v128 {
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let t = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  t = f32x4.sub(t, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(1.9875691500e-4), t), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(5.0000001201e-1));
  const e = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(t, t)), t), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(e, scale);
}

@inline function inRange(x: v128, lo: f32, hi: f32): bool {
  return i32x4.all_true(v128.and(f32x4.ge(x, f32x4.splat(lo)), f32x4.le(x, f32x4.splat(hi))));
}

/** tanh: Cephes' odd polynomial for |x| < 0.625, else sign(x)·(1 − 2/(e^{2|x|} + 1)) with |x| capped at 9. */
@inline function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.add(f32x4.mul(f32x4.splat(-5.70498872745e-3), z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = vexp(f32x4.mul(f32x4.min(ax, f32x4.splat(9)), f32x4.splat(2)));
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

/** Can vmath(op, x) be used for these 4 lanes? (op: 0 exp, 1 sigmoid, 2 tanh; false for NaN lanes) */
@inline function vmathOk(op: i32, x: v128): bool {
  if (op == 0) return inRange(x, -87, 88);
  if (op == 1) return inRange(x, -88, 87);
  return i32x4.all_true(f32x4.eq(x, x));
}

/** exp / sigmoid / tanh of 4 lanes, valid when vmathOk(op, x). */
@inline function vmath(op: i32, x: v128): v128 {
  if (op == 0) return vexp(x);
  if (op == 1) return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), vexp(f32x4.neg(x))));
  return vtanh(x);
}

@inline function transScalar(op: i32, x: f32): f32 {
  if (op == 0) return Mathf.exp(x);
  if (op == 1) return <f32>1 / (<f32>1 + Mathf.exp(-x));
  return Mathf.tanh(x);
}

/**
 * y = exp(x) (op 0), sigmoid(x) (op 1) or tanh(x) (op 2) over n float32 with the SIMD polynomials; tails go
 * through a splat so every position gives the same result; out-of-range or NaN groups use Mathf. y may alias x.
 */
export function sm_trans_f32(op: i32, x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    if (vmathOk(op, v)) v128.store(y + o, vmath(op, v));
    else for (let k: usize = 0; k < 16; k += 4) store<f32>(y + o + k, transScalar(op, load<f32>(x + o + k)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const xv = load<f32>(x + o);
    const v = f32x4.splat(xv);
    store<f32>(y + o, vmathOk(op, v) ? f32x4.extract_lane(vmath(op, v), 0) : transScalar(op, xv));
  }
}

/**
 * Σ exp(x[j] − m) over a row (float64). With keep, py[j] = exp(x[j] − m) too (py may alias px: each element is
 * read before it is written). Lanes below −87 use Mathf.exp.
 */
@inline function expRow(px: usize, py: usize, cols: i32, m: f32, keep: bool): f64 {
  const vm = f32x4.splat(m);
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const o = <usize>j << 2;
    const d = f32x4.sub(v128.load(px + o), vm);
    let e: v128;
    if (vmathOk(0, d)) e = vexp(d);
    else {
      e = f32x4.splat(Mathf.exp(f32x4.extract_lane(d, 0)));
      e = f32x4.replace_lane(e, 1, Mathf.exp(f32x4.extract_lane(d, 1)));
      e = f32x4.replace_lane(e, 2, Mathf.exp(f32x4.extract_lane(d, 2)));
      e = f32x4.replace_lane(e, 3, Mathf.exp(f32x4.extract_lane(d, 3)));
    }
    if (keep) v128.store(py + o, e);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 2, 3)));
  }
  let s = f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1) + f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1);
  for (; j < cols; j++) {
    const o = <usize>j << 2;
    const e = Mathf.exp(load<f32>(px + o) - m);
    if (keep) store<f32>(py + o, e);
    s += <f64>e;
  }
  return s;
}

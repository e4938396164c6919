/**
 * Scalar special functions and PyTorch/C scalar semantics that JavaScript's Math does not give directly.
 * Everything here works in float64.
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π
const INV_SQRT_PI = 0.5641895835477563; // 1/√π

/**
 * erf(x) = (2/√π)·e^{-x²}·Σ_{n≥0} 2ⁿx^{2n+1}/(1·3·…·(2n+1)).
 * Every term has the sign of x, so there is no cancellation; used for |x| < 2.5 (≤ ~40 terms).
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * erfc(x) for x ≥ 2.5 by the continued fraction
 *   erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …))))
 * evaluated with the modified Lentz algorithm.
 */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    c = x + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (INV_SQRT_PI * Math.exp(-x * x)) / f;
}

/** The error function, |error| < 1e-15 over the real line. erf(-0) = -0, erf(±∞) = ±1, erf(NaN) = NaN. */
export function erf(x: number): number {
  if (x !== x) return x;
  const ax = Math.abs(x);
  if (ax < 2.5) return erfSeries(x);
  if (ax >= 6) return x > 0 ? 1 : -1; // erfc(6) ≈ 2.2e-17 < ½ulp(1)
  const r = 1 - erfcContinuedFraction(ax);
  return x > 0 ? r : -r;
}

/** Complementary error function, accurate in the tail (relative error ~1e-15 for x ≥ 2.5). */
export function erfc(x: number): number {
  if (x !== x) return x;
  if (x >= 2.5) return x > 27 ? 0 : erfcContinuedFraction(x);
  if (x <= -6) return 2;
  return 1 - erf(x);
}

/** C's pow (what PyTorch calls): unlike Math.pow, pow(1, y) = 1 and pow(-1, ±∞) = 1 even for NaN/∞ y. */
export function cpow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/**
 * PyTorch's float pow(tensor, scalar): special exponents use sqrt/rsqrt/products (so pow(-∞, 0.5) = NaN and
 * pow(-0, 0.5) = -0 as in PyTorch); everything else is C pow.
 */
export function powScalarFloat(x: number, e: number): number {
  if (e === 0.5) return Math.sqrt(x);
  if (e === 2) return x * x;
  if (e === 3) return x * x * x;
  if (e === -0.5) return 1 / Math.sqrt(x);
  if (e === -1) return 1 / x;
  if (e === -2) return 1 / (x * x);
  return cpow(x, e);
}

/** PyTorch's integer pow (ATen powi): wraps modulo 2^32; negative exponents give 1, ±1 or 0. */
export function powInt(a: number, b: number): number {
  a |= 0;
  b |= 0;
  if (b < 0) {
    if (a === 1) return 1;
    if (a === -1) return (-b) % 2 !== 0 ? -1 : 1;
    return 0;
  }
  let result = 1;
  let base = a;
  while (b !== 0) {
    if (b & 1) result = Math.imul(result, base);
    b >>>= 1;
    base = Math.imul(base, base);
  }
  return result;
}

/** Round half to even (PyTorch/NumPy round), keeping the sign of zero. */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  if (Math.abs(x - Math.trunc(x)) === 0.5) return 2 * Math.round(x / 2);
  return Math.round(x); // not a tie; Math.round keeps -0 for x in [-0.5, 0)
}

/** sign with sign(0) = sign(-0) = 0 and sign(NaN) = 0, as PyTorch's (0 < x) - (x < 0). */
export function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

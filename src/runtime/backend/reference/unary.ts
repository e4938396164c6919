/** Elementwise unary kernels and their derivatives, as scalar functions of float64 (PyTorch formulas). */
import type { Ref, UnaryOp } from '../types';
import { erf, powInt, powScalarFloat, roundHalfEven, sign } from './math';
import { arr, isInt } from './storage';

type F1 = (x: number) => number;
/** dx for one element, given x, y = f(x) and dy. */
type G1 = (x: number, y: number, dy: number) => number;

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)
const TWO_OVER_SQRT_PI = 1.1283791670955126;
const GELU_TANH_BETA = Math.SQRT2 * TWO_OVER_SQRT_PI * 0.5; // √(2/π), as ATen computes it
const GELU_TANH_KAPPA = 0.044715;

export const gelu: F1 = (x) => 0.5 * x * (1 + erf(x * SQRT1_2));
export const geluTanh: F1 = (x) =>
  0.5 * x * (1 + Math.tanh(GELU_TANH_BETA * (x + GELU_TANH_KAPPA * x * x * x)));

/** PyTorch: softplus(x) = x if x·β > threshold else log1p(exp(x·β))/β. */
export function softplus(x: number, beta: number, threshold: number): number {
  return x * beta > threshold ? x : Math.log1p(Math.exp(x * beta)) / beta;
}

/** clamp(x, lo, hi) = min(max(x, lo), hi): NaN x or a NaN bound gives NaN; lo > hi gives hi everywhere (PyTorch). */
export function clamp(x: number, lo: number, hi: number): number {
  if (x !== x || lo !== lo || hi !== hi) return NaN;
  const v = x < lo ? lo : x;
  return v > hi ? hi : v;
}

/** Exhaustiveness: only reachable from untyped callers. */
function unknownOp(op: never): never {
  throw new Error(`reference backend: unknown unary op ${String(op)}`);
}

function forwardFn(op: UnaryOp, p0: number, p1: number, int: boolean): F1 {
  switch (op) {
    case 'neg': return (x) => -x;
    case 'exp': return Math.exp;
    case 'log': return Math.log;
    case 'sqrt': return Math.sqrt;
    case 'rsqrt': return (x) => 1 / Math.sqrt(x);
    case 'abs': return Math.abs;
    case 'sign': return sign;
    case 'square': return int ? (x) => Math.imul(x, x) : (x) => x * x;
    case 'reciprocal': return (x) => 1 / x;
    case 'sin': return Math.sin;
    case 'cos': return Math.cos;
    case 'floor': return Math.floor;
    case 'ceil': return Math.ceil;
    case 'round': return roundHalfEven;
    case 'erf': return erf;
    case 'log1p': return Math.log1p;
    case 'expm1': return Math.expm1;
    case 'relu': return (x) => (x > 0 || x !== x ? x : 0);
    case 'leakyRelu': return (x) => (x > 0 ? x : x * p0);
    case 'elu': return (x) => (x > 0 ? x : p0 * Math.expm1(x));
    case 'gelu': return gelu;
    case 'geluTanh': return geluTanh;
    case 'sigmoid': return (x) => 1 / (1 + Math.exp(-x));
    case 'tanh': return Math.tanh;
    case 'softplus': return (x) => softplus(x, p0, p1);
    case 'clamp': return (x) => clamp(x, p0, p1);
    case 'powScalar': return int ? (x) => powInt(x, p0) : (x) => powScalarFloat(x, p0);
    case 'affine': return (x) => x * p0 + p1;
    default: return unknownOp(op); // `op` is `never` here: a UnaryOp without a case does not compile
  }
}

/** d/dx gelu = Φ(x) + x·φ(x). */
function geluGrad(x: number): number {
  return 0.5 * (1 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** ATen's gelu_backward for approximate='tanh'. */
function geluTanhGrad(x: number): number {
  const inner = GELU_TANH_BETA * (x + GELU_TANH_KAPPA * x * x * x);
  const t = Math.tanh(inner);
  const left = 0.5 * x;
  const right = 1 + t;
  const dLeft = 0.5 * right;
  const dRight = left * (1 - t * t) * GELU_TANH_BETA * (1 + 3 * GELU_TANH_KAPPA * x * x);
  return dLeft + dRight;
}

function gradFn(op: UnaryOp, p0: number, p1: number): G1 {
  switch (op) {
    case 'neg': return (_x, _y, dy) => -dy;
    case 'exp': return (_x, y, dy) => dy * y;
    case 'log': return (x, _y, dy) => dy / x;
    case 'sqrt': return (_x, y, dy) => dy / (2 * y);
    case 'rsqrt': return (_x, y, dy) => -0.5 * dy * y * y * y;
    case 'abs': return (x, _y, dy) => dy * sign(x);
    case 'sign': case 'floor': case 'ceil': case 'round': return () => 0; // zero almost everywhere
    case 'square': return (x, _y, dy) => 2 * x * dy;
    case 'reciprocal': return (_x, y, dy) => -dy * y * y;
    case 'sin': return (x, _y, dy) => dy * Math.cos(x);
    case 'cos': return (x, _y, dy) => -dy * Math.sin(x);
    case 'erf': return (x, _y, dy) => dy * TWO_OVER_SQRT_PI * Math.exp(-x * x);
    case 'log1p': return (x, _y, dy) => dy / (1 + x);
    case 'expm1': return (_x, y, dy) => dy * (y + 1);
    case 'relu': return (_x, y, dy) => (y > 0 ? dy : 0); // ATen threshold_backward on the result
    case 'leakyRelu': return (x, _y, dy) => (x > 0 ? dy : dy * p0);
    case 'elu': return (x, _y, dy) => (x > 0 ? dy : dy * p0 * Math.exp(x));
    case 'gelu': return (x, _y, dy) => dy * geluGrad(x);
    case 'geluTanh': return (x, _y, dy) => dy * geluTanhGrad(x);
    case 'sigmoid': return (_x, y, dy) => dy * y * (1 - y);
    case 'tanh': return (_x, y, dy) => dy * (1 - y * y);
    case 'softplus': return (x, _y, dy) => {
      if (x * p0 > p1) return dy;
      const z = Math.exp(x * p0);
      return (dy * z) / (z + 1);
    };
    case 'clamp': return (x, _y, dy) => (x >= p0 && x <= p1 ? dy : 0);
    case 'powScalar': return (x, _y, dy) => (p0 === 0 ? 0 : dy * p0 * powScalarFloat(x, p0 - 1));
    case 'affine': return (_x, _y, dy) => dy * p0;
    default: return unknownOp(op); // `op` is `never` here: a UnaryOp without a case does not compile
  }
}

export function unary(op: UnaryOp, x: Ref, y: Ref, n: number, p0: number, p1: number): void {
  const f = forwardFn(op, p0, p1, isInt(x));
  const xs = arr(x);
  const ys = arr(y);
  for (let i = 0; i < n; i++) ys[y.off + i] = f(xs[x.off + i]);
}

export function unaryGrad(op: UnaryOp, x: Ref, y: Ref, dy: Ref, dx: Ref, n: number, p0: number, p1: number): void {
  const g = gradFn(op, p0, p1);
  const xs = arr(x);
  const ys = arr(y);
  const dys = arr(dy);
  const dxs = arr(dx);
  for (let i = 0; i < n; i++) dxs[dx.off + i] = g(xs[x.off + i], ys[y.off + i], dys[dy.off + i]);
}

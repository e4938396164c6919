/**
 * The fused unary ops' table (the UnaryOp union in backend/types.ts): per op, f'(x) written with differentiable
 * ops (used when a backward is itself recorded, createGraph: so second derivatives are right), and the stepper's
 * formula text for the node and its local derivative. A mapped type over UnaryOp: an op missing here does not
 * compile. The scalar forward and fused gradient kernels live in backend/reference/unary.ts (also exhaustive) and
 * kernels/ (wasm, opcode table backend/wasm/ew-opcodes.ts). New activations go to ops/activations.ts instead.
 */
import type { UnaryOp } from '../backend/types';
import type { Tensor } from '../tensor';
import {
  add,
  cast,
  cos,
  div,
  erf,
  exp,
  ge,
  gt,
  le,
  lt,
  mul,
  neg,
  pow,
  reciprocal,
  rsqrt,
  sigmoid,
  sin,
  sqrt,
  sub,
  tanh,
  where,
  zerosLike,
} from './basic';

export interface UnaryEntry {
  /** f'(x) as a composition of differentiable ops (y = f(x) is given for ops whose derivative reads it). */
  derivative(x: Tensor, y: Tensor, p0: number, p1: number): Tensor;
  /** "tanh x" with the input's label. */
  text(x: string, p0: number, p1: number): string;
  /** "1 − tanh²x", or null when only the number is shown. */
  derivText(x: string, p0: number, p1: number): string | null;
}

const SQRT1_2PI = 1 / Math.sqrt(2 * Math.PI);
const mask = (x: Tensor, m: Tensor): Tensor => cast(m, x.dtype);
const c = (x: Tensor, v: number): Tensor => add(zerosLike(x), v);
const zero = (x: Tensor): Tensor => zerosLike(x);

export const UNARY: { readonly [K in UnaryOp]: UnaryEntry } = {
  neg: { derivative: (x) => c(x, -1), text: (x) => `−${x}`, derivText: () => '−1' },
  exp: { derivative: (x) => exp(x), text: (x) => `exp ${x}`, derivText: (x) => `exp ${x}` },
  log: { derivative: (x) => reciprocal(x), text: (x) => `log ${x}`, derivText: (x) => `1/${x}` },
  sqrt: { derivative: (x) => div(0.5, sqrt(x)), text: (x) => `√${x}`, derivText: (x) => `1/(2√${x})` },
  rsqrt: { derivative: (x) => mul(pow(rsqrt(x), 3), -0.5), text: (x) => `1/√${x}`, derivText: (x) => `−1/(2·${x}^1.5)` },
  abs: { derivative: (x) => sub(mask(x, gt(x, 0)), mask(x, lt(x, 0))), text: (x) => `|${x}|`, derivText: (x) => `sign ${x}` },
  sign: { derivative: zero, text: (x) => `sign ${x}`, derivText: () => '0' },
  square: { derivative: (x) => mul(x, 2), text: (x) => `${x}²`, derivText: (x) => `2${x}` },
  reciprocal: { derivative: (x) => neg(reciprocal(mul(x, x))), text: (x) => `1/${x}`, derivText: (x) => `−1/${x}²` },
  sin: { derivative: (x) => cos(x), text: (x) => `sin ${x}`, derivText: (x) => `cos ${x}` },
  cos: { derivative: (x) => neg(sin(x)), text: (x) => `cos ${x}`, derivText: (x) => `−sin ${x}` },
  floor: { derivative: zero, text: (x) => `⌊${x}⌋`, derivText: () => '0' },
  ceil: { derivative: zero, text: (x) => `⌈${x}⌉`, derivText: () => '0' },
  round: { derivative: zero, text: (x) => `round ${x}`, derivText: () => '0' },
  erf: {
    derivative: (x) => mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI)),
    text: (x) => `erf ${x}`,
    derivText: (x) => `(2/√π)·exp(−${x}²)`,
  },
  log1p: { derivative: (x) => reciprocal(add(x, 1)), text: (x) => `log(1 + ${x})`, derivText: (x) => `1/(1 + ${x})` },
  expm1: { derivative: (x) => exp(x), text: (x) => `exp ${x} − 1`, derivText: (x) => `exp ${x}` },
  relu: { derivative: (x) => mask(x, gt(x, 0)), text: (x) => `relu(${x})`, derivText: (x) => `𝟙[${x} > 0]` },
  leakyRelu: {
    derivative: (x, _y, p0) => where(gt(x, 0), c(x, 1), c(x, p0)),
    text: (x, p0) => `leakyRelu(${x}, ${p0})`,
    derivText: (x, p0) => `1 if ${x} > 0, else ${p0}`,
  },
  elu: {
    derivative: (x, _y, p0) => where(gt(x, 0), c(x, 1), mul(exp(x), p0)),
    text: (x, p0) => `elu(${x}, ${p0})`,
    derivText: (x, p0) => `1 if ${x} > 0, else ${p0}·exp ${x}`,
  },
  gelu: {
    derivative: (x) => {
      const cdf = mul(add(erf(mul(x, Math.SQRT1_2)), 1), 0.5);
      return add(cdf, mul(x, mul(exp(mul(mul(x, x), -0.5)), SQRT1_2PI)));
    },
    text: (x) => `${x}·Φ(${x})`,
    derivText: (x) => `Φ(${x}) + ${x}·φ(${x})`,
  },
  geluTanh: {
    derivative: (x) => {
      const k = Math.sqrt(2 / Math.PI);
      const t = tanh(mul(add(x, mul(pow(x, 3), 0.044715)), k));
      const dinner = mul(add(mul(mul(x, x), 3 * 0.044715), 1), k);
      return add(mul(add(t, 1), 0.5), mul(mul(x, 0.5), mul(sub(1, mul(t, t)), dinner)));
    },
    text: (x) => `½${x}·(1 + tanh(√(2/π)·(${x} + 0.044715${x}³)))`,
    derivText: () => null,
  },
  sigmoid: {
    derivative: (x) => {
      const s = sigmoid(x);
      return mul(s, sub(1, s));
    },
    text: (x) => `σ(${x})`,
    derivText: (x) => `σ(${x})(1 − σ(${x}))`,
  },
  tanh: {
    derivative: (x) => {
      const t = tanh(x);
      return sub(1, mul(t, t));
    },
    text: (x) => `tanh ${x}`,
    derivText: (x) => `1 − tanh²${x}`,
  },
  softplus: {
    derivative: (x, _y, p0, p1) => where(gt(mul(x, p0), p1), c(x, 1), sigmoid(mul(x, p0))),
    text: (x, p0) => (p0 === 1 ? `log(1 + exp ${x})` : `log(1 + exp(${p0}${x}))/${p0}`),
    derivText: (x, p0) => `σ(${p0 === 1 ? '' : p0}${x})`,
  },
  clamp: {
    derivative: (x, _y, p0, p1) => mul(mask(x, ge(x, p0)), mask(x, le(x, p1))),
    text: (x, p0, p1) => `clamp(${x}, ${p0}, ${p1})`,
    derivText: (x, p0, p1) => `𝟙[${p0} ≤ ${x} ≤ ${p1}]`,
  },
  powScalar: {
    derivative: (x, _y, p0) => mul(pow(x, p0 - 1), p0),
    text: (x, p0) => `${x}^${p0}`,
    derivText: (x, p0) => `${p0}·${x}^${p0 - 1}`,
  },
  affine: { derivative: (x, _y, p0) => c(x, p0), text: (x, p0, p1) => `${p0}·${x} + ${p1}`, derivText: (_x, p0) => `${p0}` },
};

/** f'(x) of a fused unary op with differentiable ops (the createGraph path of unaryOp's backward). */
export const unaryDerivative = (op: UnaryOp, x: Tensor, y: Tensor, p0: number, p1: number): Tensor => UNARY[op].derivative(x, y, p0, p1);

/** Whether a graph node's op names a fused unary op. */
export const isUnaryOp = (op: string): op is UnaryOp => Object.prototype.hasOwnProperty.call(UNARY, op);

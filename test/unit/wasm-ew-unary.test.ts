/** wasm fill / cast / unary / unaryGrad against float64 formulas written here (PyTorch semantics). */
import { strict as assert } from 'assert';
import type { UnaryOp } from '../../src/runtime/backend/types';
import { UNARY_OPCODES } from '../../src/runtime/backend/wasm/ew-opcodes';
import { SIZES, assertNear, assertSame, get, out, put, randf, randi, release, wasm } from './wasm-ew-common.test';

const f = Math.fround;
const SQRT1_2 = Math.SQRT1_2;
const BETA = Math.sqrt(2 / Math.PI);
const KAPPA = 0.044715;

/** 2/√π ∫ e^{-t²} dt over [a, b] by composite Simpson (independent of the kernels' series / fractions). */
function simpson(a: number, b: number, n = 4000): number {
  const h = (b - a) / n;
  let s = Math.exp(-a * a) + Math.exp(-b * b);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * Math.exp(-((a + i * h) ** 2));
  return (s * h / 3) * 2 / Math.sqrt(Math.PI);
}
function erfc(z: number): number {
  if (Number.isNaN(z)) return z;
  if (z === Infinity) return 0;
  if (z === -Infinity) return 2;
  return z >= 0 ? simpson(z, z + 9 / Math.max(1, z)) : 2 - simpson(-z, -z + 9 / Math.max(1, -z));
}
const erf = (x: number): number =>
  (Number.isNaN(x) ? x : Math.abs(x) === Infinity ? Math.sign(x) : x >= 0 ? 1 - erfc(x) : erfc(-x) - 1);
const erfSmall = (x: number): number => (Math.abs(x) < 0.5 ? simpson(0, x) : erf(x));
const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);
const roundEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};
function powS(x: number, e: number): number {
  if (e === 0.5) return Math.sqrt(x);
  if (e === -0.5) return 1 / Math.sqrt(x);
  if (x === 1 || e === 0) return 1;
  return Math.pow(x, e);
}

type Case = { op: UnaryOp; p0?: number; p1?: number; fwd: (x: number, p0: number, p1: number) => number;
  grad?: (x: number, y: number, p0: number, p1: number) => number };

const cases: Case[] = [
  { op: 'neg', fwd: (x) => -x, grad: () => -1 },
  { op: 'exp', fwd: Math.exp, grad: (_x, y) => y },
  { op: 'log', fwd: Math.log, grad: (x) => 1 / x },
  { op: 'sqrt', fwd: Math.sqrt, grad: (_x, y) => 1 / (2 * y) },
  { op: 'rsqrt', fwd: (x) => 1 / Math.sqrt(x), grad: (_x, y) => -0.5 * y * y * y },
  { op: 'abs', fwd: Math.abs, grad: (x) => sign(x) },
  { op: 'sign', fwd: sign, grad: () => 0 },
  { op: 'square', fwd: (x) => x * x, grad: (x) => 2 * x },
  { op: 'reciprocal', fwd: (x) => 1 / x, grad: (_x, y) => -y * y },
  { op: 'sin', fwd: Math.sin, grad: Math.cos },
  { op: 'cos', fwd: Math.cos, grad: (x) => -Math.sin(x) },
  { op: 'floor', fwd: Math.floor, grad: () => 0 },
  { op: 'ceil', fwd: Math.ceil, grad: () => 0 },
  { op: 'round', fwd: roundEven, grad: () => 0 },
  { op: 'erf', fwd: erfSmall, grad: (x) => 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) },
  { op: 'log1p', fwd: Math.log1p, grad: (x) => 1 / (1 + x) },
  { op: 'expm1', fwd: Math.expm1, grad: (_x, y) => y + 1 },
  { op: 'relu', fwd: (x) => (x < 0 ? 0 : x), grad: (_x, y) => (y > 0 ? 1 : 0) },
  { op: 'leakyRelu', p0: 0.01, fwd: (x, a) => (x > 0 ? x : x * a), grad: (x, _y, a) => (x > 0 ? 1 : a) },
  { op: 'elu', p0: 1.5, fwd: (x, a) => (x > 0 ? x : a * Math.expm1(x)),
    grad: (x, _y, a) => (x <= 0 ? a * Math.exp(x) : 1) }, // ATen: x <= 0 ? … : dy (so NaN x gives dy)
  { op: 'gelu', fwd: (x) => 0.5 * x * erfc(-x * SQRT1_2),
    grad: (x) => 0.5 * erfc(-x * SQRT1_2) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) },
  { op: 'geluTanh', fwd: (x) => 0.5 * x * (1 + Math.tanh(BETA * (x + KAPPA * x ** 3))),
    grad: (x) => {
      const t = Math.tanh(BETA * (x + KAPPA * x ** 3));
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * BETA * (1 + 3 * KAPPA * x * x);
    } },
  { op: 'sigmoid', fwd: (x) => 1 / (1 + Math.exp(-x)), grad: (_x, y) => y * (1 - y) },
  { op: 'tanh', fwd: Math.tanh, grad: (_x, y) => 1 - y * y },
  { op: 'softplus', p0: 2, p1: 3, fwd: (x, b, t) => (x * b > t ? x : Math.log1p(Math.exp(x * b)) / b),
    grad: (x, _y, b, t) => (x * b > t ? 1 : 1 / (1 + Math.exp(-x * b))) },
  { op: 'clamp', p0: -0.5, p1: 0.75, fwd: (x, lo, hi) => (Number.isNaN(x) ? x : Math.min(Math.max(x, lo), hi)),
    grad: (x, _y, lo, hi) => (x >= lo && x <= hi ? 1 : 0) },
  { op: 'clamp', p0: -Infinity, p1: 0.25, fwd: (x, _lo, hi) => (Number.isNaN(x) ? x : Math.min(x, hi)),
    grad: (x, _y, lo, hi) => (x >= lo && x <= hi ? 1 : 0) },
  { op: 'powScalar', p0: 3, fwd: (x, e) => powS(x, e), grad: (x, _y, e) => e * powS(x, e - 1) },
  { op: 'powScalar', p0: 0.5, fwd: (x, e) => powS(x, e), grad: (x, _y, e) => e * powS(x, e - 1) },
  { op: 'powScalar', p0: -1.25, fwd: (x, e) => powS(x, e), grad: (x, _y, e) => e * powS(x, e - 1) },
  { op: 'affine', p0: 1.5, p1: -0.25, fwd: (x, a, b) => f(f(x * a) + b), grad: (_x, _y, a) => a },
];

const SPECIAL = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3, -3, 1e-30, -1e-30, 5, -5, 8.5, -9, 20, -30, 88, -88,
  100, NaN, Infinity, -Infinity];

/** Inputs: the special values followed by random values, in a length that exercises the SIMD tails. */
function inputs(n: number, seed: number): number[] {
  return [...SPECIAL, ...randf(n, seed, -4, 4)].map(f);
}

describe('wasm-ew: unary', () => {
  it('covers every UnaryOp', () => {
    const tested = new Set(cases.map((c) => c.op));
    for (const op of Object.keys(UNARY_OPCODES)) assert.ok(tested.has(op as UnaryOp), op);
  });

  for (const c of cases) {
    const p0 = c.p0 ?? 0;
    const p1 = c.p1 ?? 0;
    it(`${c.op}(${p0}, ${p1}) forward and gradient vs float64`, () => {
      const be = wasm();
      for (const n of [...SIZES, 100]) {
        const xs = inputs(n, n * 31 + 7);
        const x = put(be, 'float32', xs);
        const y = out(be, 'float32', xs.length);
        be.unary(c.op, x, y, xs.length, p0, p1);
        const ys = get(y, xs.length);
        assertNear(ys, xs.map((v) => f(c.fwd(v, p0, p1))), `${c.op} n=${n}`);
        if (c.grad) {
          const dys = randf(xs.length, n + 1, -2, 2);
          const dy = put(be, 'float32', dys);
          const dx = out(be, 'float32', xs.length);
          be.unaryGrad(c.op, x, y, dy, dx, xs.length, p0, p1);
          const want = xs.map((v, i) => f(dys[i] * c.grad!(v, ys[i], p0, p1)));
          assertNear(get(dx, xs.length), want, `${c.op} grad n=${n}`, 4e-6, 2e-6);
          release(dy, dx);
        }
        release(x, y);
      }
    });
  }

  it('works in place (y aliases x) and with unaligned offsets', () => {
    const be = wasm();
    for (const n of SIZES) {
      const xs = randf(n, n, -3, 3);
      const x = put(be, 'float32', xs);
      const shifted = { s: x.s, off: x.off };
      be.unary('relu', shifted, shifted, n, 0, 0);
      assertSame(get(x, n), xs.map((v) => (v < 0 ? 0 : v)), `relu in place n=${n}`);
      release(x);
    }
  });

  it('int32 unary ops (neg, abs, sign, square, relu, clamp, powScalar, floor/ceil/round)', () => {
    const be = wasm();
    const xs = [0, 1, -1, 7, -7, 46341, -2147483648, 2147483647, ...randi(33, 5, -100, 100)];
    const check = (op: UnaryOp, p0: number, p1: number, fn: (v: number) => number): void => {
      const x = put(be, 'int32', xs);
      const y = out(be, 'int32', xs.length);
      be.unary(op, x, y, xs.length, p0, p1);
      assertSame(get(y, xs.length), xs.map((v) => fn(v) | 0), `int32 ${op}`);
      release(x, y);
    };
    check('neg', 0, 0, (v) => -v);
    check('abs', 0, 0, (v) => Math.abs(v));
    check('sign', 0, 0, sign);
    check('square', 0, 0, (v) => Math.imul(v, v));
    check('relu', 0, 0, (v) => Math.max(v, 0));
    check('clamp', -5.5, 20.5, (v) => Math.min(Math.max(v, -5), 20));
    check('clamp', -Infinity, 3, (v) => Math.min(v, 3));
    check('powScalar', 3, 0, (v) => Math.imul(Math.imul(v, v), v));
    check('floor', 0, 0, (v) => v);
    check('round', 0, 0, (v) => v);
    const x = put(be, 'int32', [1, 2]);
    assert.throws(() => be.unary('exp', x, x, 2, 0, 0), /float32 only/);
    release(x);
  });
});

describe('wasm-ew: fill and cast', () => {
  it('fill float32 / int32 at every size', () => {
    const be = wasm();
    for (const n of SIZES) {
      const a = out(be, 'float32', n);
      be.fill(a, n, -2.5);
      assertSame(get(a, n), new Array(n).fill(-2.5), `fill f32 n=${n}`);
      be.fill(a, n, NaN);
      assert.ok(get(a, n).every(Number.isNaN));
      const b = out(be, 'int32', n);
      be.fill(b, n, 42);
      assertSame(get(b, n), new Array(n).fill(42), `fill i32 n=${n}`);
      release(a, b);
    }
  });

  it('cast float32 → int32 truncates toward zero; int32 → float32 rounds to nearest', () => {
    const be = wasm();
    const fs = [0.5, -0.5, 1.9999, -1.9999, 2.5, -2.5, 3e9, -3e9, 123456.7, -7.99, 16777217, ...randf(33, 9, -50, 50)];
    const x = put(be, 'float32', fs);
    const y = out(be, 'int32', fs.length);
    be.cast(x, y, fs.length);
    const sat = (v: number): number => Math.max(-2147483648, Math.min(2147483647, Math.trunc(Math.fround(v))));
    assertSame(get(y, fs.length), fs.map(sat), 'f32→i32');
    const is = [0, 1, -1, 16777217, -16777217, 2147483647, -2147483648, ...randi(17, 3, -1e6, 1e6)];
    const a = put(be, 'int32', is);
    const b = out(be, 'float32', is.length);
    be.cast(a, b, is.length);
    assertSame(get(b, is.length), is.map((v) => Math.fround(v)), 'i32→f32');
    const c = out(be, 'int32', is.length);
    be.cast(a, c, is.length);
    assertSame(get(c, is.length), is, 'i32→i32 copy');
    release(x, y, a, b, c);
  });
});

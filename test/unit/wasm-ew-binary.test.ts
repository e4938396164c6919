/** wasm binary / where / copy with strides and broadcasting, against float64 / int oracles written here. */
import { strict as assert } from 'assert';
import type { BinaryOp, StorageType } from '../../src/runtime/backend/types';
import { BINARY_OPCODES } from '../../src/runtime/backend/wasm/ew-opcodes';
import { coalesce } from '../../src/runtime/backend/wasm/ew-strides';
import {
  SIZES, assertNear, assertSame, contiguous, get, offsets, out, put, randf, randi, release, rng, wasm,
} from './wasm-ew-common.test';

const f = Math.fround;
const cpow = (a: number, b: number): number =>
  (a === 1 || b === 0 ? 1 : a === -1 && Math.abs(b) === Infinity ? 1 : Math.pow(a, b));
function ipow(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b % 2 ? -1 : 1) : 0;
  let r = 1;
  for (let i = 0; i < b; i++) r = Math.imul(r, a);
  return r;
}
const nanOr = (a: number, b: number, g: (a: number, b: number) => number): number =>
  (Number.isNaN(a) || Number.isNaN(b) ? NaN : g(a, b));

const floatOps: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => f(a + b), sub: (a, b) => f(a - b), mul: (a, b) => f(a * b), div: (a, b) => f(a / b),
  pow: (a, b) => f(cpow(a, b)),
  maximum: (a, b) => nanOr(a, b, Math.max), minimum: (a, b) => nanOr(a, b, Math.min),
  eq: (a, b) => +(a === b), ne: (a, b) => +(a !== b), lt: (a, b) => +(a < b), le: (a, b) => +(a <= b),
  gt: (a, b) => +(a > b), ge: (a, b) => +(a >= b),
};
const intOps: Record<BinaryOp, (a: number, b: number) => number> = {
  ...floatOps,
  add: (a, b) => (a + b) | 0, sub: (a, b) => (a - b) | 0, mul: Math.imul,
  div: (a, b) => (b === 0 ? 0 : Math.trunc(a / b) | 0), pow: ipow,
  maximum: Math.max, minimum: Math.min,
};

const FSPECIAL = [0, -0, 1, -1, 2, 0.5, NaN, Infinity, -Infinity, 3.5, -2];
const ISPECIAL = [0, 1, -1, 2, 3, 2147483647, -2147483648, 7, -7];

function data(type: StorageType, n: number, seed: number): number[] {
  const special = type === 'float32' ? FSPECIAL : ISPECIAL;
  const r = type === 'float32' ? randf(n, seed, -3, 3) : randi(n, seed, -9, 10);
  return r.map((v, i) => ((i * 7 + seed) % 5 === 0 ? special[(i + seed) % special.length] : v));
}

/** Number of elements an operand with these strides spans. */
function extent(shape: readonly number[], strides: readonly number[]): number {
  return shape.length === 0 ? 1 : shape.reduce((m, d, i) => m + (d - 1) * strides[i], 0) + 1;
}

function checkBinary(type: StorageType, op: BinaryOp, shape: number[], as: number[], bs: number[], seed: number): void {
  const be = wasm();
  const n = shape.reduce((p, d) => p * d, 1);
  const aBase = -Math.min(0, ...offsets(shape, as)), bBase = -Math.min(0, ...offsets(shape, bs));
  const ad = data(type, aBase + Math.max(0, ...offsets(shape, as)) + 1, seed);
  const bd = data(type, bBase + Math.max(0, ...offsets(shape, bs)) + 1, seed + 1);
  if (type === 'int32' && op === 'pow') for (let i = 0; i < bd.length; i++) bd[i] = Math.abs(bd[i]) % 12 - 1;
  const a = put(be, type, ad);
  const b = put(be, type, bd);
  const cmp = BINARY_OPCODES[op] >= BINARY_OPCODES.eq;
  const o = out(be, cmp ? 'int32' : type, n);
  be.binary(op, { s: a.s, off: a.off + aBase }, as, { s: b.s, off: b.off + bBase }, bs, o, shape);
  const fn = (type === 'float32' ? floatOps : intOps)[op];
  const ao = offsets(shape, as);
  const bo = offsets(shape, bs);
  const want = ao.map((k, i) => fn(ad[k + aBase], bd[bo[i] + bBase]));
  const what = `${type} ${op} shape=[${shape}] a=[${as}] b=[${bs}]`;
  if (op === 'pow' && type === 'float32') assertNear(get(o, n), want, what);
  else assertSame(get(o, n), want, what);
  release(a, b, o);
}

/** [shape, aStrides, bStrides] covering every fast path and the general strided path. */
function patterns(): Array<[number[], number[], number[]]> {
  const p: Array<[number[], number[], number[]]> = [];
  for (const n of SIZES) {
    p.push([[n], [1], [1]]); // same shape, contiguous
    p.push([[n], [1], [0]]); // scalar b
    p.push([[n], [0], [1]]); // scalar a
    p.push([[3, n], [n, 1], [0, 1]]); // bias add along rows
    p.push([[n, 5], [5, 1], [1, 0]]); // per-row scalar
    p.push([[n, 3], [1, n], [3, 1]]); // transposed a
  }
  p.push([[2, 3, 4, 5], contiguous([2, 3, 4, 5]), [0, 1, 0, 0]]); // NCHW + per-channel
  p.push([[1, 1, 1], [0, 0, 0], [0, 0, 0]]); // all ones
  p.push([[2, 1, 3, 1, 2, 2, 3], contiguous([2, 1, 3, 1, 2, 2, 3]), [0, 0, 2, 0, 1, 0, 0]]); // 7-d
  p.push([[2, 2, 2, 2, 2, 2, 2, 3], [0, 96, 48, 24, 12, 6, 3, 1], [1, 0, 2, 0, 4, 0, 8, 0]]); // 8-d, no merges
  return p;
}

describe('wasm-ew: binary', () => {
  for (const type of ['float32', 'int32'] as StorageType[]) {
    for (const op of Object.keys(BINARY_OPCODES) as BinaryOp[]) {
      it(`${type} ${op}: contiguous, scalar, bias, row-broadcast, transposed, 7-d and 8-d`, () => {
        patterns().forEach(([shape, as, bs], i) => checkBinary(type, op, shape, as, bs, i + 3));
      });
    }
  }

  it('fuzz: random 0..8-d shapes, permuted / broadcast / sliced / negative strides', () => {
    const r = rng(2024);
    const pick = (k: number): number => Math.floor(r() * k);
    for (let t = 0; t < 300; t++) {
      const nd = pick(9);
      const shape = Array.from({ length: nd }, () => 1 + pick(4));
      const stridesFor = (): number[] => {
        const perm = shape.map((_, i) => i).sort(() => r() - 0.5); // a random memory order
        const st = new Array<number>(nd).fill(0);
        let acc = 1 + pick(2); // sometimes every other element
        for (const d of perm.reverse()) { st[d] = r() < 0.25 ? 0 : (r() < 0.1 ? -acc : acc); acc *= shape[d] + pick(2); }
        return st;
      };
      const as = stridesFor(), bs = stridesFor();
      const type: StorageType = r() < 0.5 ? 'float32' : 'int32';
      const ops = Object.keys(BINARY_OPCODES) as BinaryOp[];
      checkBinary(type, ops[pick(ops.length)], shape, as, bs, t);
    }
  });

  it('empty shapes are a no-op; mixed storage types are rejected', () => {
    const be = wasm();
    const a = put(be, 'float32', [1, 2]);
    const b = put(be, 'int32', [1, 2]);
    be.binary('add', a, [1, 1], a, [1, 1], a, [2, 0]);
    assertSame(get(a, 2), [1, 2], 'untouched');
    assert.throws(() => be.binary('add', a, [1], b, [1], a, [2]), /mixes/);
    release(a, b);
  });

  it('coalesce merges contiguous dims and keeps broadcast structure', () => {
    assert.deepEqual(coalesce([2, 3, 4], [contiguous([2, 3, 4]), contiguous([2, 3, 4])]).shape, [24]);
    const c = coalesce([2, 3, 4, 5], [contiguous([2, 3, 4, 5]), [0, 1, 0, 0]]);
    assert.deepEqual(c.shape, [2, 3, 20]);
    assert.deepEqual(c.strides, [[60, 20, 1], [0, 1, 0]]);
    assert.deepEqual(coalesce([1, 5, 1], [[9, 1, 9]]).shape, [5]);
    assert.equal(coalesce([3, 0], [[0, 1]]).size, 0);
  });
});

describe('wasm-ew: where', () => {
  for (const type of ['float32', 'int32'] as StorageType[]) {
    it(`${type}: contiguous, broadcast condition / operands, strided`, () => {
      const be = wasm();
      const cases: Array<[number[], number[], number[], number[]]> = [];
      for (const n of SIZES) {
        cases.push([[n], [1], [1], [1]], [[n], [1], [0], [1]], [[n], [0], [1], [1]], [[2, n], [0, 1], [n, 1], [0, 0]],
          [[n, 3], [1, n], [3, 1], [1, 0]]);
      }
      cases.push([[2, 2, 1, 2, 3, 2, 2], contiguous([2, 2, 1, 2, 3, 2, 2]), [0, 24, 0, 12, 4, 2, 1], [1, 0, 0, 0, 0, 2, 0]]);
      cases.forEach(([shape, cs, as, bs], k) => {
        const n = shape.reduce((p, d) => p * d, 1);
        const cd = randi(extent(shape, cs), k, -1, 3); // 0, 1, 2 and -1: any nonzero is true
        const ad = data(type, extent(shape, as), k);
        const bd = data(type, extent(shape, bs), k + 9);
        const c = put(be, 'int32', cd);
        const a = put(be, type, ad);
        const b = put(be, type, bd);
        const o = out(be, type, n);
        be.where(c, cs, a, as, b, bs, o, shape);
        const co = offsets(shape, cs), ao = offsets(shape, as), bo = offsets(shape, bs);
        assertSame(get(o, n), co.map((q, i) => (cd[q] !== 0 ? ad[ao[i]] : bd[bo[i]])), `where ${type} [${shape}]`);
        release(c, a, b, o);
      });
    });
  }
});

describe('wasm-ew: copy', () => {
  for (const type of ['float32', 'int32'] as StorageType[]) {
    it(`${type}: contiguous, broadcast, transposed (tiled), negative strides, sliced, 7-d`, () => {
      const be = wasm();
      const cases: Array<[number[], number[], number]> = []; // shape, strides, element offset into the source
      for (const n of SIZES) {
        cases.push([[n], [1], 0], [[n], [0], 2], [[n], [2], 1], [[3, n], [1, 3], 0], [[n, 4], [0, 1], 3],
          [[2, n], [n + 3, 1], 1],
          [[n, 5], [1, n], 0], [[2, n, 9], [9 * n + 1, 1, n], 1], [[n, 3], [-1, 2 * n], n - 1]); // transposes, tiled
      }
      cases.push([[2, 3, 4, 5], [1, 2, 6, 24], 0], [[2, 1, 2, 3, 2, 2, 2], [48, 0, 24, 8, 4, 2, 1], 0]);
      cases.forEach(([shape, st, off], k) => {
        const n = shape.reduce((p, d) => p * d, 1);
        const sd = data(type, Math.max(...offsets(shape, st)) + off + 1, k);
        const s = put(be, type, sd);
        const o = out(be, type, n);
        be.copy({ s: s.s, off: s.off + off }, st, o, shape);
        assertSame(get(o, n), offsets(shape, st).map((q) => sd[q + off]), `copy ${type} [${shape}] [${st}]`);
        release(s, o);
      });
    });
  }
});

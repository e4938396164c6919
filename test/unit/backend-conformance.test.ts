/**
 * Table-driven conformance of every Backend kernel against hand-derived expected values (PyTorch semantics).
 * Runs on the reference backend always, and on the wasm backend when src/runtime/backend/wasm exports one.
 * Every operand lives at element offset 1 inside a larger storage whose guard elements are checked afterwards,
 * so offset handling and out-of-bounds writes are covered too. Expected transcendental values are literals.
 */
import { strict as assert } from 'assert';
import type { Backend, Conv2dArgs, Pool2dArgs, Ref, StorageType, UnaryOp } from '../../src/runtime/backend/types';
import { createReferenceBackend } from '../../src/runtime/backend/reference';

/** [name, storage types ('float' = float32 + float64, 'any' = all three), body]. */
type Case = [string, StorageType | 'float' | 'any', (be: Backend, t: StorageType) => void];

const WASM_MODULE = '../../src/runtime/backend/wasm/index';

async function loadWasm(): Promise<Backend | string> {
  let mod: Record<string, unknown>;
  try {
    // require (not import()) so that tsx resolves the extensionless TypeScript path under mocha's CJS loader
    mod = require(WASM_MODULE) as Record<string, unknown>;
  } catch (e) {
    return `module not loadable (${(e as Error).message.split('\n')[0]})`;
  }
  const make = (mod.createWasmBackend ?? mod.wasmBackend) as (() => Backend) | undefined;
  if (typeof make !== 'function') return 'it exports neither createWasmBackend nor wasmBackend';
  return make(); // a backend that exists but fails to construct is a failure, not a skip
}

const candidates: Array<{ name: string; load: () => Promise<Backend | string> }> = [
  { name: 'reference', load: async () => createReferenceBackend() },
  { name: 'wasm', load: loadWasm },
];

const E = 2.718281828459045;
const LN2 = 0.6931471805599453;
const LN3 = 1.0986122886681098;
const INF = Infinity;

// [op, p0, p1, x, y]
const unaryTable: Array<[UnaryOp, number, number, number[], number[]]> = [
  ['neg', 0, 0, [1, -2, 0], [-1, 2, 0]], ['exp', 0, 0, [0, 1, -1, -INF], [1, E, 0.36787944117144233, 0]],
  ['log', 0, 0, [1, 2, 0, -1], [0, LN2, -INF, NaN]], ['sqrt', 0, 0, [4, 2, 0, -1], [2, 1.4142135623730951, 0, NaN]],
  ['rsqrt', 0, 0, [4, 0.25, 0], [0.5, 2, INF]], ['abs', 0, 0, [-3, 3, -0], [3, 3, 0]],
  ['sign', 0, 0, [-2, 0, 3, NaN], [-1, 0, 1, 0]], ['square', 0, 0, [-3, 1.5], [9, 2.25]],
  ['reciprocal', 0, 0, [4, -0.5, 0], [0.25, -2, INF]], ['sin', 0, 0, [0, 1], [0, 0.8414709848078965]],
  ['cos', 0, 0, [0, 1], [1, 0.5403023058681398]], ['floor', 0, 0, [1.5, -1.5, 2], [1, -2, 2]],
  ['ceil', 0, 0, [1.5, -1.5, 2], [2, -1, 2]],
  ['round', 0, 0, [0.5, 1.5, 2.5, -0.5, -1.5, 1.4, -2.6], [0, 2, 2, -0, -2, 1, -3]], // half to even
  ['erf', 0, 0, [0, 0.5, 1, -1, 3, INF],
    [0, 0.5204998778130465, 0.8427007929497149, -0.8427007929497149, 0.9999779095030014, 1]],
  ['log1p', 0, 0, [0, 1, -1], [0, LN2, -INF]], ['expm1', 0, 0, [0, 1], [0, 1.718281828459045]],
  ['relu', 0, 0, [-1, 0, 2, NaN], [0, 0, 2, NaN]], ['leakyRelu', 0.1, 0, [-2, 3], [-0.2, 3]],
  ['elu', 2, 0, [-1, 1, 0], [-1.2642411176571153, 1, 0]],
  ['gelu', 0, 0, [0, 1, -1, 2], [0, 0.8413447460685429, -0.15865525393145707, 1.9544997361036416]],
  ['geluTanh', 0, 0, [0, 1, -1, 2], [0, 0.8411919906082768, -0.15880800939172324, 1.954597694087775]],
  ['sigmoid', 0, 0, [0, 1, -1], [0.5, 0.7310585786300049, 0.2689414213699951]],
  ['tanh', 0, 0, [0, 1, -1], [0, 0.7615941559557649, -0.7615941559557649]],
  ['softplus', 1, 20, [0, 1, 30], [LN2, 1.3132616875182228, 30]],
  ['softplus', 2, 1, [0.25, 1], [0.48703849209005334, 1]], // x·β > threshold ⇒ linear
  ['clamp', -1, 2, [-3, 0, 5, NaN], [-1, 0, 2, NaN]], ['clamp', -INF, 0, [3, -3], [0, -3]],
  ['powScalar', 2, 0, [3, -2], [9, 4]], ['powScalar', 0.5, 0, [4, 0], [2, 0]],
  ['powScalar', -1, 0, [4, -0.5], [0.25, -2]], ['powScalar', 3, 0, [-2], [-8]],
  ['powScalar', 1.5, 0, [4, -1], [8, NaN]], ['powScalar', 0, 0, [NaN, 0], [1, 1]],
  ['affine', 2, -1, [0, 3], [-1, 5]],
];

// [op, p0, p1, x, dy, dx]
const gradTable: Array<[UnaryOp, number, number, number[], number[], number[]]> = [
  ['neg', 0, 0, [3], [2], [-2]], ['exp', 0, 0, [0, 1], [2, 3], [2, 8.154845485377136]],
  ['log', 0, 0, [2, 0.5], [1, 1], [0.5, 2]], ['sqrt', 0, 0, [4], [1], [0.25]], ['rsqrt', 0, 0, [4], [1], [-0.0625]],
  ['abs', 0, 0, [-2, 0, 3], [1, 1, 1], [-1, 0, 1]], ['sign', 0, 0, [-2, 3], [1, 1], [0, 0]],
  ['floor', 0, 0, [1.5], [1], [0]], ['round', 0, 0, [1.5], [1], [0]], ['square', 0, 0, [3], [2], [12]],
  ['reciprocal', 0, 0, [2], [1], [-0.25]], ['sin', 0, 0, [0], [1], [1]],
  ['cos', 0, 0, [0, 1], [1, 1], [0, -0.8414709848078965]], ['erf', 0, 0, [0], [1], [1.1283791670955126]],
  ['log1p', 0, 0, [1], [1], [0.5]], ['expm1', 0, 0, [0, 1], [1, 1], [1, E]],
  ['relu', 0, 0, [-1, 0, 2], [5, 5, 5], [0, 0, 5]], ['leakyRelu', 0.1, 0, [-1, 0, 2], [5, 5, 5], [0.5, 0.5, 5]],
  ['elu', 2, 0, [-1, 1], [1, 1], [0.7357588823428847, 1]], ['gelu', 0, 0, [0, 1], [1, 1], [0.5, 1.0833154705876864]],
  ['geluTanh', 0, 0, [0, 1], [1, 1], [0.5, 1.0829640838457826]], ['sigmoid', 0, 0, [0], [1], [0.25]],
  ['tanh', 0, 0, [0, 1], [1, 1], [1, 0.41997434161402614]], ['softplus', 1, 20, [0, 30], [1, 1], [0.5, 1]],
  ['clamp', -1, 2, [-3, -1, 0, 2, 5], [1, 1, 1, 1, 1], [0, 1, 1, 1, 0]], ['powScalar', 3, 0, [2], [1], [12]],
  ['powScalar', 0.5, 0, [4], [1], [0.25]], ['powScalar', 0, 0, [5], [1], [0]],
  ['affine', 3, 7, [1, 2], [1, 2], [3, 6]],
];

// ---- operand helpers ---------------------------------------------------------------------------------------------

const SENTINEL = -777;

/** A Ref at offset 1 with guard elements either side. */
function put(be: Backend, t: StorageType, vals: ArrayLike<number>): Ref {
  const s = be.alloc(t, vals.length + 2);
  const v = s.view();
  v.fill(SENTINEL);
  for (let i = 0; i < vals.length; i++) v[i + 1] = vals[i];
  return { s, off: 1 };
}

/** An output of n elements prefilled with the sentinel (it must be overwritten). */
const out = (be: Backend, t: StorageType, n: number): Ref => put(be, t, new Array<number>(n).fill(SENTINEL));

/** Read n values at r, asserting the guard elements are untouched. */
function get(r: Ref, n: number): number[] {
  const v = r.s.view();
  assert.equal(v[r.off - 1], SENTINEL, 'guard before the operand was written');
  assert.equal(v[r.off + n], SENTINEL, 'guard after the operand was written');
  return Array.from(v.subarray(r.off, r.off + n));
}

function near(got: number[], want: readonly number[], t: StorageType, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  const tol = t === 'float64' ? 1e-14 : t === 'float32' ? 2e-6 : 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    const ok = Number.isNaN(w) ? Number.isNaN(g) : g === w || Math.abs(g - w) <= tol * Math.max(1, Math.abs(w));
    assert.ok(ok, `${what}: [${i}] got ${g}, want ${w}\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`);
  }
}

const iota = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => i + from);

function pool(p: Partial<Pool2dArgs> & Pick<Pool2dArgs, 'h' | 'w' | 'kh' | 'kw' | 'oh' | 'ow'>): Pool2dArgs {
  return { n: 1, c: 1, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, countIncludePad: true, divisorOverride: 0, ...p };
}

// ---- cases -------------------------------------------------------------------------------------------------------

const elementwiseCases: Case[] = [
  ...unaryTable.map(([op, p0, p1, x, y]): Case => [`unary ${op}(${p0}, ${p1})`, 'float', (be, t) => {
    const o = out(be, t, x.length);
    be.unary(op, put(be, t, x), o, x.length, p0, p1);
    near(get(o, x.length), y, t, op);
  }]),
  ...gradTable.map(([op, p0, p1, x, dy, dx]): Case => [`unaryGrad ${op}(${p0}, ${p1})`, 'float', (be, t) => {
    const xr = put(be, t, x);
    const y = out(be, t, x.length);
    be.unary(op, xr, y, x.length, p0, p1);
    const o = out(be, t, x.length);
    be.unaryGrad(op, xr, y, put(be, t, dy), o, x.length, p0, p1);
    near(get(o, x.length), dx, t, `${op}'`);
  }]),
  ['unary on int32: neg, abs, square, sign, relu, clamp, powScalar, floor/ceil/round', 'int32', (be) => {
    const run = (op: UnaryOp, p0: number, p1: number, x = [5, -3, 0, 2147483647]): number[] => {
      const o = out(be, 'int32', x.length);
      be.unary(op, put(be, 'int32', x), o, x.length, p0, p1);
      return get(o, x.length);
    };
    assert.deepEqual(run('neg', 0, 0), [-5, 3, 0, -2147483647]);
    assert.deepEqual(run('abs', 0, 0), [5, 3, 0, 2147483647]);
    assert.deepEqual(run('square', 0, 0), [25, 9, 0, 1]); // wraps modulo 2^32
    assert.deepEqual(run('sign', 0, 0), [1, -1, 0, 1]);
    assert.deepEqual(run('relu', 0, 0), [5, 0, 0, 2147483647]);
    assert.deepEqual(run('clamp', -1, 3), [3, -1, 0, 3]);
    assert.deepEqual(run('powScalar', 3, 0, [2, -3, 0, 1]), [8, -27, 0, 1]);
    for (const op of ['floor', 'ceil', 'round'] as const) assert.deepEqual(run(op, 0, 0), [5, -3, 0, 2147483647]);
  }],
  ['unary with n = 0 writes nothing', 'float', (be, t) => {
    const o = out(be, t, 1);
    be.unary('exp', put(be, t, [1]), o, 0, 0, 0);
    assert.deepEqual(get(o, 1), [SENTINEL]);
  }],
  ['fill at an offset, and n = 0', 'any', (be, t) => {
    const o = out(be, t, 3);
    be.fill(o, 2, 2);
    assert.deepEqual(get(o, 3), [2, 2, SENTINEL]);
    be.fill(o, 0, 9);
    assert.deepEqual(get(o, 3), [2, 2, SENTINEL]);
  }],
  ['copy: transpose, broadcast (stride 0), 0-d and empty shapes', 'any', (be, t) => {
    const src = put(be, t, iota(6));
    let o = out(be, t, 6);
    be.copy(src, [1, 3], o, [3, 2]);
    assert.deepEqual(get(o, 6), [1, 4, 2, 5, 3, 6]);
    o = out(be, t, 6);
    be.copy(src, [0, 1], o, [3, 2]);
    assert.deepEqual(get(o, 6), [1, 2, 1, 2, 1, 2]);
    o = out(be, t, 1);
    be.copy({ s: src.s, off: 3 }, [], o, []);
    assert.deepEqual(get(o, 1), [3]);
    o = out(be, t, 1);
    be.copy(src, [3, 1], o, [0, 3]);
    assert.deepEqual(get(o, 1), [SENTINEL]);
  }],
  ['cast float → int32 truncates toward zero; int32 → float is exact', 'float', (be, t) => {
    const o = out(be, 'int32', 5);
    be.cast(put(be, t, [1.7, -1.7, 0.5, -0.5, 3]), o, 5);
    assert.deepEqual(get(o, 5), [1, -1, 0, 0, 3]);
    const f = out(be, t, 2);
    be.cast(put(be, 'int32', [-2, 16777216]), f, 2);
    assert.deepEqual(get(f, 2), [-2, 16777216]);
  }],
  ['cast float64 → float32 rounds to nearest', 'float64', (be) => {
    if (!be.supports('float32')) return;
    const o = out(be, 'float32', 1);
    be.cast(put(be, 'float64', [0.1]), o, 1);
    assert.deepEqual(get(o, 1), [0.10000000149011612]);
  }],
];

const binaryCases: Case[] = [
  ['binary broadcasting: row vector, scalar, outer product, 0-d and empty', 'any', (be, t) => {
    const bin = (op: 'add' | 'sub' | 'mul', a: number[], as: number[], b: number[], bs: number[], shape: number[],
      n: number): number[] => {
      const o = out(be, t, n);
      be.binary(op, put(be, t, a), as, put(be, t, b), bs, o, shape);
      return get(o, n);
    };
    assert.deepEqual(bin('add', iota(6), [3, 1], [10, 20, 30], [0, 1], [2, 3], 6), [11, 22, 33, 14, 25, 36]);
    assert.deepEqual(bin('sub', iota(3), [1], [1], [0], [3], 3), [0, 1, 2]);
    assert.deepEqual(bin('mul', [1, 2, 3], [1, 0], [10, 100], [0, 1], [3, 2], 6), [10, 100, 20, 200, 30, 300]);
    assert.deepEqual(bin('mul', [6], [], [7], [], [], 1), [42]);
    assert.deepEqual(bin('add', [1], [0, 0], [1], [0, 0], [2, 0], 1), [SENTINEL]);
  }],
  ['binary float: div, pow (C semantics), maximum/minimum propagate NaN', 'float', (be, t) => {
    const run = (op: 'div' | 'pow' | 'maximum' | 'minimum', a: number[], b: number[]): number[] => {
      const o = out(be, t, a.length);
      be.binary(op, put(be, t, a), [1], put(be, t, b), [1], o, [a.length]);
      return get(o, a.length);
    };
    near(run('div', [1, -1, 0, 0, 3], [0, 0, 0, 4, -2]), [INF, -INF, NaN, 0, -1.5], t, 'div');
    near(run('pow', [2, -8, 1, -1, NaN, 4], [10, 1 / 3, NaN, INF, 0, -0.5]), [1024, NaN, 1, 1, 1, 0.5], t, 'pow');
    near(run('maximum', [1, NaN, 3, -INF], [2, 0, NaN, -INF]), [2, NaN, NaN, -INF], t, 'maximum');
    near(run('minimum', [1, NaN, 3, -INF], [2, 0, NaN, -INF]), [1, NaN, NaN, -INF], t, 'minimum');
  }],
  ['binary comparisons write 0/1 into int32 (NaN compares unequal)', 'float', (be, t) => {
    const a = put(be, t, [1, 2, NaN, 3]);
    const b = put(be, t, [2, 2, NaN, 1]);
    const want = { eq: [0, 1, 0, 0], ne: [1, 0, 1, 1], lt: [1, 0, 0, 0], le: [1, 1, 0, 0], gt: [0, 0, 0, 1],
      ge: [0, 1, 0, 1] };
    for (const [op, w] of Object.entries(want)) {
      const o = out(be, 'int32', 4);
      be.binary(op as 'eq', a, [1], b, [1], o, [4]);
      assert.deepEqual(get(o, 4), w, op);
    }
  }],
  ['binary int32: wrapping add/mul, integer pow, truncating div', 'int32', (be) => {
    const run = (op: 'add' | 'mul' | 'pow' | 'div', a: number[], b: number[]): number[] => {
      const o = out(be, 'int32', a.length);
      be.binary(op, put(be, 'int32', a), [1], put(be, 'int32', b), [1], o, [a.length]);
      return get(o, a.length);
    };
    assert.deepEqual(run('add', [2147483647, -5], [1, 3]), [-2147483648, -2]);
    assert.deepEqual(run('mul', [65536, -7], [65536, 6]), [0, -42]);
    assert.deepEqual(run('pow', [2, 3, -1, 1, -3, 0], [10, -1, -3, -5, 3, 0]), [1024, 0, -1, 1, -27, 1]);
    assert.deepEqual(run('div', [7, -7, 6], [2, 2, -3]), [3, -3, -2]);
  }],
  ['where with broadcast condition and scalar operand', 'any', (be, t) => {
    const o = out(be, t, 4);
    be.where(put(be, 'int32', [1, 0]), [1, 0], put(be, t, [1, 2, 3, 4]), [2, 1], put(be, t, [9]), [0, 0], o, [2, 2]);
    assert.deepEqual(get(o, 4), [1, 2, 9, 9]);
  }],
];

const reduceCases: Case[] = [
  ['reduce sum/prod over the middle axis of [outer, red, inner]; red = 0 gives 0 / 1', 'any', (be, t) => {
    let o = out(be, t, 4);
    be.reduce('sum', put(be, t, iota(12, 0)), 2, 3, 2, o, null);
    assert.deepEqual(get(o, 4), [6, 9, 24, 27]);
    o = out(be, t, 1);
    be.reduce('prod', put(be, t, [1, 2, 3, 4]), 1, 4, 1, o, null);
    assert.deepEqual(get(o, 1), [24]);
    o = out(be, t, 2);
    be.reduce('sum', put(be, t, []), 2, 0, 1, o, null);
    assert.deepEqual(get(o, 2), [0, 0]);
    be.reduce('prod', put(be, t, []), 2, 0, 1, o, null);
    assert.deepEqual(get(o, 2), [1, 1]);
  }],
  ['reduce max/min: first index on ties, per inner column', 'any', (be, t) => {
    const x = put(be, t, [1, 5, 7, 5, 7, 2]); // [1, 3, 2]
    for (const [op, v, i] of [['max', [7, 5], [1, 0]], ['min', [1, 2], [0, 2]]] as const) {
      const o = out(be, t, 2);
      const a = out(be, 'int32', 2);
      be.reduce(op, x, 1, 3, 2, o, a);
      assert.deepEqual([get(o, 2), get(a, 2)], [v, i], op);
    }
  }],
  ['reduce max/min: NaN wins, index of the first NaN', 'float', (be, t) => {
    for (const op of ['max', 'min'] as const) {
      const o = out(be, t, 1);
      const a = out(be, 'int32', 1);
      be.reduce(op, put(be, t, [1, NaN, 5, NaN]), 1, 4, 1, o, a);
      assert.ok(Number.isNaN(get(o, 1)[0]), op);
      assert.deepEqual(get(a, 1), [1], op);
    }
  }],
  ['gather / scatterAdd (accumulates, out not cleared)', 'any', (be, t) => {
    const o = out(be, t, 4);
    be.gather(put(be, t, iota(6)), put(be, 'int32', [2, 0, 1, 1]), o, 2, 3, 1, 2);
    assert.deepEqual(get(o, 4), [3, 1, 5, 5]);
    const acc = put(be, t, [1, 1, 1, 1, 1, 1]);
    be.scatterAdd(put(be, t, [10, 20, 30, 40]), put(be, 'int32', [0, 0, 2, 1]), acc, 2, 3, 1, 2);
    assert.deepEqual(get(acc, 6), [31, 1, 1, 1, 41, 31]);
  }],
  ['indexSelect / indexAdd (repeated indices accumulate)', 'any', (be, t) => {
    const o = out(be, t, 6);
    be.indexSelect(put(be, t, iota(6)), put(be, 'int32', [2, 0, 2]), o, 1, 3, 2, 3);
    assert.deepEqual(get(o, 6), [5, 6, 1, 2, 5, 6]);
    const acc = put(be, t, [0, 0, 0, 0, 0, 0]);
    be.indexAdd(put(be, t, [1, 1, 2, 2]), put(be, 'int32', [2, 2]), acc, 1, 3, 2, 2);
    assert.deepEqual(get(acc, 6), [0, 0, 0, 0, 3, 3]);
  }],
  ['softmax / log-softmax rows: stable for large inputs, NaN row, one column', 'float', (be, t) => {
    const x = put(be, t, [0, LN2, LN3, 1000, 1000, 999.5, NaN, 1, 2]);
    const y = out(be, t, 9);
    be.softmax(x, y, 3, 3, false);
    const big = 0.38365173119055074; // 1 / (2 + e^-0.5)
    near(get(y, 9), [1 / 6, 1 / 3, 0.5, big, big, 0.23269653761889864, NaN, NaN, NaN], t, 'softmax');
    be.softmax(x, y, 3, 3, true);
    near(get(y, 9).slice(0, 3), [-1.791759469228055, -LN3, -LN2], t, 'log-softmax');
    const one = out(be, t, 2);
    be.softmax(put(be, t, [5, -3]), one, 2, 1, false);
    near(get(one, 2), [1, 1], t, 'softmax cols=1');
  }],
  ['softmaxBackward for softmax and log-softmax', 'float', (be, t) => {
    const dx = out(be, t, 2);
    be.softmaxBackward(put(be, t, [0.5, 0.5]), put(be, t, [1, 0]), dx, 1, 2, false);
    near(get(dx, 2), [0.25, -0.25], t, 'softmax');
    be.softmaxBackward(put(be, t, [-LN2, -LN2]), put(be, t, [1, 0]), dx, 1, 2, true);
    near(get(dx, 2), [0.5, -0.5], t, 'log-softmax');
  }],
];

function gemmCase(be: Backend, t: StorageType, o: { a: number[]; b: number[]; c?: number[]; m: number; n: number;
  k: number; transA?: boolean; transB?: boolean; alpha?: number; beta?: number; batch?: number; sA?: number;
  sB?: number; ldc?: number }): number[] {
  const ldc = o.ldc ?? o.n;
  const batch = o.batch ?? 1;
  const c = put(be, t, o.c ?? new Array<number>(batch * o.m * ldc).fill(NaN));
  be.gemm({ transA: !!o.transA, transB: !!o.transB, m: o.m, n: o.n, k: o.k, a: put(be, t, o.a),
    lda: o.transA ? o.m : o.k, b: put(be, t, o.b), ldb: o.transB ? o.k : o.n, c, ldc, alpha: o.alpha ?? 1,
    beta: o.beta ?? 0, batch, strideA: o.sA ?? o.m * o.k, strideB: o.sB ?? o.k * o.n, strideC: o.m * ldc });
  return get(c, batch * o.m * ldc);
}

const gemmCases: Case[] = [
  ['gemm: all four transpose combinations of [[1,2,3],[4,5,6]]·[[7,8],[9,10],[11,12]]', 'float', (be, t) => {
    const A = [1, 2, 3, 4, 5, 6], At = [1, 4, 2, 5, 3, 6], B = [7, 8, 9, 10, 11, 12], Bt = [7, 9, 11, 8, 10, 12];
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const got = gemmCase(be, t, { a: ta ? At : A, b: tb ? Bt : B, m: 2, n: 2, k: 3, transA: ta, transB: tb });
      assert.deepEqual(got, [58, 64, 139, 154], `transA=${ta} transB=${tb}`);
    }
  }],
  ['gemm: alpha/beta, beta = 0 ignores NaN in C, ldc > n leaves the gap alone, k = 0', 'float', (be, t) => {
    const I = [1, 0, 0, 1];
    assert.deepEqual(gemmCase(be, t, { a: I, b: [1, 2, 3, 4], c: [1, 1, 1, 1], m: 2, n: 2, k: 2, alpha: 2, beta: 0.5 }),
      [2.5, 4.5, 6.5, 8.5]);
    const gap = gemmCase(be, t, { a: I, b: [1, 2, 3, 4], c: [NaN, NaN, 7, NaN, NaN, 7], m: 2, n: 2, k: 2, ldc: 3 });
    assert.deepEqual(gap, [1, 2, 7, 3, 4, 7]);
    assert.deepEqual(gemmCase(be, t, { a: [], b: [], c: [3, 3], m: 1, n: 2, k: 0, beta: 2 }), [6, 6]);
    assert.deepEqual(gemmCase(be, t, { a: [], b: [], c: [NaN, NaN], m: 1, n: 2, k: 0 }), [0, 0]);
  }],
  ['gemm: batched, with B broadcast over the batch (strideB = 0)', 'float', (be, t) => {
    const got = gemmCase(be, t, { a: [1, 0, 0, 1, 2, 0, 0, 2], b: [1, 2, 3, 4], m: 2, n: 2, k: 2, batch: 2, sB: 0 });
    assert.deepEqual(got, [1, 2, 3, 4, 2, 4, 6, 8]);
  }],
];

interface ConvCase {
  name: string; x: number[]; w: number[]; bias?: number[]; dy: number[];
  a: Partial<Conv2dArgs> & Pick<Conv2dArgs, 'c' | 'h' | 'w' | 'o' | 'kh' | 'kw' | 'oh' | 'ow'>;
  y: number[]; dx: number[]; dw: number[];
}

const X33 = iota(9); // [[1,2,3],[4,5,6],[7,8,9]]
const convTable: ConvCase[] = [
  { name: 'diagonal 2x2 kernel with bias', x: X33, w: [1, 0, 0, 1], bias: [10], dy: [1, 2, 3, 4],
    a: { c: 1, h: 3, w: 3, o: 1, kh: 2, kw: 2, oh: 2, ow: 2 },
    y: [16, 18, 22, 24], dx: [1, 2, 0, 3, 5, 2, 0, 3, 4], dw: [37, 47, 67, 77] },
  { name: 'stride 2, padding 1', x: X33, w: [1, 1, 1, 1], dy: [1, 2, 3, 4],
    a: { c: 1, h: 3, w: 3, o: 1, kh: 2, kw: 2, sh: 2, sw: 2, ph: 1, pw: 1, oh: 2, ow: 2 },
    y: [1, 5, 11, 28], dx: [1, 2, 2, 3, 4, 4, 3, 4, 4], dw: [20, 36, 36, 64] },
  { name: 'dilation 2', x: X33, w: [1, 2, 3, 4], dy: [1],
    a: { c: 1, h: 3, w: 3, o: 1, kh: 2, kw: 2, dh: 2, dw: 2, oh: 1, ow: 1 },
    y: [64], dx: [1, 0, 2, 0, 0, 0, 3, 0, 4], dw: [1, 3, 7, 9] },
  { name: "padding after only ('same' with an even kernel)", x: [1, 2, 3, 4], w: [1, 1, 1, 1], dy: [1, 1, 1, 1],
    a: { c: 1, h: 2, w: 2, o: 1, kh: 2, kw: 2, oh: 2, ow: 2 }, y: [10, 6, 7, 4], dx: [1, 2, 2, 4], dw: [10, 6, 7, 4] },
  { name: 'groups = 2, batch 2, 1x1 kernels', x: [1, 2, 3, 4, 5, 6, 7, 8, 10, 20, 30, 40, 50, 60, 70, 80],
    w: [1, 2, 3, -1], dy: new Array<number>(16 * 2).fill(1),
    a: { n: 2, c: 2, h: 2, w: 2, o: 4, kh: 1, kw: 1, groups: 2, oh: 2, ow: 2 },
    y: [1, 2, 3, 4, 2, 4, 6, 8, 15, 18, 21, 24, -5, -6, -7, -8, 10, 20, 30, 40, 20, 40, 60, 80, 150, 180, 210, 240,
      -50, -60, -70, -80],
    dx: [3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 2, 2, 2, 2], dw: [110, 110, 286, 286] },
];

const convCases: Case[] = convTable.map((c): Case => [`conv2d forward / backwardData / backwardFilter: ${c.name}`,
  'float', (be, t) => {
    const a: Conv2dArgs = { n: 1, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, groups: 1, ...c.a };
    const [x, w, dy] = [put(be, t, c.x), put(be, t, c.w), put(be, t, c.dy)];
    const [y, dx, dw] = [out(be, t, c.y.length), out(be, t, c.x.length), out(be, t, c.w.length)];
    be.conv2d(x, w, c.bias ? put(be, t, c.bias) : null, y, a);
    be.conv2dBackwardData(dy, w, dx, a);
    be.conv2dBackwardFilter(x, dy, dw, a);
    assert.deepEqual([get(y, c.y.length), get(dx, c.x.length), get(dw, c.w.length)], [c.y, c.dx, c.dw]);
  }]);

const X44 = iota(16);
function maxPoolRun(be: Backend, t: StorageType, x: number[], a: Pool2dArgs): [number[], number[]] {
  const n = a.n * a.c * a.oh * a.ow;
  const [y, idx] = [out(be, t, n), out(be, 'int32', n)];
  be.maxPool2d(put(be, t, x), y, idx, a);
  return [get(y, n), get(idx, n)];
}
function avgPoolRun(be: Backend, t: StorageType, x: number[], a: Pool2dArgs): number[] {
  const y = out(be, t, a.n * a.c * a.oh * a.ow);
  be.avgPool2d(put(be, t, x), y, a);
  return get(y, a.n * a.c * a.oh * a.ow);
}

const poolCases: Case[] = [
  ['maxPool2d: 2x2/2, padding never wins, ceil mode, dilation, ties, NaN', 'float', (be, t) => {
    assert.deepEqual(maxPoolRun(be, t, X44, pool({ h: 4, w: 4, kh: 2, kw: 2, sh: 2, sw: 2, oh: 2, ow: 2 })),
      [[6, 8, 14, 16], [5, 7, 13, 15]]);
    const p1 = pool({ h: 4, w: 4, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1, oh: 2, ow: 2 });
    assert.deepEqual(maxPoolRun(be, t, X44.map((v) => -v), p1), [[-1, -2, -5, -6], [0, 1, 4, 5]]);
    const ceil = pool({ h: 3, w: 3, kh: 2, kw: 2, sh: 2, sw: 2, oh: 2, ow: 2 });
    assert.deepEqual(maxPoolRun(be, t, X33, ceil), [[5, 6, 8, 9], [4, 5, 7, 8]]);
    const dil = pool({ h: 3, w: 3, kh: 2, kw: 2, dh: 2, dw: 2, oh: 1, ow: 1 });
    assert.deepEqual(maxPoolRun(be, t, X33, dil), [[9], [8]]);
    const k2 = pool({ h: 2, w: 2, kh: 2, kw: 2, oh: 1, ow: 1 });
    assert.deepEqual(maxPoolRun(be, t, [5, 5, 5, 5], k2), [[5], [0]]);
    const [yNaN, iNaN] = maxPoolRun(be, t, [1, NaN, 3, 2], k2);
    assert.ok(Number.isNaN(yNaN[0]));
    assert.deepEqual(iNaN, [1]);
  }],
  ['maxPool2dBackward routes dy through idx and accumulates overlaps', 'float', (be, t) => {
    const a = pool({ h: 1, w: 3, kh: 1, kw: 2, oh: 1, ow: 2 });
    const [y, idx] = [out(be, t, 2), out(be, 'int32', 2)];
    be.maxPool2d(put(be, t, [1, 3, 2]), y, idx, a);
    const dx = out(be, t, 3);
    be.maxPool2dBackward(put(be, t, [1, 1]), idx, dx, a);
    assert.deepEqual(get(dx, 3), [0, 2, 0]);
  }],
  ['avgPool2d: plain, padding with/without countIncludePad, ceil mode, divisorOverride', 'float', (be, t) => {
    const k2s2 = { kh: 2, kw: 2, sh: 2, sw: 2, oh: 2, ow: 2 };
    near(avgPoolRun(be, t, X44, pool({ h: 4, w: 4, ...k2s2 })), [3.5, 5.5, 11.5, 13.5], t, 'plain');
    const over = pool({ h: 4, w: 4, ...k2s2, divisorOverride: 3 });
    near(avgPoolRun(be, t, X44, over), [14 / 3, 22 / 3, 46 / 3, 18], t, 'override');
    const pad = pool({ h: 3, w: 3, ...k2s2, ph: 1, pw: 1 });
    near(avgPoolRun(be, t, X33, pad), [0.25, 1.25, 2.75, 7], t, 'pad, include');
    near(avgPoolRun(be, t, X33, { ...pad, countIncludePad: false }), [1, 2.5, 5.5, 7], t, 'pad, exclude');
    // ceil mode: windows past h + ph are clipped before poolSize, so the divisor is 2 / 1, not 4
    near(avgPoolRun(be, t, X33, pool({ h: 3, w: 3, ...k2s2 })), [3, 4.5, 7.5, 9], t, 'ceil');
    const ceilPad = pool({ h: 2, w: 2, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1, oh: 2, ow: 2 });
    near(avgPoolRun(be, t, [1, 2, 3, 4], ceilPad), [10 / 9, 1, 7 / 6, 1], t, 'ceil + pad, include');
    near(avgPoolRun(be, t, [1, 2, 3, 4], { ...ceilPad, countIncludePad: false }), [2.5, 3, 3.5, 4], t, 'ceil + pad');
  }],
  ['avgPool2dBackward spreads dy / divisor over the clipped window', 'float', (be, t) => {
    const a = pool({ h: 3, w: 3, kh: 2, kw: 2, sh: 2, sw: 2, ph: 1, pw: 1, oh: 2, ow: 2, countIncludePad: false });
    const dx = out(be, t, 9);
    be.avgPool2dBackward(put(be, t, [1, 1, 1, 1]), dx, a);
    near(get(dx, 9), [1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.5, 0.25, 0.25], t, 'exclude pad');
    be.avgPool2dBackward(put(be, t, [1, 1, 1, 1]), dx, { ...a, countIncludePad: true });
    near(get(dx, 9), new Array<number>(9).fill(0.25), t, 'include pad');
  }],
  ['adaptiveAvgPool2d windows floor(i·h/oh)..ceil((i+1)·h/oh), and backward', 'float', (be, t) => {
    let y = out(be, t, 4);
    be.adaptiveAvgPool2d(put(be, t, X33), y, 1, 1, 3, 3, 2, 2);
    near(get(y, 4), [3, 4, 6, 7], t, '3x3 → 2x2');
    y = out(be, t, 3);
    be.adaptiveAvgPool2d(put(be, t, [1, 2, 3, 4, 5]), y, 1, 1, 1, 5, 1, 3);
    near(get(y, 3), [1.5, 3, 4.5], t, '1x5 → 1x3');
    y = out(be, t, 2);
    be.adaptiveAvgPool2d(put(be, t, [...X33, ...X33.map((v) => 2 * v)]), y, 1, 2, 3, 3, 1, 1);
    near(get(y, 2), [5, 10], t, 'global');
    const dx = out(be, t, 9);
    be.adaptiveAvgPool2dBackward(put(be, t, [1, 1, 1, 1]), dx, 1, 1, 3, 3, 2, 2);
    near(get(dx, 9), [0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25], t, 'backward');
  }],
  ['empty batch (n = 0): conv2d and pooling write nothing; 1x1 conv on a 1x1 image', 'float', (be, t) => {
    const y = out(be, t, 1);
    const c: Conv2dArgs = { n: 0, c: 1, h: 2, w: 2, o: 1, kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1,
      groups: 1, oh: 2, ow: 2 };
    be.conv2d(put(be, t, []), put(be, t, [2]), null, y, c);
    be.avgPool2d(put(be, t, []), y, pool({ n: 0, h: 2, w: 2, kh: 1, kw: 1, oh: 2, ow: 2 }));
    be.adaptiveAvgPool2d(put(be, t, []), y, 0, 1, 2, 2, 1, 1);
    assert.deepEqual(get(y, 1), [SENTINEL]);
    be.conv2d(put(be, t, [3]), put(be, t, [2]), put(be, t, [0.5]), y, { ...c, n: 1, h: 1, w: 1, oh: 1, ow: 1 });
    assert.deepEqual(get(y, 1), [6.5]);
  }],
  ['alloc / release / stats', 'any', (be, t) => {
    const before = be.stats().liveStorages;
    const s = be.alloc(t, 10);
    assert.equal(s.length, 10);
    assert.equal(be.stats().liveStorages, before + 1);
    assert.ok(be.stats().bytesInUse >= 10 * (t === 'float64' ? 8 : 4));
    s.release();
    s.release();
    assert.ok(s.released);
    assert.equal(be.stats().liveStorages, before);
  }],
];

const allCases: Case[] = [
  ...elementwiseCases, ...binaryCases, ...reduceCases, ...gemmCases, ...convCases, ...poolCases,
];

/** Storage types a case runs on: 'float' = both float types, 'any' = all three. */
function typesOf(kind: Case[1]): StorageType[] {
  if (kind === 'float') return ['float32', 'float64'];
  if (kind === 'any') return ['float32', 'float64', 'int32'];
  return [kind];
}

for (const cand of candidates) {
  describe(`backend conformance: ${cand.name}`, function () {
    let be: Backend;
    before(async function () {
      const r = await cand.load();
      if (typeof r === 'string') {
        console.log(`      SKIPPING the ${cand.name} backend: ${r}`);
        this.skip();
      }
      be = r as Backend;
    });
    for (const [name, kind, run] of allCases) {
      for (const t of typesOf(kind)) {
        it(`${name} [${t}]`, function () {
          if (!be.supports(t)) this.skip();
          run(be, t);
        });
      }
    }
  });
}

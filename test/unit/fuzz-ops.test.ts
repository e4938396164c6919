// Property-based fuzzing of the public ops (issue #11), with fast-check and a fixed seed so runs are repeatable:
// random shapes (incl. empty), dtypes, NaN/±Inf, negative/huge/float/non-number dims, out-of-range indices and
// wrong argument types. Every call either returns the same value on the wasm backend as on the reference
// backend, or throws an Error whose message names the op — on both. Canary tensors allocated around the calls
// never change and the runtime stays usable.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as lw from '../../src/runtime';
import { getBackend, setBackend, type BackendName } from '../../src/runtime/backend/registry';

type DT = 'float32' | 'int32' | 'bool';
interface TSpec { shape: number[]; dtype: DT; flat: number[] }

const SEED = 20261204;
const RUNS = Number(process.env.LAYERWISE_FUZZ_RUNS ?? 40);

// ---- arbitraries ------------------------------------------------------------------------------------------
const value = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -4, max: 4 }) },
  { weight: 3, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }).map((v) => Math.fround(v)) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e30, -1e-30) },
);
const shapeArb = (maxRank = 3) => fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: maxRank });
const tensorArb = (dtypes: DT[] = ['float32', 'float32', 'int32', 'bool'], maxRank = 3): fc.Arbitrary<TSpec> =>
  fc.tuple(shapeArb(maxRank), fc.constantFrom(...dtypes)).chain(([shape, dtype]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return fc.array(value, { minLength: n, maxLength: n }).map((flat) => ({ shape, dtype, flat }));
  });
/** dims: mostly plausible, sometimes negative, huge, fractional, NaN or not a number at all. */
const dimArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -4, max: 3 }) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(1.5, NaN, 2 ** 40, -(2 ** 31), Infinity, '0', null, undefined, [0], {}) },
);
const indexArb = fc.array(fc.integer({ min: -6, max: 6 }), { maxLength: 6 });
const sizeArb = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -2, max: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(2 ** 31, 2.5, NaN, '3', null) });

function make(t: TSpec): lw.Tensor {
  const n = t.shape.reduce((a, b) => a * b, 1);
  if (n === 0) return lw.zeros(t.shape, { dtype: t.dtype });
  const vals = t.dtype === 'float32' ? t.flat : t.dtype === 'bool' ? t.flat.map((v) => (v ? 1 : 0))
    : t.flat.map((v) => (Number.isFinite(v) ? Math.trunc(v) : 0));
  return lw.tensor(vals, { dtype: t.dtype }).reshape(t.shape);
}
const idxTensor = (vals: number[], shape?: number[]) => {
  const t = lw.tensor(vals.length ? vals : [0], { dtype: 'int32' });
  return vals.length ? (shape ? t.reshape(shape) : t) : lw.zeros([0], { dtype: 'int32' });
};

// ---- the ops under test ----------------------------------------------------------------------------------
interface OpCase { name: string; names?: string[]; arb: fc.Arbitrary<unknown[]>; call: (...a: any[]) => unknown }
const t1 = (dt?: DT[]) => fc.tuple(tensorArb(dt));
const unary = ['neg', 'exp', 'log', 'sqrt', 'abs', 'sign', 'square', 'reciprocal', 'floor', 'round', 'relu', 'sigmoid', 'tanh', 'erf', 'isnan']
  .map((m): OpCase => ({ name: m, arb: t1(), call: (a: TSpec) => (make(a) as any)[m]() }));
const binary = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'eq', 'lt']
  .map((m): OpCase => ({ name: m, arb: fc.tuple(tensorArb(), fc.oneof(tensorArb(), value.map((v) => ({ scalar: v })))),
    call: (a: TSpec, b: TSpec | { scalar: number }) => (make(a) as any)[m]('scalar' in b ? b.scalar : make(b)) }));
const reductions = ['sum', 'mean', 'prod', 'argmax', 'logsumexp', 'std']
  .map((m): OpCase => ({ name: m, arb: fc.tuple(tensorArb(), dimArb, fc.boolean()),
    call: (a: TSpec, d: unknown, keepdim: boolean) => (make(a) as any)[m](d, { keepdim }) }));

const OPS: OpCase[] = [
  ...unary, ...binary, ...reductions,
  { name: 'max', arb: fc.tuple(tensorArb(), dimArb), call: (a, d) => make(a).max(d as number) },
  { name: 'clamp', arb: fc.tuple(tensorArb(['float32']), value, value), call: (a, lo, hi) => make(a).clamp(lo, hi) },
  { name: 'reshape', names: ['reshape', 'view'], arb: fc.tuple(tensorArb(), fc.array(sizeArb, { maxLength: 3 })), call: (a, s) => make(a).reshape(s) },
  { name: 'permute', arb: fc.tuple(tensorArb(), fc.array(dimArb, { maxLength: 3 })), call: (a, p) => make(a).permute(p) },
  { name: 'transpose', arb: fc.tuple(tensorArb(), dimArb, dimArb), call: (a, d0, d1) => make(a).transpose(d0, d1) },
  { name: 'squeeze', arb: fc.tuple(tensorArb(), dimArb), call: (a, d) => make(a).squeeze(d) },
  { name: 'unsqueeze', arb: fc.tuple(tensorArb(), dimArb), call: (a, d) => make(a).unsqueeze(d) },
  { name: 'flatten', arb: fc.tuple(tensorArb(), dimArb, dimArb), call: (a, s, e) => make(a).flatten(s, e) },
  { name: 'expand', arb: fc.tuple(tensorArb(), fc.array(sizeArb, { maxLength: 4 })), call: (a, s) => make(a).expand(s) },
  { name: 'narrow', arb: fc.tuple(tensorArb(), dimArb, sizeArb, sizeArb), call: (a, d, s, l) => make(a).narrow(d, s, l) },
  { name: 'select', arb: fc.tuple(tensorArb(), dimArb, fc.integer({ min: -6, max: 6 })), call: (a, d, i) => make(a).select(d, i) },
  { name: 'gather', arb: fc.tuple(tensorArb(), dimArb, tensorArb(['int32'])), call: (a, d, i) => make(a).gather(d, make(i)) },
  { name: 'indexSelect', arb: fc.tuple(tensorArb(), dimArb, indexArb), call: (a, d, i) => make(a).indexSelect(d, idxTensor(i)) },
  { name: 'index', arb: fc.tuple(tensorArb(), indexArb), call: (a, i) => make(a).index(idxTensor(i)) },
  { name: 'chunk', arb: fc.tuple(tensorArb(), sizeArb, dimArb), call: (a, c, d) => make(a).chunk(c, d) },
  { name: 'split', arb: fc.tuple(tensorArb(), sizeArb, dimArb), call: (a, s, d) => make(a).split(s, d) },
  { name: 'cat', arb: fc.tuple(fc.array(tensorArb(), { maxLength: 3 }), dimArb), call: (ts, d) => lw.cat(ts.map(make), d) },
  { name: 'stack', arb: fc.tuple(fc.array(tensorArb(), { maxLength: 3 }), dimArb), call: (ts, d) => lw.stack(ts.map(make), d) },
  { name: 'matmul', arb: fc.tuple(tensorArb(['float32'], 3), tensorArb(['float32'], 3)), call: (a, b) => make(a).matmul(make(b)) },
  { name: 'softmax', arb: fc.tuple(tensorArb(['float32']), dimArb), call: (a, d) => lw.F.softmax(make(a), d) },
  { name: 'crossEntropy', arb: fc.tuple(tensorArb(['float32'], 2), indexArb), call: (a, t) => lw.F.crossEntropy(make(a), idxTensor(t)) },
  { name: 'embedding', arb: fc.tuple(indexArb, tensorArb(['float32'], 2)), call: (i, w) => lw.F.embedding(idxTensor(i), make(w)) },
  { name: 'oneHot', arb: fc.tuple(indexArb, sizeArb), call: (i, n) => lw.F.oneHot(idxTensor(i), n) },
  { name: 'zeros', arb: fc.tuple(fc.array(sizeArb, { maxLength: 3 })), call: (s) => lw.zeros(s) },
  { name: 'full', arb: fc.tuple(fc.array(sizeArb, { maxLength: 3 }), value), call: (s, v) => lw.full(s, v) },
  { name: 'randn', arb: fc.tuple(fc.array(sizeArb, { maxLength: 3 })), call: (s) => lw.randn(s) },
  // counts beyond a million are left to robust-sizes.test.ts (they are legal, only slow to compare element-wise)
  { name: 'arange', arb: fc.tuple(value, value, value).filter(([a, b, s]) => !(Math.abs((b - a) / s) > 1e6 && Number.isFinite((b - a) / s))),
    call: (a, b, s) => lw.arange(a, b, s) },
  { name: 'eye', arb: fc.tuple(sizeArb), call: (n) => lw.eye(n) },
];

// ---- comparing outcomes ----------------------------------------------------------------------------------
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function snapshot(v: unknown): unknown {
  if (v instanceof lw.Tensor) return { shape: [...v.shape], dtype: v.dtype, values: Array.from(v.dataSync()) };
  if (Array.isArray(v)) return v.map(snapshot);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, snapshot(x)]));
  return v;
}

function close(a: unknown, b: unknown, path: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return assert.ok(Number.isNaN(a) && Number.isNaN(b), `${path}: ${a} vs ${b}`);
    if (!Number.isFinite(a) || !Number.isFinite(b)) return assert.equal(a, b, path);
    return assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(a), Math.abs(b)), `${path}: wasm ${a} vs reference ${b}`);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    assert.equal(a.length, b.length, `${path}: length`);
    a.forEach((x, i) => close(x, b[i], `${path}[${i}]`));
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    assert.deepEqual(Object.keys(a), Object.keys(b), path);
    for (const k of Object.keys(a)) close((a as any)[k], (b as any)[k], `${path}.${k}`);
    return;
  }
  assert.deepEqual(a, b, path);
}

function outcome(be: BackendName, op: OpCase, args: unknown[]): Outcome {
  setBackend(be);
  lw.manualSeed(1);
  try {
    return { ok: true, value: snapshot(op.call(...args)) };
  } catch (error) {
    return { ok: false, error };
  }
}

function checkError(op: OpCase, e: unknown, be: string): void {
  assert.ok(e instanceof Error, `${op.name} on ${be} threw a non-Error: ${String(e)}`);
  const names = op.names ?? [op.name];
  assert.ok(names.some((n) => e.message.includes(n)) || /^cannot allocate /.test(e.message),
    `${op.name} on ${be}: the message does not name the op: ${e.constructor.name}: ${e.message}`);
  assert.doesNotMatch(e.message, /Cannot read propert|is not a function|undefined is not|is not iterable/, `${op.name}: internal error leaked: ${e.message}`);
}

describe('fuzz: public ops against the reference backend', function () {
  let prev: BackendName;
  let canaries: Array<{ t: lw.Tensor; values: number[] }> = [];
  before(() => {
    prev = getBackend();
    canaries = (['wasm', 'reference'] as BackendName[]).flatMap((be) => {
      setBackend(be);
      return [0, 1].map((k) => {
        const t = lw.arange(0, 37).float().mul(0.25).add(k);
        return { t, values: Array.from(t.dataSync()) };
      });
    });
  });
  after(() => setBackend(prev));

  for (const op of OPS) {
    it(op.name, () => {
      fc.assert(fc.property(op.arb, (args) => {
        const w = outcome('wasm', op, args);
        const r = outcome('reference', op, args);
        if (!w.ok) checkError(op, w.error, 'wasm');
        if (!r.ok) checkError(op, r.error, 'reference');
        assert.equal(w.ok, r.ok, `${op.name}: wasm ${w.ok ? 'returned' : `threw ${(w as any).error.message}`} but reference ${r.ok ? 'returned' : `threw ${(r as any).error.message}`}`);
        if (w.ok && r.ok) close(w.value, r.value, op.name);
        for (const c of canaries) assert.deepEqual(Array.from(c.t.dataSync()), c.values, 'a canary tensor changed');
      }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
      setBackend('wasm');
      assert.deepEqual(lw.ones([2]).add(1).toArray(), [2, 2], 'the runtime is still usable');
    });
  }
});

/** wasm reductions and index kernels (gather / scatterAdd / indexSelect / indexAdd) vs oracles written here. */
import type { ReduceOp, StorageType } from '../../src/runtime/backend/types';
import { SIZES, assertNear, assertSame, get, out, put, randf, randi, release, wasm } from './wasm-ew-common.test';

/** Oracle: value and first index of the extremum; NaN wins (the first NaN), as PyTorch. */
function extremum(vals: number[], isMax: boolean): [number, number] {
  let best = isMax ? -Infinity : Infinity;
  let bi = 0;
  vals.forEach((v, r) => {
    if (Number.isNaN(best)) return;
    if (Number.isNaN(v) || (isMax ? v > best : v < best)) { best = v; bi = r; }
  });
  return [best, bi];
}

function reduceOracle(op: ReduceOp, type: StorageType, xs: number[], outer: number, red: number, inner: number):
  { val: number[]; arg: number[] } {
  const val: number[] = [];
  const arg: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const col = Array.from({ length: red }, (_, r) => xs[(o * red + r) * inner + i]);
      if (op === 'max' || op === 'min') {
        const [v, k] = extremum(col, op === 'max');
        val.push(v); arg.push(k);
      } else if (type === 'int32') {
        val.push(col.reduce((a, b) => (op === 'sum' ? (a + b) | 0 : Math.imul(a, b)), op === 'sum' ? 0 : 1));
      } else {
        val.push(Math.fround(col.reduce((a, b) => (op === 'sum' ? a + b : a * b), op === 'sum' ? 0 : 1)));
      }
    }
  }
  return { val, arg };
}

function reduceData(op: ReduceOp, type: StorageType, n: number, seed: number): number[] {
  if (type === 'int32') return op === 'prod' ? randi(n, seed, -3, 4) : randi(n, seed, -4, 5); // many ties
  if (op === 'prod') return randf(n, seed, 0.6, 1.4);
  if (op === 'sum') return randf(n, seed, -10, 10);
  // max/min: ties (small integers), infinities and occasional NaNs
  return randi(n, seed, -3, 4).map((v, i) => (i % 13 === 5 ? Infinity : i % 17 === 8 ? -Infinity : i % 29 === 11 ? NaN : v));
}

describe('wasm-ew: reduce', () => {
  for (const type of ['float32', 'int32'] as StorageType[]) {
    for (const op of ['sum', 'prod', 'max', 'min'] as ReduceOp[]) {
      it(`${type} ${op} over [outer, red, inner] (SIMD rows, columns and tails)`, () => {
        const be = wasm();
        let seed = 1;
        for (const outer of [1, 3]) {
          for (const red of [...SIZES, 100]) {
            for (const inner of [1, 2, 4, 5, 9, 16, 37]) {
              const n = outer * red * inner;
              const xs = reduceData(op, type, n, seed++);
              const x = put(be, type, xs);
              const o = out(be, type, outer * inner);
              const withArg = op === 'max' || op === 'min';
              const a = withArg ? out(be, 'int32', outer * inner) : null;
              be.reduce(op, x, outer, red, inner, o, a);
              const want = reduceOracle(op, type, xs, outer, red, inner);
              const what = `${type} ${op} [${outer},${red},${inner}]`;
              if (type === 'float32' && !withArg) assertNear(get(o, outer * inner), want.val, what, 1e-6, 1e-6);
              else assertSame(get(o, outer * inner), want.val, what);
              if (a) assertSame(get(a, outer * inner), want.arg, `${what} arg`);
              release(x, o, ...(a ? [a] : []));
            }
          }
        }
      });
    }
  }

  it('max/min without an index output; all-(-inf) rows pick the first element', () => {
    const be = wasm();
    for (const red of SIZES) {
      const xs = new Array(red).fill(-Infinity);
      const x = put(be, 'float32', xs);
      const o = out(be, 'float32', 1);
      const a = out(be, 'int32', 1);
      be.reduce('max', x, 1, red, 1, o, a);
      assertSame(get(o, 1), [-Infinity], 'max');
      assertSame(get(a, 1), [0], 'arg');
      be.reduce('min', x, 1, red, 1, o, null);
      assertSame(get(o, 1), [-Infinity], 'min');
      release(x, o, a);
    }
  });

  it('float32 sum accumulates in float64 (2^24 + 1000 ones is exact)', () => {
    const be = wasm();
    for (const inner of [1, 4, 5, 16, 21]) {
      const red = 1001;
      const xs: number[] = [];
      for (let r = 0; r < red; r++) for (let i = 0; i < inner; i++) xs.push(r === 0 ? 16777216 : 1);
      const x = put(be, 'float32', xs);
      const o = out(be, 'float32', inner);
      be.reduce('sum', x, 1, red, inner, o, null);
      assertSame(get(o, inner), new Array(inner).fill(16778216), `sum inner=${inner}`);
      release(x, o);
    }
  });
});

describe('wasm-ew: gather / scatterAdd / indexSelect / indexAdd', () => {
  const shapes: Array<[number, number, number, number]> = []; // outer, dim, inner, idxDim
  for (const inner of [1, 3, 4, 7, 17]) for (const idxDim of [1, 5, 9]) shapes.push([2, 4, inner, idxDim]);

  for (const type of ['float32', 'int32'] as StorageType[]) {
    const vals = (n: number, s: number): number[] => (type === 'float32' ? randf(n, s, -5, 5) : randi(n, s, -100, 100));

    it(`${type} gather and scatterAdd (duplicate indices accumulate)`, () => {
      const be = wasm();
      shapes.forEach(([outer, dim, inner, idxDim], k) => {
        const xs = vals(outer * dim * inner, k);
        const is = randi(outer * idxDim * inner, k + 50, 0, dim);
        const x = put(be, type, xs);
        const idx = put(be, 'int32', is);
        const g = out(be, type, is.length);
        be.gather(x, idx, g, outer, dim, inner, idxDim);
        const want = is.map((r, p) => {
          const o = Math.floor(p / (idxDim * inner));
          return xs[(o * dim + r) * inner + (p % inner)];
        });
        assertSame(get(g, is.length), want, `gather ${type} ${[outer, dim, inner, idxDim]}`);
        const src = vals(is.length, k + 99);
        const s = put(be, type, src);
        const base = vals(xs.length, k + 7);
        const acc = put(be, type, base);
        be.scatterAdd(s, idx, acc, outer, dim, inner, idxDim);
        const exp = base.slice();
        is.forEach((r, p) => {
          const o = Math.floor(p / (idxDim * inner));
          const q = (o * dim + r) * inner + (p % inner);
          exp[q] = type === 'float32' ? Math.fround(exp[q] + src[p]) : (exp[q] + src[p]) | 0;
        });
        assertSame(get(acc, exp.length), exp, `scatterAdd ${type} ${[outer, dim, inner, idxDim]}`);
        release(x, idx, g, s, acc);
      });
    });

    it(`${type} indexSelect and indexAdd (duplicate indices accumulate)`, () => {
      const be = wasm();
      shapes.forEach(([outer, dim, inner, k], t) => {
        const xs = vals(outer * dim * inner, t);
        const is = randi(k, t + 3, 0, dim);
        const x = put(be, type, xs);
        const idx = put(be, 'int32', is);
        const o = out(be, type, outer * k * inner);
        be.indexSelect(x, idx, o, outer, dim, inner, k);
        const want: number[] = [];
        for (let a = 0; a < outer; a++) {
          for (let j = 0; j < k; j++) for (let i = 0; i < inner; i++) want.push(xs[(a * dim + is[j]) * inner + i]);
        }
        assertSame(get(o, want.length), want, `indexSelect ${type} ${[outer, dim, inner, k]}`);
        const src = vals(want.length, t + 11);
        const s = put(be, type, src);
        const base = vals(xs.length, t + 12);
        const acc = put(be, type, base);
        be.indexAdd(s, idx, acc, outer, dim, inner, k);
        const exp = base.slice();
        for (let a = 0; a < outer; a++) for (let j = 0; j < k; j++) for (let i = 0; i < inner; i++) {
          const q = (a * dim + is[j]) * inner + i;
          const v = src[(a * k + j) * inner + i];
          exp[q] = type === 'float32' ? Math.fround(exp[q] + v) : (exp[q] + v) | 0;
        }
        assertSame(get(acc, exp.length), exp, `indexAdd ${type} ${[outer, dim, inner, k]}`);
        release(x, idx, o, s, acc);
      });
    });
  }
});

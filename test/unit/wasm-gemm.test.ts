/** GEMM kernel vs a float64 triple loop: awkward sizes, all transposes, batch broadcast, alpha/beta. */
import assert from 'node:assert/strict';
import { assertClose, core, randomArray, ref, upload } from './wasm-helpers';
import type { KernelFlavor } from '../../src/runtime/backend/wasm/module';

interface Case { ta: boolean; tb: boolean; m: number; n: number; k: number; alpha: number; beta: number;
  batch: number; bcastA: boolean; bcastB: boolean; pad?: number /* extra elements per row (lda/ldb/ldc) */ }

/** Dense logical operands A [batch][rows][cols] etc. are laid out in rows of length cols + pad. */
function naive(c: Case, A: Float64Array, B: Float64Array, C0: Float64Array): Float64Array {
  const { m, n, k } = c;
  const out = new Float64Array(c.batch * m * n);
  for (let b = 0; b < c.batch; b++) {
    const ao = c.bcastA ? 0 : b * m * k, bo = c.bcastB ? 0 : b * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const a = c.ta ? A[ao + p * m + i] : A[ao + i * k + p];
          const bb = c.tb ? B[bo + j * k + p] : B[bo + p * n + j];
          s += a * bb;
        }
        const idx = b * m * n + i * n + j;
        out[idx] = c.alpha * s + (c.beta === 0 ? 0 : c.beta * C0[idx]);
      }
    }
  }
  return out;
}

/** Copies dense [count][rows][cols] into rows of stride cols + pad (the pad holds NaN, which must never be read). */
function strided(d: Float64Array, cols: number, pad: number): Float64Array {
  if (pad === 0) return d;
  const rows = d.length / cols;
  const out = new Float64Array(rows * (cols + pad)).fill(NaN);
  for (let r = 0; r < rows; r++) out.set(d.subarray(r * cols, (r + 1) * cols), r * (cols + pad));
  return out;
}

function run(c: Case, flavor?: KernelFlavor, seed = 1): void {
  const be = core(flavor);
  const { m, n, k } = c;
  const pad = c.pad ?? 0;
  const A = randomArray((c.bcastA ? 1 : c.batch) * m * k, seed);
  const B = randomArray((c.bcastB ? 1 : c.batch) * k * n, seed + 1);
  const C0 = randomArray(c.batch * m * n, seed + 2);
  const aCols = c.ta ? m : k, bCols = c.tb ? k : n;
  const off = 3; // non-zero element offsets: unaligned operands
  const sa = upload(be, strided(A, aCols, pad), off), sb = upload(be, strided(B, bCols, pad), off + 1);
  const sc = c.beta === 0 ? be.alloc('float32', c.batch * m * (n + pad) + 2) : upload(be, strided(C0, n, pad), 2);
  if (c.beta === 0) (sc.view() as Float32Array).fill(NaN); // beta = 0 must not read C
  const rowsA = c.ta ? k : m, rowsB = c.tb ? n : k;
  be.gemm({ transA: c.ta, transB: c.tb, m, n, k, a: ref(sa, off), lda: aCols + pad, b: ref(sb, off + 1),
    ldb: bCols + pad, c: ref(sc, 2), ldc: n + pad, alpha: c.alpha, beta: c.beta, batch: c.batch,
    strideA: c.bcastA ? 0 : rowsA * (aCols + pad), strideB: c.bcastB ? 0 : rowsB * (bCols + pad),
    strideC: m * (n + pad) });
  const all = (sc.view() as Float32Array).subarray(2, 2 + c.batch * m * (n + pad));
  const got: number[] = [];
  for (let r = 0; r < c.batch * m; r++) for (let j = 0; j < n; j++) got.push(all[r * (n + pad) + j]);
  assertClose(got, naive(c, A, B, C0), 2e-6, k, JSON.stringify(c));
  for (const s of [sa, sb, sc]) s.release();
}

const base: Case = { ta: false, tb: false, m: 1, n: 1, k: 1, alpha: 1, beta: 0, batch: 1, bcastA: false, bcastB: false };
const trans = [[false, false], [false, true], [true, false], [true, true]] as const;

for (const flavor of ['simd', 'relaxed'] as const) {
  describe(`wasm gemm (${flavor} build)`, () => {
    it('loads the requested flavor (relaxed falls back to simd only if the engine rejects it)', () => {
      const f = core(flavor).flavor;
      if (flavor === 'simd') assert.equal(f, 'simd');
      else assert.ok(f === 'relaxed' || f === 'simd');
    });

    for (const [ta, tb] of trans) {
      it(`awkward sizes 1..9, 17, 33, 65 (transA=${ta}, transB=${tb})`, () => {
        const sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 17, 33, 65];
        let seed = 10;
        for (const m of sizes) for (const n of [1, 3, 8, 9, 17, 65]) for (const k of [1, 5, 17, 65]) {
          run({ ...base, ta, tb, m, n, k }, flavor, seed++);
        }
        for (const n of sizes) run({ ...base, ta, tb, m: 7, n, k: 9 }, flavor, seed++);
        for (const k of sizes) run({ ...base, ta, tb, m: 9, n: 7, k }, flavor, seed++);
      });
    }

    it('crosses the default K / M / N blocks (m = 133, n = 1030, k = 300)', () => {
      run({ ...base, m: 133, n: 1030, k: 300, beta: 0.5 }, flavor, 7);
      run({ ...base, ta: true, tb: true, m: 133, n: 1030, k: 300 }, flavor, 7);
    });

    it('tiny blocks (MC=8, KC=12, NC=16): many blocks and edges on every transpose combination', () => {
      const ex = core(flavor).ctx.ex;
      ex.gemm_set_blocking(8, 12, 16);
      try {
        let seed = 900;
        for (const [ta, tb] of trans) for (const [m, n, k] of [[9, 17, 13], [33, 65, 25], [17, 40, 36], [7, 9, 65]]) {
          run({ ...base, ta, tb, m, n, k, alpha: 1.5, beta: seed % 2 }, flavor, seed++);
        }
      } finally {
        ex.gemm_set_blocking(0, 0, 0); // defaults
      }
    });

    it('alpha / beta', () => {
      for (const [alpha, beta] of [[2, 0], [1, 1], [0.5, -1.5], [-1, 0.25], [0, 2]]) {
        for (const [ta, tb] of trans) run({ ...base, ta, tb, m: 13, n: 11, k: 21, alpha, beta }, flavor, 3);
      }
    });

    it('leading dimensions larger than the row length (sub-matrix views)', () => {
      let seed = 300;
      for (const [ta, tb] of trans) for (const pad of [1, 5]) {
        run({ ...base, ta, tb, m: 9, n: 17, k: 13, pad, beta: pad === 1 ? 0 : 0.5 }, flavor, seed++);
        run({ ...base, ta, tb, m: 5, n: 3, k: 33, pad, batch: 2 }, flavor, seed++);
      }
    });

    it('k = 0 writes beta * C (or zeros when beta = 0)', () => {
      run({ ...base, m: 5, n: 6, k: 0 }, flavor);
      run({ ...base, m: 5, n: 6, k: 0, beta: 0.5 }, flavor);
    });

    it('batched with strides and broadcast operands (stride 0)', () => {
      for (const [ta, tb] of trans) {
        run({ ...base, ta, tb, m: 9, n: 10, k: 7, batch: 3 }, flavor, 5);
        run({ ...base, ta, tb, m: 9, n: 10, k: 7, batch: 4, bcastA: true }, flavor, 6);
        run({ ...base, ta, tb, m: 5, n: 17, k: 33, batch: 2, bcastB: true, beta: 1 }, flavor, 8);
      }
    });
  });
}

/** The wasm GEMM / conv kernels against the reference backend (the oracle), on awkward sizes. */
import type { Backend, Conv2dArgs, GemmArgs, Ref, Storage } from '../../src/runtime/backend/types';
import { createReferenceBackend } from '../../src/runtime/backend/reference';
import { assertClose, core, randomArray } from './wasm-helpers';

const refBe = createReferenceBackend();

/** Runs `call` on both backends with the same float32 inputs; compares the output storages. */
function both(inputs: Float64Array[], outLens: number[], call: (be: Backend, r: Ref[]) => void,
  terms: number, what: string): void {
  const wasm = core() as unknown as Backend;
  const results: Float32Array[][] = [];
  for (const be of [wasm, refBe]) {
    const ss: Storage[] = inputs.map((d) => {
      const s = be.alloc('float32', d.length);
      (s.view() as Float32Array).set(d);
      return s;
    });
    for (const n of outLens) {
      const s = be.alloc('float32', n);
      (s.view() as Float32Array).fill(0.25);
      ss.push(s);
    }
    call(be, ss.map((s) => ({ s, off: 0 })));
    results.push(ss.slice(inputs.length).map((s) => Float32Array.from(s.view() as Float32Array)));
    for (const s of ss) s.release();
  }
  results[0].forEach((got, i) => assertClose(got, results[1][i], 3e-6, terms, `${what} out${i}`));
}

describe('wasm vs reference backend', () => {
  it('gemm: transposes, batch broadcast, alpha/beta on awkward sizes', () => {
    let seed = 100;
    for (const [m, n, k] of [[1, 1, 1], [3, 17, 5], [17, 9, 33], [65, 7, 2], [6, 65, 65]]) {
      for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]]) {
        for (const [batch, sa, sb, alpha, beta] of [[1, 1, 1, 1, 0], [3, 1, 0, 0.5, 1], [2, 0, 1, -2, 0.5]]) {
          const A = randomArray((sa ? batch : 1) * m * k, seed++), B = randomArray((sb ? batch : 1) * k * n, seed++);
          const C = randomArray(batch * m * n, seed++);
          const args = (r: Ref[]): GemmArgs => ({ transA: ta, transB: tb, m, n, k, a: r[0], lda: ta ? m : k, b: r[1],
            ldb: tb ? k : n, c: r[3], ldc: n, alpha, beta, batch, strideA: sa * m * k, strideB: sb * k * n,
            strideC: m * n });
          both([A, B, C], [batch * m * n], (be, r) => {
            (r[3].s.view() as Float32Array).set(r[2].s.view() as Float32Array);
            be.gemm(args(r));
          }, k, `gemm ${JSON.stringify({ m, n, k, ta, tb, batch, sa, sb, alpha, beta })}`);
        }
      }
    }
  });

  it('conv2d forward / dX / dW: stride, padding, dilation, groups', () => {
    const specs: Conv2dArgs[] = [
      { n: 2, c: 3, h: 9, w: 8, o: 5, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, groups: 1, oh: 9, ow: 8 },
      { n: 1, c: 4, h: 11, w: 9, o: 6, kh: 3, kw: 2, sh: 2, sw: 3, ph: 1, pw: 0, dh: 2, dw: 1, groups: 2, oh: 5, ow: 3 },
      { n: 2, c: 6, h: 7, w: 7, o: 6, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, groups: 6, oh: 7, ow: 7 },
      { n: 2, c: 2, h: 6, w: 6, o: 3, kh: 2, kw: 2, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, groups: 1, oh: 6, ow: 6 },
    ];
    let seed = 500;
    for (const a of specs) {
      const cg = a.c / a.groups;
      const xN = a.n * a.c * a.h * a.w, wN = a.o * cg * a.kh * a.kw, yN = a.n * a.o * a.oh * a.ow;
      const X = randomArray(xN, seed++), W = randomArray(wN, seed++), B = randomArray(a.o, seed++);
      const DY = randomArray(yN, seed++);
      const what = JSON.stringify(a);
      both([X, W, B], [yN], (be, r) => be.conv2d(r[0], r[1], r[2], r[3], a), cg * a.kh * a.kw, `fwd ${what}`);
      both([DY, W], [xN], (be, r) => be.conv2dBackwardData(r[0], r[1], r[2], a), a.o * a.kh * a.kw, `dX ${what}`);
      both([X, DY], [wN], (be, r) => be.conv2dBackwardFilter(r[0], r[1], r[2], a), a.n * a.oh * a.ow, `dW ${what}`);
    }
  });
});

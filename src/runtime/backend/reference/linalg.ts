/** Batched GEMM: C[b] = alpha · op(A[b]) · op(B[b]) + beta · C[b]. */
import type { GemmArgs } from '../types';
import { arr, isInt } from './storage';

/**
 * Straight triple loop with a float64 accumulator (int32 storages accumulate with wrapping int32 arithmetic).
 * beta = 0 never reads C, so garbage or NaN there does not leak. alpha = 0 still evaluates the product
 * (NaN/Inf in A or B propagate), which is what a plain reading of the formula gives.
 */
export function gemm(g: GemmArgs): void {
  const A = arr(g.a);
  const B = arr(g.b);
  const C = arr(g.c);
  const int = isInt(g.c);
  for (let bt = 0; bt < g.batch; bt++) {
    const aBase = g.a.off + bt * g.strideA;
    const bBase = g.b.off + bt * g.strideB;
    const cBase = g.c.off + bt * g.strideC;
    for (let i = 0; i < g.m; i++) {
      for (let j = 0; j < g.n; j++) {
        let acc = 0;
        for (let p = 0; p < g.k; p++) {
          const av = A[aBase + (g.transA ? p * g.lda + i : i * g.lda + p)];
          const bv = B[bBase + (g.transB ? j * g.ldb + p : p * g.ldb + j)];
          acc = int ? (acc + Math.imul(av, bv)) | 0 : acc + av * bv;
        }
        const ci = cBase + i * g.ldc + j;
        C[ci] = g.beta === 0 ? g.alpha * acc : g.alpha * acc + g.beta * C[ci];
      }
    }
  }
}

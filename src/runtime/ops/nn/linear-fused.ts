/**
 * linear as one recorded op on the wasm backend: y = x·wᵀ with the bias as the GEMM's C (rows pre-filled with b,
 * beta = 1: no separate broadcast-add pass); backward dx = g·w (NN), dw = gᵀ·x (TN, written contiguous [out, in]
 * so the optimizer's fused step takes it without a copy), db = Σ_rows g. Returns null when the composite path
 * must run: another backend, float64, empty tensors, the stepper's tracing, forward-mode tangents.
 * Double backward (createGraph) computes the same gradients with differentiable matmuls.
 */
import { Tensor } from '../../tensor';
import { record } from '../../autograd/node';
import { mode } from '../../autograd/mode';
import { alloc, contig } from '../raw';
import { reshape, transpose } from '../views';
import { sum } from '../reduce';
import { matmul } from '../linalg';
import { fusedKernels } from '../../backend/wasm/fused';

function usable(x: Tensor, w: Tensor, b: Tensor | null | undefined): boolean {
  if (!fusedKernels(x.backend) || x.dtype !== 'float32' || w.dtype !== 'float32' || mode.traceValues) return false;
  if (w.backend !== x.backend || (b && (b.dtype !== 'float32' || b.backend !== x.backend))) return false;
  if (x.numel() === 0 || w.numel() === 0) return false;
  return !(mode.forwardLevel > 0 && (x._tangent || w._tangent || b?._tangent));
}

export function linearFused(input: Tensor, weight: Tensor, bias: Tensor | null | undefined): Tensor | null {
  if (!usable(input, weight, bias)) return null;
  const be = input.backend;
  const [outF, inF] = weight.shape;
  const m = input.numel() / inF;
  const x = contig(input), w = contig(weight);
  const y = alloc([...input.shape.slice(0, -1), outF], 'float32', be);
  if (bias) be.copy(contig(bias).ref(), [0, 1], y.ref(), [m, outF]);
  be.gemm({ transA: false, transB: true, m, n: outF, k: inF, a: x.ref(), lda: inF, b: w.ref(), ldb: inF, c: y.ref(),
    ldc: outF, alpha: 1, beta: bias ? 1 : 0, batch: 1, strideA: 0, strideB: 0, strideC: 0 });
  return record(y, 'linear', [input, weight, bias ?? null], (g) => {
    if (mode.gradEnabled) {
      const g2 = reshape(g, [m, outF]);
      return [input.requiresGrad ? matmul(g, weight) : null,
        weight.requiresGrad ? matmul(transpose(g2, 0, 1), reshape(input, [m, inF])) : null,
        bias?.requiresGrad ? sum(g2, 0) : null];
    }
    const gc = contig(g);
    let dx: Tensor | null = null, dw: Tensor | null = null, db: Tensor | null = null;
    if (input.requiresGrad) {
      dx = alloc(input.shape, 'float32', be);
      be.gemm({ transA: false, transB: false, m, n: inF, k: outF, a: gc.ref(), lda: outF, b: w.ref(), ldb: inF,
        c: dx.ref(), ldc: inF, alpha: 1, beta: 0, batch: 1, strideA: 0, strideB: 0, strideC: 0 });
    }
    if (weight.requiresGrad) {
      dw = alloc([outF, inF], 'float32', be);
      be.gemm({ transA: true, transB: false, m: outF, n: inF, k: m, a: gc.ref(), lda: outF, b: x.ref(), ldb: inF,
        c: dw.ref(), ldc: inF, alpha: 1, beta: 0, batch: 1, strideA: 0, strideB: 0, strideC: 0 });
    }
    if (bias?.requiresGrad) {
      db = alloc([outF], 'float32', be);
      be.reduce('sum', gc.ref(), 1, m, outF, db.ref(), null);
    }
    if (gc !== g) gc.dispose(); // a private copy
    return [dx, dw, db];
  }, { attrs: { inFeatures: inF, outFeatures: outF } });
}

/** matmul / mm / bmm with PyTorch's batching and 1-D promotion rules, over the backend's batched GEMM. */
import { Tensor } from '../tensor';
import { record } from '../autograd/node';
import { alloc, contig, sameBackend, viewRaw } from './raw';
import { add, sumToShape, contiguous } from './basic';
import { expand, reshape, squeeze, transpose, unsqueeze } from './views';
import { broadcastShapes, fmtShape, numel, ShapeError } from '../shape';

/** How a [..., r, c] operand can be fed to GEMM without a copy: its leading dim and whether it is transposed. */
function gemmLayout(t: Tensor): { trans: boolean; ld: number } | null {
  const n = t.ndim;
  const [sr, sc] = [t._strides[n - 2], t._strides[n - 1]];
  const [r, c] = [t.shape[n - 2], t.shape[n - 1]];
  if (sc === 1 && (sr >= c || r === 1)) return { trans: false, ld: Math.max(sr, c, 1) };
  if (sr === 1 && (sc >= r || c === 1)) return { trans: true, ld: Math.max(sc, r, 1) };
  return null;
}

/** Batch stride of a [B, r, c] operand (0 when broadcast), or null if the batch dims are not uniformly strided. */
function batchStride(t: Tensor, batch: number): number | null {
  if (batch === 1 || t.ndim === 2) return 0;
  if (t.ndim === 3) return t._strides[0];
  return null;
}

/** Raw batched product of a [B|1, m, k] and b [B|1, k, n] (3-D, batch broadcast allowed). */
function bmmRaw(a: Tensor, b: Tensor): Tensor {
  const be = sameBackend('matmul', a, b);
  const batch = Math.max(a.shape[0], b.shape[0]);
  const [m, k, n] = [a.shape[1], a.shape[2], b.shape[2]];
  let A = a;
  let B = b;
  let la = gemmLayout(A);
  let lb = gemmLayout(B);
  let sa = a.shape[0] === 1 ? 0 : batchStride(A, batch);
  let sb = b.shape[0] === 1 ? 0 : batchStride(B, batch);
  if (!la || sa === null) [A, la, sa] = [contig(a), { trans: false, ld: k }, a.shape[0] === 1 ? 0 : m * k];
  if (!lb || sb === null) [B, lb, sb] = [contig(b), { trans: false, ld: n }, b.shape[0] === 1 ? 0 : k * n];
  const out = alloc([batch, m, n], a.dtype, be);
  if (out.numel() === 0) return out;
  if (k === 0) {
    be.fill(out.ref(), out.numel(), 0);
    return out;
  }
  be.gemm({
    transA: la.trans, transB: lb.trans, m, n, k,
    a: A.ref(), lda: la.ld, b: B.ref(), ldb: lb.ld, c: out.ref(), ldc: n,
    alpha: 1, beta: 0, batch, strideA: sa, strideB: sb, strideC: m * n,
  });
  return out;
}

/** Differentiable 3-D batched matmul with broadcastable batch (sizes equal or 1). */
function bmmCore(a: Tensor, b: Tensor): Tensor {
  const out = bmmRaw(a, b);
  return record(out, 'matmul', [a, b], (g) => [
    a.requiresGrad ? sumToShape(bmmCore(g, transpose(b, 1, 2)), a.shape) : null,
    b.requiresGrad ? sumToShape(bmmCore(transpose(a, 1, 2), g), b.shape) : null,
  ], {
    saved: { a, b },
    jvp: ([ta, tb]) => {
      const x = ta ? bmmCore(ta, b) : null;
      const y = tb ? bmmCore(a, tb) : null;
      const r = x && y ? add(x, y) : x ?? y;
      return r && r.shape[0] !== out.shape[0] ? contiguous(expand(r, out.shape)) : r;
    },
  });
}

function checkFloat(op: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) throw new Error(`${op}: expected both operands to have the same dtype, got ${a.dtype} and ${b.dtype}`);
  if (a.dtype !== 'float32' && a.dtype !== 'float64') throw new Error(`${op}: only floating point tensors are supported, got ${a.dtype}`);
}

/** PyTorch's torch.matmul semantics. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkFloat('matmul', a, b);
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`matmul: both arguments need at least 1 dimension, got ${a.ndim}D and ${b.ndim}D tensors`);
  const a2 = a.ndim === 1 ? unsqueeze(a, 0) : a;
  const b2 = b.ndim === 1 ? unsqueeze(b, 1) : b;
  const k1 = a2.shape[a2.ndim - 1];
  const k2 = b2.shape[b2.ndim - 2];
  if (k1 !== k2) {
    throw new ShapeError(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be multiplied (${k1} != ${k2})`);
  }
  if (a.ndim === 2 && b.ndim === 2) return mm2d(a, b);
  const batchA = a2.shape.slice(0, -2);
  const batchB = b2.shape.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB, 'matmul');
  const [m, n] = [a2.shape[a2.ndim - 2], b2.shape[b2.ndim - 1]];
  const flat3 = (t: Tensor, own: number[]): Tensor => {
    if (own.length === 0) return numel(batch) === 0 ? expand(unsqueeze(t, 0), [0, ...t.shape]) : unsqueeze(t, 0);
    const full = own.length === batch.length && own.every((d, i) => d === batch[i]) ? t : expand(t, [...batch, ...t.shape.slice(-2)]);
    return numel(own) === 1 && full === t ? reshape(t, [1, ...t.shape.slice(-2)]) : reshape(full, [numel(batch), ...t.shape.slice(-2)]);
  };
  let out = bmmCore(flat3(a2, batchA), flat3(b2, batchB));
  out = reshape(out, [...batch, m, n]);
  if (a.ndim === 1) out = squeeze(out, -2);
  if (b.ndim === 1) out = squeeze(out, -1);
  return out;
}

/** 2-D × 2-D as ONE graph node (the stepper and gradFn show "mm", not unsqueeze/matmul/reshape). */
function mm2d(a: Tensor, b: Tensor): Tensor {
  const as3 = (t: Tensor): Tensor => viewRaw(t, [1, ...t.shape], [0, ...t._strides], t._offset);
  const raw = bmmRaw(as3(a), as3(b));
  const out = viewRaw(raw, [a.shape[0], b.shape[1]], [b.shape[1], 1], 0);
  return record(out, 'mm', [a, b], (g) => [
    a.requiresGrad ? mm2d(g, transpose(b, 0, 1)) : null,
    b.requiresGrad ? mm2d(transpose(a, 0, 1), g) : null,
  ], {
    saved: { a, b },
    jvp: ([ta, tb]) => {
      const x = ta ? mm2d(ta, b) : null;
      const y = tb ? mm2d(a, tb) : null;
      return x && y ? add(x, y) : x ?? y;
    },
  });
}

export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2 || b.ndim !== 2) throw new ShapeError(`mm: expected 2-D tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return matmul(a, b);
}

export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3 || b.ndim !== 3) throw new ShapeError(`bmm: expected 3-D tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.shape[0] !== b.shape[0]) throw new ShapeError(`bmm: batch sizes differ: ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return matmul(a, b);
}

export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1 || a.shape[0] !== b.shape[0]) {
    throw new ShapeError(`dot: expected 1-D tensors of equal length, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  return matmul(a, b);
}

/**
 * Training-mode batchNorm as one recorded op over the wasm backend's fused kernels: forward = one statistics pass
 * + one affine pass (y = x·α + β with α = w·invstd, β = b − mean·α, PyTorch's CPU form); backward = one reduction
 * pass (Σdy, Σdy·(x − mean)) + one apply pass. Returns null when the composite path must run instead: another
 * backend, float64, the stepper's value tracing (it shows the primitive graph), or forward-mode tangents present
 * (handled too, but the composite path gives the exact same rule without a special case).
 * Double backward (createGraph) recomputes the gradient with differentiable Tensor ops.
 * With a ReLU epilogue (nn.Sequential's BatchNorm → ReLU, ./epilogue-fused) the affine pass writes relu(y), and
 * the backward passes mask the gradient by y > 0, recomputed from x with the same scale and shift (so they read
 * no more arrays than without the ReLU): one node, no pass of its own.
 */
import { Tensor } from '../../tensor';
import { record } from '../../autograd/node';
import { mode, noGrad } from '../../autograd/mode';
import { add, mul, rsqrt, sub } from '../basic';
import { mean, sum, varOf } from '../reduce';
import { narrow, reshape } from '../views';
import { alloc, contig } from '../raw';
import { numel } from '../../shape';
import { fusedKernels } from '../../backend/wasm/fused';
import { channelShape } from './util';
import { reluGradOnResult, takeReluEpilogue } from './epilogue-fused';

export interface FusedBnArgs {
  weight: Tensor | null | undefined;
  bias: Tensor | null | undefined;
  runningMean: Tensor | null;
  runningVar: Tensor | null;
  momentum: number;
  eps: number;
  update: (running: Tensor, batch: Tensor) => void;
}

/** A view of a freshly allocated float32 tensor; valid only until the next allocation (memory growth detaches it). */
const f32 = (t: Tensor): Float32Array => t.storage().view() as Float32Array;
/** A JS copy of a small tensor's values (survives later allocations). */
const copyOf = (t: Tensor): Float64Array => Float64Array.from(t.storage().view());

function usable(x: Tensor, ...ps: Array<Tensor | null | undefined>): boolean {
  if (x.dtype !== 'float32' || mode.traceValues || x.isMeta) return false;
  if (mode.forwardLevel > 0 && (x._tangent || ps.some((p) => p?._tangent))) return false;
  return ps.every((p) => !p || (p.dtype === 'float32' && p.backend === x.backend));
}

/** Per-channel values of an optional [C] parameter (or `fill` when absent). */
function channelValues(p: Tensor | null | undefined, c: number, fill: number): ArrayLike<number> {
  return p ? Float64Array.from(contig(p).dataSync()) : new Float64Array(c).fill(fill);
}

export function batchNormTrainFused(x: Tensor, a: FusedBnArgs): Tensor | null {
  const fk = fusedKernels(x.backend);
  if (!fk || !usable(x, a.weight, a.bias)) return null;
  const xc = contig(x);
  const n = x.shape[0], c = x.shape[1];
  const hw = numel(x.shape) / Math.max(1, n * c);
  const count = n * hw;
  const stats = alloc([3, c], 'float32', x.backend); // mean, biased var, invstd
  const sref = (i: number) => ({ s: stats.storage(), off: i * c });
  fk.bnStats(xc.ref(), n, c, hw, sref(0), sref(1), sref(2), a.eps);
  const st = copyOf(stats);
  const w = channelValues(a.weight, c, 1), b = channelValues(a.bias, c, 0);
  const coef = alloc([2, c], 'float32', x.backend); // scale, shift
  const cv = f32(coef);
  for (let k = 0; k < c; k++) {
    cv[k] = w[k] * st[2 * c + k];
    cv[c + k] = b[k] - st[k] * cv[k];
  }
  const y = alloc(x.shape, 'float32', x.backend);
  const relu = takeReluEpilogue();
  (relu ? fk.bnApplyRelu : fk.bnApply).call(fk, xc.ref(), y.ref(), n, c, hw, { s: coef.storage(), off: 0 }, { s: coef.storage(), off: c });
  if (!relu) coef.dispose(); // a private temporary: free it now (with a ReLU the backward recomputes the mask from it)
  noGrad(() => {
    const view = (i: number) => narrow(reshape(stats, [3 * c]), 0, i * c, c);
    if (a.runningMean) a.update(a.runningMean, view(0));
    if (a.runningVar) a.update(a.runningVar, mul(view(1), count / (count - 1)));
  });
  const pshape = channelShape(c, x.ndim);
  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const { weight, bias, eps } = a;
  return record(y, relu ? 'batchNormRelu' : 'batchNorm', [x, weight ?? null, bias ?? null], (g) => {
    if (mode.gradEnabled) return compositeGrad(x, weight, relu ? reluGradOnResult(g, y) : g, dims, pshape, eps);
    return fusedGrad(x, xc, weight, bias, g, stats, w, n, c, hw, relu ? coef : null);
  }, {
    attrs: { training: true, eps, momentum: a.momentum, ...(relu ? { relu: true } : {}) },
    saved: { mean: narrow(stats, 0, 0, 1), invstd: narrow(stats, 0, 2, 1) },
  });
}

function fusedGrad(x: Tensor, xc: Tensor, weight: Tensor | null | undefined, bias: Tensor | null | undefined, g: Tensor,
  stats: Tensor, w: ArrayLike<number>, n: number, c: number, hw: number, reluCoef: Tensor | null): Array<Tensor | null> {
  const fk = fusedKernels(x.backend)!;
  const gc = contig(g);
  const sums = alloc([2, c], 'float32', x.backend); // Σdy, Σdy·(x − mean)
  const s0 = { s: sums.storage(), off: 0 }, s1 = { s: sums.storage(), off: c };
  const sc = reluCoef ? { s: reluCoef.storage(), off: 0 } : null, sh = reluCoef ? { s: reluCoef.storage(), off: c } : null;
  if (sc && sh) fk.bnBackwardReduceRelu(gc.ref(), xc.ref(), n, c, hw, stats.ref(), sc, sh, s0, s1);
  else fk.bnBackwardReduce(gc.ref(), xc.ref(), n, c, hw, stats.ref(), s0, s1);
  const sv = copyOf(sums), st = copyOf(stats);
  const M = n * hw;
  let gw: Tensor | null = null;
  if (weight?.requiresGrad) {
    gw = alloc([c], 'float32', x.backend);
    const v = f32(gw);
    for (let k = 0; k < c; k++) v[k] = sv[c + k] * st[2 * c + k];
    gw = reshape(gw, weight.shape);
  }
  let gb: Tensor | null = null;
  if (bias?.requiresGrad) gb = reshape(contig(narrow(sums, 0, 0, 1)), bias.shape);
  let gx: Tensor | null = null;
  if (x.requiresGrad) {
    const coef = alloc([3, c], 'float32', x.backend); // A, K, C
    const cv = f32(coef);
    for (let k = 0; k < c; k++) {
      const s = st[2 * c + k];
      const A = w[k] * s;
      cv[k] = A;
      cv[c + k] = -A * s * (sv[c + k] * s / M);
      cv[2 * c + k] = -A * (sv[k] / M);
    }
    gx = alloc(x.shape, 'float32', x.backend);
    const r = (i: number) => ({ s: coef.storage(), off: i * c });
    if (sc && sh) fk.bnBackwardApplyRelu(gc.ref(), xc.ref(), gx.ref(), n, c, hw, r(0), r(1), r(2), stats.ref(), sc, sh);
    else fk.bnBackwardApply(gc.ref(), xc.ref(), gx.ref(), n, c, hw, r(0), r(1), r(2), stats.ref());
    coef.dispose();
  }
  if (gc !== g) gc.dispose();
  if (!gb) sums.dispose();
  return [gx, gw, gb];
}

/** The same gradient with differentiable ops (for createGraph): statistics recomputed from x. */
function compositeGrad(x: Tensor, weight: Tensor | null | undefined, g: Tensor, dims: number[], pshape: number[], eps: number): Array<Tensor | null> {
  const m = mean(x, dims, { keepdim: true });
  const s = rsqrt(add(varOf(x, { dim: dims, unbiased: false, keepdim: true }), eps));
  const xh = mul(sub(x, m), s);
  const gw = weight?.requiresGrad ? reshape(sum(mul(g, xh), dims), weight.shape) : null;
  const gb = sum(g, dims);
  const ws = weight ? mul(reshape(weight, pshape), s) : s;
  const inner = sub(sub(g, mean(g, dims, { keepdim: true })), mul(xh, mean(mul(g, xh), dims, { keepdim: true })));
  return [x.requiresGrad ? mul(ws, inner) : null, gw, gb];
}

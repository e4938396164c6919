/**
 * batchNorm, layerNorm, groupNorm, instanceNorm composed from differentiable primitives (exact gradients,
 * jvp for free). Running statistics are updated in place, without autograd, with the unbiased variance.
 */
import { Tensor } from '../../tensor';
import { noGrad } from '../../autograd/mode';
import { add, mul, rsqrt, sub } from '../basic';
import { mean, varOf } from '../reduce';
import { reshape } from '../views';
import { contig } from '../raw';
import { fmtShape, numel, ShapeError } from '../../shape';
import { channelShape, checkFloat, checkParam } from './util';
import { batchNormTrainFused } from './norm-fused';

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/** (x − m) / sqrt(v + eps), then the optional affine (weight/bias reshaped to `pshape`). */
function normalize(x: Tensor, m: Tensor, v: Tensor, eps: number, weight: Tensor | null | undefined, bias: Tensor | null | undefined, pshape: number[]): Tensor {
  return affine(mul(sub(x, m), rsqrt(add(v, eps))), weight, bias, pshape);
}

function affine(y: Tensor, weight: Tensor | null | undefined, bias: Tensor | null | undefined, pshape: number[]): Tensor {
  let r = y;
  if (weight) r = mul(r, reshape(weight, pshape));
  if (bias) r = add(r, reshape(bias, pshape));
  return r;
}

/** running ← (1 − m)·running + m·batch, written into running's own storage (no autograd). */
export function updateRunning(op: string, running: Tensor, batch: Tensor, momentum: number): void {
  noGrad(() => {
    const next = contig(add(mul(running, 1 - momentum), mul(reshape(batch, running.shape), momentum)));
    if (!running.isContiguous()) throw new Error(`${op}: running statistics must be contiguous tensors`);
    if (next.numel() > 0) running.backend.copy(next.ref(), next._strides, running.ref(), running.shape);
  });
}

function checkRunning(op: string, t: Tensor | null | undefined, what: string, c: number, x: Tensor): void {
  if (t === null || t === undefined) return;
  checkParam(op, t, what, [c], x);
}

function checkEps(op: string, eps: number, momentum: number): void {
  if (typeof eps !== 'number' || !(eps >= 0)) throw new Error(`${op}: eps must be a non-negative number, got ${eps}`);
  if (typeof momentum !== 'number' || !Number.isFinite(momentum)) throw new Error(`${op}: momentum must be a number, got ${momentum}`);
}

/** Batch normalisation over [N, C], [N, C, L] or [N, C, H, W] (statistics per channel over N and spatial dims). */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, opts: BatchNormOptions = {}): Tensor {
  const op = 'batchNorm';
  checkFloat(op, x);
  if (x.ndim < 2) throw new ShapeError(`${op}: expected a 2-D or higher input [N, C, ...], got ${fmtShape(x.shape)}`);
  const { weight, bias, training = false, momentum = 0.1, eps = 1e-5 } = opts;
  checkEps(op, eps, momentum);
  const c = x.shape[1];
  checkParam(op, weight, 'weight', [c], x);
  checkParam(op, bias, 'bias', [c], x);
  checkRunning(op, runningMean, 'runningMean', c, x);
  checkRunning(op, runningVar, 'runningVar', c, x);
  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const pshape = channelShape(c, x.ndim);
  const count = numel(x.shape) / Math.max(c, 1);
  if (training) {
    if (count <= 1) throw new Error(`${op}: expected more than 1 value per channel when training, got input size ${fmtShape(x.shape)}`);
    const fused = batchNormTrainFused(x, { weight, bias, runningMean, runningVar, momentum, eps,
      update: (running, batch) => updateRunning(op, running, batch, momentum) });
    if (fused) return fused;
    const m = mean(x, dims, { keepdim: true });
    const v = varOf(x, { dim: dims, unbiased: false, keepdim: true });
    if (runningMean) updateRunning(op, runningMean, m, momentum);
    if (runningVar) updateRunning(op, runningVar, noGrad(() => mul(v, count / (count - 1))), momentum);
    return normalize(x, m, v, eps, weight, bias, pshape);
  }
  if (!runningMean || !runningVar) {
    throw new Error(`${op}: runningMean and runningVar must be given when training is false (or pass {training: true} to use batch statistics)`);
  }
  return normalize(x, reshape(runningMean, pshape), reshape(runningVar, pshape), eps, weight, bias, pshape);
}

export interface LayerNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}

/** Normalises over the trailing dims given by normalizedShape (biased variance), then the elementwise affine. */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], opts: LayerNormOptions = {}): Tensor {
  const op = 'layerNorm';
  checkFloat(op, x);
  const ns = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const { weight, bias, eps = 1e-5 } = opts;
  checkEps(op, eps, 0);
  const k = ns.length;
  if (k === 0 || k > x.ndim || ns.some((d, i) => d !== x.shape[x.ndim - k + i])) {
    throw new ShapeError(`${op}: given normalizedShape=${fmtShape(ns)}, expected input with shape [*, ${ns.join(', ')}], but got input of size ${fmtShape(x.shape)}`);
  }
  checkParam(op, weight, 'weight', ns, x);
  checkParam(op, bias, 'bias', ns, x);
  const dims = ns.map((_, i) => x.ndim - k + i);
  const m = mean(x, dims, { keepdim: true });
  const v = varOf(x, { dim: dims, unbiased: false, keepdim: true });
  return normalize(x, m, v, eps, weight, bias, ns);
}

/** Normalises each of numGroups channel groups of x [N, C, ...] over (C/G, spatial); affine per channel. */
export function groupNorm(x: Tensor, numGroups: number, opts: LayerNormOptions = {}): Tensor {
  const op = 'groupNorm';
  checkFloat(op, x);
  if (x.ndim < 2) throw new ShapeError(`${op}: expected an input [N, C, ...] with at least 2 dims, got ${fmtShape(x.shape)}`);
  const c = x.shape[1];
  if (!Number.isInteger(numGroups) || numGroups < 1 || c % numGroups !== 0) {
    throw new ShapeError(`${op}: expected number of channels in input to be divisible by numGroups, but got input of shape ${fmtShape(x.shape)} and numGroups=${numGroups}`);
  }
  const { weight, bias, eps = 1e-5 } = opts;
  checkEps(op, eps, 0);
  checkParam(op, weight, 'weight', [c], x);
  checkParam(op, bias, 'bias', [c], x);
  const g = reshape(x, [x.shape[0], numGroups, -1]);
  if (g.shape[2] === 0 && x.shape[0] > 0) throw new ShapeError(`${op}: expected non-empty groups, got input ${fmtShape(x.shape)}`);
  const m = mean(g, 2, { keepdim: true });
  const v = varOf(g, { dim: 2, unbiased: false, keepdim: true });
  const y = reshape(mul(sub(g, m), rsqrt(add(v, eps))), x.shape);
  return affine(y, weight, bias, channelShape(c, x.ndim));
}

export interface InstanceNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  useInputStats?: boolean;
  momentum?: number;
  eps?: number;
}

/** Per-sample, per-channel normalisation over the spatial dims of x [N, C, ...spatial]. */
export function instanceNorm(x: Tensor, opts: InstanceNormOptions = {}): Tensor {
  const op = 'instanceNorm';
  checkFloat(op, x);
  if (x.ndim < 3) throw new ShapeError(`${op}: expected an input [N, C, ...spatial] with at least 3 dims, got ${fmtShape(x.shape)}`);
  const { runningMean, runningVar, weight, bias, useInputStats = true, momentum = 0.1, eps = 1e-5 } = opts;
  checkEps(op, eps, momentum);
  const c = x.shape[1];
  for (const [t, what] of [[weight, 'weight'], [bias, 'bias'], [runningMean, 'runningMean'], [runningVar, 'runningVar']] as const) checkParam(op, t, what, [c], x);
  const pshape = channelShape(c, x.ndim);
  if (!useInputStats) {
    if (!runningMean || !runningVar) throw new Error(`${op}: runningMean and runningVar must be given when useInputStats is false`);
    return normalize(x, reshape(runningMean, pshape), reshape(runningVar, pshape), eps, weight, bias, pshape);
  }
  const dims = x.shape.map((_, i) => i).filter((i) => i >= 2);
  const count = numel(x.shape.slice(2));
  if (count <= 1) throw new Error(`${op}: expected more than 1 spatial element when training, got input size ${fmtShape(x.shape)}`);
  const m = mean(x, dims, { keepdim: true });
  const v = varOf(x, { dim: dims, unbiased: false, keepdim: true });
  if (runningMean) updateRunning(op, runningMean, noGrad(() => mean(m, [0, ...dims])), momentum);
  if (runningVar) updateRunning(op, runningVar, noGrad(() => mean(mul(v, count / (count - 1)), [0, ...dims])), momentum);
  return normalize(x, m, v, eps, weight, bias, pshape);
}


/** nllLoss and crossEntropy (class indices or probabilities, class weights, ignoreIndex, label smoothing) as PyTorch. */
import { Tensor } from '../../tensor';
import { add, div, mul, neg } from '../basic';
import { reshape, squeeze } from '../views';
import { gatherAlong, sum } from '../reduce';
import { fmtShape, ShapeError } from '../../shape';
import { logSoftmax } from './softmax';
import { crossEntropyFused } from './ce-fused';
import { channelShape, checkFloat, checkParam, checkReduction, floatTensorLike, intTensor, Reduction, valuesOf } from './util';

export interface NllLossOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: Reduction;
}
export interface CrossEntropyOptions extends NllLossOptions {
  labelSmoothing?: number;
}

/** Validated class targets: safe indices (ignored → 0), per-element weights (0 where ignored) and their sum. */
interface Targets {
  idx: Tensor; // int32, input shape with the class dim of size 1
  w: Tensor | null; // per-element weight, target shape; null when all ones
  wsum: number;
  keep: Tensor | null; // 1/0 not-ignored mask (target shape), null when nothing is ignored
  count: number; // number of non-ignored targets
}

/** Class dim 1 (or 0 for an unbatched [C] input); the expected target shape is the input's without it. */
function targetShape(input: Tensor): number[] {
  return input.ndim === 1 ? [] : input.shape.filter((_, i) => i !== 1);
}

function checkInput(op: string, input: Tensor, weight: Tensor | null | undefined): number {
  checkFloat(op, input);
  if (input.ndim === 0) throw new ShapeError(`${op}: expected input [C], [N, C] or [N, C, d1, ...], got a 0-d tensor`);
  const c = input.shape[input.ndim === 1 ? 0 : 1];
  checkParam(op, weight, 'weight', [c], input);
  return c;
}

function classTargets(op: string, input: Tensor, target: Tensor, weight: Tensor | null | undefined, ignoreIndex: number): Targets {
  if (target.dtype !== 'int32') {
    throw new TypeError(`${op}: expected target to hold class indices as int32 (use .int()), got ${target.dtype} ${fmtShape(target.shape)}`);
  }
  const ts = targetShape(input);
  if (target.ndim !== ts.length || target.shape.some((d, i) => d !== ts[i])) {
    const hint = target.ndim === input.ndim && target.shape.every((d, i) => d === input.shape[i]) ? '; for class probabilities use a float target' : '';
    throw new ShapeError(`${op}: expected target of shape ${fmtShape(ts)} for input ${fmtShape(input.shape)} (the input's shape without the class dim), got ${fmtShape(target.shape)}${hint}`);
  }
  const c = input.shape[input.ndim === 1 ? 0 : 1];
  const tv = valuesOf(target);
  const wv = weight && !weight.isMeta ? weight.dataSync() : null;
  const safe = new Int32Array(tv.length);
  const w = new Float64Array(tv.length);
  let wsum = 0;
  let count = 0;
  for (let i = 0; i < tv.length; i++) {
    const t = tv[i];
    if (t === ignoreIndex) continue;
    if (t < 0 || t >= c) {
      throw new RangeError(`${op}: target ${t} is out of bounds: expected class indices in [0, ${c - 1}] (input ${fmtShape(input.shape)} has ${c} classes)` +
        ` or ignoreIndex=${ignoreIndex}`);
    }
    safe[i] = t;
    w[i] = wv ? wv[t] : 1;
    wsum += w[i];
    count++;
  }
  const idxShape = input.ndim === 1 ? [1] : input.shape.map((d, i) => (i === 1 ? 1 : d));
  const keep = count === tv.length ? null : floatTensorLike(w.map((_, i) => (tv[i] === ignoreIndex ? 0 : 1)), ts, input);
  return { idx: intTensor(safe, idxShape, input.backend), w: wv || keep ? floatTensorLike(w, ts, input) : null, wsum, keep, count };
}

/** −w[t]·logp[t] per element, reduced as PyTorch (weighted mean divides by the sum of non-ignored weights). */
function nllCore(logp: Tensor, t: Targets, reduction: Reduction): Tensor {
  const cdim = logp.ndim === 1 ? 0 : 1;
  const picked = gatherAlong(logp, t.idx, cdim);
  let loss = neg(logp.ndim === 1 ? reshape(picked, []) : squeeze(picked, 1));
  if (t.w) loss = mul(loss, t.w);
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? sum(loss) : meanOver(sum(loss), t.wsum);
}

/** total / denom; with nothing to average over (all targets ignored) NaN with zero gradients, as PyTorch. */
function meanOver(total: Tensor, denom: number): Tensor {
  return denom === 0 ? add(mul(total, 0), NaN) : div(total, denom);
}

/** Negative log-likelihood of log-probabilities input [C] / [N, C] / [N, C, d1, ...] at int32 class targets. */
export function nllLoss(input: Tensor, target: Tensor, opts: NllLossOptions = {}): Tensor {
  const op = 'nllLoss';
  checkInput(op, input, opts.weight);
  const reduction = checkReduction(op, opts.reduction);
  return nllCore(input, classTargets(op, input, target, opts.weight, opts.ignoreIndex ?? -100), reduction);
}

/** logSoftmax over the class dim + nllLoss; or soft targets (probabilities shaped like input). */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  const op = 'crossEntropy';
  const c = checkInput(op, input, opts.weight);
  const reduction = checkReduction(op, opts.reduction);
  const eps = opts.labelSmoothing ?? 0;
  if (typeof eps !== 'number' || !(eps >= 0 && eps <= 1)) throw new Error(`${op}: labelSmoothing must be between 0.0 and 1.0, got ${eps}`);
  const ignoreIndex = opts.ignoreIndex ?? -100;
  if (!(target instanceof Tensor)) throw new TypeError(`${op}: expected target to be a Tensor, got ${typeof target}`);
  const cdim = input.ndim === 1 ? 0 : 1;
  if (target.dtype === 'int32' && eps === 0 && !opts.weight && reduction !== 'none' && input.ndim === 2) {
    classTargets(op, input, target, null, ignoreIndex); // validation (shape, range) with the composite path's errors
    const fused = crossEntropyFused(input, valuesOf(target), ignoreIndex, reduction);
    if (fused) return fused;
  }
  const logp = logSoftmax(input, cdim);
  if (target.dtype === 'float32' || target.dtype === 'float64') return probTarget(op, input, logp, target, opts.weight, reduction, eps, ignoreIndex);
  const t = classTargets(op, input, target, opts.weight, ignoreIndex);
  const nll = nllCore(logp, t, reduction);
  if (eps === 0) return nll;
  const wl = opts.weight ? mul(logp, reshape(opts.weight, input.ndim === 1 ? [c] : channelShape(c, input.ndim))) : logp;
  let smooth = neg(sum(wl, cdim));
  if (t.keep) smooth = mul(smooth, t.keep);
  let ret: Tensor;
  if (reduction === 'none') ret = smooth;
  else if (reduction === 'sum') ret = sum(smooth);
  else ret = meanOver(sum(smooth), opts.weight ? t.wsum : t.count);
  return addScaled(nll, 1 - eps, ret, eps / c);
}

const addScaled = (a: Tensor, ka: number, b: Tensor, kb: number): Tensor => add(mul(a, ka), mul(b, kb));

function probTarget(op: string, input: Tensor, logp: Tensor, target: Tensor, weight: Tensor | null | undefined, reduction: Reduction,
  eps: number, ignoreIndex: number): Tensor {
  if (target.ndim !== input.ndim || target.shape.some((d, i) => d !== input.shape[i])) {
    throw new ShapeError(`${op}: a floating point target holds class probabilities and must have the input's shape ${fmtShape(input.shape)}, ` +
      `got ${fmtShape(target.shape)} (for class indices use an int32 target: target.int())`);
  }
  if (target.dtype !== input.dtype) throw new TypeError(`${op}: expected probability target of dtype ${input.dtype}, got ${target.dtype}`);
  if (ignoreIndex >= 0) throw new Error(`${op}: ignoreIndex is not supported for floating point (probability) targets`);
  const c = input.shape[input.ndim === 1 ? 0 : 1];
  const cdim = input.ndim === 1 ? 0 : 1;
  const t = eps > 0 ? add(mul(target, 1 - eps), eps / c) : target;
  let prod = mul(logp, t);
  if (weight) prod = mul(prod, reshape(weight, input.ndim === 1 ? [c] : channelShape(c, input.ndim)));
  if (reduction === 'none') return neg(sum(prod, cdim));
  if (reduction === 'sum') return neg(sum(prod));
  return div(neg(sum(prod)), input.numel() / c);
}

/**
 * Regression and binary losses: mseLoss, l1Loss, smoothL1Loss, binaryCrossEntropy, binaryCrossEntropyWithLogits,
 * marginRankingLoss, sigmoidFocalLoss (torchvision's). The two BCE losses are recorded elementwise ops with
 * PyTorch's explicit gradients (finite at the boundaries); reductions are composed after them.
 */
import { Tensor } from '../../tensor';
import { record } from '../../autograd/node';
import { noGrad } from '../../autograd/mode';
import { abs, add, clamp, div, eq, exp, log, log1p, lt, maximum, mul, neg, pow, relu, sigmoid, sub, where } from '../basic';
import { expand } from '../views';
import { contig } from '../raw';
import { broadcastShapes, fmtShape, ShapeError } from '../../shape';
import { checkFloat, checkReduction, checkSameKind, primalOnly, reduce, Reduction, valuesOf } from './util';

export interface LossOptions {
  reduction?: Reduction;
}

function pairCheck(op: string, input: Tensor, target: Tensor, strict: boolean): void {
  checkFloat(op, input);
  checkFloat(op, target, 'target');
  checkSameKind(op, input, target, 'target');
  const same = input.ndim === target.ndim && input.shape.every((d, i) => d === target.shape[i]);
  if (same) return;
  if (strict) {
    throw new ShapeError(`${op}: expected target of the input's size ${fmtShape(input.shape)}, got ${fmtShape(target.shape)}`);
  }
  const b = broadcastShapes(input.shape, target.shape, op);
  // PyTorch broadcasts with a UserWarning: [N, 1] vs [N] silently becomes [N, N]
  console.warn(`${op}: using a target size ${fmtShape(target.shape)} that is different to the input size ${fmtShape(input.shape)}; ` +
    `they broadcast to ${fmtShape(b)}, which is likely not what you want`);
}

export function mseLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  pairCheck('mseLoss', input, target, false);
  const d = sub(input, target);
  return reduce(mul(d, d), checkReduction('mseLoss', opts.reduction));
}

export function l1Loss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  pairCheck('l1Loss', input, target, false);
  return reduce(abs(sub(input, target)), checkReduction('l1Loss', opts.reduction));
}

/** 0.5·d²/beta where |d| < beta, else |d| − 0.5·beta (beta = 0 is l1Loss). */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: LossOptions & { beta?: number } = {}): Tensor {
  const op = 'smoothL1Loss';
  pairCheck(op, input, target, false);
  const beta = opts.beta ?? 1;
  if (typeof beta !== 'number' || !(beta >= 0)) throw new Error(`${op}: beta must be a non-negative number, got ${beta}`);
  const reduction = checkReduction(op, opts.reduction);
  const d = sub(input, target);
  const a = abs(d);
  if (beta === 0) return reduce(a, reduction);
  return reduce(where(lt(a, beta), mul(mul(d, d), 0.5 / beta), sub(a, 0.5 * beta)), reduction);
}

export interface BceOptions extends LossOptions {
  weight?: Tensor | null;
}

/** Elementwise −(t·log x + (1−t)·log(1−x)) with logs clamped at −100; gradients exactly as PyTorch's. */
function bceElementwise(x: Tensor, t: Tensor): Tensor {
  const out = noGrad(() => neg(add(mul(t, clamp(log(x), -100)), mul(sub(1, t), clamp(log1p(neg(x)), -100)))));
  // d/dx = (x − t) / max((1 − x)·x, 1e-12); d/dt = log(1 − x) − log(x) (unclamped, as PyTorch)
  const dx = (): Tensor => div(sub(x, t), maximum(mul(sub(1, x), x), 1e-12));
  const dt = (): Tensor => sub(log1p(neg(x)), log(x));
  return record(out, 'binaryCrossEntropy', [x, t], (g) => [
    x.requiresGrad ? mul(g, dx()) : null,
    t.requiresGrad ? mul(g, dt()) : null,
  ], {
    jvp: ([tx, tt]) => primalOnly(() => {
      const a = tx ? mul(tx, dx()) : null;
      const b = tt ? mul(tt, dt()) : null;
      return a && b ? add(a, b) : a ?? b;
    }),
  });
}

/** Binary cross-entropy between probabilities input ∈ [0, 1] and target (same shape). */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BceOptions = {}): Tensor {
  const op = 'binaryCrossEntropy';
  pairCheck(op, input, target, true);
  const reduction = checkReduction(op, opts.reduction);
  const xs = valuesOf(input);
  for (let i = 0; i < xs.length; i++) {
    if (!(xs[i] >= 0 && xs[i] <= 1)) {
      throw new RangeError(`${op}: all elements of input should be between 0 and 1 (got ${xs[i]} at flat index ${i}; apply sigmoid first, or use binaryCrossEntropyWithLogits)`);
    }
  }
  let loss = bceElementwise(input, target);
  if (opts.weight) loss = mul(loss, weightFor(op, opts.weight, input, 'weight'));
  return reduce(loss, reduction);
}

function weightFor(op: string, w: Tensor, input: Tensor, what: string): Tensor {
  checkFloat(op, w, what);
  checkSameKind(op, input, w, what);
  broadcastShapes(input.shape, w.shape, `${op} (${what} ${fmtShape(w.shape)} vs input ${fmtShape(input.shape)})`);
  return w;
}

/**
 * Stable elementwise BCE on logits: (1 − t)·x + lw·softplus(−x), lw = 1 + (pw − 1)·t;
 * d/dx = lw·σ(x) − pw·t, d/dt = (pw − 1)·softplus(−x) − x.
 */
function bceLogitsElementwise(x: Tensor, t: Tensor, pw: Tensor | null): Tensor {
  const sp = (): Tensor => add(log1p(exp(neg(abs(x)))), relu(neg(x)));
  const lw = (): Tensor => (pw ? add(mul(sub(pw, 1), t), 1) : null) as Tensor;
  const out = noGrad(() => add(mul(sub(1, t), x), pw ? mul(lw(), sp()) : sp()));
  const dx = (): Tensor => (pw ? sub(mul(lw(), sigmoid(x)), mul(pw, t)) : sub(sigmoid(x), t));
  const dt = (): Tensor => (pw ? sub(mul(sub(pw, 1), sp()), x) : neg(x));
  const dpw = (): Tensor => mul(t, sp());
  return record(out, 'binaryCrossEntropyWithLogits', [x, t, pw], (g) => [
    x.requiresGrad ? mul(g, dx()) : null,
    t.requiresGrad ? mul(g, dt()) : null,
    pw && pw.requiresGrad ? mul(g, dpw()) : null,
  ], {
    jvp: ([tx, tt, tp]) => primalOnly(() => {
      let r: Tensor | null = null;
      for (const [tan, d] of [[tx, dx], [tt, dt], [tp, dpw]] as const) if (tan) r = r ? add(r, mul(tan, d())) : mul(tan, d());
      return r && r.shape.some((s, i) => s !== out.shape[i]) ? contig(expand(r, out.shape)) : r;
    }),
  });
}

export interface BceLogitsOptions extends BceOptions {
  posWeight?: Tensor | null;
}

/** sigmoid + binaryCrossEntropy in one numerically stable op; posWeight weights the positive term per class. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BceLogitsOptions = {}): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  pairCheck(op, input, target, true);
  const reduction = checkReduction(op, opts.reduction);
  const pw = opts.posWeight ? weightFor(op, opts.posWeight, input, 'posWeight') : null;
  let loss = bceLogitsElementwise(input, target, pw);
  if (opts.weight) loss = mul(loss, weightFor(op, opts.weight, input, 'weight'));
  return reduce(loss, reduction);
}

/** max(0, −y·(x1 − x2) + margin) with y ∈ {1, −1}. */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, opts: LossOptions & { margin?: number } = {}): Tensor {
  const op = 'marginRankingLoss';
  checkFloat(op, input1, 'input1');
  checkFloat(op, input2, 'input2');
  checkFloat(op, target, 'target');
  checkSameKind(op, input1, input2, 'input2');
  checkSameKind(op, input1, target, 'target');
  const reduction = checkReduction(op, opts.reduction);
  const r = add(mul(neg(target), sub(input1, input2)), opts.margin ?? 0);
  return reduce(clamp(r, 0), reduction);
}

export interface FocalOptions {
  alpha?: number;
  gamma?: number;
  reduction?: Reduction;
}

/** torchvision.ops.sigmoid_focal_loss: bceWithLogits·(1 − p_t)^γ, weighted by α_t when α ≥ 0. Default reduction 'none'. */
export function sigmoidFocalLoss(inputs: Tensor, targets: Tensor, opts: FocalOptions = {}): Tensor {
  const op = 'sigmoidFocalLoss';
  pairCheck(op, inputs, targets, true);
  const { alpha = 0.25, gamma = 2 } = opts;
  const reduction = checkReduction(op, opts.reduction ?? 'none');
  const p = sigmoid(inputs);
  const ce = bceLogitsElementwise(inputs, targets, null);
  const pt = add(mul(p, targets), mul(sub(1, p), sub(1, targets)));
  let loss = mul(ce, pow(sub(1, pt), gamma));
  if (alpha >= 0) loss = mul(add(mul(targets, alpha), mul(sub(1, targets), 1 - alpha)), loss);
  return reduce(loss, reduction);
}

/** Huber loss: 0.5·d² where |d| < delta, else delta·(|d| − 0.5·delta) (= delta · smoothL1 with beta = delta). */
export function huberLoss(input: Tensor, target: Tensor, opts: LossOptions & { delta?: number } = {}): Tensor {
  const op = 'huberLoss';
  pairCheck(op, input, target, false);
  const delta = opts.delta ?? 1;
  if (typeof delta !== 'number' || !(delta > 0)) throw new Error(`${op}: delta must be a positive number, got ${delta}`);
  const reduction = checkReduction(op, opts.reduction);
  const d = sub(input, target);
  const a = abs(d);
  return reduce(where(lt(a, delta), mul(mul(d, d), 0.5), mul(sub(a, 0.5 * delta), delta)), reduction);
}

export type KlReduction = Reduction | 'batchmean';

/**
 * KL divergence with input = log-probabilities: target·(log target − input) (0 where target = 0), or with
 * logTarget: e^target·(target − input). 'batchmean' divides the sum by the batch size (PyTorch's recommended mode).
 */
export function klDiv(input: Tensor, target: Tensor, opts: { reduction?: KlReduction; logTarget?: boolean } = {}): Tensor {
  const op = 'klDiv';
  pairCheck(op, input, target, false);
  const r = opts.reduction ?? 'mean';
  if (r !== 'batchmean') checkReduction(op, r);
  let loss: Tensor;
  if (opts.logTarget) loss = mul(exp(target), sub(target, input));
  else {
    // xlogy(t, t) − t·input with 0·log 0 = 0 (log's argument made safe at 0 so no NaN leaks into gradients)
    const zero = eq(target, 0);
    loss = sub(where(zero, 0, mul(target, log(where(zero, 1, target)))), mul(target, input));
  }
  if (r === 'batchmean') return input.ndim === 0 ? reduce(loss, 'sum') : div(reduce(loss, 'sum'), input.shape[0]);
  return reduce(loss, r);
}

/**
 * ONNX lowering of the layers exported as one unit (trace.ts LEAF_CLASSES): each reads the layer's own
 * configuration (kernel, stride, eps, …) and its parameters/buffers by state-dict name, and emits standard ONNX
 * operators (opset ≥ 17). Decompositions are exact formulas (GELU via Erf, Softplus with beta/threshold, GroupNorm
 * via InstanceNormalization on [N, G, -1]).
 */
import type { Tensor } from '../../tensor';
import type { Module } from '../../nn/module';
import { BatchNorm1d, BatchNorm2d, GroupNorm, InstanceNorm2d, LayerNorm } from '../../nn/normalization';
import { Conv1d, Conv2d } from '../../nn/conv';
import { Embedding, Flatten, Identity, Linear } from '../../nn/linear';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool1d, MaxPool2d } from '../../nn/pooling';
import { ELU, GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh } from '../../nn/activation';
import { Dropout, Dropout2d } from '../../nn/dropout';
import { ReLU6 } from '../../models/common';
import type { ModuleStep } from '../trace';
import type { OnnxGraph } from './graph';

export interface LowerCtx {
  g: OnnxGraph;
  /** ONNX value names of the step's inputs. */
  inputs: string[];
  /** The traced input / output values (shapes). */
  inTensors: Tensor[];
  out: Tensor;
  /** "layer 'features.0' (Conv2d)", for errors. */
  where: string;
  /** Base name of the step's nodes ('features.0'). */
  hint: string;
}

type Lower = (m: never, c: LowerCtx, s: ModuleStep) => string;

const pad2 = (p: [number, number]): number[] => [p[0], p[1], p[0], p[1]];

/** Explicit pads for padding='same' (PyTorch puts the odd extra on the end). */
function samePads(kernel: number[], dilation: number[]): number[] {
  const total = kernel.map((k, i) => dilation[i] * (k - 1));
  const begin = total.map((t) => Math.floor(t / 2));
  return [...begin, ...total.map((t, i) => t - begin[i])];
}

/** ceil_mode for a pool: read from the traced output size (the layer's ceilMode is the option, the shape is the fact). */
function ceilFrom(inSize: number[], outSize: number[], k: number[], s: number[], p: number[], d: number[]): number {
  const floorOut = inSize.map((n, i) => Math.floor((n + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i]) + 1);
  return floorOut.some((v, i) => v !== outSize[i]) ? 1 : 0;
}

function param(c: LowerCtx, m: Module, field: string, t: Tensor | null, path: string, fill?: number, size?: number[]): string {
  if (t) return c.g.tensor(path ? `${path}.${field}` : field, t);
  if (fill === undefined) throw new Error(`onnx.export: ${c.where} has no ${field}`);
  const n = (size ?? [1]).reduce((a, b) => a * b, 1);
  return c.g.constant(new Array(n).fill(fill), c.out.dtype === 'float64' ? 'float64' : 'float32', size ?? [1], `${c.hint}.${field}`);
}

export function gelu(c: LowerCtx, x: string, approximate: string): string {
  const g = c.g;
  const dt = c.out.dtype;
  const half = g.node('Mul', [x, g.scalar(0.5, dt)], {}, c.hint);
  if (approximate === 'tanh') {
    const x3 = g.node('Mul', [g.node('Mul', [x, x], {}, c.hint), x], {}, c.hint);
    const inner = g.node('Mul', [g.node('Add', [x, g.node('Mul', [x3, g.scalar(0.044715, dt)], {}, c.hint)], {}, c.hint), g.scalar(Math.sqrt(2 / Math.PI), dt)], {}, c.hint);
    return g.node('Mul', [half, g.node('Add', [g.node('Tanh', [inner], {}, c.hint), g.scalar(1, dt)], {}, c.hint)], {}, c.hint);
  }
  const erf = g.node('Erf', [g.node('Div', [x, g.scalar(Math.SQRT2, dt)], {}, c.hint)], {}, c.hint);
  return g.node('Mul', [half, g.node('Add', [erf, g.scalar(1, dt)], {}, c.hint)], {}, c.hint);
}

/** softplus(x) = log(1 + exp(βx)) / β, and x itself where βx > threshold (PyTorch's numerically safe form). */
export function softplus(c: LowerCtx, x: string, beta: number, threshold: number): string {
  const g = c.g;
  const dt = c.out.dtype;
  const bx = beta === 1 ? x : g.node('Mul', [x, g.scalar(beta, dt)], {}, c.hint);
  let sp = g.node('Softplus', [bx], {}, c.hint);
  if (beta !== 1) sp = g.node('Div', [sp, g.scalar(beta, dt)], {}, c.hint);
  return g.node('Where', [g.node('Greater', [bx, g.scalar(threshold, dt)], {}, c.hint), x, sp], {}, c.hint);
}

function batchNorm(m: BatchNorm2d, c: LowerCtx, s: ModuleStep): string {
  if (!m.runningMean || !m.runningVar) {
    throw new Error(`onnx.export: ${c.where} has trackRunningStats=false: it normalises with batch statistics even in eval mode, which ONNX's BatchNormalization cannot express`);
  }
  const C = [m.numFeatures];
  return c.g.node('BatchNormalization', [c.inputs[0], param(c, m, 'weight', m.weight, s.path, 1, C), param(c, m, 'bias', m.bias, s.path, 0, C),
    c.g.tensor(`${s.path}.running_mean`, m.runningMean), c.g.tensor(`${s.path}.running_var`, m.runningVar)], { epsilon: { float: m.eps } }, c.hint);
}

function convLike(m: Conv2d | Conv1d, c: LowerCtx, s: ModuleStep): string {
  if (m.args.paddingMode !== 'zeros') throw new Error(`onnx.export: ${c.where} has paddingMode '${m.args.paddingMode}'; only 'zeros' padding exports to ONNX's Conv`);
  const w = m.weight;
  const k = w.shape.slice(2);
  const nd = k.length;
  const o = m instanceof Conv2d
    ? { stride: m.stride, padding: m.padding, dilation: m.dilation, groups: m.groups }
    : { stride: [m.args.stride ?? 1], padding: typeof m.args.padding === 'string' ? m.args.padding : [m.args.padding ?? 0], dilation: [m.args.dilation ?? 1], groups: m.args.groups ?? 1 };
  const pads = o.padding === 'same' ? samePads(k, o.dilation) : o.padding === 'valid' ? new Array(2 * nd).fill(0) : [...o.padding, ...o.padding];
  const ins = [c.inputs[0], param(c, m, 'weight', w, s.path)];
  if (m.bias) ins.push(param(c, m, 'bias', m.bias, s.path));
  if (c.inTensors[0].ndim !== nd + 2) throw new Error(`onnx.export: ${c.where}: only batched ${nd + 2}-D inputs can be exported, got ${c.inTensors[0].ndim}-D`);
  return c.g.node('Conv', ins, { kernel_shape: k, strides: [...o.stride], pads, dilations: [...o.dilation], group: o.groups }, c.hint);
}

function pool(op: 'MaxPool' | 'AveragePool', c: LowerCtx, kernel: number[], stride: number[], padding: number[], dilation: number[], extra: Record<string, number> = {}): string {
  const x = c.inTensors[0];
  const nd = kernel.length;
  if (x.ndim !== nd + 2) throw new Error(`onnx.export: ${c.where}: only batched ${nd + 2}-D inputs can be exported, got ${x.ndim}-D`);
  const ceil = ceilFrom(x.shape.slice(2), c.out.shape.slice(2), kernel, stride, padding, dilation);
  const attrs: Record<string, number | number[]> = { kernel_shape: kernel, strides: stride, pads: [...padding, ...padding], ceil_mode: ceil, ...extra };
  if (op === 'MaxPool') attrs.dilations = dilation;
  return c.g.node(op, [c.inputs[0]], attrs, c.hint);
}

const p2 = (v: number | [number, number] | number[] | null | undefined, dflt: number): number[] => v === undefined || v === null ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [...v];

export function adaptiveAvg(c: LowerCtx, outHW: number[]): string {
  const x = c.inTensors[0];
  const [H, W] = x.shape.slice(-2);
  if (outHW[0] === 1 && outHW[1] === 1) return c.g.node('GlobalAveragePool', [c.inputs[0]], {}, c.hint);
  // a 1×1 map pooled "up" repeats its value (every window is that one pixel), e.g. VGG on 32×32 inputs
  if (H === 1 && W === 1) return c.g.node('Expand', [c.inputs[0], c.g.ints([1, 1, outHW[0], outHW[1]])], {}, c.hint);
  if (H % outHW[0] || W % outHW[1]) {
    throw new Error(`onnx.export: ${c.where}: adaptive average pooling from ${H}×${W} to ${outHW[0]}×${outHW[1]} has uneven windows, which ONNX's AveragePool cannot express (export with an input size divisible by the output size)`);
  }
  const k = [H / outHW[0], W / outHW[1]];
  return c.g.node('AveragePool', [c.inputs[0]], { kernel_shape: k, strides: k }, c.hint);
}

function flattenLike(c: LowerCtx, start: number, end: number): string {
  const x = c.inTensors[0];
  const s = start < 0 ? start + x.ndim : start;
  const e = end < 0 ? end + x.ndim : end;
  if (s >= e) return c.g.node('Identity', [c.inputs[0]], {}, c.hint);
  if (s === 1 && e === x.ndim - 1) return c.g.node('Flatten', [c.inputs[0]], { axis: 1 }, c.hint);
  return reshapeKeep(c, s, e);
}

/** Reshape keeping dims before `s` (0 = copy, so the batch stays dynamic), merging s..e, trailing dims as traced. */
function reshapeKeep(c: LowerCtx, s: number, e: number): string {
  const x = c.inTensors[0];
  const shape = [...new Array(s).fill(0), -1, ...x.shape.slice(e + 1)];
  return c.g.node('Reshape', [c.inputs[0], c.g.ints(shape)], {}, c.hint);
}

function groupNorm(m: GroupNorm, c: LowerCtx, s: ModuleStep): string {
  const g = c.g;
  const x = c.inTensors[0];
  const G = m.numGroups;
  const grouped = g.node('Reshape', [c.inputs[0], g.ints([0, G, -1])], {}, c.hint);
  const normed = g.node('InstanceNormalization', [grouped, param(c, m, 'scaleG', null, s.path, 1, [G]), param(c, m, 'shiftG', null, s.path, 0, [G])],
    { epsilon: { float: m.args.eps ?? 1e-5 } }, c.hint);
  let y = g.node('Reshape', [normed, g.node('Shape', [c.inputs[0]], {}, c.hint)], {}, c.hint);
  const bshape = [m.numChannels, ...new Array(x.ndim - 2).fill(1)];
  if (m.weight) y = g.node('Mul', [y, g.node('Reshape', [param(c, m, 'weight', m.weight, s.path), g.ints(bshape)], {}, c.hint)], {}, c.hint);
  if (m.bias) y = g.node('Add', [y, g.node('Reshape', [param(c, m, 'bias', m.bias, s.path), g.ints(bshape)], {}, c.hint)], {}, c.hint);
  return y;
}

function instanceNorm(m: InstanceNorm2d, c: LowerCtx, s: ModuleStep): string {
  if (c.inTensors[0].ndim !== 4) throw new Error(`onnx.export: ${c.where}: only batched 4-D inputs can be exported, got ${c.inTensors[0].ndim}-D`);
  const C = [m.numFeatures];
  const eps = m.args.eps ?? 1e-5;
  const scale = param(c, m, 'weight', m.weight, s.path, 1, C);
  const bias = param(c, m, 'bias', m.bias, s.path, 0, C);
  if (m.runningMean && m.runningVar) { // eval with tracked stats: running statistics, as BatchNormalization
    return c.g.node('BatchNormalization', [c.inputs[0], scale, bias, c.g.tensor(`${s.path}.running_mean`, m.runningMean),
      c.g.tensor(`${s.path}.running_var`, m.runningVar)], { epsilon: { float: eps } }, c.hint);
  }
  return c.g.node('InstanceNormalization', [c.inputs[0], scale, bias], { epsilon: { float: eps } }, c.hint);
}

const LOWER = new Map<unknown, Lower>([
  [Linear, (m: Linear, c, s) => {
    const x = c.inTensors[0];
    const w = param(c, m, 'weight', m.weight, s.path);
    if (x.ndim === 2) return c.g.node('Gemm', m.bias ? [c.inputs[0], w, param(c, m, 'bias', m.bias, s.path)] : [c.inputs[0], w], { transB: 1 }, c.hint);
    const y = c.g.node('MatMul', [c.inputs[0], c.g.node('Transpose', [w], { perm: [1, 0] }, c.hint)], {}, c.hint);
    return m.bias ? c.g.node('Add', [y, param(c, m, 'bias', m.bias, s.path)], {}, c.hint) : y;
  }],
  [Conv2d, convLike],
  [Conv1d, convLike],
  [MaxPool2d, (m: MaxPool2d, c) => {
    const k = p2(m.kernelSize, 1);
    const stride = m.args.stride === undefined || m.args.stride === null ? k : p2(m.args.stride, 1);
    return pool('MaxPool', c, k, stride, p2(m.args.padding, 0), p2(m.args.dilation, 1));
  }],
  [MaxPool1d, (m: MaxPool1d, c) => pool('MaxPool', c, [m.kernelSize], [m.args.stride ?? m.kernelSize], [m.args.padding ?? 0], [m.args.dilation ?? 1])],
  [AvgPool2d, (m: AvgPool2d, c) => {
    const k = p2(m.kernelSize, 1);
    const stride = m.args.stride === undefined || m.args.stride === null ? k : p2(m.args.stride, 1);
    const div = m.args.divisorOverride;
    const y = pool('AveragePool', c, k, stride, p2(m.args.padding, 0), [1, 1], { count_include_pad: div || (m.args.countIncludePad ?? true) ? 1 : 0 });
    // divisorOverride: the window sum (mean over all k² positions, padding counted) times k² / divisor
    return div ? c.g.node('Mul', [y, c.g.scalar((k[0] * k[1]) / div, c.out.dtype)], {}, c.hint) : y;
  }],
  [AdaptiveAvgPool2d, (_m: AdaptiveAvgPool2d, c) => adaptiveAvg(c, c.out.shape.slice(-2))],
  [Flatten, (m: Flatten, c) => flattenLike(c, m.startDim, m.endDim)],
  [ReLU, (_m, c) => c.g.node('Relu', [c.inputs[0]], {}, c.hint)],
  [Sigmoid, (_m, c) => c.g.node('Sigmoid', [c.inputs[0]], {}, c.hint)],
  [Tanh, (_m, c) => c.g.node('Tanh', [c.inputs[0]], {}, c.hint)],
  [Identity, (_m, c) => c.g.node('Identity', [c.inputs[0]], {}, c.hint)],
  [Dropout, (_m, c) => c.g.node('Identity', [c.inputs[0]], {}, c.hint)],
  [Dropout2d, (_m, c) => c.g.node('Identity', [c.inputs[0]], {}, c.hint)],
  [LeakyReLU, (m: LeakyReLU, c) => c.g.node('LeakyRelu', [c.inputs[0]], { alpha: { float: m.negativeSlope } }, c.hint)],
  [ELU, (m: ELU, c) => c.g.node('Elu', [c.inputs[0]], { alpha: { float: m.alpha } }, c.hint)],
  [GELU, (m: GELU, c) => gelu(c, c.inputs[0], m.approximate)],
  [Softplus, (m: Softplus, c) => softplus(c, c.inputs[0], m.args.beta ?? 1, m.args.threshold ?? 20)],
  [Softmax, (m: Softmax, c) => c.g.node('Softmax', [c.inputs[0]], { axis: m.dim }, c.hint)],
  [LogSoftmax, (m: LogSoftmax, c) => c.g.node('LogSoftmax', [c.inputs[0]], { axis: m.dim }, c.hint)],
  [ReLU6, (_m, c) => c.g.node('Clip', [c.inputs[0], c.g.scalar(0, c.out.dtype), c.g.scalar(6, c.out.dtype)], {}, c.hint)],
  [Embedding, (m: Embedding, c, s) => c.g.node('Gather', [param(c, m, 'weight', m.weight, s.path), c.inputs[0]], { axis: 0 }, c.hint)],
  [BatchNorm1d, batchNorm],
  [BatchNorm2d, batchNorm],
  [LayerNorm, (m: LayerNorm, c, s) => c.g.node('LayerNormalization', [c.inputs[0], param(c, m, 'weight', m.weight, s.path, 1, m.normalizedShape),
    param(c, m, 'bias', m.bias, s.path, 0, m.normalizedShape)], { axis: -m.normalizedShape.length, epsilon: { float: m.args.eps ?? 1e-5 } }, c.hint)],
  [GroupNorm, groupNorm],
  [InstanceNorm2d, instanceNorm],
]);

export function lowerModule(s: ModuleStep, c: LowerCtx): string {
  const f = LOWER.get(s.module.constructor);
  if (!f) throw new Error(`onnx.export: ${c.where} has no ONNX lowering`);
  return f(s.module as never, c, s);
}

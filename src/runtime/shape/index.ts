/**
 * Pure shape arithmetic: the ONE source of output shapes, padding, parameter counts and MACs used by the ops,
 * summary(), the layer tree and the backprop stepper. No tensors, no kernels, no I/O.
 */

import { checkKeys } from './keys';

export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

export const fmtShape = (s: readonly number[]): string => `[${s.join(', ')}]`;

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= shape[i];
  }
  return st;
}

/** Normalise a possibly negative dim; throws PyTorch-style on out of range. */
export function normDim(dim: number, ndim: number, op: string): number {
  const lo = -Math.max(ndim, 1);
  const hi = Math.max(ndim, 1) - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new ShapeError(`${op}: dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dim})`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

export function checkShape(shape: readonly number[], op: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: invalid shape ${fmtShape(shape)}: sizes must be non-negative integers`);
    }
  }
  if (numel(shape) > 2 ** 31 - 1) {
    throw new ShapeError(`${op}: shape ${fmtShape(shape)} has ${numel(shape)} elements, more than 2^31 - 1`);
  }
}

/** NumPy/PyTorch broadcasting of two shapes. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op = 'broadcast'): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: the size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i} ` +
          `(shapes ${fmtShape(a)} and ${fmtShape(b)})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Output length of a convolution along one axis: ⌊(in + 2p − d·(k − 1) − 1)/s⌋ + 1. */
export function convOutSize(inp: number, k: number, s: number, p: number, d = 1): number {
  return Math.floor((inp + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** PyTorch's pooling output length, including ceil mode's rule that the last window must start inside the input. */
export function poolOutSize(inp: number, k: number, s: number, p: number, d: number, ceilMode: boolean): number {
  const span = inp + 2 * p - d * (k - 1) - 1;
  let out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceilMode && (out - 1) * s >= inp + p) out--;
  return out;
}

/**
 * 'same' padding for stride 1 (PyTorch): total = d·(k − 1); before = ⌊total/2⌋, after = total − before.
 */
export function samePadding(k: number, d = 1): { before: number; after: number } {
  const total = d * (k - 1);
  const before = Math.floor(total / 2);
  return { before, after: total - before };
}

export interface Conv2dGeometry {
  oh: number;
  ow: number;
  /** padding before (top/left) and after (bottom/right) actually applied */
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
}

export type Pair = number | [number, number];
export const pair = (v: Pair): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [v, v]);

export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
}

const CONV_KEYS = ['stride', 'padding', 'dilation', 'groups'] as const;
// the pooling ops pass their whole options object: the keys that do not change the geometry are accepted too
const POOL_KEYS = ['stride', 'padding', 'dilation', 'ceilMode', 'kernelSize', 'returnIndices', 'countIncludePad', 'divisorOverride'] as const;

/** Validates and computes conv2d geometry for input [N, C, H, W] and weight [O, C/groups, KH, KW]. */
export function conv2dGeometry(
  input: readonly number[],
  weight: readonly number[],
  opts: Conv2dOptions = {},
  op = 'conv2d',
): Conv2dGeometry {
  if (input.length !== 4) throw new ShapeError(`${op}: expected a 4-D input [N, C, H, W], got ${fmtShape(input)}`);
  if (weight.length !== 4) {
    throw new ShapeError(`${op}: expected a 4-D weight [out, in/groups, kH, kW], got ${fmtShape(weight)}`);
  }
  opts = checkKeys(op, opts, CONV_KEYS);
  const [, c, h, w] = input;
  const [o, cg, kh, kw] = weight;
  const groups = opts.groups ?? 1;
  const [sh, sw] = pair(opts.stride ?? 1);
  const [dh, dw] = pair(opts.dilation ?? 1);
  for (const [name, v] of [['stride', sh], ['stride', sw], ['dilation', dh], ['dilation', dw], ['groups', groups]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ShapeError(`${op}: ${name} must be a positive integer, got ${v}`);
  }
  if (c % groups !== 0) throw new ShapeError(`${op}: input channels (${c}) must be divisible by groups (${groups})`);
  if (o % groups !== 0) throw new ShapeError(`${op}: output channels (${o}) must be divisible by groups (${groups})`);
  if (cg * groups !== c) {
    throw new ShapeError(
      `${op}: expected input ${fmtShape(input)} to have ${cg * groups} channels (weight ${fmtShape(weight)}, ` +
        `groups=${groups}), but got ${c} channels instead`,
    );
  }
  let pt: number, pl: number, pb: number, pr: number;
  const pad = opts.padding ?? 0;
  if (pad === 'same') {
    if (sh !== 1 || sw !== 1) throw new ShapeError(`${op}: padding='same' is not supported for strided convolutions`);
    const ph = samePadding(kh, dh);
    const pw = samePadding(kw, dw);
    [pt, pb, pl, pr] = [ph.before, ph.after, pw.before, pw.after];
  } else if (pad === 'valid') {
    [pt, pb, pl, pr] = [0, 0, 0, 0];
  } else {
    const [ph, pw] = pair(pad);
    if (!Number.isInteger(ph) || !Number.isInteger(pw) || ph < 0 || pw < 0) {
      throw new ShapeError(`${op}: padding must be non-negative integers, got ${JSON.stringify(pad)}`);
    }
    [pt, pb, pl, pr] = [ph, ph, pw, pw];
  }
  const oh = Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((w + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  if (oh < 1 || ow < 1) {
    throw new ShapeError(
      `${op}: input ${fmtShape(input)} is too small for kernel ${kh}×${kw} (dilation ${dh}×${dw}, padding ` +
        `${pt}+${pb}×${pl}+${pr}): computed output size ${oh}×${ow}`,
    );
  }
  return { oh, ow, padTop: pt, padLeft: pl, padBottom: pb, padRight: pr };
}

export interface Pool2dGeometry {
  kh: number; kw: number;
  sh: number; sw: number;
  ph: number; pw: number;
  dh: number; dw: number;
  oh: number; ow: number;
}

export interface Pool2dOptions {
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

/**
 * Validates and computes max/avg pool2d geometry for input [N, C, H, W] (PyTorch's pool2d_shape_check):
 * stride defaults to the kernel size; padding must be at most half the kernel; the output must be non-empty.
 */
export function pool2dGeometry(input: readonly number[], kernelSize: Pair, opts: Pool2dOptions = {}, op = 'maxPool2d'): Pool2dGeometry {
  if (input.length !== 4) throw new ShapeError(`${op}: expected a 4-D input [N, C, H, W], got ${fmtShape(input)}`);
  opts = checkKeys(op, opts, POOL_KEYS);
  const [kh, kw] = pair(kernelSize);
  const stride = opts.stride === undefined || opts.stride === null || (Array.isArray(opts.stride) && (opts.stride as readonly number[]).length === 0) ? kernelSize : opts.stride;
  const [sh, sw] = pair(stride);
  const [ph, pw] = pair(opts.padding ?? 0);
  const [dh, dw] = pair(opts.dilation ?? 1);
  const checks: Array<[string, number, number]> = [['kernelSize', kh, 1], ['kernelSize', kw, 1], ['stride', sh, 1], ['stride', sw, 1],
    ['dilation', dh, 1], ['dilation', dw, 1], ['padding', ph, 0], ['padding', pw, 0]];
  for (const [name, v, lo] of checks) {
    if (!Number.isInteger(v) || v < lo) {
      throw new ShapeError(`${op}: ${name} must be ${lo === 1 ? 'a positive' : 'a non-negative'} integer, got ${JSON.stringify(v)}`);
    }
  }
  if (ph > Math.floor(kh / 2) || pw > Math.floor(kw / 2)) {
    throw new ShapeError(`${op}: pad should be smaller than or equal to half of kernel size, but got padding [${ph}, ${pw}] for kernel ${kh}×${kw}`);
  }
  const [, c, h, w] = input;
  const oh = poolOutSize(h, kh, sh, ph, dh, opts.ceilMode ?? false);
  const ow = poolOutSize(w, kw, sw, pw, dw, opts.ceilMode ?? false);
  if (oh < 1 || ow < 1) {
    throw new ShapeError(`${op}: input ${fmtShape(input)} is too small for kernel ${kh}×${kw} (stride ${sh}×${sw}, padding ${ph}×${pw}, ` +
      `dilation ${dh}×${dw}): calculated output size ${c}×${oh}×${ow}`);
  }
  return { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

/** adaptiveAvgPool2d output size: a number, or [h, w] where null keeps the input's size. */
export function adaptivePoolOutSize(input: readonly number[], outputSize: number | readonly (number | null)[], op = 'adaptiveAvgPool2d'): [number, number] {
  const [h, w] = input.slice(-2);
  const arr = typeof outputSize === 'number' ? [outputSize, outputSize] : [...outputSize];
  if (arr.length !== 2) throw new ShapeError(`${op}: outputSize must be a number or [h, w], got ${JSON.stringify(outputSize)}`);
  const out = [arr[0] ?? h, arr[1] ?? w];
  for (const v of out) {
    if (!Number.isInteger(v) || v < 0) throw new ShapeError(`${op}: outputSize must hold non-negative integers (or null), got ${JSON.stringify(outputSize)}`);
  }
  return [out[0], out[1]];
}

export * from './formulas';

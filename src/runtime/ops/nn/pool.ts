/**
 * maxPool1d/2d, avgPool1d/2d, adaptiveAvgPool1d/2d over the backend pooling kernels. Each backward is itself a
 * recorded op whose backward is the forward's linear part, so double backward works.
 */
import type { Pool2dArgs } from '../../backend/types';
import { Tensor } from '../../tensor';
import { record } from '../../autograd/node';
import { freeAfterBackward } from '../../autograd/recycle';
import { alloc, contig, fillRaw } from '../raw';
import { reshape, squeeze, unsqueeze } from '../views';
import { gatherAlong } from '../reduce';
import { adaptivePoolOutSize, fmtShape, Pair, pool2dGeometry, ShapeError } from '../../shape';
import { checkFloat } from './util';

export interface MaxPool2dOptions {
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
  returnIndices?: boolean;
}
export interface AvgPool2dOptions {
  stride?: Pair | null;
  padding?: Pair;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}
type Single = number | [number];
export interface MaxPool1dOptions { stride?: Single | null; padding?: Single; dilation?: Single; ceilMode?: boolean; returnIndices?: boolean }
export interface AvgPool1dOptions { stride?: Single | null; padding?: Single; ceilMode?: boolean; countIncludePad?: boolean }

/** Checks a 3-D/4-D float input; returns the 4-D view and whether it was unbatched. */
function batched(op: string, input: Tensor, dims = 2): [Tensor, boolean] {
  checkFloat(op, input);
  if (input.ndim !== dims + 1 && input.ndim !== dims + 2) {
    const names = dims === 2 ? ['[C, H, W]', '[N, C, H, W]'] : ['[C, L]', '[N, C, L]'];
    throw new ShapeError(`${op}: expected a ${dims + 1}-D (unbatched ${names[0]}) or ${dims + 2}-D (batched ${names[1]}) input, got ${fmtShape(input.shape)}`);
  }
  const unb = input.ndim === dims + 1;
  const x = unb ? unsqueeze(input, 0) : input;
  if (x.shape.slice(1).some((d) => d === 0)) throw new ShapeError(`${op}: expected non-empty channel and spatial dims, got input ${fmtShape(input.shape)}`);
  return [x, unb];
}

function poolArgs(x: Tensor, g: ReturnType<typeof pool2dGeometry>, countIncludePad = false, divisorOverride = 0): Pool2dArgs {
  const [n, c, h, w] = x.shape;
  return { n, c, h, w, ...g, countIncludePad, divisorOverride };
}

/** out[n, c, j] = x[n, c, idx[n, c, j]] over flattened planes (differentiable gather). */
function gatherPlanes(x: Tensor, idx: Tensor, a: Pool2dArgs): Tensor {
  const flat = gatherAlong(reshape(x, [a.n * a.c, a.h * a.w]), reshape(idx, [a.n * a.c, a.oh * a.ow]), 1);
  return reshape(flat, [a.n, a.c, a.oh, a.ow]);
}

function maxPoolScatter(g: Tensor, idx: Tensor, a: Pool2dArgs): Tensor {
  const dx = alloc([a.n, a.c, a.h, a.w], g.dtype, g.backend);
  if (g.numel() > 0) g.backend.maxPool2dBackward(contig(g).ref(), idx.ref(), dx.ref(), a);
  else fillRaw(dx, 0);
  return record(dx, 'maxPool2dBackward', [g], (gg) => [gatherPlanes(gg, idx, a)], { jvp: ([t]) => (t ? maxPoolScatter(t, idx, a) : null) });
}

/** `keepIdx` false: the indices are private to the node (freed once its backward ran: autograd/recycle.ts). */
function maxPoolCore(x: Tensor, a: Pool2dArgs, keepIdx: boolean): [Tensor, Tensor] {
  const y = alloc([a.n, a.c, a.oh, a.ow], x.dtype, x.backend);
  const idx = alloc([a.n, a.c, a.oh, a.ow], 'int32', x.backend);
  if (y.numel() > 0) x.backend.maxPool2d(contig(x).ref(), y.ref(), idx.ref(), a);
  record(y, 'maxPool2d', [x], (g) => [maxPoolScatter(g, idx, a)], {
    attrs: { kernelSize: [a.kh, a.kw], stride: [a.sh, a.sw], padding: [a.ph, a.pw], dilation: [a.dh, a.dw] },
    saved: { indices: idx },
    jvp: ([t]) => (t ? gatherPlanes(t, idx, a) : null),
  });
  if (!keepIdx && y.gradFn && idx._storage) freeAfterBackward([y.gradFn], idx._storage);
  return [y, idx];
}

export function maxPool2d(input: Tensor, kernelSize: Pair, opts?: MaxPool2dOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(input: Tensor, kernelSize: Pair, opts: MaxPool2dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: Pair, opts: MaxPool2dOptions = {}): Tensor | [Tensor, Tensor] {
  const [x, unb] = batched('maxPool2d', input);
  const a = poolArgs(x, pool2dGeometry(x.shape, kernelSize, opts, 'maxPool2d'));
  const [y, idx] = maxPoolCore(x, a, opts.returnIndices === true);
  const out = unb ? squeeze(y, 0) : y;
  if (!opts.returnIndices) return out;
  return [out, unb ? squeeze(idx, 0) : idx];
}

const single = (v: Single | undefined | null, op: string, name: string): number | undefined => {
  if (Array.isArray(v) && v.length !== 1) throw new Error(`${op}: ${name} must be a number or [number], got ${JSON.stringify(v)}`);
  return v === undefined || v === null ? undefined : Array.isArray(v) ? v[0] : v;
};

export function maxPool1d(input: Tensor, kernelSize: Single, opts?: MaxPool1dOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(input: Tensor, kernelSize: Single, opts: MaxPool1dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: Single, opts: MaxPool1dOptions = {}): Tensor | [Tensor, Tensor] {
  const [x3, unb] = batched('maxPool1d', input, 1);
  const x = unsqueeze(x3, 2);
  const k = single(kernelSize, 'maxPool1d', 'kernelSize') as number;
  const s = single(opts.stride, 'maxPool1d', 'stride') ?? k;
  const geo = pool2dGeometry(x.shape, [1, k], {
    stride: [1, s], padding: [0, single(opts.padding, 'maxPool1d', 'padding') ?? 0],
    dilation: [1, single(opts.dilation, 'maxPool1d', 'dilation') ?? 1], ceilMode: opts.ceilMode,
  }, 'maxPool1d');
  const [y4, idx4] = maxPoolCore(x, poolArgs(x, geo), opts.returnIndices === true);
  const fix = (t: Tensor): Tensor => (unb ? squeeze(squeeze(t, 2), 0) : squeeze(t, 2));
  return opts.returnIndices ? [fix(y4), fix(idx4)] : fix(y4);
}

function avgPoolBack(g: Tensor, a: Pool2dArgs): Tensor {
  const dx = alloc([a.n, a.c, a.h, a.w], g.dtype, g.backend);
  if (g.numel() > 0) g.backend.avgPool2dBackward(contig(g).ref(), dx.ref(), a);
  else fillRaw(dx, 0);
  return record(dx, 'avgPool2dBackward', [g], (gg) => [avgPoolCore(gg, a)], { jvp: ([t]) => (t ? avgPoolBack(t, a) : null) });
}

function avgPoolCore(x: Tensor, a: Pool2dArgs): Tensor {
  const y = alloc([a.n, a.c, a.oh, a.ow], x.dtype, x.backend);
  if (y.numel() > 0) x.backend.avgPool2d(contig(x).ref(), y.ref(), a);
  return record(y, 'avgPool2d', [x], (g) => [avgPoolBack(g, a)], {
    attrs: { kernelSize: [a.kh, a.kw], stride: [a.sh, a.sw], padding: [a.ph, a.pw], countIncludePad: a.countIncludePad, divisorOverride: a.divisorOverride },
    jvp: ([t]) => (t ? avgPoolCore(t, a) : null),
  });
}

function divisor(op: string, d: number | null | undefined): number {
  if (d === undefined || d === null) return 0;
  if (!Number.isInteger(d) || d === 0) throw new Error(`${op}: divisorOverride must be a non-zero integer, got ${d}`);
  return d;
}

export function avgPool2d(input: Tensor, kernelSize: Pair, opts: AvgPool2dOptions = {}): Tensor {
  const [x, unb] = batched('avgPool2d', input);
  const geo = pool2dGeometry(x.shape, kernelSize, { stride: opts.stride, padding: opts.padding, ceilMode: opts.ceilMode }, 'avgPool2d');
  const y = avgPoolCore(x, poolArgs(x, geo, opts.countIncludePad ?? true, divisor('avgPool2d', opts.divisorOverride)));
  return unb ? squeeze(y, 0) : y;
}

export function avgPool1d(input: Tensor, kernelSize: Single, opts: AvgPool1dOptions = {}): Tensor {
  const [x3, unb] = batched('avgPool1d', input, 1);
  const x = unsqueeze(x3, 2);
  const k = single(kernelSize, 'avgPool1d', 'kernelSize') as number;
  const geo = pool2dGeometry(x.shape, [1, k], {
    stride: [1, single(opts.stride, 'avgPool1d', 'stride') ?? k], padding: [0, single(opts.padding, 'avgPool1d', 'padding') ?? 0], ceilMode: opts.ceilMode,
  }, 'avgPool1d');
  const y = squeeze(avgPoolCore(x, poolArgs(x, geo, opts.countIncludePad ?? true, 0)), 2);
  return unb ? squeeze(y, 0) : y;
}

interface AdaptiveArgs { n: number; c: number; h: number; w: number; oh: number; ow: number }

function adaptiveBack(g: Tensor, a: AdaptiveArgs): Tensor {
  const dx = alloc([a.n, a.c, a.h, a.w], g.dtype, g.backend);
  if (g.numel() > 0 && dx.numel() > 0) g.backend.adaptiveAvgPool2dBackward(contig(g).ref(), dx.ref(), a.n, a.c, a.h, a.w, a.oh, a.ow);
  else fillRaw(dx, 0);
  return record(dx, 'adaptiveAvgPool2dBackward', [g], (gg) => [adaptiveCore(gg, a)], { jvp: ([t]) => (t ? adaptiveBack(t, a) : null) });
}

function adaptiveCore(x: Tensor, a: AdaptiveArgs): Tensor {
  const y = alloc([a.n, a.c, a.oh, a.ow], x.dtype, x.backend);
  if (y.numel() > 0) x.backend.adaptiveAvgPool2d(contig(x).ref(), y.ref(), a.n, a.c, a.h, a.w, a.oh, a.ow);
  return record(y, 'adaptiveAvgPool2d', [x], (g) => [adaptiveBack(g, a)], {
    attrs: { outputSize: [a.oh, a.ow] },
    jvp: ([t]) => (t ? adaptiveCore(t, a) : null),
  });
}

/** Adaptive average pooling to outputSize (a number, or [h, w] where null keeps that input size). */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  const [x, unb] = batched('adaptiveAvgPool2d', input);
  const [oh, ow] = adaptivePoolOutSize(x.shape, outputSize, 'adaptiveAvgPool2d');
  const [n, c, h, w] = x.shape;
  const y = adaptiveCore(x, { n, c, h, w, oh, ow });
  return unb ? squeeze(y, 0) : y;
}

export function adaptiveAvgPool1d(input: Tensor, outputSize: Single): Tensor {
  const [x3, unb] = batched('adaptiveAvgPool1d', input, 1);
  const x = unsqueeze(x3, 2);
  const [, ow] = adaptivePoolOutSize(x.shape, [1, single(outputSize, 'adaptiveAvgPool1d', 'outputSize') as number], 'adaptiveAvgPool1d');
  const [n, c, h, w] = x.shape;
  const y = squeeze(adaptiveCore(x, { n, c, h, w, oh: 1, ow }), 2);
  return unb ? squeeze(y, 0) : y;
}

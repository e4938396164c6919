/**
 * linear, conv2d, conv1d. Convolution is three mutually-adjoint recorded ops over the backend kernels
 * (forward, backward-data, backward-filter), so gradients of gradients work too.
 */
import type { Conv2dArgs } from '../../backend/types';
import { Tensor } from '../../tensor';
import { record } from '../../autograd/node';
import { alloc, contig, fillRaw } from '../raw';
import { add } from '../basic';
import { reshape, squeeze, transpose, unsqueeze, expand } from '../views';
import { sum } from '../reduce';
import { matmul } from '../linalg';
import { conv2dGeometry, fmtShape, Pair, ShapeError } from '../../shape';
import { checkFloat, checkParam, checkSameKind, primalOnly } from './util';
import { linearFused } from './linear-fused';

export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
}

export type Single = number | [number];
export interface Conv1dOptions {
  stride?: Single;
  padding?: Single | 'same' | 'valid';
  dilation?: Single;
  groups?: number;
}

/** y = x·wᵀ + b for x [..., in], w [out, in], b [out]. */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkFloat('linear', input);
  checkFloat('linear', weight, 'weight');
  checkSameKind('linear', input, weight, 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`linear: expected a 2-D weight [out_features, in_features], got ${fmtShape(weight.shape)}`);
  if (input.ndim === 0) throw new ShapeError('linear: expected an input with at least 1 dimension, got a 0-d tensor');
  const inF = input.shape[input.ndim - 1];
  if (inF !== weight.shape[1]) {
    throw new ShapeError(`linear: input ${fmtShape(input.shape)} has ${inF} features in its last dim, but weight ${fmtShape(weight.shape)} ` +
      `expects ${weight.shape[1]} (in_features)`);
  }
  checkParam('linear', bias, 'bias', [weight.shape[0]], input);
  const fused = linearFused(input, weight, bias);
  if (fused) return fused;
  const y = matmul(input, transpose(weight, 0, 1));
  return bias ? add(y, bias) : y;
}

const argAttrs = (a: Conv2dArgs): Record<string, unknown> => ({
  stride: [a.sh, a.sw], padding: [a.ph, a.pw], dilation: [a.dh, a.dw], groups: a.groups,
});

function sumTangents(parts: Array<Tensor | null>, shape: number[]): Tensor | null {
  let r: Tensor | null = null;
  for (const p of parts) if (p) r = r ? add(r, p) : p;
  if (r && r.shape.some((d, i) => d !== shape[i])) r = contig(expand(r, shape));
  return r;
}

/** y = conv(x, w) + b (x, w 4-D, validated). */
function convForward(x: Tensor, w: Tensor, b: Tensor | null, a: Conv2dArgs): Tensor {
  const y = alloc([a.n, a.o, a.oh, a.ow], x.dtype, x.backend);
  if (y.numel() > 0) x.backend.conv2d(contig(x).ref(), contig(w).ref(), b ? contig(b).ref() : null, y.ref(), a);
  return record(y, 'conv2d', [x, w, b], (g) => [
    x.requiresGrad ? convData(g, w, a) : null,
    w.requiresGrad ? convFilter(x, g, a) : null,
    b && b.requiresGrad ? sum(g, [0, 2, 3]) : null,
  ], {
    attrs: argAttrs(a),
    saved: { input: x, weight: w },
    jvp: ([tx, tw, tb]) => primalOnly(() => sumTangents([
      tx ? convForward(tx, w, null, a) : null,
      tw ? convForward(x, tw, null, a) : null,
      tb ? reshape(tb, [1, a.o, 1, 1]) : null,
    ], y.shape)),
  });
}

/** dx = ∂/∂x of ⟨conv(x, w), g⟩ (transposed convolution of g). */
export function convData(g: Tensor, w: Tensor, a: Conv2dArgs): Tensor {
  const dx = alloc([a.n, a.c, a.h, a.w], g.dtype, g.backend);
  if (g.numel() > 0) g.backend.conv2dBackwardData(contig(g).ref(), contig(w).ref(), dx.ref(), a);
  else fillRaw(dx, 0);
  return record(dx, 'conv2dBackwardData', [g, w], (gg) => [
    g.requiresGrad ? convForward(gg, w, null, a) : null,
    w.requiresGrad ? convFilter(gg, g, a) : null,
  ], {
    attrs: argAttrs(a),
    jvp: ([tg, tw]) => primalOnly(() => sumTangents([tg ? convData(tg, w, a) : null, tw ? convData(g, tw, a) : null], dx.shape)),
  });
}

/** dw = ∂/∂w of ⟨conv(x, w), g⟩, summed over the batch. */
function convFilter(x: Tensor, g: Tensor, a: Conv2dArgs): Tensor {
  const dw = alloc([a.o, a.c / a.groups, a.kh, a.kw], x.dtype, x.backend);
  if (g.numel() > 0) x.backend.conv2dBackwardFilter(contig(x).ref(), contig(g).ref(), dw.ref(), a);
  else fillRaw(dw, 0);
  return record(dw, 'conv2dBackwardFilter', [x, g], (gg) => [
    x.requiresGrad ? convData(g, gg, a) : null,
    g.requiresGrad ? convForward(x, gg, null, a) : null,
  ], {
    attrs: argAttrs(a),
    jvp: ([tx, tg]) => primalOnly(() => sumTangents([tx ? convFilter(tx, g, a) : null, tg ? convFilter(x, tg, a) : null], dw.shape)),
  });
}

/** Shared conv2d path: x [N, C, H, W], w [O, C/g, KH, KW]; `shown` maps 4-D shapes to the user's shapes in errors. */
function conv2dCore(op: string, x: Tensor, w: Tensor, bias: Tensor | null | undefined, opts: Conv2dOptions,
  shown: Array<[number[], number[]]>): Tensor {
  let geo;
  try {
    geo = conv2dGeometry(x.shape, w.shape, opts, op);
  } catch (e) {
    if (e instanceof Error) for (const [from, to] of shown) e.message = e.message.split(fmtShape(from)).join(fmtShape(to));
    throw e;
  }
  const [n, c, h, wd] = x.shape;
  const [o, , kh, kw] = w.shape;
  checkParam(op, bias, 'bias', [o], x);
  const pair = (v: Pair | undefined, d: number): [number, number] => (v === undefined ? [d, d] : Array.isArray(v) ? [v[0], v[1]] : [v, v]);
  const [sh, sw] = pair(opts.stride, 1);
  const [dh, dw] = pair(opts.dilation, 1);
  const a: Conv2dArgs = {
    n, c, h, w: wd, o, kh, kw, sh, sw, ph: geo.padTop, pw: geo.padLeft, dh, dw, groups: opts.groups ?? 1, oh: geo.oh, ow: geo.ow,
  };
  return convForward(x, w, bias ?? null, a);
}

function splitBias<O>(bias: Tensor | null | undefined | O, opts: O | undefined): [Tensor | null, O] {
  if (bias !== null && bias !== undefined && !(bias instanceof Tensor)) return [null, bias as O];
  return [(bias as Tensor | null | undefined) ?? null, opts ?? ({} as O)];
}

/** 2-D convolution of input [N, C, H, W] (or unbatched [C, H, W]) with weight [O, C/groups, KH, KW]. */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null | Conv2dOptions, opts?: Conv2dOptions): Tensor {
  const [b, o] = splitBias<Conv2dOptions>(bias, opts);
  checkFloat('conv2d', input);
  checkFloat('conv2d', weight, 'weight');
  checkSameKind('conv2d', input, weight, 'weight');
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new ShapeError(`conv2d: expected a 3-D (unbatched [C, H, W]) or 4-D (batched [N, C, H, W]) input, got ${fmtShape(input.shape)}`);
  }
  if (weight.ndim !== 4) throw new ShapeError(`conv2d: expected a 4-D weight [out, in/groups, kH, kW], got ${fmtShape(weight.shape)}`);
  const unbatched = input.ndim === 3;
  const x = unbatched ? unsqueeze(input, 0) : input;
  const y = conv2dCore('conv2d', x, weight, b, o, unbatched ? [[x.shape, input.shape]] : []);
  return unbatched ? squeeze(y, 0) : y;
}

const one = (v: Single | undefined, d: number, op: string, name: string): number => {
  const r = v === undefined ? d : Array.isArray(v) ? v[0] : v;
  if (Array.isArray(v) && v.length !== 1) throw new Error(`${op}: ${name} must be a number or [number], got ${JSON.stringify(v)}`);
  return r;
};

/** 1-D convolution of input [N, C, L] (or unbatched [C, L]) with weight [O, C/groups, K], via conv2d with H = 1. */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null | Conv1dOptions, opts?: Conv1dOptions): Tensor {
  const [b, o] = splitBias<Conv1dOptions>(bias, opts);
  checkFloat('conv1d', input);
  checkFloat('conv1d', weight, 'weight');
  checkSameKind('conv1d', input, weight, 'weight');
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new ShapeError(`conv1d: expected a 2-D (unbatched [C, L]) or 3-D (batched [N, C, L]) input, got ${fmtShape(input.shape)}`);
  }
  if (weight.ndim !== 3) throw new ShapeError(`conv1d: expected a 3-D weight [out, in/groups, k], got ${fmtShape(weight.shape)}`);
  const unbatched = input.ndim === 2;
  const x3 = unbatched ? unsqueeze(input, 0) : input;
  const pad = o.padding === 'same' || o.padding === 'valid' ? o.padding : ([0, one(o.padding, 0, 'conv1d', 'padding')] as [number, number]);
  const o2: Conv2dOptions = {
    stride: [1, one(o.stride, 1, 'conv1d', 'stride')], padding: pad, dilation: [1, one(o.dilation, 1, 'conv1d', 'dilation')], groups: o.groups,
  };
  const x4 = unsqueeze(x3, 2);
  const w4 = unsqueeze(weight, 2);
  const y = conv2dCore('conv1d', x4, w4, b, o2, [[x4.shape, input.shape], [w4.shape, weight.shape]]);
  const y3 = squeeze(y, 2);
  return unbatched ? squeeze(y3, 0) : y3;
}

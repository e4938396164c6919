/**
 * F.convTranspose2d / convTranspose1d (PyTorch's conv_transpose2d/1d): the gradient of conv2d w.r.t. its input,
 * run forward. x [N, Cin, H, W], weight [Cin, Cout/groups, kH, kW] → [N, Cout, Hout, Wout] with
 * Hout = (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1. Backward (to x and weight) and jvp
 * come from the recorded conv nodes.
 */
import type { Tensor } from '../../tensor';
import type { Conv2dArgs } from '../../backend/types';
import { convData } from '../nn/conv';
import { add } from '../basic';
import { reshape, squeeze, unsqueeze } from '../views';
import { checkFloat } from '../nn/util';
import { fmtShape, ShapeError } from '../../shape';
import { either, kind, kinds, nullable, signature } from '../../args';

type P2 = number | [number, number];
const pair = (v: P2): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [v, v]);
const nonNeg = either(kinds.nonNegativeInt, kind<[number, number]>('a pair of non-negative integers', (v) => Array.isArray(v) && v.length === 2 && v.every((e) => Number.isInteger(e) && e >= 0)));

export const convTransposeSig = signature('F.convTranspose2d', {
  weight: { kind: kind<Tensor>('a Tensor', (v) => typeof v === 'object' && v !== null && 'shape' in v), required: true },
  bias: { kind: nullable(kind<Tensor>('a Tensor', (v) => typeof v === 'object' && v !== null && 'shape' in v)), default: null },
  stride: { kind: kinds.intOrPair, default: 1 }, padding: { kind: nonNeg, default: 0 }, outputPadding: { kind: nonNeg, default: 0 },
  groups: { kind: kinds.positiveInt, default: 1 }, dilation: { kind: kinds.intOrPair, default: 1 },
});

export interface ConvTransposeOptions {
  stride?: P2; padding?: P2; outputPadding?: P2; groups?: number; dilation?: P2;
}

export function convTranspose2dCore(op: string, x: Tensor, w: Tensor, bias: Tensor | null, o: Required<ConvTransposeOptions>): Tensor {
  checkFloat(op, x);
  if (x.ndim !== 4) throw new ShapeError(`${op}: expected a 4-D input [N, C, H, W], got ${fmtShape(x.shape)}`);
  if (w.ndim !== 4) throw new ShapeError(`${op}: expected a 4-D weight [in, out/groups, kH, kW], got ${fmtShape(w.shape)}`);
  const [n, cin, h, wd] = x.shape;
  const [win, coutG, kh, kw] = w.shape;
  const g = o.groups;
  if (win !== cin) throw new ShapeError(`${op}: weight ${fmtShape(w.shape)} expects ${win} input channels, the input ${fmtShape(x.shape)} has ${cin}`);
  if (cin % g !== 0) throw new ShapeError(`${op}: in channels (${cin}) must be divisible by groups (${g})`);
  const [sh, sw] = pair(o.stride);
  const [ph, pw] = pair(o.padding);
  const [oph, opw] = pair(o.outputPadding);
  const [dh, dw] = pair(o.dilation);
  if (oph >= Math.max(sh, dh) || opw >= Math.max(sw, dw)) {
    throw new Error(`${op}: outputPadding (${oph}, ${opw}) must be smaller than either stride (${sh}, ${sw}) or dilation (${dh}, ${dw})`);
  }
  const oh = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
  const ow = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
  if (oh < 1 || ow < 1) throw new ShapeError(`${op}: the output would be ${oh}×${ow} for input ${fmtShape(x.shape)}: padding is too large`);
  const cout = coutG * g;
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== cout)) throw new ShapeError(`${op}: expected bias of shape [${cout}], got ${fmtShape(bias.shape)}`);
  // the conv2d whose input gradient this is: input [n, cout, oh, ow], weight [cin, cout/g, kh, kw], output [n, cin, h, w]
  const a: Conv2dArgs = { n, c: cout, h: oh, w: ow, o: cin, kh, kw, sh, sw, ph, pw, dh, dw, groups: g, oh: h, ow: wd };
  const y = convData(x, w, a);
  return bias ? add(y, reshape(bias, [1, cout, 1, 1])) : y;
}

/** F.convTranspose2d(x, weight, bias?, stride?, padding?, outputPadding?, groups?, dilation?), PyTorch's order. */
export function convTranspose2d(x: Tensor, ...args: unknown[]): Tensor {
  const o = convTransposeSig.parse(args);
  return convTranspose2dCore('F.convTranspose2d', x, o.weight, o.bias, o as Required<ConvTransposeOptions>);
}

const one = (v: unknown): unknown => (Array.isArray(v) ? [1, v[0]] : typeof v === 'number' ? [1, v] : v);
const zero1 = (v: unknown): unknown => (Array.isArray(v) ? [0, v[0]] : typeof v === 'number' ? [0, v] : v);

/** F.convTranspose1d on [N, C, L] with weight [Cin, Cout/groups, K] (via the 2-D path with H = 1). */
export function convTranspose1d(x: Tensor, ...args: unknown[]): Tensor {
  const o = convTransposeSig.parse(args);
  if (x.ndim !== 3) throw new ShapeError(`F.convTranspose1d: expected a 3-D input [N, C, L], got ${fmtShape(x.shape)}`);
  const o2 = { ...o, stride: one(o.stride), padding: zero1(o.padding), outputPadding: zero1(o.outputPadding), dilation: one(o.dilation) } as Required<ConvTransposeOptions>;
  return squeeze(convTranspose2dCore('F.convTranspose1d', unsqueeze(x, 2), unsqueeze(o.weight, 2), o.bias, o2), 2);
}

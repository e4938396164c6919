/** Conv1d / Conv2d: PyTorch's signature, output size, parameters and MACs (torch/nn/modules/conv.py). */
import { either, kinds, oneOf, type Kind, type Parsed } from '../../args';
import { axisFormula, convParams } from '../formulas';
import { fmtShape, pair, ShapeError } from '../index';
import { layerSpec, splitBatch, fmtArg, type LayerInfo } from './spec';

const convParamsOf = <K, P>(size: Kind<K>, pad: Kind<P>) =>
  ({
    inChannels: { kind: kinds.positiveInt, required: true },
    outChannels: { kind: kinds.positiveInt, required: true },
    kernelSize: { kind: size, required: true },
    stride: { kind: size, default: 1 as K },
    padding: { kind: either(pad, oneOf('same', 'valid')), default: 0 as P },
    dilation: { kind: size, default: 1 as K },
    groups: { kind: kinds.positiveInt, default: 1 },
    bias: { kind: kinds.boolean, default: true },
    paddingMode: { kind: oneOf('zeros', 'reflect', 'replicate', 'circular'), default: 'zeros' },
  }) as const;

type ConvArgs = {
  inChannels: number;
  outChannels: number;
  kernelSize: number | [number, number];
  stride: number | [number, number];
  padding: number | [number, number] | 'same' | 'valid';
  dilation: number | [number, number];
  groups: number;
  bias: boolean;
  paddingMode: string;
};

function checkConv(type: string, a: ConvArgs): void {
  if (a.inChannels % a.groups || a.outChannels % a.groups) {
    throw new Error(`${type}: inChannels (${a.inChannels}) and outChannels (${a.outChannels}) must be divisible by groups (${a.groups})`);
  }
  if (a.paddingMode !== 'zeros') throw new Error(`${type}: paddingMode '${a.paddingMode}' is not supported yet (only 'zeros')`);
  if (a.padding === 'same' && pair(a.stride).some((s) => s !== 1)) {
    throw new Error(`${type}: padding='same' is not supported for strided convolutions (stride ${fmtArg(a.stride)})`);
  }
}

/** One spatial axis: its formula, honouring 'same' (asymmetric when d·(k − 1) is odd) and 'valid'. */
function convAxis(axis: 'H' | 'W' | 'L', inp: number, k: number, s: number, p: number | 'same' | 'valid', d: number) {
  if (p === 'same') {
    const total = d * (k - 1);
    return axisFormula(axis, inp, k, s, Math.floor(total / 2), d, { padAfter: total - Math.floor(total / 2) });
  }
  return axisFormula(axis, inp, k, s, p === 'valid' ? 0 : p, d);
}

function convInfer(type: string, rank: 1 | 2, a: ConvArgs, x: readonly number[]): LayerInfo {
  const { lead, c, sp } = splitBatch(type, x, rank);
  if (c !== a.inChannels) {
    throw new ShapeError(`${type}: expected input ${fmtShape(x)} to have ${a.inChannels} channels, but got ${c} channels instead`);
  }
  const k = rank === 2 ? pair(a.kernelSize) : [a.kernelSize as number];
  const s = rank === 2 ? pair(a.stride) : [a.stride as number];
  const d = rank === 2 ? pair(a.dilation) : [a.dilation as number];
  const p: Array<number | 'same' | 'valid'> =
    typeof a.padding === 'string' ? [a.padding, a.padding] : rank === 2 ? pair(a.padding) : [a.padding as number];
  const axes = rank === 2 ? (['H', 'W'] as const) : (['L'] as const);
  const f = axes.map((ax, i) => convAxis(ax, sp[i], k[i], s[i], p[i], d[i]));
  const out = f.map((r) => r.out);
  if (out.some((o) => o < 1)) {
    throw new ShapeError(
      `${type}: input ${fmtShape(x)} is too small for kernel ${k.join('×')} (dilation ${d.join('×')}): computed output size ${out.join('×')}`,
    );
  }
  const spatial = out.reduce((m, o) => m * o, 1);
  const macs = (lead[0] ?? 1) * a.outChannels * spatial * (a.inChannels / a.groups) * k.reduce((m, o) => m * o, 1);
  return {
    outShape: [...lead, a.outChannels, ...out],
    macs,
    formulas: [...f.map((r) => r.text), convParams(k, a.inChannels, a.outChannels, a.groups, a.bias).text],
    warnings: f.flatMap((r) => (r.warning ? [r.warning] : [])),
  };
}

function convRepr(a: ConvArgs): string {
  let s = `${a.inChannels}, ${a.outChannels}, kernelSize=${fmtArg(a.kernelSize)}, stride=${fmtArg(a.stride)}`;
  if (a.padding !== 'valid' && JSON.stringify(a.padding) !== '0' && JSON.stringify(a.padding) !== '[0,0]')
    s += `, padding=${fmtArg(a.padding)}`;
  if (JSON.stringify(a.dilation) !== '1' && JSON.stringify(a.dilation) !== '[1,1]') s += `, dilation=${fmtArg(a.dilation)}`;
  if (a.groups !== 1) s += `, groups=${a.groups}`;
  if (!a.bias) s += ', bias=false';
  return s;
}

const CONV2D_PARAMS = convParamsOf(kinds.intOrPair, kinds.nonNegIntOrPair);
export const Conv2dSpec = layerSpec('Conv2d', CONV2D_PARAMS, {
  check: (a) => checkConv('Conv2d', a),
  parameters: (a) => ({
    weight: [a.outChannels, a.inChannels / a.groups, ...pair(a.kernelSize)],
    bias: a.bias ? [a.outChannels] : null,
  }),
  paramText: (a) => convParams(pair(a.kernelSize), a.inChannels, a.outChannels, a.groups, a.bias).text,
  infer: (a, x) => convInfer('Conv2d', 2, a, x),
  repr: (a) =>
    convRepr({
      ...a,
      kernelSize: pair(a.kernelSize),
      stride: pair(a.stride),
      dilation: pair(a.dilation),
      padding: typeof a.padding === 'string' ? a.padding : pair(a.padding),
    }),
});
export type Conv2dArgs = Parsed<typeof CONV2D_PARAMS>;

const CONV1D_PARAMS = convParamsOf(kinds.positiveInt, kinds.nonNegativeInt);
export const Conv1dSpec = layerSpec('Conv1d', CONV1D_PARAMS, {
  check: (a) => checkConv('Conv1d', a),
  parameters: (a) => ({ weight: [a.outChannels, a.inChannels / a.groups, a.kernelSize], bias: a.bias ? [a.outChannels] : null }),
  paramText: (a) => convParams([a.kernelSize], a.inChannels, a.outChannels, a.groups, a.bias).text,
  infer: (a, x) => convInfer('Conv1d', 1, a, x),
  repr: convRepr,
});
export type Conv1dArgs = Parsed<typeof CONV1D_PARAMS>;

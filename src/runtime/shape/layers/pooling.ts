/** MaxPool1d/2d, AvgPool2d, AdaptiveAvgPool2d: PyTorch's signature and output size (torch/nn/modules/pooling.py). */
import { kind, kinds, nullable, type Parsed } from '../../args';
import { axisFormula } from '../formulas';
import { adaptivePoolOutSize, pool2dGeometry, ShapeError, fmtShape } from '../index';
import { layerSpec, splitBatch, fmtArg, type LayerInfo } from './spec';

const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);
const sizeOrPair = kind<number | [number | null, number | null]>(
  'a non-negative integer or a pair of integers/null',
  (v) => (isInt(v) && (v as number) >= 0) || (Array.isArray(v) && v.length === 2 && v.every((e) => e === null || (isInt(e) && e >= 0))),
);

function pool2dInfer(
  type: string,
  a: {
    kernelSize: number | [number, number];
    stride: number | [number, number] | null;
    padding: number | [number, number];
    dilation: number | [number, number];
    ceilMode: boolean;
  },
  x: readonly number[],
): LayerInfo {
  const { lead, c, sp } = splitBatch(type, x, 2);
  const g = pool2dGeometry([1, c, sp[0], sp[1]], a.kernelSize, a, type);
  const ceil = a.ceilMode;
  const ax = [axisFormula('H', sp[0], g.kh, g.sh, g.ph, g.dh, { ceil }), axisFormula('W', sp[1], g.kw, g.sw, g.pw, g.dw, { ceil })];
  return {
    outShape: [...lead, c, g.oh, g.ow],
    macs: 0,
    formulas: ax.map((f) => f.text),
    warnings: ax.flatMap((f) => (f.warning ? [f.warning] : [])),
  };
}

const poolRepr = (a: { kernelSize: unknown; stride: unknown; padding: unknown; ceilMode: boolean }, extra = ''): string =>
  `kernelSize=${fmtArg(a.kernelSize)}, stride=${fmtArg(a.stride ?? a.kernelSize)}, padding=${fmtArg(a.padding)}${extra}, ceilMode=${a.ceilMode}`;

const MAXPOOL2D = {
  kernelSize: { kind: kinds.intOrPair, required: true },
  stride: { kind: nullable(kinds.intOrPair), default: null },
  padding: { kind: kinds.nonNegIntOrPair, default: 0 },
  dilation: { kind: kinds.intOrPair, default: 1 },
  returnIndices: { kind: kinds.boolean, default: false },
  ceilMode: { kind: kinds.boolean, default: false },
} as const;
export const MaxPool2dSpec = layerSpec('MaxPool2d', MAXPOOL2D, {
  parameters: () => ({}),
  infer: (a, x) => pool2dInfer('MaxPool2d', a, x),
  repr: (a) => poolRepr(a, `, dilation=${fmtArg(a.dilation)}`),
});
export type MaxPool2dArgs = Parsed<typeof MAXPOOL2D>;

const AVGPOOL2D = {
  kernelSize: { kind: kinds.intOrPair, required: true },
  stride: { kind: nullable(kinds.intOrPair), default: null },
  padding: { kind: kinds.nonNegIntOrPair, default: 0 },
  ceilMode: { kind: kinds.boolean, default: false },
  countIncludePad: { kind: kinds.boolean, default: true },
  divisorOverride: { kind: nullable(kinds.positiveInt), default: null },
} as const;
export const AvgPool2dSpec = layerSpec('AvgPool2d', AVGPOOL2D, {
  parameters: () => ({}),
  infer: (a, x) => pool2dInfer('AvgPool2d', { ...a, dilation: 1 }, x),
  repr: (a) =>
    poolRepr(a) +
    (a.countIncludePad ? '' : ', countIncludePad=false') +
    (a.divisorOverride ? `, divisorOverride=${a.divisorOverride}` : ''),
});
export type AvgPool2dArgs = Parsed<typeof AVGPOOL2D>;

const MAXPOOL1D = {
  kernelSize: { kind: kinds.positiveInt, required: true },
  stride: { kind: nullable(kinds.positiveInt), default: null },
  padding: { kind: kinds.nonNegativeInt, default: 0 },
  dilation: { kind: kinds.positiveInt, default: 1 },
  returnIndices: { kind: kinds.boolean, default: false },
  ceilMode: { kind: kinds.boolean, default: false },
} as const;
export const MaxPool1dSpec = layerSpec('MaxPool1d', MAXPOOL1D, {
  parameters: () => ({}),
  infer: (a, x) => {
    const { lead, c, sp } = splitBatch('MaxPool1d', x, 1);
    if (a.padding > Math.floor(a.kernelSize / 2)) {
      throw new ShapeError(
        `MaxPool1d: pad should be smaller than or equal to half of kernel size, but got padding ${a.padding} for kernel ${a.kernelSize}`,
      );
    }
    const f = axisFormula('L', sp[0], a.kernelSize, a.stride ?? a.kernelSize, a.padding, a.dilation, { ceil: a.ceilMode });
    if (f.out < 1)
      throw new ShapeError(`MaxPool1d: input ${fmtShape(x)} is too small for kernel ${a.kernelSize}: calculated output size ${f.out}`);
    return { outShape: [...lead, c, f.out], macs: 0, formulas: [f.text], warnings: f.warning ? [f.warning] : [] };
  },
  repr: (a) => poolRepr(a, `, dilation=${a.dilation}`),
});
export type MaxPool1dArgs = Parsed<typeof MAXPOOL1D>;

const ADAPTIVE = { outputSize: { kind: sizeOrPair, required: true } } as const;
export const AdaptiveAvgPool2dSpec = layerSpec('AdaptiveAvgPool2d', ADAPTIVE, {
  parameters: () => ({}),
  infer: (a, x) => {
    const { lead, c } = splitBatch('AdaptiveAvgPool2d', x, 2);
    const [oh, ow] = adaptivePoolOutSize(x, a.outputSize, 'AdaptiveAvgPool2d');
    return {
      outShape: [...lead, c, oh, ow],
      macs: 0,
      formulas: [`output = ${oh}×${ow} (adaptive: windows cover the ${x[x.length - 2]}×${x[x.length - 1]} input)`],
      warnings: [],
    };
  },
  repr: (a) => `outputSize=${fmtArg(a.outputSize)}`,
});
export type AdaptiveAvgPool2dArgs = Parsed<typeof ADAPTIVE>;

/** nn.init: in-place initialisers with PyTorch's formulas (fan computation, gains, bounds). Meta tensors are skipped. */
import type { Tensor } from '../tensor';
import { noGrad } from '../autograd/mode';
import { fmtShape } from '../shape';

export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';
export type FanMode = 'fanIn' | 'fanOut';

export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid': return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu': return 3 / 4;
    default: throw new Error(`calculateGain: unsupported nonlinearity '${String(nonlinearity)}'`);
  }
}

/** fanIn = size(1)·receptive field, fanOut = size(0)·receptive field (PyTorch's _calculate_fan_in_and_fan_out). */
export function calculateFanInAndFanOut(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new Error(`init: fan in and fan out can not be computed for tensor with fewer than 2 dimensions (shape ${fmtShape(t.shape)})`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

function fan(t: Tensor, mode: FanMode): number {
  const f = calculateFanInAndFanOut(t);
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new Error(`init: mode ${String(mode)} not supported, please use 'fanIn' or 'fanOut'`);
  return mode === 'fanIn' ? f.fanIn : f.fanOut;
}

const apply = (t: Tensor, fn: () => void): Tensor => {
  if (!t.isMeta) noGrad(fn);
  return t;
};

export const uniform_ = (t: Tensor, a = 0, b = 1): Tensor => apply(t, () => t.uniform_(a, b));
export const normal_ = (t: Tensor, mean = 0, std = 1): Tensor => apply(t, () => t.normal_(mean, std));
export const constant_ = (t: Tensor, v: number): Tensor => apply(t, () => t.fill_(v));
export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -a, a);
}

export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

export interface KaimingOptions {
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const gain = calculateGain(opts.nonlinearity ?? 'leakyRelu', opts.a ?? 0);
  const bound = Math.sqrt(3) * (gain / Math.sqrt(fan(t, opts.mode ?? 'fanIn')));
  return uniform_(t, -bound, bound);
}

export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const gain = calculateGain(opts.nonlinearity ?? 'leakyRelu', opts.a ?? 0);
  return normal_(t, 0, gain / Math.sqrt(fan(t, opts.mode ?? 'fanIn')));
}

/** LeCun normal: N(0, 1/fanIn). */
export function lecunNormal_(t: Tensor): Tensor {
  return normal_(t, 0, Math.sqrt(1 / fan(t, 'fanIn')));
}

/** PyTorch's default for Linear/Conv: kaiming_uniform_(w, a=√5) and bias ~ U(−1/√fanIn, 1/√fanIn). */
export function defaultLayerInit(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const { fanIn } = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound);
  }
}

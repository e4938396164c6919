/** nn.init: in-place initialisers with PyTorch's formulas (fan computation, gains, bounds). Meta tensors are skipped. */
import type { Tensor } from '../tensor';
import { noGrad } from '../autograd/mode';
import { fmtShape } from '../shape';
import { kind, kinds, nullable, oneOf, signature } from '../args';
import { uniform_ as uniformInPlace, normal_ as normalInPlace, fill_ } from '../ops/inplace-ops';

export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu'
  | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d' | 'leaky_relu';
export type FanMode = 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';

const NONLINEARITIES = ['linear', 'conv1d', 'conv2d', 'conv3d', 'convTranspose1d', 'convTranspose2d', 'convTranspose3d', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'selu'];
/** PyTorch's snake_case names ('leaky_relu', 'conv_transpose2d') → ours. */
const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const nonlinearityKind = kind<Nonlinearity>(`one of ${NONLINEARITIES.map((n) => `'${n}'`).join(', ')} (or PyTorch's snake_case, e.g. 'leaky_relu')`, (v) => typeof v === 'string' && NONLINEARITIES.includes(camel(v)));
const modeKind = oneOf('fanIn', 'fanOut', 'fan_in', 'fan_out');

const gainSig = signature('calculateGain', { nonlinearity: { kind: nonlinearityKind, required: true }, param: { kind: nullable(kinds.number), default: null } });

/** The recommended gain for a nonlinearity (PyTorch's calculate_gain); param is leaky_relu's negative slope. */
export function calculateGain(...args: Array<Nonlinearity | number | null | { nonlinearity?: Nonlinearity; param?: number | null }>): number {
  const o = gainSig.parse(args);
  switch (camel(o.nonlinearity)) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d': case 'convTranspose1d': case 'convTranspose2d': case 'convTranspose3d': case 'sigmoid': return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leakyRelu': {
      const slope = o.param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    default: return 3 / 4; // selu
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
  return camel(mode) === 'fanIn' ? f.fanIn : f.fanOut;
}

const apply = (t: Tensor, fn: () => void): Tensor => {
  if (!t.isMeta) noGrad(fn);
  return t;
};

const t0 = { tensor: { kind: kind<Tensor>('a Tensor', (v) => typeof v === 'object' && v !== null && 'shape' in v && 'dtype' in v), required: true } } as const;
const sigs = {
  uniform_: signature('init.uniform_', { ...t0, a: { kind: kinds.number, default: 0 }, b: { kind: kinds.number, default: 1 } }),
  normal_: signature('init.normal_', { ...t0, mean: { kind: kinds.number, default: 0 }, std: { kind: kinds.nonNegativeNumber, default: 1 } }),
  constant_: signature('init.constant_', { ...t0, val: { kind: kinds.number, required: true } }),
  zeros_: signature('init.zeros_', t0),
  ones_: signature('init.ones_', t0),
  xavierUniform_: signature('init.xavierUniform_', { ...t0, gain: { kind: kinds.number, default: 1 } }),
  xavierNormal_: signature('init.xavierNormal_', { ...t0, gain: { kind: kinds.number, default: 1 } }),
  kaimingUniform_: signature('init.kaimingUniform_', { ...t0, a: { kind: kinds.number, default: 0 }, mode: { kind: modeKind, default: 'fanIn' }, nonlinearity: { kind: nonlinearityKind, default: 'leakyRelu' } }),
  kaimingNormal_: signature('init.kaimingNormal_', { ...t0, a: { kind: kinds.number, default: 0 }, mode: { kind: modeKind, default: 'fanIn' }, nonlinearity: { kind: nonlinearityKind, default: 'leakyRelu' } }),
  lecunNormal_: signature('init.lecunNormal_', t0),
};
type A = Array<Tensor | number | string | null | Record<string, unknown>>;

/** uniform_(t, a = 0, b = 1): U(a, b) in place. */
export const uniform_ = (...args: A): Tensor => {
  const o = sigs.uniform_.parse(args);
  return apply(o.tensor, () => uniformInPlace(o.tensor, o.a, o.b));
};
/** normal_(t, mean = 0, std = 1). */
export const normal_ = (...args: A): Tensor => {
  const o = sigs.normal_.parse(args);
  return apply(o.tensor, () => normalInPlace(o.tensor, o.mean, o.std));
};
/** constant_(t, val). */
export const constant_ = (...args: A): Tensor => {
  const o = sigs.constant_.parse(args);
  return apply(o.tensor, () => fill_(o.tensor, o.val));
};
export const zeros_ = (...args: A): Tensor => constant_(sigs.zeros_.parse(args).tensor, 0);
export const ones_ = (...args: A): Tensor => constant_(sigs.ones_.parse(args).tensor, 1);

/** xavierUniform_(t, gain = 1): U(−a, a), a = gain·√(6/(fanIn + fanOut)). */
export function xavierUniform_(...args: A): Tensor {
  const { tensor: t, gain } = sigs.xavierUniform_.parse(args);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -a, a);
}

/** xavierNormal_(t, gain = 1): N(0, gain²·2/(fanIn + fanOut)). */
export function xavierNormal_(...args: A): Tensor {
  const { tensor: t, gain } = sigs.xavierNormal_.parse(args);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

export interface KaimingOptions {
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

/** kaimingUniform_(t, a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu'), PyTorch's order and names. */
export function kaimingUniform_(...args: A): Tensor {
  const o = sigs.kaimingUniform_.parse(args);
  const gain = calculateGain(o.nonlinearity, o.a);
  const bound = Math.sqrt(3) * (gain / Math.sqrt(fan(o.tensor, o.mode)));
  return uniform_(o.tensor, -bound, bound);
}

/** kaimingNormal_(t, a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu'). */
export function kaimingNormal_(...args: A): Tensor {
  const o = sigs.kaimingNormal_.parse(args);
  const gain = calculateGain(o.nonlinearity, o.a);
  return normal_(o.tensor, 0, gain / Math.sqrt(fan(o.tensor, o.mode)));
}

/** LeCun normal: N(0, 1/fanIn). */
export function lecunNormal_(...args: A): Tensor {
  const t = sigs.lecunNormal_.parse(args).tensor;
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

/** Activations: parameter-free and shape-preserving (torch/nn/modules/activation.py). */
import { kinds, oneOf, type Params } from '../../args';
import { normDim } from '../index';
import { layerSpec, reprArgs, sameShape, type LayerSpec } from './spec';

/** A shape-preserving, parameter-free layer with PyTorch's signature `params` (defaults shown by toString when changed). */
export function activationSpec<const S extends Params>(type: string, params: S, dimArg = false): LayerSpec<S> {
  const defaults = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.default]));
  return layerSpec(type, params, {
    parameters: () => ({}),
    infer: (a, x) => {
      if (dimArg && typeof (a as { dim?: number }).dim === 'number') normDim((a as { dim: number }).dim, x.length, type);
      return sameShape(x);
    },
    repr: (a) => reprArgs(a as Record<string, unknown>, defaults, dimArg ? ['dim'] : []),
  });
}

const inplace = { inplace: { kind: kinds.boolean, default: false } } as const;

export const ReLUSpec = activationSpec('ReLU', inplace);
export const SigmoidSpec = activationSpec('Sigmoid', {});
export const TanhSpec = activationSpec('Tanh', {});
export const LeakyReLUSpec = activationSpec('LeakyReLU', { negativeSlope: { kind: kinds.number, default: 0.01 }, ...inplace });
export const ELUSpec = activationSpec('ELU', { alpha: { kind: kinds.number, default: 1 }, ...inplace });
export const GELUSpec = activationSpec('GELU', { approximate: { kind: oneOf('none', 'tanh'), default: 'none' } });
export const SoftplusSpec = activationSpec('Softplus', {
  beta: { kind: kinds.number, default: 1 },
  threshold: { kind: kinds.number, default: 20 },
});
export const SoftmaxSpec = activationSpec('Softmax', { dim: { kind: kinds.dim, required: true } }, true);
export const LogSoftmaxSpec = activationSpec('LogSoftmax', { dim: { kind: kinds.dim, required: true } }, true);

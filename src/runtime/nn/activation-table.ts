/**
 * Activation modules made from the activation table (src/runtime/ops/activations.ts): each one is its table
 * entry plus PyTorch's constructor (the entry's arguments and `inplace`, which gives the same result and leaves
 * the input unchanged). Adding one: CONTRIBUTING.md, "Adding an op".
 */
import type { Tensor } from '../tensor';
import { SpecLayer } from './layer';
import { kinds, type CallForms, type OptionsOf, type Params } from '../args';
import { activationSpec, type LayerSpec } from '../shape/layers';
import { applyActivation, ACTIVATIONS, type Activation } from '../ops/activations';

/** The module spec of a table entry: the entry's arguments (PyTorch's order), then `inplace` unless PyTorch has none. */
function tableSpec<const S extends Params>(type: string, act: Activation<S>, inplace = true) {
  return activationSpec(type, { ...act.signature.params, ...(inplace ? { inplace: { kind: kinds.boolean, default: false } } : {}) });
}

/** Base of the modules made from the activation table. */
abstract class TableActivation<S extends Params> extends SpecLayer<S> {
  constructor(
    spec: LayerSpec<S>,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any entry: its own arguments were parsed by the spec
    private readonly act: Activation<any>,
    args: readonly unknown[],
  ) {
    super(spec, args);
  }
  forward(x: Tensor): Tensor {
    const { inplace: _inplace, ...a } = this.args as Record<string, unknown>;
    return applyActivation(this.act, x, [a]);
  }
}

const HardswishSpec = tableSpec('Hardswish', ACTIVATIONS.hardswish);
/**
 * x·relu6(x + 3)/6 (MobileNetV3) elementwise, PyTorch's `nn.Hardswish(inplace = false)`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.Hardswish();
 * act(tensor([-4, 0, 1, 4])).toArray();             // [0, 0, 0.6667, 4]
 */
export class Hardswish extends TableActivation<typeof HardswishSpec.signature.params> {
  constructor(...args: CallForms<[], [inplace: boolean], OptionsOf<typeof HardswishSpec.signature.params>>) {
    super(HardswishSpec, ACTIVATIONS.hardswish, args);
  }
}

const HardsigmoidSpec = tableSpec('Hardsigmoid', ACTIVATIONS.hardsigmoid);
/**
 * relu6(x + 3)/6 elementwise, PyTorch's `nn.Hardsigmoid(inplace = false)`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.Hardsigmoid();
 * act(tensor([-4, 0, 4])).toArray();                // [0, 0.5, 1]
 */
export class Hardsigmoid extends TableActivation<typeof HardsigmoidSpec.signature.params> {
  constructor(...args: CallForms<[], [inplace: boolean], OptionsOf<typeof HardsigmoidSpec.signature.params>>) {
    super(HardsigmoidSpec, ACTIVATIONS.hardsigmoid, args);
  }
}

const HardtanhSpec = tableSpec('Hardtanh', ACTIVATIONS.hardtanh);
/**
 * clamp(x, minVal, maxVal) elementwise, PyTorch's `nn.Hardtanh(minVal = -1, maxVal = 1, inplace = false)`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.Hardtanh(-2, 2);              // or { min_val: -2, max_val: 2 }
 * act(tensor([-3, 0, 3])).toArray();                // [-2, 0, 2]
 */
export class Hardtanh extends TableActivation<typeof HardtanhSpec.signature.params> {
  constructor(...args: CallForms<[], [minVal: number, maxVal: number, inplace: boolean], OptionsOf<typeof HardtanhSpec.signature.params>>) {
    super(HardtanhSpec, ACTIVATIONS.hardtanh, args);
  }
}

const ReLU6Spec = tableSpec('ReLU6', ACTIVATIONS.relu6);
/**
 * min(max(x, 0), 6) elementwise, PyTorch's `nn.ReLU6(inplace = false)`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.ReLU6();
 * act(tensor([-1, 3, 8])).toArray();                // [0, 3, 6]
 */
export class ReLU6 extends TableActivation<typeof ReLU6Spec.signature.params> {
  constructor(...args: CallForms<[], [inplace: boolean], OptionsOf<typeof ReLU6Spec.signature.params>>) {
    super(ReLU6Spec, ACTIVATIONS.relu6, args);
  }
}

const SELUSpec = tableSpec('SELU', ACTIVATIONS.selu);
/**
 * scale·elu(x, α), α ≈ 1.6733, scale ≈ 1.0507 (self-normalising) elementwise, PyTorch's `nn.SELU(inplace = false)`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.SELU();
 * act(tensor([0, 1])).toArray();                    // [0, 1.0507]
 */
export class SELU extends TableActivation<typeof SELUSpec.signature.params> {
  constructor(...args: CallForms<[], [inplace: boolean], OptionsOf<typeof SELUSpec.signature.params>>) {
    super(SELUSpec, ACTIVATIONS.selu, args);
  }
}

const SiLUSpec = tableSpec('SiLU', ACTIVATIONS.silu);
/**
 * x·σ(x) (swish) elementwise, PyTorch's `nn.SiLU(inplace = false)`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.SiLU();
 * act(tensor([0, 1])).toArray();                    // [0, 0.7311]
 */
export class SiLU extends TableActivation<typeof SiLUSpec.signature.params> {
  constructor(...args: CallForms<[], [inplace: boolean], OptionsOf<typeof SiLUSpec.signature.params>>) {
    super(SiLUSpec, ACTIVATIONS.silu, args);
  }
}

const MishSpec = tableSpec('Mish', ACTIVATIONS.mish);
/**
 * x·tanh(softplus(x)) elementwise, PyTorch's `nn.Mish(inplace = false)`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.Mish();
 * act(tensor([0, 1])).toArray();                    // [0, 0.8651]
 */
export class Mish extends TableActivation<typeof MishSpec.signature.params> {
  constructor(...args: CallForms<[], [inplace: boolean], OptionsOf<typeof MishSpec.signature.params>>) {
    super(MishSpec, ACTIVATIONS.mish, args);
  }
}

const SoftsignSpec = tableSpec('Softsign', ACTIVATIONS.softsign, false);
/**
 * x/(1 + |x|) elementwise, PyTorch's `nn.Softsign()`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.Softsign();
 * act(tensor([-1, 3])).toArray();                   // [-0.5, 0.75]
 */
export class Softsign extends TableActivation<typeof SoftsignSpec.signature.params> {
  constructor(...args: CallForms<[], [], OptionsOf<typeof SoftsignSpec.signature.params>>) {
    super(SoftsignSpec, ACTIVATIONS.softsign, args);
  }
}

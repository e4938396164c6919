/**
 * Activation layers (torch/nn/modules/activation.py): parameter-free, shape-preserving. `inplace` is accepted for
 * PyTorch compatibility: the result is the same, but the input tensor is left unchanged (autograd has no in-place
 * activations; PyTorch documents inplace as a memory optimisation only).
 */
import type { Tensor } from '../tensor';
import { SpecLayer } from './layer';
import { elu, gelu, leakyRelu, relu, sigmoid, softplus, tanh } from '../ops/basic';
import { logSoftmax, softmax } from '../ops/nn/softmax';
import {
  ELUSpec,
  GELUSpec,
  LeakyReLUSpec,
  LogSoftmaxSpec,
  ReLUSpec,
  SigmoidSpec,
  SoftmaxSpec,
  SoftplusSpec,
  TanhSpec,
} from '../shape/layers';
import type { CallForms, OptionsOf } from '../args';

/**
 * max(0, x) elementwise, PyTorch's `nn.ReLU(inplace = false)`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.ReLU();
 * act(tensor([-1, 2])).toArray();                   // [0, 2]
 */
export class ReLU extends SpecLayer<typeof ReLUSpec.signature.params> {
  constructor(...args: CallForms<[], [inplace: boolean], OptionsOf<typeof ReLUSpec.signature.params>>) {
    super(ReLUSpec, args);
  }
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/**
 * 1/(1 + e^(−x)) elementwise, PyTorch's `nn.Sigmoid()`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.Sigmoid();
 * act(zeros([2])).toArray();                        // [0.5, 0.5]
 */
export class Sigmoid extends SpecLayer<typeof SigmoidSpec.signature.params> {
  constructor(...args: CallForms<[], [], OptionsOf<typeof SigmoidSpec.signature.params>>) {
    super(SigmoidSpec, args);
  }
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/**
 * tanh(x) elementwise, PyTorch's `nn.Tanh()`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.Tanh();
 * act(zeros([2])).toArray();                        // [0, 0]
 */
export class Tanh extends SpecLayer<typeof TanhSpec.signature.params> {
  constructor(...args: CallForms<[], [], OptionsOf<typeof TanhSpec.signature.params>>) {
    super(TanhSpec, args);
  }
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/**
 * max(0, x) + negativeSlope·min(0, x), PyTorch's `nn.LeakyReLU(negativeSlope = 0.01, inplace = false)`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.LeakyReLU(0.2);                // or { negative_slope: 0.2 }
 * act(tensor([-1, 2])).toArray();                   // [-0.2, 2]
 */
export class LeakyReLU extends SpecLayer<typeof LeakyReLUSpec.signature.params> {
  constructor(...args: CallForms<[], [negativeSlope: number, inplace: boolean], OptionsOf<typeof LeakyReLUSpec.signature.params>>) {
    super(LeakyReLUSpec, args);
  }
  get negativeSlope(): number {
    return this.args.negativeSlope;
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.args.negativeSlope);
  }
}

/**
 * x for x > 0, alpha·(eˣ − 1) otherwise, PyTorch's `nn.ELU(alpha = 1, inplace = false)`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.ELU(1);
 * act(tensor([0, 1])).toArray();                    // [0, 1]
 */
export class ELU extends SpecLayer<typeof ELUSpec.signature.params> {
  constructor(...args: CallForms<[], [alpha: number, inplace: boolean], OptionsOf<typeof ELUSpec.signature.params>>) {
    super(ELUSpec, args);
  }
  get alpha(): number {
    return this.args.alpha;
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.args.alpha);
  }
}

/**
 * x·Φ(x) (exact, or the tanh approximation), PyTorch's `nn.GELU(approximate = 'none' | 'tanh')`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.GELU('tanh');
 * act(randn([4])).shape;                            // [4]
 */
export class GELU extends SpecLayer<typeof GELUSpec.signature.params> {
  constructor(...args: CallForms<[], [approximate: 'none' | 'tanh'], OptionsOf<typeof GELUSpec.signature.params>>) {
    super(GELUSpec, args);
  }
  get approximate(): 'none' | 'tanh' {
    return this.args.approximate;
  }
  forward(x: Tensor): Tensor {
    return gelu(x, { approximate: this.args.approximate });
  }
}

/**
 * (1/beta)·log(1 + e^(beta·x)), linear above `threshold`, PyTorch's `nn.Softplus(beta = 1, threshold = 20)`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const act = new nn.Softplus(2);
 * act(randn([4])).shape;                            // [4]
 */
export class Softplus extends SpecLayer<typeof SoftplusSpec.signature.params> {
  constructor(...args: CallForms<[], [beta: number, threshold: number], OptionsOf<typeof SoftplusSpec.signature.params>>) {
    super(SoftplusSpec, args);
  }
  forward(x: Tensor): Tensor {
    return softplus(x, { beta: this.args.beta, threshold: this.args.threshold });
  }
}

/**
 * Softmax along `dim` (rows sum to 1), PyTorch's `nn.Softmax(dim)`; `dim` is required (PyTorch's implicit dim is
 * deprecated).
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const sm = new nn.Softmax(1);
 * sm(randn([2, 5])).sum(1).toArray();               // [1, 1]
 */
export class Softmax extends SpecLayer<typeof SoftmaxSpec.signature.params> {
  constructor(...args: CallForms<[dim: number], [], OptionsOf<typeof SoftmaxSpec.signature.params>>) {
    super(SoftmaxSpec, args);
  }
  get dim(): number {
    return this.args.dim;
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.args.dim);
  }
}

/**
 * log(softmax(x)) along `dim`, computed stably, PyTorch's `nn.LogSoftmax(dim)`.
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const lsm = new nn.LogSoftmax(1);
 * lsm(randn([2, 5])).shape;                         // [2, 5]
 */
export class LogSoftmax extends SpecLayer<typeof LogSoftmaxSpec.signature.params> {
  constructor(...args: CallForms<[dim: number], [], OptionsOf<typeof LogSoftmaxSpec.signature.params>>) {
    super(LogSoftmaxSpec, args);
  }
  get dim(): number {
    return this.args.dim;
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.args.dim);
  }
}

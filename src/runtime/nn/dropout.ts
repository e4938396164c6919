/** Dropout layers (torch/nn/modules/dropout.py). */
import type { Tensor } from '../tensor';
import { SpecLayer } from './layer';
import { dropout, dropout2d } from '../ops/nn/dropout';
import { DropoutSpec, Dropout2dSpec, type LayerSpec } from '../shape/layers';
import type { CallForms, OptionsOf } from '../args';

type DParams = typeof DropoutSpec.signature.params;
type DArgs = CallForms<[], [p: number, inplace: boolean], OptionsOf<DParams>>;

/** Dropout and Dropout2d differ only in the functional op they call (elements vs whole channels). */
abstract class DropoutBase extends SpecLayer<DParams> {
  protected abstract readonly op: typeof dropout;
  constructor(spec: LayerSpec<DParams>, args: readonly unknown[]) {
    super(spec, args);
  }
  get p(): number {
    return this.args.p;
  }
  forward(x: Tensor): Tensor {
    return this.op(x, { p: this.args.p, training: this.training });
  }
}

/**
 * Zeroes each element with probability p during training and scales the rest by 1/(1 − p); the identity in
 * eval(). PyTorch's `nn.Dropout(p = 0.5, inplace = false)` (`inplace` gives the same result; the input is kept).
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const drop = new nn.Dropout(0.2);
 * drop(randn([4, 10])).shape;                       // [4, 10]
 */
export class Dropout extends DropoutBase {
  protected readonly op = dropout;
  constructor(...args: DArgs) {
    super(DropoutSpec, args);
  }
}

/**
 * Zeroes whole channels with probability p during training (scaled by 1/(1 − p)), PyTorch's
 * `nn.Dropout2d(p = 0.5, inplace = false)`.
 *
 * Shape:
 * - Input: (N, C, H, W) or (C, H, W)
 * - Output: same shape as the input
 *
 * @example
 * const drop = new nn.Dropout2d(0.1);
 * drop(randn([2, 8, 4, 4])).shape;                  // [2, 8, 4, 4]
 */
export class Dropout2d extends DropoutBase {
  protected readonly op = dropout2d;
  constructor(...args: DArgs) {
    super(Dropout2dSpec, args);
  }
}

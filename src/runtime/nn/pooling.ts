/** Pooling layers (torch/nn/modules/pooling.py). Arithmetic: src/runtime/shape/layers/pooling.ts. */
import type { Tensor } from '../tensor';
import { SpecLayer } from './layer';
import { adaptiveAvgPool2d, avgPool2d, maxPool1d, maxPool2d } from '../ops/nn/pool';
import { AdaptiveAvgPool2dSpec, AvgPool2dSpec, MaxPool1dSpec, MaxPool2dSpec } from '../shape/layers';
import type { Pair } from '../shape';
import type { CallForms, OptionsOf } from '../args';

export type MaxPool2dOptions = OptionsOf<typeof MaxPool2dSpec.signature.params>;
export type AvgPool2dOptions = OptionsOf<typeof AvgPool2dSpec.signature.params>;
export type MaxPool1dOptions = OptionsOf<typeof MaxPool1dSpec.signature.params>;

/**
 * 2-D max pooling, PyTorch's `nn.MaxPool2d(kernelSize, stride = kernelSize, padding = 0, dilation = 1,
 * returnIndices = false, ceilMode = false)`; positional or by name (`ceil_mode` accepted).
 *
 * Shape:
 * - Input: (N, C, H_in, W_in) or (C, H_in, W_in)
 * - Output: (N, C, H_out, W_out), H_out = ⌊(H_in + 2·padding − dilation·(kernelSize − 1) − 1)/stride⌋ + 1 (⌈⌉ in ceil mode)
 *
 * @example
 * const pool = new nn.MaxPool2d(3, 2, 1);          // kernel 3, stride 2, padding 1
 * pool(randn([1, 64, 112, 112])).shape;            // [1, 64, 56, 56]
 */
export class MaxPool2d extends SpecLayer<typeof MaxPool2dSpec.signature.params> {
  constructor(
    ...args: CallForms<
      [kernelSize: Pair],
      [stride: Pair | null, padding: Pair, dilation: Pair, returnIndices: boolean, ceilMode: boolean],
      MaxPool2dOptions
    >
  ) {
    super(MaxPool2dSpec, args);
  }
  get kernelSize(): Pair {
    return this.args.kernelSize;
  }
  /** The pooled tensor; with `returnIndices: true`, `[output, indices]` (typed as the common case, like PyTorch's stubs). */
  forward(x: Tensor): Tensor {
    const { kernelSize, stride, padding, dilation, ceilMode, returnIndices } = this.args;
    const o = { stride: stride ?? undefined, padding, dilation, ceilMode };
    return returnIndices ? (maxPool2d(x, kernelSize, { ...o, returnIndices: true }) as unknown as Tensor) : maxPool2d(x, kernelSize, o);
  }
}

/**
 * 2-D average pooling, PyTorch's `nn.AvgPool2d(kernelSize, stride = kernelSize, padding = 0, ceilMode = false,
 * countIncludePad = true, divisorOverride = null)`.
 *
 * Shape:
 * - Input: (N, C, H_in, W_in) or (C, H_in, W_in)
 * - Output: (N, C, H_out, W_out), H_out = ⌊(H_in + 2·padding − kernelSize)/stride⌋ + 1 (⌈⌉ in ceil mode)
 *
 * @example
 * const pool = new nn.AvgPool2d(2, 1);             // kernel 2, stride 1
 * pool(randn([1, 6, 28, 28])).shape;               // [1, 6, 27, 27]
 */
export class AvgPool2d extends SpecLayer<typeof AvgPool2dSpec.signature.params> {
  constructor(
    ...args: CallForms<
      [kernelSize: Pair],
      [stride: Pair | null, padding: Pair, ceilMode: boolean, countIncludePad: boolean, divisorOverride: number | null],
      AvgPool2dOptions
    >
  ) {
    super(AvgPool2dSpec, args);
  }
  get kernelSize(): Pair {
    return this.args.kernelSize;
  }
  forward(x: Tensor): Tensor {
    const { kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride } = this.args;
    return avgPool2d(x, kernelSize, { stride: stride ?? undefined, padding, ceilMode, countIncludePad, divisorOverride });
  }
}

/**
 * 1-D max pooling, PyTorch's `nn.MaxPool1d(kernelSize, stride = kernelSize, padding = 0, dilation = 1,
 * returnIndices = false, ceilMode = false)`.
 *
 * Shape:
 * - Input: (N, C, L_in) or (C, L_in)
 * - Output: (N, C, L_out), L_out = ⌊(L_in + 2·padding − dilation·(kernelSize − 1) − 1)/stride⌋ + 1
 *
 * @example
 * const pool = new nn.MaxPool1d(2);
 * pool(randn([1, 4, 10])).shape;                   // [1, 4, 5]
 */
export class MaxPool1d extends SpecLayer<typeof MaxPool1dSpec.signature.params> {
  constructor(
    ...args: CallForms<
      [kernelSize: number],
      [stride: number | null, padding: number, dilation: number, returnIndices: boolean, ceilMode: boolean],
      MaxPool1dOptions
    >
  ) {
    super(MaxPool1dSpec, args);
  }
  get kernelSize(): number {
    return this.args.kernelSize;
  }
  /** The pooled tensor; with `returnIndices: true`, `[output, indices]` (typed as the common case, like PyTorch's stubs). */
  forward(x: Tensor): Tensor {
    const { kernelSize, stride, padding, dilation, ceilMode, returnIndices } = this.args;
    const o = { stride: stride ?? undefined, padding, dilation, ceilMode };
    return returnIndices ? (maxPool1d(x, kernelSize, { ...o, returnIndices: true }) as unknown as Tensor) : maxPool1d(x, kernelSize, o);
  }
}

/**
 * 2-D adaptive average pooling to a fixed output size, PyTorch's `nn.AdaptiveAvgPool2d(outputSize)`; `null`
 * in `[h, w]` keeps that input size.
 *
 * Shape:
 * - Input: (N, C, H_in, W_in) or (C, H_in, W_in)
 * - Output: (N, C, H_out, W_out) = outputSize
 *
 * @example
 * const gap = new nn.AdaptiveAvgPool2d([1, 1]);
 * gap(randn([2, 512, 7, 7])).shape;                // [2, 512, 1, 1]
 */
export class AdaptiveAvgPool2d extends SpecLayer<typeof AdaptiveAvgPool2dSpec.signature.params> {
  constructor(
    ...args: CallForms<[outputSize: number | [number | null, number | null]], [], OptionsOf<typeof AdaptiveAvgPool2dSpec.signature.params>>
  ) {
    super(AdaptiveAvgPool2dSpec, args);
  }
  get outputSize(): number | [number | null, number | null] {
    return this.args.outputSize;
  }
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.args.outputSize);
  }
}

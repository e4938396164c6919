/** Convolution layers (torch/nn/modules/conv.py). Arithmetic: src/runtime/shape/layers/conv.ts. */
import type { Tensor } from '../tensor';
import type { Parameter } from './module';
import { SpecLayer } from './layer';
import { defaultLayerInit } from './init';
import { conv1d, conv2d } from '../ops/nn/conv';
import { Conv1dSpec, Conv2dSpec, type LayerSpec } from '../shape/layers';
import { pair, type Pair } from '../shape';
import type { CallForms, OptionsOf, Params } from '../args';

type Padding = Pair | 'same' | 'valid';
type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';
export type Conv2dOptions = OptionsOf<typeof Conv2dSpec.signature.params>;
export type Conv1dOptions = OptionsOf<typeof Conv1dSpec.signature.params>;

/** What every convolution has: weight and bias from the spec's shapes, PyTorch's default init, channel counts. */
abstract class ConvNd<S extends Params> extends SpecLayer<S> {
  weight: Parameter;
  bias: Parameter | null;
  constructor(spec: LayerSpec<S>, args: readonly unknown[]) {
    super(spec, args);
    this.weight = this.param('weight')!;
    this.bias = this.param('bias');
    this.resetParameters();
  }
  private get common(): { inChannels: number; outChannels: number; groups: number } {
    return this.args as unknown as { inChannels: number; outChannels: number; groups: number };
  }
  get inChannels(): number {
    return this.common.inChannels;
  }
  get outChannels(): number {
    return this.common.outChannels;
  }
  get groups(): number {
    return this.common.groups;
  }
  resetParameters(): void {
    defaultLayerInit(this.weight, this.bias);
  }
}

/**
 * 2-D convolution over an input of `inChannels` planes, PyTorch's `nn.Conv2d`: weight [outChannels,
 * inChannels/groups, kH, kW] and bias [outChannels], initialised like PyTorch (Kaiming-uniform, a = √5).
 *
 * Arguments in PyTorch's order (or by name in a trailing options object, camelCase or snake_case):
 * `inChannels, outChannels, kernelSize, stride = 1, padding = 0 | 'same' | 'valid', dilation = 1, groups = 1,
 * bias = true, paddingMode = 'zeros'`.
 *
 * Shape:
 * - Input: (N, C_in, H_in, W_in) or (C_in, H_in, W_in)
 * - Output: (N, C_out, H_out, W_out), H_out = ⌊(H_in + 2·padding − dilation·(kernelSize − 1) − 1)/stride⌋ + 1 (W likewise)
 *
 * @example
 * const conv = new nn.Conv2d(1, 6, 5, { padding: 2 });   // or new nn.Conv2d(1, 6, 5, 1, 2)
 * conv(randn([8, 1, 28, 28])).shape;                     // [8, 6, 28, 28]
 */
export class Conv2d extends ConvNd<typeof Conv2dSpec.signature.params> {
  constructor(
    ...args: CallForms<
      [inChannels: number, outChannels: number, kernelSize: Pair],
      [stride: Pair, padding: Padding, dilation: Pair, groups: number, bias: boolean, paddingMode: PaddingMode],
      Conv2dOptions
    >
  ) {
    super(Conv2dSpec, args);
  }
  get kernelSize(): [number, number] {
    return pair(this.args.kernelSize);
  }
  get stride(): [number, number] {
    return pair(this.args.stride);
  }
  get padding(): [number, number] | 'same' | 'valid' {
    const p = this.args.padding;
    return typeof p === 'string' ? p : pair(p);
  }
  get dilation(): [number, number] {
    return pair(this.args.dilation);
  }
  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

/**
 * 1-D convolution over an input of `inChannels` signals, PyTorch's `nn.Conv1d`: weight [outChannels,
 * inChannels/groups, kernelSize], bias [outChannels].
 *
 * Arguments in PyTorch's order (or by name): `inChannels, outChannels, kernelSize, stride = 1,
 * padding = 0 | 'same' | 'valid', dilation = 1, groups = 1, bias = true, paddingMode = 'zeros'`.
 *
 * Shape:
 * - Input: (N, C_in, L_in) or (C_in, L_in)
 * - Output: (N, C_out, L_out), L_out = ⌊(L_in + 2·padding − dilation·(kernelSize − 1) − 1)/stride⌋ + 1
 *
 * @example
 * const conv = new nn.Conv1d(2, 4, 3, { padding: 'same' });
 * conv(randn([1, 2, 10])).shape;                          // [1, 4, 10]
 */
export class Conv1d extends ConvNd<typeof Conv1dSpec.signature.params> {
  constructor(
    ...args: CallForms<
      [inChannels: number, outChannels: number, kernelSize: number],
      [stride: number, padding: number | 'same' | 'valid', dilation: number, groups: number, bias: boolean, paddingMode: PaddingMode],
      Conv1dOptions
    >
  ) {
    super(Conv1dSpec, args);
  }
  get kernelSize(): number {
    return this.args.kernelSize;
  }
  get stride(): number {
    return this.args.stride;
  }
  get padding(): number | 'same' | 'valid' {
    return this.args.padding;
  }
  get dilation(): number {
    return this.args.dilation;
  }
  forward(x: Tensor): Tensor {
    const a = this.args;
    return conv1d(x, this.weight, this.bias, { stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups });
  }
}

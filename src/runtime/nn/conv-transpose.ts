/** nn.ConvTranspose1d / ConvTranspose2d (torch/nn/modules/conv.py), PyTorch's constructor order via args.ts. */
import type { Tensor } from '../tensor';
import { Module, Parameter } from './module';
import { empty } from '../ops/creation';
import { defaultLayerInit } from './init';
import { convTranspose1d, convTranspose2dCore, type ConvTransposeOptions } from '../ops/nn-more/conv-transpose';
import { either, kind, kinds, oneOf, signature, type OptionsOf } from '../args';

const nonNeg = either(kinds.nonNegativeInt, kind<[number, number]>('a pair of non-negative integers', (v) => Array.isArray(v) && v.length === 2 && v.every((e) => Number.isInteger(e) && e >= 0)));
const make = (name: string) => signature(name, {
  inChannels: { kind: kinds.positiveInt, required: true }, outChannels: { kind: kinds.positiveInt, required: true },
  kernelSize: { kind: kinds.intOrPair, required: true }, stride: { kind: kinds.intOrPair, default: 1 }, padding: { kind: nonNeg, default: 0 },
  outputPadding: { kind: nonNeg, default: 0 }, groups: { kind: kinds.positiveInt, default: 1 }, bias: { kind: kinds.boolean, default: true },
  dilation: { kind: kinds.intOrPair, default: 1 }, paddingMode: { kind: oneOf('zeros'), default: 'zeros' },
});
const sig2 = make('ConvTranspose2d');
const sig1 = make('ConvTranspose1d');
type Arg = number | [number, number] | boolean | string;

abstract class ConvTransposeNd extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly inChannels: number;
  readonly outChannels: number;
  protected readonly o: Required<ConvTransposeOptions>;
  constructor(name: string, o: ReturnType<typeof sig2.parse>, kernel: number[]) {
    super();
    if (o.inChannels % o.groups !== 0 || o.outChannels % o.groups !== 0) {
      throw new Error(`${name}: inChannels (${o.inChannels}) and outChannels (${o.outChannels}) must be divisible by groups (${o.groups})`);
    }
    this.inChannels = o.inChannels;
    this.outChannels = o.outChannels;
    this.o = { stride: o.stride, padding: o.padding, outputPadding: o.outputPadding, groups: o.groups, dilation: o.dilation };
    this.weight = new Parameter(empty([o.inChannels, o.outChannels / o.groups, ...kernel]));
    this.bias = o.bias ? new Parameter(empty([o.outChannels])) : null;
    this.resetParameters();
  }
  resetParameters(): void {
    defaultLayerInit(this.weight, this.bias);
  }
  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernel_size=(${this.weight.shape.slice(2).join(', ')}), stride=${JSON.stringify(this.o.stride)}`;
  }
}

/** Transposed 2-D convolution (a learnt upsampling): x [N, Cin, H, W] → [N, Cout, Hout, Wout]. */
export class ConvTranspose2d extends ConvTransposeNd {
  constructor(...args: Array<Arg | OptionsOf<typeof sig2.params>>) {
    const o = sig2.parse(args);
    const k = Array.isArray(o.kernelSize) ? o.kernelSize : [o.kernelSize, o.kernelSize];
    super('ConvTranspose2d', o, k);
  }
  forward(x: Tensor): Tensor {
    return convTranspose2dCore('ConvTranspose2d', x, this.weight, this.bias, this.o);
  }
}

/** Transposed 1-D convolution: x [N, Cin, L] → [N, Cout, Lout]. */
export class ConvTranspose1d extends ConvTransposeNd {
  constructor(...args: Array<Arg | OptionsOf<typeof sig1.params>>) {
    const o = sig1.parse(args);
    for (const k of ['kernelSize', 'stride', 'padding', 'outputPadding', 'dilation'] as const) {
      if (Array.isArray(o[k])) throw new Error(`ConvTranspose1d: ${k} must be a single integer, got ${JSON.stringify(o[k])}`);
    }
    super('ConvTranspose1d', o, [o.kernelSize as number]);
  }
  forward(x: Tensor): Tensor {
    return convTranspose1d(x, this.weight, { bias: this.bias, ...this.o });
  }
}

/** Core layers with PyTorch's argument names, defaults and default initialisation. */
import { Tensor } from '../tensor';
import { Module, Parameter } from './module';
import { empty } from '../ops/creation';
import { defaultLayerInit } from './init';
import { conv1d, conv2d, linear } from '../ops/nn/conv';
import { adaptiveAvgPool2d, avgPool2d, maxPool1d, maxPool2d } from '../ops/nn/pool';
import { logSoftmax, softmax } from '../ops/nn/softmax';
import { elu, gelu, leakyRelu, relu, sigmoid, softplus, tanh } from '../ops/basic';
import { embedding } from '../ops/nn/extra';
import { normal_ } from './init';
import { flatten } from '../ops/views';
import { pair, type Pair } from '../shape';

const fmtPair = (p: [number, number]): string => `[${p[0]}, ${p[1]}]`;

export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;
  constructor(readonly inFeatures: number, readonly outFeatures: number, opts: { bias?: boolean } = {}) {
    super();
    checkPositive('Linear', { inFeatures, outFeatures });
    this.weight = new Parameter(empty([outFeatures, inFeatures]));
    this.bias = opts.bias === false ? null : new Parameter(empty([outFeatures]));
    this.resetParameters();
  }
  resetParameters(): void {
    defaultLayerInit(this.weight, this.bias);
  }
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

function checkPositive(layer: string, vals: Record<string, number>): void {
  for (const [k, v] of Object.entries(vals)) {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${layer}: ${k} must be a positive integer, got ${v}`);
  }
}

export interface ConvOptions {
  stride?: Pair;
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
}

export class Conv2d extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;
  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, opts: ConvOptions = {}) {
    super();
    this.kernelSize = pair(kernelSize);
    this.stride = pair(opts.stride ?? 1);
    this.padding = typeof opts.padding === 'string' ? opts.padding : pair(opts.padding ?? 0);
    this.dilation = pair(opts.dilation ?? 1);
    this.groups = opts.groups ?? 1;
    checkPositive('Conv2d', { inChannels, outChannels, groups: this.groups });
    if (inChannels % this.groups || outChannels % this.groups) {
      throw new Error(`Conv2d: inChannels (${inChannels}) and outChannels (${outChannels}) must be divisible by groups (${this.groups})`);
    }
    this.weight = new Parameter(empty([outChannels, inChannels / this.groups, ...this.kernelSize]));
    this.bias = opts.bias === false ? null : new Parameter(empty([outChannels]));
    this.resetParameters();
  }
  resetParameters(): void {
    defaultLayerInit(this.weight, this.bias);
  }
  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${fmtPair(this.kernelSize)}, stride=${fmtPair(this.stride)}`;
    if (this.padding !== 'valid' && (typeof this.padding === 'string' || this.padding[0] || this.padding[1])) {
      s += `, padding=${typeof this.padding === 'string' ? `'${this.padding}'` : fmtPair(this.padding)}`;
    }
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${fmtPair(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=false';
    return s;
  }
}

export class Conv1d extends Module {
  weight: Parameter;
  bias: Parameter | null;
  constructor(readonly inChannels: number, readonly outChannels: number, readonly kernelSize: number,
    readonly opts: { stride?: number; padding?: number | 'same' | 'valid'; dilation?: number; groups?: number; bias?: boolean } = {}) {
    super();
    const groups = opts.groups ?? 1;
    checkPositive('Conv1d', { inChannels, outChannels, kernelSize, groups });
    this.weight = new Parameter(empty([outChannels, inChannels / groups, kernelSize]));
    this.bias = opts.bias === false ? null : new Parameter(empty([outChannels]));
    defaultLayerInit(this.weight, this.bias);
  }
  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, groups } = this.opts;
    return conv1d(x, this.weight, this.bias, { stride, padding, dilation, groups });
  }
  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}, stride=${this.opts.stride ?? 1}`;
  }
}

export interface PoolOptions {
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

export class MaxPool2d extends Module {
  constructor(readonly kernelSize: Pair, readonly opts: PoolOptions = {}) {
    super();
  }
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { ...this.opts, stride: this.opts.stride ?? undefined });
  }
  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, stride=${JSON.stringify(this.opts.stride ?? this.kernelSize)}, padding=${JSON.stringify(this.opts.padding ?? 0)}, ceilMode=${!!this.opts.ceilMode}`;
  }
}

export class MaxPool1d extends Module {
  constructor(readonly kernelSize: number, readonly opts: { stride?: number; padding?: number; dilation?: number; ceilMode?: boolean } = {}) {
    super();
  }
  forward(x: Tensor): Tensor {
    return maxPool1d(x, this.kernelSize, this.opts);
  }
}

export class AvgPool2d extends Module {
  constructor(readonly kernelSize: Pair, readonly opts: PoolOptions & { countIncludePad?: boolean; divisorOverride?: number } = {}) {
    super();
  }
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, { ...this.opts, stride: this.opts.stride ?? undefined });
  }
  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, stride=${JSON.stringify(this.opts.stride ?? this.kernelSize)}, padding=${JSON.stringify(this.opts.padding ?? 0)}`;
  }
}

export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | [number | null, number | null]) {
    super();
  }
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}

export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/** A parameter-free module wrapping an elementwise function. */
function activation(name: string, fn: (x: Tensor) => Tensor): new () => Module {
  const C = class extends Module {
    forward(x: Tensor): Tensor {
      return fn(x);
    }
  };
  Object.defineProperty(C, 'name', { value: name });
  return C;
}

export const ReLU = activation('ReLU', relu);
export const Sigmoid = activation('Sigmoid', sigmoid);
export const Tanh = activation('Tanh', tanh);
export const Identity = activation('Identity', (x) => x);

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
}

export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
  }
  forward(x: Tensor): Tensor {
    return gelu(x, { approximate: this.approximate });
  }
}

export class Softplus extends Module {
  constructor(readonly opts: { beta?: number; threshold?: number } = {}) {
    super();
  }
  forward(x: Tensor): Tensor {
    return softplus(x, this.opts);
  }
  override extraRepr(): string {
    return `beta=${this.opts.beta ?? 1}, threshold=${this.opts.threshold ?? 20}`;
  }
}

/** A lookup table of numEmbeddings vectors of size embeddingDim, initialised N(0, 1) like PyTorch. */
export class Embedding extends Module {
  weight: Parameter;
  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, readonly opts: { paddingIdx?: number | null } = {}) {
    super();
    checkPositive('Embedding', { numEmbeddings, embeddingDim });
    this.weight = new Parameter(empty([numEmbeddings, embeddingDim]));
    normal_(this.weight);
    const pad = opts.paddingIdx;
    if (pad !== undefined && pad !== null && !this.weight.isMeta) this.weight.data.select(0, pad < 0 ? pad + numEmbeddings : pad).fill_(0);
  }
  forward(idx: Tensor): Tensor {
    return embedding(idx, this.weight, { paddingIdx: this.opts.paddingIdx });
  }
  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}`;
  }
}

export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
}

export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
}

/** An ordered list of child modules named 0, 1, ... (shared by Sequential and ModuleList). */
abstract class ModuleSequence extends Module {
  items: Module[];
  constructor(modules: Module[], kind: string) {
    super();
    modules.forEach((l, i) => {
      if (!(l instanceof Module)) throw new Error(`${kind}: argument ${i} is not an nn.Module (got ${typeof l})`);
    });
    this.items = [...modules];
  }
  override *namedChildren(): Generator<[string, Module]> {
    for (let i = 0; i < this.items.length; i++) yield [String(i), this.items[i]];
  }
  override get length(): number {
    return this.items.length;
  }
  at(i: number): Module {
    return this.items[i < 0 ? i + this.items.length : i];
  }
  append(m: Module): this {
    this.items.push(m);
    return this;
  }
  [Symbol.iterator](): Iterator<Module> {
    return this.items[Symbol.iterator]();
  }
}

export class Sequential extends ModuleSequence {
  constructor(...layers: Module[]) {
    super(layers, 'Sequential');
  }
  forward(x: unknown): unknown {
    for (const l of this.items) x = l(x);
    return x;
  }
}

export class ModuleList extends ModuleSequence {
  constructor(modules: Module[] = []) {
    super(modules, 'ModuleList');
  }
  forward(): never {
    throw new Error('ModuleList has no forward(); iterate over it and call its modules');
  }
}

/** Linear, Identity, Flatten, Embedding, Maxout (torch/nn/modules/linear.py, flatten.py, sparse.py). */
import { Tensor } from '../tensor';
import type { Parameter } from './module';
import { SpecLayer } from './layer';
import { defaultLayerInit, normal_ } from './init';
import { linear } from '../ops/nn/conv';
import { embedding } from '../ops/nn/extra';
import { flatten, select, reshape } from '../ops/views';
import { max, type ValuesIndices } from '../ops/reduce';
import { EmbeddingSpec, FlattenSpec, IdentitySpec, LinearSpec, MaxoutSpec } from '../shape/layers';
import type { CallForms, OptionsOf } from '../args';
import { fill_ } from '../ops/inplace-ops';
import { detach } from '../ops/basic';

/**
 * Affine map y = x·Wᵀ + b, PyTorch's `nn.Linear(inFeatures, outFeatures, bias = true)`: weight [out, in],
 * bias [out], initialised like PyTorch.
 *
 * Shape:
 * - Input: (*, inFeatures)
 * - Output: (*, outFeatures)
 *
 * @example
 * const fc = new nn.Linear(400, 120);              // new nn.Linear(3, 2, false): no bias
 * fc(randn([8, 400])).shape;                       // [8, 120]
 */
export class Linear extends SpecLayer<typeof LinearSpec.signature.params> {
  weight: Parameter;
  bias: Parameter | null;
  constructor(
    ...args: CallForms<[inFeatures: number, outFeatures: number], [bias: boolean], OptionsOf<typeof LinearSpec.signature.params>>
  ) {
    super(LinearSpec, args);
    this.weight = this.param('weight')!;
    this.bias = this.param('bias');
    this.resetParameters();
  }
  get inFeatures(): number {
    return this.args.inFeatures;
  }
  get outFeatures(): number {
    return this.args.outFeatures;
  }
  resetParameters(): void {
    defaultLayerInit(this.weight, this.bias);
  }
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

/**
 * Returns its input unchanged, PyTorch's `nn.Identity` (a placeholder; like PyTorch it ignores any arguments).
 *
 * Shape:
 * - Input: (*)
 * - Output: (*), same shape as the input
 *
 * @example
 * const id = new nn.Identity();
 * id(randn([2, 3])).shape;                          // [2, 3]
 */
export class Identity extends SpecLayer<typeof IdentitySpec.signature.params> {
  constructor(..._ignored: unknown[]) {
    super(IdentitySpec, []);
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

/**
 * Flattens dims startDim..endDim into one, PyTorch's `nn.Flatten(startDim = 1, endDim = -1)`.
 *
 * Shape:
 * - Input: (*, S_start, ..., S_end, *)
 * - Output: (*, S_start·...·S_end, *)
 *
 * @example
 * const f = new nn.Flatten();
 * f(randn([8, 16, 5, 5])).shape;                    // [8, 400]
 */
export class Flatten extends SpecLayer<typeof FlattenSpec.signature.params> {
  constructor(...args: CallForms<[], [startDim: number, endDim: number], OptionsOf<typeof FlattenSpec.signature.params>>) {
    super(FlattenSpec, args);
  }
  get startDim(): number {
    return this.args.startDim;
  }
  get endDim(): number {
    return this.args.endDim;
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.args.startDim, this.args.endDim);
  }
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, PyTorch's `nn.Embedding(numEmbeddings,
 * embeddingDim, paddingIdx = null)`, initialised N(0, 1); the paddingIdx row starts at zero.
 *
 * Shape:
 * - Input: (*) integer indices
 * - Output: (*, embeddingDim)
 *
 * @example
 * const emb = new nn.Embedding(10, 3);
 * emb(tensor([[1, 2], [4, 5]])).shape;              // [2, 2, 3]
 */
export class Embedding extends SpecLayer<typeof EmbeddingSpec.signature.params> {
  weight: Parameter;
  constructor(
    ...args: CallForms<
      [numEmbeddings: number, embeddingDim: number],
      [paddingIdx: number | null],
      OptionsOf<typeof EmbeddingSpec.signature.params>
    >
  ) {
    super(EmbeddingSpec, args);
    this.weight = this.param('weight')!;
    normal_(this.weight);
    const pad = this.args.paddingIdx;
    if (pad !== null && !this.weight.isMeta) fill_(select(detach(this.weight), 0, pad < 0 ? pad + this.numEmbeddings : pad), 0);
  }
  get numEmbeddings(): number {
    return this.args.numEmbeddings;
  }
  get embeddingDim(): number {
    return this.args.embeddingDim;
  }
  forward(idx: Tensor): Tensor {
    return embedding(idx, this.weight, { paddingIdx: this.args.paddingIdx });
  }
}

/**
 * Maxout (Goodfellow et al.): the max over `pieces` affine maps, max(w₁ᵀx + b₁, …, w_kᵀx + b_k), per output unit.
 * `nn.Maxout(inFeatures, outFeatures, pieces = 2)` (not in PyTorch).
 *
 * Shape:
 * - Input: (*, inFeatures)
 * - Output: (*, outFeatures)
 *
 * @example
 * const mo = new nn.Maxout(4, 3, 2);
 * mo(randn([5, 4])).shape;                          // [5, 3]
 */
export class Maxout extends SpecLayer<typeof MaxoutSpec.signature.params> {
  linear: Linear;
  constructor(
    ...args: CallForms<[inFeatures: number, outFeatures: number], [pieces: number], OptionsOf<typeof MaxoutSpec.signature.params>>
  ) {
    super(MaxoutSpec, args);
    this.linear = new Linear(this.inFeatures, this.outFeatures * this.pieces);
  }
  get inFeatures(): number {
    return this.args.inFeatures;
  }
  get outFeatures(): number {
    return this.args.outFeatures;
  }
  get pieces(): number {
    return this.args.pieces;
  }
  forward(x: Tensor): Tensor {
    const y = this.linear(x) as Tensor;
    const shape = [...y.shape.slice(0, -1), this.outFeatures, this.pieces];
    return (max(reshape(y, shape), -1) as ValuesIndices).values;
  }
}

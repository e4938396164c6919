/**
 * Loss modules over the functional losses, with PyTorch's constructor signatures (torch/nn/modules/loss.py):
 * positional order (including the deprecated `sizeAverage`/`reduce` slots, which only accept null), a trailing
 * options object, snake_case aliases, validated like every signature (src/runtime/args.ts).
 */
import { isTensor, type Tensor } from '../tensor';
import { Module } from './module';
import * as L from '../ops/nn/losses';
import { crossEntropy, nllLoss } from '../ops/nn/classification';
import type { Reduction } from '../ops/nn/util';
import { kind, kinds, oneOf, signature, type CallForms, type OptionsOf, type Params, type Parsed, type Signature } from '../args';

const tensorOrNull = kind<Tensor | null>('a Tensor or null', (v) => v === null || isTensor(v));
const deprecated = kind<null>('null (deprecated in PyTorch: use reduction)', (v) => v === null);
const reduction = { reduction: { kind: oneOf('none', 'mean', 'sum'), default: 'mean' } } as const;
const legacy = { sizeAverage: { kind: deprecated, default: null }, reduce: { kind: deprecated, default: null } } as const;

const SIGS = {
  MSELoss: signature('MSELoss', { ...legacy, ...reduction }),
  L1Loss: signature('L1Loss', { ...legacy, ...reduction }),
  SmoothL1Loss: signature('SmoothL1Loss', { ...legacy, ...reduction, beta: { kind: kinds.nonNegativeNumber, default: 1 } }),
  CrossEntropyLoss: signature('CrossEntropyLoss', {
    weight: { kind: tensorOrNull, default: null },
    sizeAverage: legacy.sizeAverage,
    ignoreIndex: { kind: kinds.integer, default: -100 },
    reduce: legacy.reduce,
    ...reduction,
    labelSmoothing: { kind: kinds.probability, default: 0 },
  }),
  NLLLoss: signature('NLLLoss', {
    weight: { kind: tensorOrNull, default: null },
    sizeAverage: legacy.sizeAverage,
    ignoreIndex: { kind: kinds.integer, default: -100 },
    reduce: legacy.reduce,
    ...reduction,
  }),
  BCELoss: signature('BCELoss', { weight: { kind: tensorOrNull, default: null }, ...legacy, ...reduction }),
  BCEWithLogitsLoss: signature('BCEWithLogitsLoss', {
    weight: { kind: tensorOrNull, default: null },
    ...legacy,
    ...reduction,
    posWeight: { kind: tensorOrNull, default: null },
  }),
  MarginRankingLoss: signature('MarginRankingLoss', { margin: { kind: kinds.number, default: 0 }, ...legacy, ...reduction }),
  HuberLoss: signature('HuberLoss', { ...reduction, delta: { kind: kinds.positiveNumber, default: 1 } }),
  KLDivLoss: signature('KLDivLoss', {
    ...legacy,
    reduction: { kind: oneOf('none', 'mean', 'sum', 'batchmean'), default: 'mean' },
    logTarget: { kind: kinds.boolean, default: false },
  }),
};
type P<K extends keyof typeof SIGS> = (typeof SIGS)[K] extends Signature<infer S> ? S : never;
type Opts<K extends keyof typeof SIGS> = OptionsOf<P<K>>;

/** Base: the parsed arguments (`args`, also as `opts` for existing readers) and PyTorch's repr. */
abstract class Loss<S extends Params> extends Module {
  declare readonly args: Parsed<S>;
  constructor(sig: Signature<S>, args: readonly unknown[]) {
    super();
    Object.defineProperty(this, 'args', { value: Object.freeze(sig.parse(args)), enumerable: false });
  }
  get opts(): Parsed<S> {
    return this.args;
  }
  get reduction(): Reduction {
    return (this.args as { reduction: Reduction }).reduction;
  }
  override extraRepr(): string {
    return this.reduction === 'mean' ? '' : `reduction='${this.reduction}'`;
  }
}

/** Mean squared error, PyTorch's `nn.MSELoss(sizeAverage, reduce, reduction = 'mean')`. Shape: input (*), target (*). */
export class MSELoss extends Loss<P<'MSELoss'>> {
  constructor(...args: CallForms<[], [sizeAverage: null, reduce: null, reduction: Reduction], Opts<'MSELoss'>>) {
    super(SIGS.MSELoss, args);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error, PyTorch's `nn.L1Loss(sizeAverage, reduce, reduction = 'mean')`. Shape: input (*), target (*). */
export class L1Loss extends Loss<P<'L1Loss'>> {
  constructor(...args: CallForms<[], [sizeAverage: null, reduce: null, reduction: Reduction], Opts<'L1Loss'>>) {
    super(SIGS.L1Loss, args);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.l1Loss(input, target, { reduction: this.reduction });
  }
}

/** PyTorch's `nn.SmoothL1Loss(sizeAverage, reduce, reduction = 'mean', beta = 1)`. Shape: input (*), target (*). */
export class SmoothL1Loss extends Loss<P<'SmoothL1Loss'>> {
  constructor(...args: CallForms<[], [sizeAverage: null, reduce: null, reduction: Reduction, beta: number], Opts<'SmoothL1Loss'>>) {
    super(SIGS.SmoothL1Loss, args);
  }
  get beta(): number {
    return this.args.beta;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

export type CrossEntropyLossOptions = Opts<'CrossEntropyLoss'>;

/**
 * Cross entropy of logits against class indices (or probabilities), PyTorch's `nn.CrossEntropyLoss(weight,
 * sizeAverage, ignoreIndex = -100, reduce, reduction = 'mean', labelSmoothing = 0)`.
 *
 * Shape: input (N, C) or (N, C, d₁, …); target (N) / (N, d₁, …) class indices, or the input's shape.
 *
 * @example
 * const loss = new nn.CrossEntropyLoss({ label_smoothing: 0.1 });
 * loss(randn([8, 10]), randint(0, 10, [8])).shape;   // []
 */
export class CrossEntropyLoss extends Loss<P<'CrossEntropyLoss'>> {
  constructor(
    ...args: CallForms<
      [],
      [weight: Tensor | null, sizeAverage: null, ignoreIndex: number, reduce: null, reduction: Reduction, labelSmoothing: number],
      CrossEntropyLossOptions
    >
  ) {
    super(SIGS.CrossEntropyLoss, args);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    const { weight, ignoreIndex, labelSmoothing } = this.args;
    return crossEntropy(input, target, { weight, ignoreIndex, labelSmoothing, reduction: this.reduction });
  }
}

/** Negative log likelihood of log-probabilities, PyTorch's `nn.NLLLoss(weight, sizeAverage, ignoreIndex = -100, reduce, reduction)`. */
export class NLLLoss extends Loss<P<'NLLLoss'>> {
  constructor(
    ...args: CallForms<
      [],
      [weight: Tensor | null, sizeAverage: null, ignoreIndex: number, reduce: null, reduction: Reduction],
      Opts<'NLLLoss'>
    >
  ) {
    super(SIGS.NLLLoss, args);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    const { weight, ignoreIndex } = this.args;
    return nllLoss(input, target, { weight, ignoreIndex, reduction: this.reduction });
  }
}

/** Binary cross entropy of probabilities, PyTorch's `nn.BCELoss(weight, sizeAverage, reduce, reduction)`. Shape: input (*), target (*). */
export class BCELoss extends Loss<P<'BCELoss'>> {
  constructor(...args: CallForms<[], [weight: Tensor | null, sizeAverage: null, reduce: null, reduction: Reduction], Opts<'BCELoss'>>) {
    super(SIGS.BCELoss, args);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropy(input, target, { weight: this.args.weight, reduction: this.reduction });
  }
}

/** Sigmoid + binary cross entropy, PyTorch's `nn.BCEWithLogitsLoss(weight, sizeAverage, reduce, reduction, posWeight)`. */
export class BCEWithLogitsLoss extends Loss<P<'BCEWithLogitsLoss'>> {
  constructor(
    ...args: CallForms<
      [],
      [weight: Tensor | null, sizeAverage: null, reduce: null, reduction: Reduction, posWeight: Tensor | null],
      Opts<'BCEWithLogitsLoss'>
    >
  ) {
    super(SIGS.BCEWithLogitsLoss, args);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropyWithLogits(input, target, {
      weight: this.args.weight,
      posWeight: this.args.posWeight,
      reduction: this.reduction,
    });
  }
}

/** max(0, −y·(x₁ − x₂) + margin), PyTorch's `nn.MarginRankingLoss(margin = 0, sizeAverage, reduce, reduction)`. */
export class MarginRankingLoss extends Loss<P<'MarginRankingLoss'>> {
  constructor(...args: CallForms<[], [margin: number, sizeAverage: null, reduce: null, reduction: Reduction], Opts<'MarginRankingLoss'>>) {
    super(SIGS.MarginRankingLoss, args);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return L.marginRankingLoss(input1, input2, target, { margin: this.args.margin, reduction: this.reduction });
  }
}

/** PyTorch's `nn.HuberLoss(reduction = 'mean', delta = 1)`. Shape: input (*), target (*). */
export class HuberLoss extends Loss<P<'HuberLoss'>> {
  constructor(...args: CallForms<[], [reduction: Reduction, delta: number], Opts<'HuberLoss'>>) {
    super(SIGS.HuberLoss, args);
  }
  get delta(): number {
    return this.args.delta;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/** KL divergence, PyTorch's `nn.KLDivLoss(sizeAverage, reduce, reduction = 'mean' | 'batchmean', logTarget = false)`. */
export class KLDivLoss extends Loss<P<'KLDivLoss'>> {
  constructor(
    ...args: CallForms<[], [sizeAverage: null, reduce: null, reduction: Reduction | 'batchmean', logTarget: boolean], Opts<'KLDivLoss'>>
  ) {
    super(SIGS.KLDivLoss, args);
  }
  override get reduction(): Reduction {
    return this.args.reduction as Reduction;
  }
  get logTarget(): boolean {
    return this.args.logTarget;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.klDiv(input, target, { reduction: this.args.reduction, logTarget: this.logTarget });
  }
}

/** The signatures, for tests and docs. */
export const LOSS_SIGNATURES = SIGS;

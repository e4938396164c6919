/** Loss modules over the functional losses (arguments and defaults as PyTorch's). */
import type { Tensor } from '../tensor';
import { Module } from './module';
import * as L from '../ops/nn/losses';
import { crossEntropy, nllLoss } from '../ops/nn/classification';
import type { Reduction } from '../ops/nn/util';

abstract class Loss extends Module {
  constructor(readonly reduction: Reduction = 'mean') {
    super();
  }
  override extraRepr(): string {
    return this.reduction === 'mean' ? '' : `reduction='${this.reduction}'`;
  }
}

export class MSELoss extends Loss {
  constructor(opts: { reduction?: Reduction } = {}) {
    super(opts.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.mseLoss(input, target, { reduction: this.reduction });
  }
}

export class L1Loss extends Loss {
  constructor(opts: { reduction?: Reduction } = {}) {
    super(opts.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.l1Loss(input, target, { reduction: this.reduction });
  }
}

export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(opts: { reduction?: Reduction; beta?: number } = {}) {
    super(opts.reduction);
    this.beta = opts.beta ?? 1;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

export interface CrossEntropyLossOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: Reduction;
  labelSmoothing?: number;
}

export class CrossEntropyLoss extends Loss {
  constructor(readonly opts: CrossEntropyLossOptions = {}) {
    super(opts.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, { ...this.opts, reduction: this.reduction });
  }
}

export class NLLLoss extends Loss {
  constructor(readonly opts: { weight?: Tensor | null; ignoreIndex?: number; reduction?: Reduction } = {}) {
    super(opts.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { ...this.opts, reduction: this.reduction });
  }
}

export class BCELoss extends Loss {
  constructor(readonly opts: { weight?: Tensor | null; reduction?: Reduction } = {}) {
    super(opts.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropy(input, target, { ...this.opts, reduction: this.reduction });
  }
}

export class BCEWithLogitsLoss extends Loss {
  constructor(readonly opts: { weight?: Tensor | null; posWeight?: Tensor | null; reduction?: Reduction } = {}) {
    super(opts.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropyWithLogits(input, target, { ...this.opts, reduction: this.reduction });
  }
}

export class MarginRankingLoss extends Loss {
  constructor(readonly opts: { margin?: number; reduction?: Reduction } = {}) {
    super(opts.reduction);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return L.marginRankingLoss(input1, input2, target, { ...this.opts, reduction: this.reduction });
  }
}

export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(opts: { reduction?: Reduction; delta?: number } = {}) {
    super(opts.reduction);
    this.delta = opts.delta ?? 1;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

export class KLDivLoss extends Module {
  readonly reduction: 'none' | 'mean' | 'sum' | 'batchmean';
  readonly logTarget: boolean;
  constructor(opts: { reduction?: 'none' | 'mean' | 'sum' | 'batchmean'; logTarget?: boolean } = {}) {
    super();
    this.reduction = opts.reduction ?? 'mean';
    this.logTarget = opts.logTarget ?? false;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}

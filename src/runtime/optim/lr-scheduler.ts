/**
 * optim.lrScheduler — PyTorch 1.13's torch.optim.lr_scheduler in its chainable (recursive) form: each step()
 * derives the new lr from the group's current lr, so schedulers compose and the sequence equals torch's bit for bit.
 * Construction performs the initial step (lastEpoch −1 → 0), as in PyTorch.
 */
import type { Optimizer } from './optimizer';
import { schedSigs, type SchedArgs } from './signatures';

/** Any optimizer: every optimizer's defaults carry at least `lr`. */
type AnyOptimizer = Optimizer<{ lr: number }>;
type Group = { lr: number; initialLr?: number } & Record<string, unknown>;

const groupsOf = (o: AnyOptimizer): Group[] => o.paramGroups as unknown as Group[];

export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  baseLrs: number[];
  lastEpoch: number;
  protected stepCount = 0;
  protected lastLr: number[] = [];

  protected verbose = false;

  constructor(optimizer: AnyOptimizer, lastEpoch = -1, verbose = false) {
    this.verbose = verbose;
    if (!optimizer || !Array.isArray(optimizer.paramGroups)) throw new Error(`${new.target.name}: expected an optimizer as the first argument`);
    this.optimizer = optimizer;
    groupsOf(optimizer).forEach((g, i) => {
      if (lastEpoch === -1) g.initialLr = g.lr;
      else if (g.initialLr === undefined) throw new Error(`${new.target.name}: param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer`);
    });
    this.baseLrs = groupsOf(optimizer).map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** Subclasses call this at the end of their constructor (PyTorch's _initial_step). */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The chainable lr per group for the current lastEpoch. */
  protected abstract getLr(): number[];

  /** Closed form for step(epoch); schedulers without one use getLr(). */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** Advances one epoch (or jumps to `epoch`, deprecated in PyTorch) and writes the new lr into every group. */
  step(epoch?: number): void {
    this.stepCount++;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch++;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.getLr();
    }
    values.forEach((lr, i) => {
      if (!Number.isFinite(lr)) {
        throw new Error(`${this.constructor.name}: the learning rate of parameter group ${i} became ${lr} at epoch ${this.lastEpoch} (check the schedule or lambda); the optimizer keeps lr ${groupsOf(this.optimizer)[i].lr}`);
      }
    });
    groupsOf(this.optimizer).forEach((g, i) => {
      g.lr = values[i];
      if (this.verbose) console.log(`Adjusting learning rate of group ${i} to ${values[i].toExponential(4)}.`);
    });
    this.lastLr = groupsOf(this.optimizer).map((g) => g.lr);
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Scheduler state (numbers and arrays only; lambdas are not saved, as in PyTorch). */
  stateDict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === 'optimizer' || typeof v === 'function') continue;
      out[k] = Array.isArray(v) ? [...v] : v instanceof Map ? new Map(v) : v;
    }
    return out;
  }

  loadStateDict(sd: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(sd)) if (k !== 'optimizer') (this as Record<string, unknown>)[k] = Array.isArray(v) ? [...v] : v;
  }

  protected lrs(): number[] {
    return groupsOf(this.optimizer).map((g) => g.lr);
  }
}

/** lr ← lr·γ every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;
  /** new StepLR(opt, stepSize, gamma?) or new StepLR(opt, {stepSize, gamma, step_size, ...}). */
  constructor(optimizer: AnyOptimizer, ...args: SchedArgs<typeof schedSigs.StepLR>) {
    const opts = schedSigs.StepLR.parse(args);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.stepSize = opts.stepSize;
    this.gamma = opts.gamma;
    this.initialStep();
  }
  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.lrs();
    return this.lrs().map((lr) => lr * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/** lr ← lr·γ^(times the epoch appears in `milestones`). */
export class MultiStepLR extends LRScheduler {
  milestones: Map<number, number>;
  gamma: number;
  constructor(optimizer: AnyOptimizer, ...args: SchedArgs<typeof schedSigs.MultiStepLR>) {
    const opts = schedSigs.MultiStepLR.parse(args);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.milestones = new Map();
    for (const m of opts.milestones) this.milestones.set(m, (this.milestones.get(m) ?? 0) + 1);
    this.gamma = opts.gamma;
    this.initialStep();
  }
  protected getLr(): number[] {
    const n = this.milestones.get(this.lastEpoch);
    if (n === undefined) return this.lrs();
    return this.lrs().map((lr) => lr * this.gamma ** n);
  }
  protected override closedFormLr(): number[] {
    const passed = [...this.milestones].filter(([m]) => m <= this.lastEpoch).reduce((a, [, c]) => a + c, 0);
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}

/** lr ← lr·γ every epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;
  constructor(optimizer: AnyOptimizer, ...args: SchedArgs<typeof schedSigs.ExponentialLR>) {
    const opts = schedSigs.ExponentialLR.parse(args);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.gamma = opts.gamma;
    this.initialStep();
  }
  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.lrs();
    return this.lrs().map((lr) => lr * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}

/** lr = baseLr·λ(epoch); `lrLambda` is one function or one per group. */
export class LambdaLR extends LRScheduler {
  lrLambdas: Array<(epoch: number) => number>;
  constructor(optimizer: AnyOptimizer, ...args: SchedArgs<typeof schedSigs.LambdaLR>) {
    const opts = schedSigs.LambdaLR.parse(args);
    super(optimizer, opts.lastEpoch, opts.verbose);
    const n = optimizer.paramGroups.length;
    if (Array.isArray(opts.lrLambda)) {
      if (opts.lrLambda.length !== n) throw new Error(`LambdaLR: expected ${n} lrLambdas, but got ${opts.lrLambda.length}`);
      this.lrLambdas = [...opts.lrLambda];
    } else {
      if (typeof opts.lrLambda !== 'function') throw new Error('LambdaLR: lrLambda must be a function (epoch) => factor');
      this.lrLambdas = Array.from({ length: n }, () => opts.lrLambda as (epoch: number) => number);
    }
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lrLambdas[i](this.lastEpoch));
  }
}

/** Cosine annealing, PyTorch's recursive form (it keeps oscillating past tMax, like torch). */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;
  /** new CosineAnnealingLR(opt, tMax, etaMin?) or {tMax | T_max, etaMin | eta_min}. */
  constructor(optimizer: AnyOptimizer, ...args: SchedArgs<typeof schedSigs.CosineAnnealingLR>) {
    const opts = schedSigs.CosineAnnealingLR.parse(args);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.tMax = opts.tMax;
    this.etaMin = opts.etaMin;
    this.initialStep();
  }
  protected getLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    if (e === 0) return this.lrs();
    if (this.stepCount === 1 && e > 0) return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    if ((e - 1 - T) % (2 * T) === 0) return this.lrs().map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    return this.lrs().map((lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - etaMin) + etaMin);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
}

export { ReduceLROnPlateau } from './plateau';
export type { PlateauOptions } from './plateau';

/** ReduceLROnPlateau — PyTorch 1.13's semantics (mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps). */
import type { Optimizer } from './optimizer';
import { schedSigs, type SchedArgs } from './signatures';

export interface PlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  /** One value for every group or one per group. */
  minLr?: number | number[];
  eps?: number;
}

type Group = { lr: number } & Record<string, unknown>;

/**
 * step(metric): when the metric has not improved (by `threshold`, relative or absolute) for more than `patience`
 * epochs, lr ← max(lr·factor, minLr) (skipped when the change is ≤ eps), then wait `cooldown` epochs.
 */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer<{ lr: number }>;
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLrs: number[];
  eps: number;
  best = Infinity;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];
  private verbose: boolean;

  constructor(optimizer: Optimizer<{ lr: number }>, ...args: SchedArgs<typeof schedSigs.ReduceLROnPlateau>) {
    const opts = schedSigs.ReduceLROnPlateau.parse(args);
    this.verbose = opts.verbose;
    this.optimizer = optimizer;
    this.mode = opts.mode ?? 'min';
    this.factor = opts.factor ?? 0.1;
    this.patience = opts.patience ?? 10;
    this.threshold = opts.threshold ?? 1e-4;
    this.thresholdMode = opts.thresholdMode ?? 'rel';
    this.cooldown = opts.cooldown ?? 0;
    this.eps = opts.eps ?? 1e-8;
    if (this.factor >= 1) throw new Error('ReduceLROnPlateau: factor should be < 1.0');
    if (this.mode !== 'min' && this.mode !== 'max') throw new Error(`ReduceLROnPlateau: mode ${String(this.mode)} is unknown!`);
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') throw new Error(`ReduceLROnPlateau: threshold mode ${String(this.thresholdMode)} is unknown!`);
    const n = optimizer.paramGroups.length;
    const minLr = opts.minLr ?? 0;
    if (Array.isArray(minLr) && minLr.length !== n) throw new Error(`ReduceLROnPlateau: expected ${n} minLrs, got ${minLr.length}`);
    this.minLrs = Array.isArray(minLr) ? [...minLr] : Array.from({ length: n }, () => minLr);
    this.reset();
    this.lastLr = this.groups().map((g) => g.lr);
  }

  private groups(): Group[] {
    return this.optimizer.paramGroups as unknown as Group[];
  }

  private reset(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  isBetter(a: number, best: number): boolean {
    const t = this.threshold;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - t) : a < best - t;
    return this.thresholdMode === 'rel' ? a > best * (t + 1) : a > best + t;
  }

  step(metric: number | { item(): number }, epoch?: number): void {
    const current = typeof metric === 'number' ? metric : metric.item();
    this.lastEpoch = epoch ?? this.lastEpoch + 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.inCooldown) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.groups().map((g) => g.lr);
  }

  private reduceLr(): void {
    this.groups().forEach((g, i) => {
      const old = g.lr;
      const lr = Math.max(old * this.factor, this.minLrs[i]);
      if (old - lr > this.eps) {
        g.lr = lr;
        if (this.verbose) console.log(`Epoch ${this.lastEpoch}: reducing learning rate of group ${i} to ${lr.toExponential(4)}.`);
      }
    });
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): Record<string, unknown> {
    const { optimizer: _o, ...rest } = this as unknown as Record<string, unknown>;
    void _o;
    return { ...rest, minLrs: [...this.minLrs] };
  }

  loadStateDict(sd: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(sd)) if (k !== 'optimizer') (this as unknown as Record<string, unknown>)[k] = Array.isArray(v) ? [...v] : v;
  }
}

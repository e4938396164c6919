/** OneCycleLR and CyclicLR — PyTorch 1.13's rules, including the momentum / beta1 cycling. */
import type { Optimizer } from './optimizer';
import { LRScheduler } from './lr-scheduler';
import { schedSigs, type SchedArgs } from './signatures';

/** Any optimizer: every optimizer's defaults carry at least `lr`. */
type AnyOptimizer = Optimizer<{ lr: number }>;
type Group = { lr: number; initialLr?: number; momentum?: number; betas?: [number, number] } & Record<string, unknown>;
const groupsOf = (o: AnyOptimizer): Group[] => o.paramGroups as unknown as Group[];

function perGroup(name: string, what: string, v: number | number[], n: number): number[] {
  if (!Array.isArray(v)) return Array(n).fill(v);
  if (v.length !== n) throw new Error(`${name}: expected ${n} values for ${what}, got ${v.length}`);
  return [...v];
}

interface Phase { end: number; startLr: 'initialLr' | 'maxLr' | 'minLr'; endLr: 'initialLr' | 'maxLr' | 'minLr'; startM: 'maxMomentum' | 'baseMomentum'; endM: 'maxMomentum' | 'baseMomentum' }

/** Warm up to maxLr, then anneal to maxLr/(divFactor·finalDivFactor) over totalSteps (cycling momentum inversely). */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  private phases: Phase[];
  private anneal: (a: number, b: number, pct: number) => number;
  private cycleMomentum: boolean;
  private useBeta1: boolean;
  private gv: Array<Record<'initialLr' | 'maxLr' | 'minLr' | 'maxMomentum' | 'baseMomentum', number>>;

  constructor(optimizer: AnyOptimizer, ...args: SchedArgs<typeof schedSigs.OneCycleLR>) {
    const o = schedSigs.OneCycleLR.parse(args);
    const name = 'OneCycleLR';
    const groups = groupsOf(optimizer);
    let total: number;
    if (o.totalSteps !== null) total = o.totalSteps;
    else if (o.epochs !== null && o.stepsPerEpoch !== null) total = o.epochs * o.stepsPerEpoch;
    else throw new Error(`${name}: you must define either totalSteps OR (epochs AND stepsPerEpoch)`);
    const maxLrs = perGroup(name, 'maxLr', o.maxLr, groups.length);
    const gv = maxLrs.map((m) => ({ initialLr: m / o.divFactor, maxLr: m, minLr: m / o.divFactor / o.finalDivFactor, maxMomentum: 0, baseMomentum: 0 }));
    if (o.lastEpoch === -1) groups.forEach((g, i) => (g.lr = gv[i].initialLr));
    const defaults = optimizer.defaults as Record<string, unknown>;
    const useBeta1 = 'betas' in defaults;
    if (o.cycleMomentum) {
      if (!('momentum' in defaults) && !useBeta1) throw new Error(`${name}: optimizer must support momentum or beta1 with cycleMomentum enabled`);
      const maxM = perGroup(name, 'maxMomentum', o.maxMomentum, groups.length);
      const baseM = perGroup(name, 'baseMomentum', o.baseMomentum, groups.length);
      groups.forEach((g, i) => {
        gv[i].maxMomentum = maxM[i];
        gv[i].baseMomentum = baseM[i];
        if (o.lastEpoch === -1) setMomentum(g, maxM[i], useBeta1);
      });
    }
    super(optimizer, o.lastEpoch, o.verbose);
    this.totalSteps = total;
    this.gv = gv;
    this.cycleMomentum = o.cycleMomentum;
    this.useBeta1 = useBeta1;
    this.anneal = o.annealStrategy === 'cos'
      ? (a, b, pct) => b + ((a - b) / 2) * (Math.cos(Math.PI * pct) + 1)
      : (a, b, pct) => (b - a) * pct + a;
    const p = o.pctStart;
    this.phases = o.threePhase
      ? [
        { end: p * total - 1, startLr: 'initialLr', endLr: 'maxLr', startM: 'maxMomentum', endM: 'baseMomentum' },
        { end: 2 * p * total - 2, startLr: 'maxLr', endLr: 'initialLr', startM: 'baseMomentum', endM: 'maxMomentum' },
        { end: total - 1, startLr: 'initialLr', endLr: 'minLr', startM: 'maxMomentum', endM: 'maxMomentum' },
      ]
      : [
        { end: p * total - 1, startLr: 'initialLr', endLr: 'maxLr', startM: 'maxMomentum', endM: 'baseMomentum' },
        { end: total - 1, startLr: 'maxLr', endLr: 'minLr', startM: 'baseMomentum', endM: 'maxMomentum' },
      ];
    this.initialStep();
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new Error(`OneCycleLR: tried to step ${step} times; the specified number of total steps is ${this.totalSteps}`);
    }
    return groupsOf(this.optimizer).map((g, gi) => {
      const v = this.gv[gi];
      let start = 0;
      let lr = g.lr;
      for (let i = 0; i < this.phases.length; i++) {
        const ph = this.phases[i];
        if (step <= ph.end || i === this.phases.length - 1) {
          const pct = (step - start) / (ph.end - start);
          lr = this.anneal(v[ph.startLr], v[ph.endLr], pct);
          if (this.cycleMomentum) setMomentum(g, this.anneal(v[ph.startM], v[ph.endM], pct), this.useBeta1);
          break;
        }
        start = ph.end;
      }
      return lr;
    });
  }
}

function setMomentum(g: Group, m: number, useBeta1: boolean): void {
  if (useBeta1) g.betas = [m, (g.betas as [number, number])[1]];
  else g.momentum = m;
}

/** Cyclical learning rates (triangular, triangular2, exp_range or a scale function), PyTorch 1.13. */
export class CyclicLR extends LRScheduler {
  private maxLrs: number[];
  private totalSize: number;
  private stepRatio: number;
  private scaleFn: (x: number) => number;
  private scaleMode: 'cycle' | 'iterations';
  private cycleMomentum: boolean;
  private baseMomentums: number[] = [];
  private maxMomentums: number[] = [];

  constructor(optimizer: AnyOptimizer, ...args: SchedArgs<typeof schedSigs.CyclicLR>) {
    const o = schedSigs.CyclicLR.parse(args);
    const name = 'CyclicLR';
    const groups = groupsOf(optimizer);
    const baseLrs = perGroup(name, 'baseLr', o.baseLr, groups.length);
    if (o.lastEpoch === -1) groups.forEach((g, i) => (g.lr = baseLrs[i]));
    let baseM: number[] = [];
    let maxM: number[] = [];
    if (o.cycleMomentum) {
      if (!('momentum' in (optimizer.defaults as object))) {
        throw new Error(`${name}: optimizer must support momentum with cycleMomentum enabled (PyTorch 1.13; pass cycleMomentum: false for Adam-type optimizers)`);
      }
      baseM = perGroup(name, 'baseMomentum', o.baseMomentum, groups.length);
      maxM = perGroup(name, 'maxMomentum', o.maxMomentum, groups.length);
      if (o.lastEpoch === -1) groups.forEach((g, i) => (g.momentum = baseM[i]));
    }
    super(optimizer, o.lastEpoch, o.verbose);
    this.baseLrs = baseLrs;
    this.maxLrs = perGroup(name, 'maxLr', o.maxLr, groups.length);
    const up = o.stepSizeUp;
    const down = o.stepSizeDown ?? up;
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.cycleMomentum = o.cycleMomentum;
    this.baseMomentums = baseM;
    this.maxMomentums = maxM;
    if (o.scaleFn) {
      this.scaleFn = o.scaleFn;
      this.scaleMode = o.scaleMode;
    } else if (o.mode === 'triangular') {
      this.scaleFn = () => 1;
      this.scaleMode = 'cycle';
    } else if (o.mode === 'triangular2') {
      this.scaleFn = (x) => 1 / 2 ** (x - 1);
      this.scaleMode = 'cycle';
    } else {
      const gamma = o.gamma;
      this.scaleFn = (x) => gamma ** x;
      this.scaleMode = 'iterations';
    }
    this.initialStep();
  }

  protected getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const scale = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const s = this.scaleFn(this.scaleMode === 'cycle' ? cycle : this.lastEpoch);
    const lrs = this.baseLrs.map((b, i) => b + (this.maxLrs[i] - b) * scale * s);
    if (this.cycleMomentum) {
      groupsOf(this.optimizer).forEach((g, i) => {
        g.momentum = this.maxMomentums[i] - (this.maxMomentums[i] - this.baseMomentums[i]) * scale * s;
      });
    }
    return lrs;
  }
}

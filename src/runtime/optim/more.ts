/** Adadelta, Adamax, NAdam, RAdam — PyTorch 1.13's single-tensor update rules (operation order kept for parity). */
import type { Tensor } from '../tensor';
import { Optimizer, type OptimState, type ParamsArg } from './optimizer';
import { zerosLike } from '../ops/creation';
import { maximum } from '../ops/basic';
import { optimSigs, type OptimArgs } from './signatures';

type Betas = [number, number];

export interface AdadeltaOptions { lr: number; rho?: number; eps?: number; weightDecay?: number; maximize?: boolean }
export interface AdamaxOptions { lr: number; betas?: Betas; eps?: number; weightDecay?: number; maximize?: boolean }
export interface NAdamOptions { lr: number; betas?: Betas; eps?: number; weightDecay?: number; momentumDecay?: number }
export interface RAdamOptions { lr: number; betas?: Betas; eps?: number; weightDecay?: number }

const buf = (st: OptimState, key: string, p: Tensor): Tensor => (st[key] as Tensor) ?? (st[key] = zerosLike(p));
const nextStep = (st: OptimState): number => (st.step = ((st.step as number) ?? 0) + 1);

/** square_avg ← ρ·sa + (1−ρ)g²; δ = √(acc+eps)/√(sa+eps)·g; acc ← ρ·acc + (1−ρ)δ²; p ← p − lr·δ. */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: ParamsArg<AdadeltaOptions>, ...args: OptimArgs<typeof optimSigs.Adadelta>) {
    super(params, optimSigs.Adadelta.parse(args) as AdadeltaOptions, optimSigs.Adadelta);
  }
  protected update(p: Tensor, grad: Tensor, st: OptimState, o: AdadeltaOptions): void {
    const { rho = 0.9, eps = 1e-6 } = o;
    let g = o.maximize ? grad.neg() : grad;
    if (o.weightDecay) g = g.add(p, { alpha: o.weightDecay });
    const sq = buf(st, 'squareAvg', p);
    const acc = buf(st, 'accDelta', p);
    nextStep(st);
    sq.mul_(rho).add_(g.mul(1 - rho).mul(g));
    const std = sq.add(eps).sqrt();
    const delta = acc.add(eps).sqrt().div(std).mul(g);
    acc.mul_(rho).add_(delta.mul(1 - rho).mul(delta));
    p.add_(delta, { alpha: -o.lr });
  }
}

/** Adam with the infinity norm: u ← max(β₂u, |g| + eps); p ← p − lr/(1−β₁ᵗ)·m/u. */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: ParamsArg<AdamaxOptions>, ...args: OptimArgs<typeof optimSigs.Adamax>) {
    super(params, optimSigs.Adamax.parse(args) as AdamaxOptions, optimSigs.Adamax);
  }
  protected update(p: Tensor, grad: Tensor, st: OptimState, o: AdamaxOptions): void {
    const [b1, b2] = o.betas ?? [0.9, 0.999];
    let g = o.maximize ? grad.neg() : grad;
    const m = buf(st, 'expAvg', p);
    const u = buf(st, 'expInf', p);
    const step = nextStep(st);
    if (o.weightDecay) g = g.add(p, { alpha: o.weightDecay });
    m.mul_(b1).add_(g, { alpha: 1 - b1 });
    u.copy_(maximum(u.mul(b2), g.abs().add(o.eps ?? 1e-8)));
    const clr = o.lr / (1 - b1 ** step);
    p.add_(m.mul(-clr).div(u));
  }
}

/** Adam with Nesterov momentum and PyTorch 1.13's momentum-decay schedule (μ products as torch computes them). */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: ParamsArg<NAdamOptions>, ...args: OptimArgs<typeof optimSigs.NAdam>) {
    super(params, optimSigs.NAdam.parse(args) as NAdamOptions, optimSigs.NAdam);
  }
  protected update(p: Tensor, grad: Tensor, st: OptimState, o: NAdamOptions): void {
    const [b1, b2] = o.betas ?? [0.9, 0.999];
    const md = o.momentumDecay ?? 4e-3;
    const m = buf(st, 'expAvg', p);
    const v = buf(st, 'expAvgSq', p);
    const step = nextStep(st);
    const bc2 = 1 - b2 ** step;
    let g = grad;
    if (o.weightDecay) g = g.add(p, { alpha: o.weightDecay });
    const mu = b1 * (1 - 0.5 * 0.96 ** (step * md));
    const muNext = b1 * (1 - 0.5 * 0.96 ** ((step + 1) * md));
    // torch keeps mu_product as a float32 tensor: round like it
    const muProduct = Math.fround(((st.muProduct as number) ?? 1) * mu);
    st.muProduct = muProduct;
    const muProductNext = Math.fround(muProduct * mu * muNext);
    m.mul_(b1).add_(g, { alpha: 1 - b1 });
    v.mul_(b2).add_(g.mul(1 - b2).mul(g));
    const denom = v.div(bc2).sqrt().add(o.eps ?? 1e-8);
    p.add_(g.mul((-o.lr * (1 - mu)) / (1 - muProduct)).div(denom));
    p.add_(m.mul((-o.lr * muNext) / (1 - muProductNext)).div(denom));
  }
}

/** Rectified Adam: the adaptive step only once the variance estimate is tractable (ρₜ > 5). */
export class RAdam extends Optimizer<RAdamOptions> {
  constructor(params: ParamsArg<RAdamOptions>, ...args: OptimArgs<typeof optimSigs.RAdam>) {
    super(params, optimSigs.RAdam.parse(args) as RAdamOptions, optimSigs.RAdam);
  }
  protected update(p: Tensor, grad: Tensor, st: OptimState, o: RAdamOptions): void {
    const [b1, b2] = o.betas ?? [0.9, 0.999];
    const m = buf(st, 'expAvg', p);
    const v = buf(st, 'expAvgSq', p);
    const step = nextStep(st);
    const bc1 = 1 - b1 ** step;
    const bc2 = 1 - b2 ** step;
    let g = grad;
    if (o.weightDecay) g = g.add(p, { alpha: o.weightDecay });
    m.mul_(b1).add_(g, { alpha: 1 - b1 });
    v.mul_(b2).add_(g.mul(1 - b2).mul(g));
    const mHat = m.div(bc1);
    const rhoInf = 2 / (1 - b2) - 1;
    const rhoT = rhoInf - (2 * step * b2 ** step) / bc2;
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptive = v.sqrt().add(o.eps ?? 1e-8).reciprocal().mul(Math.sqrt(bc2));
      p.add_(mHat.mul(o.lr).mul(adaptive).mul(rect), { alpha: -1 });
    } else {
      p.add_(mHat.mul(o.lr), { alpha: -1 });
    }
  }
}

/** Adadelta, Adamax, NAdam, RAdam — PyTorch 1.13's single-tensor update rules (operation order kept for parity). */
import type { Tensor } from '../tensor';
import { Optimizer, type OptimState, type ParamsArg } from './optimizer';
import { zerosLike } from '../ops/creation';
import { maximum, neg, add, mul, sqrt, div, abs, reciprocal } from '../ops/basic';
import { optimSigs, type OptimArgs } from './signatures';
import { add_, mul_, copy_ } from '../ops/inplace-ops';

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
    let g = o.maximize ? neg(grad) : grad;
    if (o.weightDecay) g = add(g, p, { alpha: o.weightDecay });
    const sq = buf(st, 'squareAvg', p);
    const acc = buf(st, 'accDelta', p);
    nextStep(st);
    add_(mul_(sq, rho), mul(mul(g, 1 - rho), g));
    const std = sqrt(add(sq, eps));
    const delta = mul(div(sqrt(add(acc, eps)), std), g);
    add_(mul_(acc, rho), mul(mul(delta, 1 - rho), delta));
    add_(p, delta, { alpha: -o.lr });
  }
}

/** Adam with the infinity norm: u ← max(β₂u, |g| + eps); p ← p − lr/(1−β₁ᵗ)·m/u. */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: ParamsArg<AdamaxOptions>, ...args: OptimArgs<typeof optimSigs.Adamax>) {
    super(params, optimSigs.Adamax.parse(args) as AdamaxOptions, optimSigs.Adamax);
  }
  protected update(p: Tensor, grad: Tensor, st: OptimState, o: AdamaxOptions): void {
    const [b1, b2] = o.betas ?? [0.9, 0.999];
    let g = o.maximize ? neg(grad) : grad;
    const m = buf(st, 'expAvg', p);
    const u = buf(st, 'expInf', p);
    const step = nextStep(st);
    if (o.weightDecay) g = add(g, p, { alpha: o.weightDecay });
    add_(mul_(m, b1), g, { alpha: 1 - b1 });
    copy_(u, maximum(mul(u, b2), add(abs(g), o.eps ?? 1e-8)));
    const clr = o.lr / (1 - b1 ** step);
    add_(p, div(mul(m, -clr), u));
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
    if (o.weightDecay) g = add(g, p, { alpha: o.weightDecay });
    const mu = b1 * (1 - 0.5 * 0.96 ** (step * md));
    const muNext = b1 * (1 - 0.5 * 0.96 ** ((step + 1) * md));
    // torch keeps mu_product as a float32 tensor: round like it
    const muProduct = Math.fround(((st.muProduct as number) ?? 1) * mu);
    st.muProduct = muProduct;
    const muProductNext = Math.fround(muProduct * mu * muNext);
    add_(mul_(m, b1), g, { alpha: 1 - b1 });
    add_(mul_(v, b2), mul(mul(g, 1 - b2), g));
    const denom = add(sqrt(div(v, bc2)), o.eps ?? 1e-8);
    add_(p, div(mul(g, (-o.lr * (1 - mu)) / (1 - muProduct)), denom));
    add_(p, div(mul(m, (-o.lr * muNext) / (1 - muProductNext)), denom));
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
    if (o.weightDecay) g = add(g, p, { alpha: o.weightDecay });
    add_(mul_(m, b1), g, { alpha: 1 - b1 });
    add_(mul_(v, b2), mul(mul(g, 1 - b2), g));
    const mHat = div(m, bc1);
    const rhoInf = 2 / (1 - b2) - 1;
    const rhoT = rhoInf - (2 * step * b2 ** step) / bc2;
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptive = mul(reciprocal(add(sqrt(v), o.eps ?? 1e-8)), Math.sqrt(bc2));
      add_(p, mul(mul(mul(mHat, o.lr), adaptive), rect), { alpha: -1 });
    } else {
      add_(p, mul(mHat, o.lr), { alpha: -1 });
    }
  }
}

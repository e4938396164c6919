/** RMSprop (alpha, momentum, centered, weightDecay) and Adagrad (lrDecay, initialAccumulatorValue) — PyTorch 1.13. */
import type { Tensor } from '../tensor';
import { optimSigs, type OptimArgs } from './signatures';
import { Optimizer, type OptimState, type ParamsArg } from './optimizer';
import { zerosLike, fullLike } from '../ops/creation';
import { noGrad } from '../autograd/mode';
import { neg, add, mul, sqrt, sub, div } from '../ops/basic';
import { add_, mul_, sub_ } from '../ops/inplace-ops';

export interface RMSpropOptions {
  lr: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

/**
 * v ← αv + (1−α)g²; centered: ḡ ← αḡ + (1−α)g, avg = √(v − ḡ²) + eps, else avg = √v + eps;
 * momentum: b ← μb + g/avg, p ← p − lr·b; else p ← p − lr·g/avg. (eps is added after the square root.)
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsArg<RMSpropOptions>, ...args: OptimArgs<typeof optimSigs.RMSprop>) {
    const o = optimSigs.RMSprop.parse(args);
    if (!(o.lr >= 0)) throw new Error(`RMSprop: invalid learning rate: ${o.lr}`);
    if (!(o.eps >= 0)) throw new Error(`RMSprop: invalid epsilon value: ${o.eps}`);
    if (!(o.momentum >= 0)) throw new Error(`RMSprop: invalid momentum value: ${o.momentum}`);
    if (!(o.weightDecay >= 0)) throw new Error(`RMSprop: invalid weight_decay value: ${o.weightDecay}`);
    if (!(o.alpha >= 0)) throw new Error(`RMSprop: invalid alpha value: ${o.alpha}`);
    super(params, o as RMSpropOptions, optimSigs.RMSprop);
  }

  protected update(p: Tensor, grad: Tensor, st: OptimState, o: RMSpropOptions): void {
    const alpha = o.alpha ?? 0.99;
    const momentum = o.momentum ?? 0;
    let g = o.maximize ? neg(grad) : grad;
    if (o.weightDecay) g = add(g, p, { alpha: o.weightDecay });
    st.step = ((st.step as number) ?? 0) + 1;
    const v = (st.squareAvg as Tensor) ?? (st.squareAvg = zerosLike(p));
    add_(mul_(v, alpha), mul(mul(g, 1 - alpha), g)); // torch addcmul order: (value·g)·g
    let avg: Tensor;
    if (o.centered) {
      const ga = (st.gradAvg as Tensor) ?? (st.gradAvg = zerosLike(p));
      add_(mul_(ga, alpha), g, { alpha: 1 - alpha });
      avg = sqrt(sub(v, mul(ga, ga)));
    } else {
      avg = sqrt(v);
    }
    avg = add(avg, o.eps ?? 1e-8);
    if (momentum > 0) {
      const buf = (st.momentumBuffer as Tensor) ?? (st.momentumBuffer = zerosLike(p));
      add_(mul_(buf, momentum), div(g, avg));
      sub_(p, buf, { alpha: o.lr });
    } else {
      add_(p, div(mul(g, -o.lr), avg)); // torch addcdiv order: (value·g)/avg
    }
  }
}

export interface AdagradOptions {
  lr: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
}

/** s ← s + g²; p ← p − clr·g/(√s + eps) with clr = lr / (1 + (step − 1)·lrDecay). State is created eagerly, as in PyTorch. */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: ParamsArg<AdagradOptions>, ...args: OptimArgs<typeof optimSigs.Adagrad>) {
    const o = optimSigs.Adagrad.parse(args);
    if (!(o.lr >= 0)) throw new Error(`Adagrad: invalid learning rate: ${o.lr}`);
    if (!(o.lrDecay >= 0)) throw new Error(`Adagrad: invalid lr_decay value: ${o.lrDecay}`);
    if (!(o.weightDecay >= 0)) throw new Error(`Adagrad: invalid weight_decay value: ${o.weightDecay}`);
    if (!(o.initialAccumulatorValue >= 0)) throw new Error(`Adagrad: invalid initial_accumulator_value value: ${o.initialAccumulatorValue}`);
    if (!(o.eps >= 0)) throw new Error(`Adagrad: invalid epsilon value: ${o.eps}`);
    super(params, o as AdagradOptions, optimSigs.Adagrad);
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (p.isMeta) continue;
        // PyTorch 1.13 fills every group's sum with the constructor's value (a per-group option is ignored).
        const init = o.initialAccumulatorValue;
        this.state.set(p, { step: 0, sum: noGrad(() => fullLike(p, init)) });
      }
    }
  }

  protected update(p: Tensor, grad: Tensor, st: OptimState, o: AdagradOptions): void {
    const step = ((st.step as number) ?? 0) + 1;
    st.step = step;
    let g = o.maximize ? neg(grad) : grad;
    if (o.weightDecay) g = add(g, p, { alpha: o.weightDecay });
    const clr = o.lr / (1 + (step - 1) * (o.lrDecay ?? 0));
    const sum = (st.sum as Tensor) ?? (st.sum = fullLike(p, this.defaults.initialAccumulatorValue ?? 0));
    add_(sum, mul(g, g));
    const std = add(sqrt(sum), o.eps ?? 1e-10);
    add_(p, div(mul(g, -clr), std)); // torch addcdiv order
  }
}

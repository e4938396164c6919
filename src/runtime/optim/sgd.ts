/** SGD (momentum, dampening, nesterov, weightDecay), Adam/AdamW (amsgrad) — PyTorch's update rules. */
import type { Tensor } from '../tensor';
import { Optimizer, type ParamGroup, type ParamsArg } from './optimizer';
import { fusedAdam, fusedSgd } from './fused';
import { zerosLike } from '../ops/creation';
import { maximum, neg, add, clone, mul, div, sqrt } from '../ops/basic';
import { optimSigs, type OptimArgs } from './signatures';
import { add_, mul_, copy_ } from '../ops/inplace-ops';

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

export class SGD extends Optimizer<SGDOptions> {
  /** new SGD(params, lr, momentum?, dampening?, weightDecay?, nesterov?, {maximize}) or new SGD(params, {lr, ...}). */
  constructor(params: ParamsArg<SGDOptions>, ...args: OptimArgs<typeof optimSigs.SGD>) {
    const opts = optimSigs.SGD.parse(args);
    if (opts.nesterov && (!(opts.momentum ?? 0) || (opts.dampening ?? 0) !== 0)) {
      throw new Error('SGD: nesterov momentum requires a momentum and zero dampening');
    }
    super(params, opts as SGDOptions, optimSigs.SGD);
  }
  /** wasm: one multi-tensor kernel call per group (same arithmetic as update()). */
  protected override updateGroup(group: ParamGroup<SGDOptions>, params: Tensor[]): Tensor[] {
    return fusedSgd(this.state, params, group);
  }
  protected update(p: Tensor, grad: Tensor, st: Record<string, Tensor | number>, o: SGDOptions): void {
    let d = o.maximize ? neg(grad) : grad;
    if (o.weightDecay) d = add(d, p, { alpha: o.weightDecay });
    if (o.momentum) {
      let buf = st.momentumBuffer as Tensor | undefined;
      if (!buf) buf = st.momentumBuffer = clone(d);
      else add_(mul_(buf, o.momentum), d, { alpha: 1 - (o.dampening ?? 0) });
      d = o.nesterov ? add(d, buf, { alpha: o.momentum }) : buf;
    }
    add_(p, mul(d, -o.lr));
  }
}

export interface AdamOptions {
  lr: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

export class Adam extends Optimizer<AdamOptions> {
  /** AdamW applies decoupled weight decay (p ← p·(1 − lr·wd)) instead of L2 in the gradient. */
  protected decoupled = false;
  /** new Adam(params, lr?, betas?, eps?, weightDecay?, amsgrad?, {maximize}) or new Adam(params, {lr, ...}). */
  constructor(params: ParamsArg<AdamOptions>, ...args: OptimArgs<typeof optimSigs.Adam>) {
    const sig = new.target === AdamW || new.target.prototype instanceof AdamW ? optimSigs.AdamW : optimSigs.Adam;
    super(params, sig.parse(args) as AdamOptions, sig);
  }
  /** wasm: one multi-tensor kernel call per group (same arithmetic as update()). */
  protected override updateGroup(group: ParamGroup<AdamOptions>, params: Tensor[]): Tensor[] {
    return fusedAdam(this.state, params, group, this.decoupled);
  }
  protected update(p: Tensor, grad: Tensor, st: Record<string, Tensor | number>, o: AdamOptions): void {
    const [b1, b2] = o.betas ?? [0.9, 0.999];
    let g = o.maximize ? neg(grad) : grad;
    if (o.weightDecay && this.decoupled) mul_(p, 1 - o.lr * o.weightDecay);
    else if (o.weightDecay) g = add(g, p, { alpha: o.weightDecay });
    const step = ((st.step as number) ?? 0) + 1;
    st.step = step;
    const m = (st.expAvg as Tensor) ?? (st.expAvg = zerosLike(p));
    const v = (st.expAvgSq as Tensor) ?? (st.expAvgSq = zerosLike(p));
    add_(mul_(m, b1), g, { alpha: 1 - b1 });
    add_(mul_(v, b2), mul(mul(g, 1 - b2), g)); // torch addcmul order: (value·g)·g
    const bc1 = 1 - b1 ** step;
    const bc2 = 1 - b2 ** step;
    let vHat = v;
    if (o.amsgrad) {
      const vmax = (st.maxExpAvgSq as Tensor) ?? (st.maxExpAvgSq = zerosLike(p));
      copy_(vmax, maximum(vmax, v));
      vHat = vmax;
    }
    const denom = add(div(sqrt(vHat), Math.sqrt(bc2)), o.eps ?? 1e-8);
    add_(p, div(mul(m, -o.lr / bc1), denom)); // torch addcdiv order: (−stepSize·m)/denom
  }
}

/** AdamW: Adam with decoupled weight decay (default 1e-2), PyTorch's signature. */
export class AdamW extends Adam {
  constructor(params: ParamsArg<AdamOptions>, ...args: OptimArgs<typeof optimSigs.AdamW>) {
    super(params, ...(args as OptimArgs<typeof optimSigs.Adam>));
    this.decoupled = true;
  }
}

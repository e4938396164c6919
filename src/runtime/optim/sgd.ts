/** SGD (momentum, dampening, nesterov, weightDecay), Adam/AdamW (amsgrad) — PyTorch's update rules. */
import type { Tensor } from '../tensor';
import { Optimizer, type ParamGroup, type ParamsArg } from './optimizer';
import { fusedAdam, fusedSgd } from './fused';
import { zerosLike } from '../ops/creation';
import { maximum } from '../ops/basic';

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsArg<SGDOptions>, opts: SGDOptions) {
    if (!(opts.lr >= 0)) throw new Error(`SGD: invalid learning rate: ${opts.lr}`);
    if (opts.nesterov && (!(opts.momentum ?? 0) || (opts.dampening ?? 0) !== 0)) {
      throw new Error('SGD: nesterov momentum requires a momentum and zero dampening');
    }
    super(params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...opts });
  }
  /** wasm: one multi-tensor kernel call per group (same arithmetic as update()). */
  protected override updateGroup(group: ParamGroup<SGDOptions>, params: Tensor[]): Tensor[] {
    return fusedSgd(this.state, params, group);
  }
  protected update(p: Tensor, grad: Tensor, st: Record<string, Tensor | number>, o: SGDOptions): void {
    let d = o.maximize ? grad.neg() : grad;
    if (o.weightDecay) d = d.add(p, { alpha: o.weightDecay });
    if (o.momentum) {
      let buf = st.momentumBuffer as Tensor | undefined;
      if (!buf) buf = st.momentumBuffer = d.clone();
      else buf.mul_(o.momentum).add_(d, { alpha: 1 - (o.dampening ?? 0) });
      d = o.nesterov ? d.add(buf, { alpha: o.momentum }) : buf;
    }
    p.add_(d.mul(-o.lr));
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
  constructor(params: ParamsArg<AdamOptions>, opts: Partial<AdamOptions> = {}) {
    const o = { lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, ...opts };
    if (!(o.lr >= 0)) throw new Error(`Adam: invalid learning rate: ${o.lr}`);
    if (!(o.betas[0] >= 0 && o.betas[0] < 1 && o.betas[1] >= 0 && o.betas[1] < 1)) throw new Error(`Adam: invalid betas: [${o.betas.join(', ')}]`);
    super(params, o);
  }
  /** wasm: one multi-tensor kernel call per group (same arithmetic as update()). */
  protected override updateGroup(group: ParamGroup<AdamOptions>, params: Tensor[]): Tensor[] {
    return fusedAdam(this.state, params, group, this.decoupled);
  }
  protected update(p: Tensor, grad: Tensor, st: Record<string, Tensor | number>, o: AdamOptions): void {
    const [b1, b2] = o.betas ?? [0.9, 0.999];
    let g = o.maximize ? grad.neg() : grad;
    if (o.weightDecay && this.decoupled) p.mul_(1 - o.lr * o.weightDecay);
    else if (o.weightDecay) g = g.add(p, { alpha: o.weightDecay });
    const step = ((st.step as number) ?? 0) + 1;
    st.step = step;
    const m = (st.expAvg as Tensor) ?? (st.expAvg = zerosLike(p));
    const v = (st.expAvgSq as Tensor) ?? (st.expAvgSq = zerosLike(p));
    m.mul_(b1).add_(g, { alpha: 1 - b1 });
    v.mul_(b2).add_(g.mul(1 - b2).mul(g)); // torch addcmul order: (value·g)·g
    const bc1 = 1 - b1 ** step;
    const bc2 = 1 - b2 ** step;
    let vHat = v;
    if (o.amsgrad) {
      const vmax = (st.maxExpAvgSq as Tensor) ?? (st.maxExpAvgSq = zerosLike(p));
      vmax.copy_(maximum(vmax, v));
      vHat = vmax;
    }
    const denom = vHat.sqrt().div(Math.sqrt(bc2)).add(o.eps ?? 1e-8);
    p.add_(m.mul(-o.lr / bc1).div(denom)); // torch addcdiv order: (−stepSize·m)/denom
  }
}

export class AdamW extends Adam {
  constructor(params: ParamsArg<AdamOptions>, opts: Partial<AdamOptions> = {}) {
    super(params, { weightDecay: 1e-2, ...opts });
    this.decoupled = true;
  }
}

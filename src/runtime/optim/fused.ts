/**
 * Multi-tensor SGD / Adam steps on the wasm backend: one kernel call updates every eligible parameter of a group
 * (float32, contiguous, contiguous grad of the same size), like PyTorch's foreach/fused optimizers, with the
 * same per-element arithmetic as the per-tensor update() (tests compare both). Returns the parameters it did not
 * handle; the caller runs update() on those.
 */
import type { Tensor } from '../tensor';
import type { OptimState } from './optimizer';
import { alloc } from '../ops/raw';
import { zerosLike } from '../ops/creation';
import { fusedKernels, type AdamEntry, type SgdEntry } from '../backend/wasm/fused';
import type { AdamOptions, SGDOptions } from './sgd';

function eligible(p: Tensor, extra: Array<Tensor | undefined>): boolean {
  const g = p.grad;
  if (!g || p.dtype !== 'float32' || g.dtype !== 'float32' || p.isMeta || g.isMeta) return false;
  if (!p.isContiguous() || !g.isContiguous() || g.numel() !== p.numel() || g.backend !== p.backend) return false;
  if (g._storage === p._storage) return false;
  return extra.every((t) => t === undefined || (t.dtype === 'float32' && t.isContiguous() && t.numel() === p.numel() &&
    t.backend === p.backend && t._storage !== p._storage && t._storage !== g._storage));
}

function stateOf(state: Map<Tensor, OptimState>, p: Tensor): OptimState {
  let st = state.get(p);
  if (!st) state.set(p, (st = {}));
  return st;
}

export function fusedSgd(state: Map<Tensor, OptimState>, params: Tensor[], o: SGDOptions): Tensor[] {
  const fk = params.length > 0 ? fusedKernels(params[0].backend) : null;
  if (!fk) return params;
  const rest: Tensor[] = [];
  const entries: SgdEntry[] = [];
  const momentum = o.momentum ?? 0;
  for (const p of params) {
    const st = state.get(p);
    const buf = st?.momentumBuffer as Tensor | undefined;
    if (p.backend !== params[0].backend || !eligible(p, [buf])) {
      rest.push(p);
      continue;
    }
    const st1 = stateOf(state, p);
    let b: Tensor | null = null;
    let first = false;
    if (momentum) {
      b = buf ?? null;
      if (!b) {
        b = st1.momentumBuffer = alloc(p.shape, 'float32', p.backend);
        first = true;
      }
    }
    entries.push({ p: p.ref(), g: p.grad!.ref(), buf: b ? b.ref() : null, n: p.numel(), first });
  }
  fk.sgdStep(entries, { lr: o.lr, momentum, dampening: o.dampening ?? 0, weightDecay: o.weightDecay ?? 0,
    nesterov: o.nesterov ?? false, maximize: o.maximize ?? false });
  return rest;
}

export function fusedAdam(state: Map<Tensor, OptimState>, params: Tensor[], o: AdamOptions, decoupled: boolean): Tensor[] {
  const fk = params.length > 0 ? fusedKernels(params[0].backend) : null;
  if (!fk) return params;
  const rest: Tensor[] = [];
  const entries: AdamEntry[] = [];
  const [b1, b2] = o.betas ?? [0.9, 0.999];
  for (const p of params) {
    const st0 = state.get(p);
    const m0 = st0?.expAvg as Tensor | undefined, v0 = st0?.expAvgSq as Tensor | undefined;
    const x0 = st0?.maxExpAvgSq as Tensor | undefined;
    if (p.backend !== params[0].backend || !eligible(p, [m0, v0, o.amsgrad ? x0 : undefined])) {
      rest.push(p);
      continue;
    }
    const st = stateOf(state, p);
    const step = ((st.step as number) ?? 0) + 1;
    st.step = step;
    const m = (st.expAvg as Tensor) ?? (st.expAvg = zerosLike(p));
    const v = (st.expAvgSq as Tensor) ?? (st.expAvgSq = zerosLike(p));
    const vmax = o.amsgrad ? ((st.maxExpAvgSq as Tensor) ?? (st.maxExpAvgSq = zerosLike(p))) : null;
    entries.push({ p: p.ref(), g: p.grad!.ref(), m: m.ref(), v: v.ref(), vmax: vmax ? vmax.ref() : null, n: p.numel(),
      stepSize: o.lr / (1 - b1 ** step), invSqrtBc2: 1 / Math.sqrt(1 - b2 ** step) });
  }
  fk.adamStep(entries, { lr: o.lr, beta1: b1, beta2: b2, eps: o.eps ?? 1e-8, weightDecay: o.weightDecay ?? 0, decoupled,
    amsgrad: o.amsgrad ?? false, maximize: o.maximize ?? false });
  return rest;
}

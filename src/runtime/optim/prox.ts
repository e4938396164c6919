/** Proximal steps applied after an optimizer step (the lectures' L1 "soft-thresholding"). */
import { Tensor } from '../tensor';
import { noGrad } from '../autograd/mode';
import { sub_ } from '../ops/inplace-ops';
import { mul, sign, clamp, abs } from '../ops/basic';

/**
 * L1 proximal step, in place: p ← p − sign(p)·min(|p|, λ) for every tensor (entries with |p| ≤ λ become 0, the
 * others shrink by λ towards 0). For an L1 penalty λ₁·‖p‖₁ after a gradient step with learning rate lr, pass
 * λ = lr·λ₁. Accepts tensors, a Module's parameters() or an optimizer's paramGroups.
 */
export function l1Prox(params: Iterable<Tensor> | Tensor | Array<{ params: Tensor[] }>, lambda: number): void {
  if (!(lambda >= 0)) throw new Error(`l1Prox: lambda must be a non-negative number, got ${lambda}`);
  const list: Tensor[] = [];
  const items = params instanceof Tensor ? [params] : [...(params as Iterable<unknown>)];
  for (const it of items) {
    if (it instanceof Tensor) list.push(it);
    else if (it && typeof it === 'object' && Array.isArray((it as { params?: unknown }).params)) list.push(...(it as { params: Tensor[] }).params);
    else throw new Error(`l1Prox: expected tensors or parameter groups, got ${typeof it}`);
  }
  noGrad(() => {
    for (const p of list) {
      if (p.isMeta) continue;
      sub_(p, mul(sign(p), clamp(abs(p), null, lambda)));
    }
  });
}

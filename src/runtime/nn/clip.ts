/** nn.utils.clipGradNorm_ / clipGradValue_ — PyTorch 1.13's torch.nn.utils.clip_grad_norm_ / clip_grad_value_. */
import { Tensor } from '../tensor';
import { noGrad } from '../autograd/mode';
import { stack } from '../ops/views';
import { kind, kinds, signature } from '../args';
import { zeros } from '../ops/creation';
import { max, norm } from '../ops/reduce';
import { abs } from '../ops/basic';
import { mul_, clamp_ } from '../ops/inplace-ops';

const normSig = signature('clipGradNorm_', {
  maxNorm: { kind: kinds.nonNegativeNumber, required: true },
  normType: { kind: kind<number>('a positive number or Infinity', (v) => typeof v === 'number' && v > 0), default: 2 },
  errorIfNonfinite: { kind: kinds.boolean, default: false },
});
const valueSig = signature('clipGradValue_', { clipValue: { kind: kinds.nonNegativeNumber, required: true } });

function gradsOf(params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = params instanceof Tensor ? [params] : [...params];
  return list.filter((p) => p.grad !== null).map((p) => p.grad as Tensor);
}

/** Scales all gradients so their joint normType-norm is at most maxNorm; returns the total norm (before clipping). */
export function clipGradNorm_(params: Tensor | Iterable<Tensor>, ...args: unknown[]): Tensor {
  const o = normSig.parse(args);
  const grads = gradsOf(params);
  return noGrad(() => {
    if (grads.length === 0) return zeros([]);
    const norms = grads.map((g) => (o.normType === Infinity ? max(abs(g)) : norm(g, o.normType)));
    const total = o.normType === Infinity ? max(stack(norms)) : norm(stack(norms), o.normType);
    const t = total.item();
    if (o.errorIfNonfinite && !Number.isFinite(t)) {
      throw new Error(`clipGradNorm_: the total norm of order ${o.normType} for gradients from parameters is non-finite (${t}), so it cannot be clipped. Pass {errorIfNonfinite: false} to clip anyway`);
    }
    const coef = Math.min(o.maxNorm / (t + 1e-6), 1);
    for (const g of grads) mul_(g, coef);
    return total;
  });
}

/** Clamps every gradient element into [−clipValue, clipValue]. */
export function clipGradValue_(params: Tensor | Iterable<Tensor>, ...args: unknown[]): void {
  const { clipValue } = valueSig.parse(args);
  noGrad(() => {
    for (const g of gradsOf(params)) clamp_(g, -clipValue, clipValue);
  });
}

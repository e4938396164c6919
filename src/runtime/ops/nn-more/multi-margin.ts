/** PyTorch's multi_margin_loss: the multi-class hinge loss, composed from differentiable ops. */
import type { Tensor } from '../../tensor';
import { add, cast, clamp, mul, ne, pow, sub } from '../basic';
import { sum } from '../reduce';
import { gatherAlong } from '../reduce';
import { arange } from '../creation';
import { indexSelect, reshape, unsqueeze } from '../views';
import { fmtShape, ShapeError } from '../../shape';
import { checkFloat, reduce, type Reduction } from '../nn/util';

export interface MultiMarginOptions {
  p?: 1 | 2;
  margin?: number;
  weight?: Tensor | null;
  reduction?: Reduction;
}

/** loss(x, y) = Σ_{i≠y} max(0, margin − x[y] + x[i])^p · w[y] / C per sample, then the reduction. */
export function multiMarginLoss(input: Tensor, target: Tensor, opts: MultiMarginOptions = {}): Tensor {
  const op = 'multiMarginLoss';
  checkFloat(op, input);
  const { p = 1, margin = 1, weight = null, reduction = 'mean' } = opts;
  if (p !== 1 && p !== 2) throw new Error(`${op}: only p == 1 and p == 2 are supported, got ${p}`);
  const oneD = input.ndim === 1;
  const x = oneD ? unsqueeze(input, 0) : input;
  const t = oneD ? reshape(target, [1]) : target;
  if (x.ndim !== 2) throw new ShapeError(`${op}: expected a 1-D or 2-D input [N, C], got ${fmtShape(input.shape)}`);
  if (t.dtype !== 'int32') throw new Error(`${op}: expected target to hold int32 class indices, got ${t.dtype}`);
  if (t.ndim !== 1 || t.shape[0] !== x.shape[0]) throw new ShapeError(`${op}: expected target of shape [${x.shape[0]}], got ${fmtShape(target.shape)}`);
  const c = x.shape[1];
  const tv = t.dataSync();
  for (let i = 0; i < tv.length; i++) if (tv[i] < 0 || tv[i] >= c) throw new RangeError(`${op}: target ${tv[i]} is out of bounds for ${c} classes`);
  if (weight && (weight.ndim !== 1 || weight.shape[0] !== c)) throw new ShapeError(`${op}: expected weight of shape [${c}], got ${fmtShape(weight.shape)}`);
  const ti = unsqueeze(t, 1);
  const xy = gatherAlong(x, ti, 1);
  let m = clamp(add(sub(x, xy), margin), 0);
  if (p === 2) m = pow(m, 2);
  if (weight) m = mul(m, unsqueeze(indexSelect(weight, 0, t), 1));
  const notTarget = cast(ne(unsqueeze(arange(c), 0), ti), m.dtype);
  const perSample = mul(sum(mul(m, notTarget), 1), 1 / c);
  const loss = oneD && reduction === 'none' ? reshape(perSample, []) : perSample;
  return reduce(loss, reduction);
}

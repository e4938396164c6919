/** dropout (inverted scaling) and dropout2d (whole channels), masks from the runtime's generator. */
import { Tensor } from '../../tensor';
import { mul } from '../basic';
import { bernoulli } from '../../random';
import { fmtShape, numel, ShapeError } from '../../shape';
import { checkFloat, floatTensorLike } from './util';

export interface DropoutOptions {
  p?: number;
  training?: boolean;
}

function checkP(op: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`${op}: dropout probability has to be between 0 and 1, but got ${p}`);
  return p;
}

/** x ⊙ mask / (1 − p) with mask ~ Bernoulli(1 − p) of `maskShape` (broadcast over x). */
function masked(x: Tensor, p: number, maskShape: number[]): Tensor {
  const n = numel(maskShape);
  const keep = p === 1 || x.isMeta ? new Float64Array(n) : bernoulli(n, 1 - p);
  const scale = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < n; i++) keep[i] *= scale;
  return mul(x, floatTensorLike(keep, maskShape, x));
}

/** During training zeroes each element with probability p and scales the rest by 1/(1 − p); identity otherwise. */
export function dropout(x: Tensor, opts: DropoutOptions = {}): Tensor {
  checkFloat('dropout', x);
  const p = checkP('dropout', opts.p ?? 0.5);
  if (!(opts.training ?? true) || p === 0) return x;
  return masked(x, p, x.shape);
}

/**
 * Zeroes whole channels: input [N, C, H, W] gets one draw per (n, c). A 3-D input is read as [N, C, L]
 * (PyTorch's channel-wise behaviour for 3-D inputs, with the same caveat).
 */
export function dropout2d(x: Tensor, opts: DropoutOptions = {}): Tensor {
  checkFloat('dropout2d', x);
  const p = checkP('dropout2d', opts.p ?? 0.5);
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(`dropout2d: expected a 3-D or 4-D input [N, C, H, W], got ${fmtShape(x.shape)}`);
  if (!(opts.training ?? true) || p === 0) return x;
  return masked(x, p, x.shape.map((d, i) => (i < 2 ? d : 1)));
}

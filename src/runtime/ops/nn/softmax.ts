/**
 * softmax / logSoftmax over any dim with the backend's row-wise kernels (the dim is moved last when needed).
 * The backward is the softmaxBackward kernel, recorded as an op whose own backward is written with Tensor ops.
 */
import { Tensor } from '../../tensor';
import { record } from '../../autograd/node';
import { alloc, contig, viewRaw } from '../raw';
import { add, exp, mul, sub } from '../basic';
import { sum } from '../reduce';
import { normDim, numel } from '../../shape';
import { checkFloat, primalOnly } from './util';

/** Runs a row-wise kernel over `dim` of x: returns a contiguous result shaped like x. */
function alongDim(xs: Tensor[], dim: number, kernel: (refs: Tensor[], out: Tensor, rows: number, cols: number) => void): Tensor {
  const x = xs[0];
  const last = x.ndim - 1;
  const perm = x.shape.map((_, i) => (i === dim ? last : i === last ? dim : i));
  const moved = (t: Tensor): Tensor => contig(dim === last ? t : viewRaw(t, perm.map((p) => t.shape[p]), perm.map((p) => t._strides[p]), t._offset));
  const ins = xs.map(moved);
  const shape = ins[0].shape;
  const out = alloc(shape, x.dtype, x.backend);
  const cols = x.ndim === 0 ? 1 : x.shape[dim];
  const rows = cols === 0 ? 0 : numel(shape) / cols;
  if (out.numel() > 0) kernel(ins, out, rows, cols);
  return dim === last ? out : contig(viewRaw(out, perm.map((p) => shape[p]), perm.map((p) => out._strides[p]), 0));
}

function resolveDim(op: string, x: Tensor, dim: number | undefined): number {
  if (dim === undefined || dim === null) throw new Error(`${op}: the dim argument is required (e.g. ${op}(x, -1) for the last dimension)`);
  return normDim(dim, x.ndim, op);
}

function softmaxCore(x: Tensor, dim: number, log: boolean): Tensor {
  const name = log ? 'logSoftmax' : 'softmax';
  const x1 = x.ndim === 0 ? viewRaw(x, [1], [1], x._offset) : x; // a 0-d input is one row of one element
  const y = alongDim([x1], x.ndim === 0 ? 0 : dim, ([a], o, r, c) => x.backend.softmax(a.ref(), o.ref(), r, c, log));
  const out = x.ndim === 0 ? viewRaw(y, [], [], 0) : y;
  return record(out, name, [x], (g) => [softmaxGrad(out, g, dim, log)], {
    attrs: { dim },
    jvp: ([t]) => (t ? primalOnly(() => softmaxJvp(out, t, dim, log)) : null),
  });
}

/** Forward-mode: softmax: y ⊙ (t − Σ t⊙y); logSoftmax: t − Σ softmax ⊙ t. */
function softmaxJvp(y: Tensor, t: Tensor, dim: number, log: boolean): Tensor {
  if (log) return sub(t, sum(mul(exp(y), t), dim, { keepdim: true }));
  return mul(y, sub(t, sum(mul(t, y), dim, { keepdim: true })));
}

/** dx from y and dy with the kernel; recorded so that double backward works. */
function softmaxGrad(y: Tensor, g: Tensor, dim: number, log: boolean): Tensor {
  const flat = y.ndim === 0;
  const y1 = flat ? viewRaw(y, [1], [1], y._offset) : y;
  const g1 = flat ? viewRaw(contig(g), [1], [1], 0) : g;
  const raw = alongDim([y1, g1], flat ? 0 : dim, ([yy, gg], o, r, c) => y.backend.softmaxBackward(yy.ref(), gg.ref(), o.ref(), r, c, log));
  const dx = flat ? viewRaw(raw, [], [], 0) : raw;
  return record(dx, log ? 'logSoftmaxBackward' : 'softmaxBackward', [y, g], (h) => softmaxGradGrad(y, g, h, dim, log), {
    attrs: { dim },
    jvp: ([ty, tg]) => primalOnly(() => {
      const parts = softmaxGradGrad(y, g, null, dim, log, ty, tg);
      return parts[0];
    }),
  });
}

/**
 * Derivatives of dx(y, g) (with S = Σ along dim):
 *   softmax:    dx = y⊙(g − S(g⊙y));  ∂/∂g·h = y⊙(h − S(h⊙y));  ∂/∂y·h = h⊙(g − S(g⊙y)) − g⊙S(h⊙y)
 *   logSoftmax: dx = g − e^y⊙S(g);    ∂/∂g·h = h − S(h⊙e^y);    ∂/∂y·h = −h⊙e^y⊙S(g)
 * With h given this returns [grad_y, grad_g]; with tangents (ty, tg) it returns [tangent of dx].
 */
function softmaxGradGrad(y: Tensor, g: Tensor, h: Tensor | null, dim: number, log: boolean, ty?: Tensor | null, tg?: Tensor | null): Array<Tensor | null> {
  const S = (t: Tensor): Tensor => sum(t, dim, { keepdim: true });
  if (h) {
    if (log) return [y.requiresGrad ? mul(mul(h, exp(y)), mul(S(g), -1)) : null, g.requiresGrad ? sub(h, S(mul(h, exp(y)))) : null];
    const gy = y.requiresGrad ? sub(mul(h, sub(g, S(mul(g, y)))), mul(g, S(mul(h, y)))) : null;
    return [gy, g.requiresGrad ? mul(y, sub(h, S(mul(h, y)))) : null];
  }
  // forward mode: d(dx) = ∂/∂g·tg + ∂/∂y·ty (the forms are symmetric bilinear pieces of the same rules)
  let r: Tensor | null = null;
  const acc = (t: Tensor): void => void (r = r ? add(r, t) : t);
  if (tg) acc(log ? sub(tg, mul(exp(y), S(tg))) : mul(y, sub(tg, S(mul(tg, y)))));
  if (ty) acc(log ? mul(mul(ty, exp(y)), mul(S(g), -1)) : sub(mul(ty, sub(g, S(mul(g, y)))), mul(y, S(mul(g, ty)))));
  return [r];
}

/** softmax(x) along dim (required, may be negative). */
export function softmax(x: Tensor, dim: number): Tensor {
  checkFloat('softmax', x);
  return softmaxCore(x, resolveDim('softmax', x, dim), false);
}

/** log(softmax(x)) along dim, computed stably. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  checkFloat('logSoftmax', x);
  return softmaxCore(x, resolveDim('logSoftmax', x, dim), true);
}

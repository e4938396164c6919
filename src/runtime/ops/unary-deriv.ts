/**
 * f'(x) of each unary op written with differentiable Tensor ops. The backward of unary ops normally uses the
 * backend's fused unaryGrad kernel; when a backward is itself recorded (createGraph: gradients of gradients),
 * it uses these so the second derivative is right.
 */
import type { UnaryOp } from '../backend/types';
import type { Tensor } from '../tensor';
import { add, cast, div, exp, gt, lt, le, mul, neg, pow, reciprocal, rsqrt, sigmoid, sqrt, sub, tanh, where, cos, sin, erf, ge, zerosLike } from './basic';

const SQRT1_2PI = 1 / Math.sqrt(2 * Math.PI);

export function unaryDerivative(op: UnaryOp, x: Tensor, y: Tensor, p0: number, p1: number): Tensor {
  const mask = (m: Tensor): Tensor => cast(m, x.dtype);
  switch (op) {
    case 'neg': return add(zerosLike(x), -1);
    case 'exp': return exp(x);
    case 'log': return reciprocal(x);
    case 'sqrt': return div(0.5, sqrt(x));
    case 'rsqrt': return mul(pow(rsqrt(x), 3), -0.5);
    case 'abs': return sub(mask(gt(x, 0)), mask(lt(x, 0)));
    case 'square': return mul(x, 2);
    case 'reciprocal': return neg(reciprocal(mul(x, x)));
    case 'sin': return cos(x);
    case 'cos': return neg(sin(x));
    case 'erf': return mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI));
    case 'log1p': return reciprocal(add(x, 1));
    case 'expm1': return exp(x);
    case 'relu': return mask(gt(x, 0));
    case 'leakyRelu': return where(gt(x, 0), add(zerosLike(x), 1), add(zerosLike(x), p0));
    case 'elu': return where(gt(x, 0), add(zerosLike(x), 1), mul(exp(x), p0));
    case 'sigmoid': { const s = sigmoid(x); return mul(s, sub(1, s)); }
    case 'tanh': { const t = tanh(x); return sub(1, mul(t, t)); }
    case 'softplus': return where(gt(mul(x, p0), p1), add(zerosLike(x), 1), sigmoid(mul(x, p0)));
    case 'clamp': return mask(ge(x, p0)).mul(mask(le(x, p1)));
    case 'powScalar': return mul(pow(x, p0 - 1), p0);
    case 'affine': return add(zerosLike(x), p0);
    case 'gelu': {
      const cdf = mul(add(erf(mul(x, Math.SQRT1_2)), 1), 0.5);
      return add(cdf, mul(x, mul(exp(mul(mul(x, x), -0.5)), SQRT1_2PI)));
    }
    case 'geluTanh': {
      const k = Math.sqrt(2 / Math.PI);
      const inner = mul(add(x, mul(pow(x, 3), 0.044715)), k);
      const t = tanh(inner);
      const dinner = mul(add(mul(mul(x, x), 3 * 0.044715), 1), k);
      return add(mul(add(t, 1), 0.5), mul(mul(x, 0.5), mul(sub(1, mul(t, t)), dinner)));
    }
    default: return zerosLike(x); // sign, floor, ceil, round: zero almost everywhere
  }
}

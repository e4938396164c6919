/**
 * The top-level math functions as users call them (torch.exp(x), torch.add(a, b, {alpha})): each checks its
 * argument count, so an extra argument (an options object PyTorch does not have, a misplaced dim) is an error
 * naming the function instead of being ignored. Options objects are validated by the functions themselves.
 */
import type { Tensor } from '../tensor';
import * as B from './basic';
import * as L from './linalg';

/** Any function (a `never` rest parameter accepts every parameter list). */
type AnyFn = (...a: never) => unknown;

/** fn with at most `max` arguments (trailing undefineds don't count): more is an error listing the parameters. */
export function strict<F extends AnyFn>(name: string, params: readonly string[], fn: F): F {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    let n = args.length;
    while (n > 0 && args[n - 1] === undefined) n--;
    if (n > params.length) {
      throw new Error(`${name}: takes at most ${params.length} argument${params.length === 1 ? '' : 's'} (${params.join(', ')}), got ${n}`);
    }
    return (fn as unknown as (...a: unknown[]) => unknown).apply(this, args);
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped as unknown as F;
}

const validatedAlpha = (name: 'add' | 'sub', f: typeof B.add) => (a: Tensor | number, b: Tensor | number, opts: { alpha?: number } = {}): Tensor => {
  if (opts === null || typeof opts !== 'object') throw new Error(`${name}: expected an options object {alpha}, got ${String(opts)}`);
  for (const k of Object.keys(opts)) if (k !== 'alpha') throw new Error(`${name}: unknown option '${k}'; valid options are alpha`);
  if (opts.alpha !== undefined && typeof opts.alpha !== 'number') throw new Error(`${name}: alpha must be a number, got ${String(opts.alpha)}`);
  return f(a, b, opts);
};

const x1 = ['input'];
const x2 = ['input', 'other'];
export const add = strict('add', ['input', 'other', 'options'], validatedAlpha('add', B.add));
export const sub = strict('sub', ['input', 'other', 'options'], validatedAlpha('sub', B.sub));
export const mul = strict('mul', x2, B.mul);
export const div = strict('div', x2, B.div);
export const pow = strict('pow', x2, B.pow);
export const maximum = strict('maximum', x2, B.maximum);
export const minimum = strict('minimum', x2, B.minimum);
export const eq = strict('eq', x2, B.eq);
export const ne = strict('ne', x2, B.ne);
export const lt = strict('lt', x2, B.lt);
export const le = strict('le', x2, B.le);
export const gt = strict('gt', x2, B.gt);
export const ge = strict('ge', x2, B.ge);
export const where = strict('where', ['condition', 'input', 'other'], B.where);
export const clamp = strict('clamp', ['input', 'min', 'max'], B.clamp);
export const neg = strict('neg', x1, B.neg);
export const exp = strict('exp', x1, B.exp);
export const log = strict('log', x1, B.log);
export const sqrt = strict('sqrt', x1, B.sqrt);
export const rsqrt = strict('rsqrt', x1, B.rsqrt);
export const abs = strict('abs', x1, B.abs);
export const sign = strict('sign', x1, B.sign);
export const square = strict('square', x1, B.square);
export const reciprocal = strict('reciprocal', x1, B.reciprocal);
export const sin = strict('sin', x1, B.sin);
export const cos = strict('cos', x1, B.cos);
export const floor = strict('floor', x1, B.floor);
export const ceil = strict('ceil', x1, B.ceil);
export const round = strict('round', x1, B.round);
export const erf = strict('erf', x1, B.erf);
export const log1p = strict('log1p', x1, B.log1p);
export const expm1 = strict('expm1', x1, B.expm1);
export const isnan = strict('isnan', x1, B.isnan);
export const clone = strict('clone', x1, B.clone);
export const detach = strict('detach', x1, B.detach);
export const contiguous = strict('contiguous', x1, B.contiguous);
export const relu = strict('relu', x1, B.relu);
export const sigmoid = strict('sigmoid', x1, B.sigmoid);
export const tanh = strict('tanh', x1, B.tanh);
export const matmul = strict('matmul', x2, L.matmul);
export const mm = strict('mm', x2, L.mm);
export const bmm = strict('bmm', x2, L.bmm);
export const dot = strict('dot', x2, L.dot);

/**
 * The arithmetic behind each layer's shape and parameter count, as numbers AND as strings with the numbers
 * plugged in (the lectures' notation): summary(), the layer tree's tooltips and the stepper all show these.
 */

import { checkKeys } from './keys';

/** 34944 → "34,944" */
export const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');

export interface AxisFormula {
  out: number;
  /** e.g. "W_out = ⌊(224 − 11 + 2·2)/4⌋ + 1 = 55" */
  text: string;
  /** Input rows/columns the last window never reaches (the remainder of (W_in − F + 2P)/S), 0 when it fits. */
  dropped: number;
  warning: string | null;
}

/**
 * One spatial axis of a convolution/pool: W_out = ⌊(W_in − F + 2P)/S⌋ + 1 (dilated: F_eff = d·(F − 1) + 1).
 * `padAfter` (when different from `pad`) covers asymmetric 'same' padding; `ceil` is pooling's ceil mode.
 */
export function axisFormula(axis: 'H' | 'W' | 'L', inp: number, k: number, s: number, pad: number, d = 1, opts: { padAfter?: number; ceil?: boolean } = {}): AxisFormula {
  opts = checkKeys('axisFormula', opts, ['padAfter', 'ceil']);
  const padAfter = opts.padAfter ?? pad;
  const kEff = d * (k - 1) + 1;
  const span = inp - kEff + pad + padAfter;
  const kText = d === 1 ? `${k}` : `(${d}·(${k} − 1) + 1)`;
  const padText = pad === padAfter ? (pad ? ` + 2·${pad}` : '') : ` + ${pad} + ${padAfter}`;
  const [lb, rb] = opts.ceil ? ['⌈', '⌉'] : ['⌊', '⌋'];
  let out = (opts.ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  let note = '';
  if (opts.ceil && (out - 1) * s >= inp + pad) {
    out--;
    note = ' (the last window would start in the padding, so it is dropped)';
  }
  const text = `${axis}_out = ${lb}(${inp} − ${kText}${padText})/${s}${rb} + 1 = ${out}${note}`;
  const rem = span >= 0 ? span % s : 0;
  const dropped = opts.ceil ? 0 : rem;
  const warning = dropped
    ? `(${axis}_in − F + 2P)/S = (${inp} − ${kEff} + ${pad + padAfter})/${s} is not an integer: the last ${dropped} ${axis === 'W' ? 'column' : axis === 'H' ? 'row' : 'position'}${dropped > 1 ? 's' : ''} of the input ${dropped > 1 ? 'are' : 'is'} never covered by a window`
    : null;
  return { out, text, dropped, warning };
}

export interface ParamFormula {
  params: number;
  text: string;
}

/** Conv parameters: F²·Cin·Cout + Cout, grouped F²·(Cin/g)·Cout + Cout, depthwise noted. */
export function convParams(kernel: readonly number[], cin: number, cout: number, groups = 1, bias = true): ParamFormula {
  const kk = kernel.reduce((a, b) => a * b, 1);
  const kText = kernel.length === 2 && kernel[0] === kernel[1] ? `${kernel[0]}²` : kernel.join('·');
  const cinText = groups === 1 ? `${cin}` : `(${cin}/${groups})`;
  const weights = kk * (cin / groups) * cout;
  const params = weights + (bias ? cout : 0);
  const depthwise = groups > 1 && groups === cin ? (cout === cin ? ' (depthwise)' : ' (depthwise, multiplier ' + cout / cin + ')') : '';
  const text = `params = ${kText}·${cinText}·${cout}${bias ? ` + ${cout}` : ''} = ${thousands(params)}${depthwise}`;
  return { params, text };
}

export function linearParams(inF: number, outF: number, bias = true): ParamFormula {
  const params = inF * outF + (bias ? outF : 0);
  return { params, text: `params = ${inF}·${outF}${bias ? ` + ${outF}` : ''} = ${thousands(params)}` };
}

/** γ and β per feature (BatchNorm/LayerNorm/GroupNorm affine). */
export function normParams(features: number, affine: boolean): ParamFormula {
  const params = affine ? 2 * features : 0;
  return { params, text: affine ? `params = 2·${features} (γ, β) = ${thousands(params)}` : 'params = 0 (no affine)' };
}

/** Multiply-accumulates of a convolution for a batch: N·Cout·H_out·W_out·(Cin/g)·F². */
export function convMacs(n: number, cout: number, outSpatial: readonly number[], cin: number, groups: number, kernel: readonly number[]): number {
  return n * cout * outSpatial.reduce((a, b) => a * b, 1) * (cin / groups) * kernel.reduce((a, b) => a * b, 1);
}

/** Linear layer MACs: rows·in·out, rows = product of the leading dims. */
export function linearMacs(rows: number, inF: number, outF: number): number {
  return rows * inF * outF;
}

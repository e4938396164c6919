/**
 * How the backprop stepper presents numbers and formulas: value summaries, the forward expression of a node and
 * its local derivative / VJP written in the input labels. Text only; the numbers come from the runtime.
 */
import type { Tensor } from '../tensor';
import type { Node } from '../autograd/node';
import type { GraphValue } from '../../protocol/figures';
import { activationText } from '../ops/activations';
import { isUnaryOp, UNARY } from '../ops/unary-table';
import { BINARY, isBinaryOp } from '../ops/binary-table';
import { isReduction, REDUCTIONS } from '../ops/reduce-table';

/** 4 significant digits, exponent form outside [1e-3, 1e5) (the renderers' fmtNum). */
export function fmtNum(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(Math.max(0, digits - 2));
  return String(Number(v.toPrecision(digits)));
}

export const fin = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function valueOf(t: Tensor, maxValues: number): GraphValue {
  const d = t.dataSync();
  const shape = [...t.shape];
  if (d.length === 1) return { shape, text: fmtNum(d[0]), scalar: fin(d[0]) };
  let s = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < d.length; i++) {
    s += d[i];
    lo = Math.min(lo, d[i]);
    hi = Math.max(hi, d[i]);
  }
  const mean = d.length ? s / d.length : NaN;
  let sq = 0;
  for (let i = 0; i < d.length; i++) sq += (d[i] - mean) ** 2;
  const std = d.length ? Math.sqrt(sq / d.length) : NaN;
  const v: GraphValue = { shape, text: `[${shape.join(', ')}] μ=${fmtNum(mean, 3)} σ=${fmtNum(std, 3)}`,
    stats: { mean: fin(mean), std: fin(std), min: fin(lo), max: fin(hi) } };
  if (d.length <= maxValues) v.data = Array.from(d, fin);
  return v;
}

// ---------- formulas ----------

export const isAffine = (n: Node): boolean => n.edges.length === 1 && 'other' in n.attrs;
export const isTransposeOf2d = (n: Node): boolean => n.op === 'permute' && String(n.attrs.dims) === '1,0';

/** The forward formula with input labels: "b = y · a". */
export function exprOf(n: Node, a: string[], out: string): string {
  const c = String(n.attrs.other ?? '');
  const [x, y] = a;
  const affine: Record<string, string> = { add: `${x} + ${c}`, sub: `${x} − ${c}`, rsub: `${c} − ${x}`, mul: `${x} · ${c}`, div: `${x} / ${c}` };
  const unary: Record<string, string> = { matmul: `${x} @ ${y}`, transpose: `${x}ᵀ` };
  if (!isAffine(n) && isUnaryOp(n.op)) return `${out} = ${UNARY[n.op].text(x, Number(n.attrs.p0 ?? 0), Number(n.attrs.p1 ?? 0))}`;
  if (!isAffine(n) && isBinaryOp(n.op)) return `${out} = ${BINARY[n.op].text(x, y)}`;
  if (isReduction(n.op)) return `${out} = ${REDUCTIONS[n.op].text(x, n.attrs)}`;
  if (isTransposeOf2d(n)) unary.permute = `${x}ᵀ`;
  const act = activationText(n.op, n.attrs, x, 'forward');
  if (act) return `${out} = ${n.op}(${x}) = ${act}`;
  const rhs = isAffine(n) ? affine[n.op] : unary[n.op];
  return `${out} = ${rhs ?? `${n.op}(${a.join(', ')})`}`;
}

/** The local derivative ∂node/∂(input i) as a formula in the input labels, when the op has a simple one. */
export function localFormula(n: Node, i: number, a: string[]): string | null {
  const [x, y] = a;
  const c = String(n.attrs.other ?? '');
  if (isAffine(n)) return ({ add: '1', sub: '1', rsub: '−1', mul: c, div: `1/${c}` } as Record<string, string>)[n.op] ?? null;
  const act = activationText(n.op, n.attrs, x, 'derivative');
  if (act) return act;
  if (isUnaryOp(n.op)) return i === 0 ? UNARY[n.op].derivText(x, Number(n.attrs.p0 ?? 0), Number(n.attrs.p1 ?? 0)) : null;
  if (isBinaryOp(n.op)) return BINARY[n.op].derivText?.[i]?.(x, y) ?? null;
  if (isReduction(n.op)) return i === 0 ? REDUCTIONS[n.op].derivText(x, n.attrs) : null;
  return null;
}

/** The vector-Jacobian product as a formula, g being the incoming gradient's name. */
export function vjpFormula(n: Node, i: number, a: string[], g: string): string {
  const [x, y] = a;
  if (n.op === 'matmul' || n.op === 'mm') return i === 0 ? `${g} · ${y}ᵀ` : `${x}ᵀ · ${g}`;
  if (n.op === 'transpose' || isTransposeOf2d(n)) return `(${g})ᵀ`;
  if (isReduction(n.op) && i === 0) return REDUCTIONS[n.op].vjpText(g, x, n.edges[0]?.shape ?? [], n.attrs);
  const loc = localFormula(n, i, a);
  if (!isAffine(n) && isBinaryOp(n.op) && loc) {
    // ∂ = ±1 (add, sub) shows as the gradient itself; a broadcast operand gets it summed back to its shape
    const summed = n.edges[i] && n.edges[i]!.shape.join() !== n.outShape.join() ? ' summed over broadcast dims' : '';
    return `${loc === '1' ? g : loc === '−1' ? `−${g}` : `${g} ⊙ ${loc}`}${summed}`;
  }
  return loc ? `${g} ⊙ ${loc}` : `VJP of ${n.op}(${g})`;
}

export const d = (num: string, den: string): string => `∂${num}/∂${den}`;


/**
 * einsum('ij,jk->ik', a, b): Einstein summation over any number of operands, explicit ('->') or implicit output
 * (the '...' dims, then the letters used once in alphabetical order, as PyTorch). '...' stands for the dims not
 * named by letters (broadcast across operands, right-aligned; summed when the explicit output has no '...').
 * A letter repeated inside one operand takes its diagonal ('ii->i', 'ii->' the trace, 'bii->bi'). Each operand's
 * diagonals are taken by masking with an identity and summing, then every operand is permuted/unsqueezed onto the
 * full label order, the operands multiplied with broadcasting and the summed labels reduced: autograd comes from
 * those ops.
 */
import type { Tensor } from '../tensor';
import { mul } from './basic';
import { sum } from './reduce';
import { permute, reshape } from './views';
import { tensor } from './creation';
import { fmtShape, ShapeError } from '../shape';

/** A term split at its '...': [letters before] or [before, after]. */
function splitTerm(equation: string, t: string): string[] {
  const parts = t.split('...');
  if (parts.length > 2) throw new Error(`einsum: more than one '...' in the subscripts '${t}' of '${equation}'`);
  for (const p of parts) {
    if (!/^[a-zA-Z]*$/.test(p)) throw new Error(`einsum: invalid subscripts '${t}' in '${equation}' (letters and one '...' only)`);
  }
  return parts;
}

/** x with the repeated label `c` reduced to its diagonal (the first occurrence kept). */
function diagonal(x: Tensor, labels: string[], c: string, k: number): [Tensor, string[]] {
  const pos = labels.flatMap((l, i) => (l === c ? [i] : []));
  const n = x.shape[pos[0]];
  for (const p of pos) {
    if (x.shape[p] !== n) throw new ShapeError(`einsum(): subscript ${c} is repeated for operand ${k} but the sizes don't match, ${x.shape[p]} != ${n}`);
  }
  const m = pos.length;
  const mask = new Float64Array(n ** m);
  const step = (n ** m - 1) / (n - 1 || 1);
  for (let i = 0; i < n; i++) mask[i * step] = 1;
  const maskShape = x.shape.map((s, i) => (pos.includes(i) ? n : 1));
  const masked = mul(x, reshape(tensor(mask, { dtype: x.dtype }), maskShape));
  return [sum(masked, pos.slice(1)), labels.filter((l, i) => l !== c || i === pos[0])];
}

export function einsum(equation: string, ...operands: Array<Tensor | Tensor[]>): Tensor {
  if (typeof equation !== 'string') {
    throw new TypeError("einsum: the first argument must be the equation string ('ij,jk->ik'); PyTorch's sublist form einsum(a, [0, 1], b, [1, 2]) is not supported");
  }
  const ops = operands.length === 1 && Array.isArray(operands[0]) ? (operands[0] as Tensor[]) : (operands as Tensor[]);
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.indexOf('->');
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const rhs = arrow >= 0 ? eq.slice(arrow + 2) : null;
  if (rhs !== null && rhs.includes('->')) throw new Error(`einsum: more than one '->' in '${equation}'`);
  const terms = lhs.split(',');
  if (terms.length !== ops.length) throw new Error(`einsum: the equation '${equation}' has ${terms.length} operand(s) but ${ops.length} tensor(s) were given`);
  const parsed = terms.map((t) => splitTerm(equation, t));
  // '...' dims: right-aligned across operands, labelled '…0' .. '…(E-1)'
  let E = 0;
  parsed.forEach((p, k) => {
    const letters = p.join('').length;
    const nd = ops[k].ndim;
    if (p.length === 1 ? letters !== nd : letters > nd) {
      throw new ShapeError(`einsum: subscripts '${terms[k]}' name ${letters} dims${p.length === 2 ? " (plus '...')" : ''} but operand ${k} has shape ${fmtShape(ops[k].shape)}`);
    }
    if (p.length === 2) E = Math.max(E, nd - letters);
  });
  const ell = (e: number): string[] => Array.from({ length: e }, (_, i) => `…${E - e + i}`);
  const tensors: Tensor[] = [];
  const labelsOf: string[][] = parsed.map((p, k) => {
    let labels = p.length === 1 ? [...p[0]] : [...p[0], ...ell(ops[k].ndim - p.join('').length), ...p[1]];
    let t = ops[k];
    for (const c of new Set(labels)) if (labels.indexOf(c) !== labels.lastIndexOf(c)) [t, labels] = diagonal(t, labels, c, k);
    tensors.push(t);
    return labels;
  });
  const sizes = new Map<string, number>();
  labelsOf.forEach((labels, k) => {
    labels.forEach((c, i) => {
      const n = tensors[k].shape[i];
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== n && prev !== 1 && n !== 1) {
        const what = c.startsWith('…') ? `the '...' dims of operand ${k} (shape ${fmtShape(ops[k].shape)}) do not broadcast with the other operands'` : `subscript '${c}' has size ${n} in operand ${k} but size ${prev} elsewhere`;
        throw new ShapeError(`einsum: ${what}`);
      }
      sizes.set(c, prev === undefined || prev === 1 ? n : prev);
    });
  });
  const counts = new Map<string, number>();
  for (const c of terms.join('').replace(/\.\.\./g, '')) counts.set(c, (counts.get(c) ?? 0) + 1);
  let out: string[];
  if (rhs === null) out = [...ell(E), ...[...counts.keys()].filter((c) => counts.get(c) === 1).sort()];
  else {
    const p = splitTerm(equation, rhs);
    out = p.length === 1 ? [...p[0]] : [...p[0], ...ell(E), ...p[1]];
    for (const c of out) if (!sizes.has(c)) throw new Error(`einsum: output subscript '${c}' does not appear in the inputs of '${equation}'`);
    if (new Set(out).size !== out.length) throw new Error(`einsum: output subscript repeated in '${rhs}' (einsum(): output subscripts appear at most once)`);
  }
  const summed = [...sizes.keys()].filter((c) => !out.includes(c));
  const all = [...out, ...summed];
  let prod: Tensor | null = null;
  tensors.forEach((t, k) => {
    const labels = labelsOf[k];
    const present = all.filter((c) => labels.includes(c));
    const p = present.length > 1 ? permute(t, present.map((c) => labels.indexOf(c))) : t;
    const aligned = reshape(p, all.map((c) => (labels.includes(c) ? t.shape[labels.indexOf(c)] : 1)));
    prod = prod ? mul(prod, aligned) : aligned;
  });
  let r = prod as unknown as Tensor;
  if (summed.length > 0) r = sum(r, summed.map((_, i) => out.length + i));
  else if (tensors.length === 1 && tensors[0] === ops[0]) r = r.clone();
  return r;
}

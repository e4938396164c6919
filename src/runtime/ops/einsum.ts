/**
 * einsum('ij,jk->ik', a, b): Einstein summation over any number of operands, explicit ('->') or implicit output
 * (the letters used once, in alphabetical order, as PyTorch). Each operand is permuted/unsqueezed onto the
 * full letter order, the operands are multiplied with broadcasting and the summed letters reduced, so autograd
 * comes from those ops. A letter repeated inside one operand (diagonals, 'ii->i') and '...' are not supported yet.
 */
import type { Tensor } from '../tensor';
import { mul } from './basic';
import { sum } from './reduce';
import { permute, reshape } from './views';
import { fmtShape, ShapeError } from '../shape';

export function einsum(equation: string, ...operands: Array<Tensor | Tensor[]>): Tensor {
  const ops = operands.length === 1 && Array.isArray(operands[0]) ? (operands[0] as Tensor[]) : (operands as Tensor[]);
  const eq = equation.replace(/\s+/g, '');
  if (eq.includes('...')) throw new Error("einsum: ellipsis ('...') is not supported yet; name every dim with a letter");
  const [lhs, rhs] = eq.includes('->') ? eq.split('->') : [eq, null];
  const terms = lhs.split(',');
  if (terms.length !== ops.length) throw new Error(`einsum: the equation '${equation}' has ${terms.length} operand(s) but ${ops.length} tensor(s) were given`);
  const sizes = new Map<string, number>();
  terms.forEach((t, k) => {
    if (!/^[a-zA-Z]*$/.test(t)) throw new Error(`einsum: invalid subscripts '${t}' in '${equation}' (letters only)`);
    if (t.length !== ops[k].ndim) throw new ShapeError(`einsum: subscripts '${t}' name ${t.length} dims but operand ${k} has shape ${fmtShape(ops[k].shape)}`);
    if (new Set(t).size !== t.length) throw new Error(`einsum: the letter repeated in '${t}' (a diagonal) is not supported yet`);
    [...t].forEach((c, i) => {
      const n = ops[k].shape[i];
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== n && prev !== 1 && n !== 1) {
        throw new ShapeError(`einsum: subscript '${c}' has size ${n} in operand ${k} but size ${prev} elsewhere`);
      }
      sizes.set(c, prev === undefined || prev === 1 ? n : prev);
    });
  });
  const counts = new Map<string, number>();
  for (const c of terms.join('')) counts.set(c, (counts.get(c) ?? 0) + 1);
  const out = rhs ?? [...counts.keys()].filter((c) => counts.get(c) === 1).sort().join('');
  for (const c of out) if (!sizes.has(c)) throw new Error(`einsum: output subscript '${c}' does not appear in the inputs of '${equation}'`);
  if (new Set(out).size !== out.length) throw new Error(`einsum: output subscript repeated in '${out}'`);
  const summed = [...sizes.keys()].filter((c) => !out.includes(c));
  const all = [...out, ...summed];
  let prod: Tensor | null = null;
  ops.forEach((t, k) => {
    const term = terms[k];
    const present = all.filter((c) => term.includes(c));
    const p = present.length > 1 ? permute(t, present.map((c) => term.indexOf(c))) : t;
    const aligned = reshape(p, all.map((c) => (term.includes(c) ? t.shape[term.indexOf(c)] : 1)));
    prod = prod ? mul(prod, aligned) : aligned;
  });
  let r = prod as unknown as Tensor;
  if (summed.length > 0) r = sum(r, summed.map((_, i) => out.length + i));
  else if (ops.length === 1) r = r.clone();
  return r;
}

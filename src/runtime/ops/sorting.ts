/**
 * sort, argsort, topk (PyTorch's semantics: NaN sorts as the largest value; sort is stable, so ties keep their
 * order). Indices are computed in JS; values are a gather of the input, so autograd and jvp come from gather.
 */
import type { Tensor } from '../tensor';
import { gatherAlong, valuesIndices, type ValuesIndices } from './reduce';
import { alloc } from './raw';
import { normDim } from '../shape';
import { kinds, signature } from '../args';
import { contiguous, clone } from './basic';

const sortSig = signature('sort', { dim: { kind: kinds.dim, default: -1 }, descending: { kind: kinds.boolean, default: false }, stable: { kind: kinds.boolean, default: false, keywordOnly: true } });
const argsortSig = signature('argsort', { dim: { kind: kinds.dim, default: -1 }, descending: { kind: kinds.boolean, default: false }, stable: { kind: kinds.boolean, default: false, keywordOnly: true } });
const topkSig = signature('topk', { k: { kind: kinds.nonNegativeInt, required: true }, dim: { kind: kinds.dim, default: -1 }, largest: { kind: kinds.boolean, default: true }, sorted: { kind: kinds.boolean, default: true } });

/** int32 indices ordering x along d (first k of them). */
function order(x: Tensor, d: number, descending: boolean, k: number): Tensor {
  const n = x.shape[d];
  const outer = x.shape.slice(0, d).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const v = contiguous(x).dataSync();
  const idxShape = x.shape.map((s, i) => (i === d ? k : s));
  const out = alloc(idxShape, 'int32', x.isMeta ? undefined : undefined);
  if (out.numel() === 0) return out;
  const ov = out.storage().view();
  const key = (a: number): number => (Number.isNaN(a) ? Infinity : a);
  const cmp = descending
    ? (a: number, b: number, ia: number, ib: number): number => (Number.isNaN(a) !== Number.isNaN(b) ? (Number.isNaN(a) ? -1 : 1) : key(b) - key(a) || ia - ib)
    : (a: number, b: number, ia: number, ib: number): number => (Number.isNaN(a) !== Number.isNaN(b) ? (Number.isNaN(a) ? 1 : -1) : key(a) - key(b) || ia - ib);
  const pos = Array.from({ length: n }, (_, i) => i);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      const ix = pos.slice().sort((a, b) => cmp(v[base + a * inner], v[base + b * inner], a, b));
      for (let j = 0; j < k; j++) ov[(o * k + j) * inner + i] = ix[j];
    }
  }
  return out;
}

/** sort(x, dim = -1, descending = false) → [values, indices]. */
export function sort(x: Tensor, ...args: unknown[]): ValuesIndices {
  const o = sortSig.parse(args);
  if (x.ndim === 0) return valuesIndices(clone(x), alloc([], 'int32'));
  const d = normDim(o.dim, x.ndim, 'sort');
  const idx = order(x, d, o.descending, x.shape[d]);
  return valuesIndices(gatherAlong(x, idx, d), idx);
}

/** argsort(x, dim = -1, descending = false): the indices of sort. */
export function argsort(x: Tensor, ...args: unknown[]): Tensor {
  const o = argsortSig.parse(args);
  if (x.ndim === 0) return alloc([], 'int32');
  const d = normDim(o.dim, x.ndim, 'argsort');
  return order(x, d, o.descending, x.shape[d]);
}

/** topk(x, k, dim = -1, largest = true, sorted = true) → [values, indices] (always sorted, which sorted=false allows). */
export function topk(x: Tensor, ...args: unknown[]): ValuesIndices {
  const o = topkSig.parse(args);
  const d = normDim(o.dim, Math.max(x.ndim, 1), 'topk');
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (o.k > n) throw new RangeError(`topk: k (${o.k}) is out of range for dimension ${d} of size ${n}`);
  if (x.ndim === 0) return valuesIndices(clone(x), alloc([], 'int32'));
  const idx = order(x, d, o.largest, o.k);
  return valuesIndices(gatherAlong(x, idx, d), idx);
}

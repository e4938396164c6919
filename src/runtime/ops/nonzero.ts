/** nonzero / argwhere: positions of the non-zero (true) elements, row-major, as PyTorch. No autograd. */
import { Tensor } from '../tensor';
import { alloc } from './raw';

/** [n, ndim] int32 positions of the non-zero elements (PyTorch's nonzero(), our int32 for int64). */
export function nonzero(x: Tensor, opts: { asTuple?: boolean } = {}): Tensor | Tensor[] {
  for (const k of Object.keys(opts)) {
    if (k !== 'asTuple' && k !== 'as_tuple') throw new Error(`nonzero: unknown option '${k}'; valid options are 'asTuple'`);
  }
  const asTuple = (opts as { asTuple?: boolean; as_tuple?: boolean }).asTuple ?? (opts as { as_tuple?: boolean }).as_tuple ?? false;
  const v = x.dataSync();
  const hits: number[] = [];
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) hits.push(i);
  const nd = x.ndim;
  const strides = x.shape.map((_, d) => x.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const coord = (flat: number, d: number): number => Math.floor(flat / strides[d]) % x.shape[d];
  if (asTuple) {
    const dims = nd === 0 ? 1 : nd;
    return Array.from({ length: dims }, (_, d) => {
      const t = alloc([hits.length], 'int32', x.isMeta ? undefined : undefined);
      const tv = t.storage().view();
      hits.forEach((h, k) => (tv[k] = nd === 0 ? 0 : coord(h, d)));
      return t;
    });
  }
  const out = alloc([hits.length, nd], 'int32');
  const ov = out.storage().view();
  hits.forEach((h, k) => {
    for (let d = 0; d < nd; d++) ov[k * nd + d] = coord(h, d);
  });
  return out;
}

/** The index tensors nonzero(mask, {asTuple: true}) — what a boolean mask selects, one tensor per mask dim. */
export function maskIndices(mask: Tensor): Tensor[] {
  return nonzero(mask, { asTuple: true }) as Tensor[];
}

/**
 * The last line of defence in front of the indexing kernels (gather / scatterAdd / indexSelect / indexAdd) of
 * every backend: operands must lie inside their storages and every index inside [0, bound). The op layer
 * (ops/index-checks.ts) already reports bad user input with PyTorch's messages; this guard makes sure no
 * caller — present or future — can make a kernel read or write outside its buffers.
 */
import type { Ref } from './types';

function refuse(msg: string): never {
  throw new RangeError(msg);
}

/** r.off .. r.off + count must lie inside r's storage. */
export function guardExtent(op: string, what: string, r: Ref, count: number): void {
  if (!Number.isInteger(r.off) || r.off < 0 || !Number.isInteger(count) || count < 0 || r.off + count > r.s.length) {
    refuse(`${op}: ${what} needs ${count} elements from offset ${r.off} but its storage holds ${r.s.length}`);
  }
}

/** Every one of the `count` int32 indices at idx lies in [0, bound). Reads the index buffer in place. */
export function guardIndices(op: string, idx: Ref, count: number, bound: number): void {
  if (idx.s.type !== 'int32') refuse(`${op}: needs an int32 index, got ${idx.s.type}`);
  guardExtent(op, 'index', idx, count);
  const v = idx.s.view();
  const end = idx.off + count;
  let lo = 0;
  let hi = -1;
  for (let i = idx.off; i < end; i++) {
    const x = v[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (lo < 0 || hi >= bound) refuse(`${op}: index ${lo < 0 ? lo : hi} is out of bounds for dimension with size ${bound}`);
}

/** Both layouts of the indexing kernels: [outer, dim, inner] data, indices per element (gather) or per row. */
export function guardIndexing(op: 'gather' | 'scatterAdd' | 'indexSelect' | 'indexAdd', data: Ref, idx: Ref, out: Ref,
  outer: number, dataDim: number, inner: number, k: number): void {
  const perElement = op === 'gather' || op === 'scatterAdd';
  const gathers = op === 'gather' || op === 'indexSelect';
  const nIdx = perElement ? outer * k * inner : k;
  if (outer * inner * k === 0) return;
  // gather/indexSelect read data [outer, dataDim, inner] and write out [outer, k, inner]; the adds read src
  // [outer, k, inner] and write out [outer, dataDim, inner].
  guardExtent(op, gathers ? 'input' : 'source', data, outer * (gathers ? dataDim : k) * inner);
  guardExtent(op, 'output', out, outer * (gathers ? k : dataDim) * inner);
  guardIndices(op, idx, nIdx, dataDim);
}

/**
 * Strided addressing shared by copy, binary and where. A shape is walked row by row (rows = the last dimension):
 * `offs[r]` is the element offset of row r's first element and `step` the stride along the row, so for the
 * element (r, j) the offset is offs[r] + j·step. A stride of 0 broadcasts that dimension.
 */

export interface Rows {
  /** Offset of the first element of each row, in row-major order of the leading dimensions. */
  offs: Float64Array;
  /** Elements per row (the last dimension; 1 for a 0-d shape). */
  len: number;
  /** Stride along a row. */
  step: number;
}

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Rows of `shape` read with `strides` from `base`. A 0-d shape has one row of one element; a 0 dimension none. */
export function rowsOf(shape: readonly number[], strides: readonly number[], base: number): Rows {
  const nd = shape.length;
  if (nd === 0) return { offs: new Float64Array([base]), len: 1, step: 0 };
  const lead = shape.slice(0, nd - 1);
  const count = numelOf(lead) * (shape[nd - 1] === 0 ? 0 : 1);
  const offs = new Float64Array(count);
  const idx = new Array<number>(nd - 1).fill(0);
  let o = base;
  for (let r = 0; r < count; r++) {
    offs[r] = o;
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      o += strides[d];
      if (idx[d] < lead[d]) break;
      o -= strides[d] * lead[d];
      idx[d] = 0;
    }
  }
  return { offs, len: shape[nd - 1], step: strides[nd - 1] };
}

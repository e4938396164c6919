/**
 * In-place writes into a tensor whatever its strides: a transposed, sliced (narrow/select) or stepped view writes
 * through to its base's storage, as PyTorch's in-place ops do (`x.t().fill_(0)`, `x.narrow(1, 0, 2).mul_(2)`).
 * A view whose elements share memory (an expanded dim, stride 0) is refused with PyTorch's message.
 */
import type { Tensor } from '../tensor';
import { fmtShape } from '../shape';

/** PyTorch's has_internal_overlap check: a dim of size > 1 with stride 0 (expand) makes one location many elements. */
export function checkNoInternalOverlap(op: string, t: Tensor): void {
  if (t.shape.some((n, i) => n > 1 && t._strides[i] === 0)) {
    throw new Error(
      `${op}: unsupported operation: more than one element of the written-to tensor (shape ${fmtShape(t.shape)}, strides ` +
        `${fmtShape(t._strides)}) refers to a single memory location; call .clone() before the in-place operation`,
    );
  }
}

/**
 * Writes `values` (a number for every element, or the row-major values of t's shape) at t's strided positions.
 * Reads the storage's typed array once, after every value has been computed (wasm memory may move on allocation).
 */
export function writeStrided(t: Tensor, values: number | ArrayLike<number>): void {
  const n = t.numel();
  if (n === 0) return;
  const shape = t.shape;
  const strides = t._strides;
  const nd = shape.length;
  const mem = t.storage().view() as unknown as { [i: number]: number };
  const idx = new Array<number>(nd).fill(0);
  let off = t._offset;
  const scalar = typeof values === 'number';
  for (let i = 0; i < n; i++) {
    mem[off] = scalar ? values : (values as ArrayLike<number>)[i];
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) {
        off += strides[d];
        break;
      }
      off -= strides[d] * (shape[d] - 1);
      idx[d] = 0;
    }
  }
}

/** fill_'s value as PyTorch takes it: a number, a boolean, or a 0-d tensor; anything else is an error, never NaN. */
export function fillValue(op: string, v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v !== null && typeof v === 'object' && 'ndim' in v && typeof (v as { item?: unknown }).item === 'function') {
    const t = v as { ndim: number; item(): number | boolean };
    if (t.ndim !== 0) throw new Error(`${op}: only supports 0-dimension value tensor but got tensor with ${t.ndim} dimensions`);
    return Number(t.item());
  }
  throw new TypeError(`${op}(): argument 'value' must be a number, a boolean or a 0-d tensor, got ${v === null ? 'null' : typeof v}`);
}

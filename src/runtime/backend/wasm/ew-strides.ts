/**
 * Stride plumbing for the strided kernels (copy, binary, where): coalescing, padding to the kernels' 6 dims,
 * and the int32 `meta` block written into scratch memory (shape[6], then 6 element strides per input).
 * The output is always contiguous, so only input strides constrain coalescing.
 */
import type { WasmContext } from './context';

export const KERNEL_DIMS = 6;

export interface Coalesced {
  shape: number[];
  /** strides[k] are the strides of input operand k, same length as shape. */
  strides: number[][];
  /** Total number of elements (0 means there is nothing to do). */
  size: number;
}

/**
 * Drop size-1 dims and merge adjacent dims (i, i+1) when every input satisfies st[i] == st[i+1] * shape[i+1].
 * Contiguous same-shape operands collapse to one dim; a bias [C] broadcast over [N, C, H, W] becomes
 * [N, C, H*W] with strides [0, 1, 0].
 */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): Coalesced {
  let size = 1;
  for (const d of shape) size *= d;
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  if (size === 0) return { shape: [0], strides: strides.map(() => [0]), size: 0 };
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === 1) continue;
    const last = outShape.length - 1;
    const mergeable = last >= 0 && strides.every((st, k) => outStrides[k][last] === st[i] * d);
    if (mergeable) {
      outShape[last] *= d;
      strides.forEach((st, k) => { outStrides[k][last] = st[i]; });
    } else {
      outShape.push(d);
      strides.forEach((st, k) => outStrides[k].push(st[i]));
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: strides.map(() => [0]), size: 1 };
  return { shape: outShape, strides: outStrides, size };
}

/**
 * Run `call(meta, offsets)` over a coalesced problem: pads to 6 dims, or, beyond 6 dims, loops in JS over the
 * leading dims and passes element offsets for each input and for the output. The meta block is re-written for
 * each call (scratch is only valid until the next scratch() call).
 */
export function forEachBlock(ctx: WasmContext, c: Coalesced,
  call: (meta: number, inOffsets: number[], outOffset: number) => void): void {
  const nd = c.shape.length;
  const lead = Math.max(0, nd - KERNEL_DIMS);
  const innerShape = c.shape.slice(lead);
  const innerStrides = c.strides.map((st) => st.slice(lead));
  let blockSize = 1;
  for (const d of innerShape) blockSize *= d;
  const counter = new Array<number>(lead).fill(0);
  const inOff = c.strides.map(() => 0);
  let outOff = 0;
  for (;;) {
    const meta = writeMeta(ctx, innerShape, innerStrides);
    call(meta, inOff.slice(), outOff);
    outOff += blockSize;
    let k = lead - 1;
    for (; k >= 0; k--) {
      counter[k]++;
      c.strides.forEach((st, j) => { inOff[j] += st[k]; });
      if (counter[k] < c.shape[k]) break;
      c.strides.forEach((st, j) => { inOff[j] -= st[k] * c.shape[k]; });
      counter[k] = 0;
    }
    if (k < 0) return;
  }
}

/** Write shape and strides (padded with leading 1 / 0 to 6 dims) into scratch; returns the byte address. */
export function writeMeta(ctx: WasmContext, shape: readonly number[], strides: readonly (readonly number[])[]): number {
  const words = KERNEL_DIMS * (1 + strides.length);
  const ptr = ctx.scratch(words * 4);
  const m = new Int32Array(ctx.memory.buffer, ptr, words);
  const pad = KERNEL_DIMS - shape.length;
  for (let i = 0; i < KERNEL_DIMS; i++) m[i] = i < pad ? 1 : shape[i - pad];
  strides.forEach((st, k) => {
    for (let i = 0; i < KERNEL_DIMS; i++) m[KERNEL_DIMS * (k + 1) + i] = i < pad ? 0 : st[i - pad];
  });
  return ptr;
}

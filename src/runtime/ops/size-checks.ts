/**
 * Sizes checked before work: every creation computes its output size first and refuses, in microseconds, what
 * cannot fit (`randn: needs 8.0 GB; the WASM memory limit is 4 GB`) instead of generating values for minutes.
 */
import type { Backend, DType } from '../backend/types';
import { backendFor } from '../backend/registry';
import { fmtShape, numel, ShapeError } from '../shape';
import { formatBytes, WASM_MEMORY_LIMIT } from '../backend/limits';

export { WASM_MEMORY_LIMIT, formatBytes };
const LIMIT_TEXT = '4 GB';
/** Largest element count of one tensor (int32 offsets in the kernels). */
const MAX_ELEMENTS = 2 ** 31 - 1;

export function bytesPerElement(dtype: DType): number {
  return dtype === 'float64' ? 8 : 4;
}

/**
 * Throws a clear error naming `op` unless a `dtype` tensor of `shape` can exist on `backend`. With op null (the
 * allocation inside any op) the message starts "cannot allocate a float32 tensor of shape …".
 */
export function checkSize(op: string | null, shape: readonly number[], dtype: DType, backend?: Backend): void {
  const what = op === null ? `cannot allocate a ${dtype} tensor of shape ${fmtShape(shape)}: it` : `${op}: a ${dtype} tensor of shape ${fmtShape(shape)}`;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op ?? 'empty'}: invalid shape ${fmtShape(shape)}: sizes must be non-negative integers`);
    }
  }
  const n = numel(shape);
  const bytes = n * bytesPerElement(dtype);
  const be = backend ?? backendFor(dtype);
  if (be.name === 'wasm' && bytes > WASM_MEMORY_LIMIT) {
    throw new RangeError(`${what} needs ${formatBytes(bytes)}; the WASM memory limit is ${LIMIT_TEXT}`);
  }
  const room = (be as { canAllocate?: (bytes: number) => boolean }).canAllocate;
  if (be.name === 'wasm' && room && !room.call(be, bytes)) {
    const used = be.stats().bytesInUse;
    const why = used > WASM_MEMORY_LIMIT / 100
      ? `${formatBytes(used)} of the ${LIMIT_TEXT} WASM memory hold live tensors, so it cannot fit (free some tensors, or restart the kernel)`
      : `that is more than the ${LIMIT_TEXT} WASM memory can hold`;
    throw new RangeError(`${what} needs ${formatBytes(bytes)}; ${why}`);
  }
  if (n > MAX_ELEMENTS) {
    throw new RangeError(`${op ?? 'cannot allocate'}: shape ${fmtShape(shape)} has ${n} elements (${formatBytes(bytes)}), more than the 2^31 - 1 a tensor can hold`);
  }
}

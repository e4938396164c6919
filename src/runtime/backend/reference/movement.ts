/** fill, strided copy and storage-type conversion. */
import type { Ref } from '../types';
import { arr } from './storage';
import { rowsOf } from './strided';

export function fill(dst: Ref, n: number, value: number): void {
  const d = arr(dst);
  // Storing into the typed array rounds (float32) or converts (int32) exactly as a cast would.
  for (let i = 0; i < n; i++) d[dst.off + i] = value;
}

export function copy(src: Ref, srcStrides: readonly number[], dst: Ref, shape: readonly number[]): void {
  const s = arr(src);
  const d = arr(dst);
  const rows = rowsOf(shape, srcStrides, src.off);
  let k = dst.off;
  for (const start of rows.offs) {
    for (let j = 0, i = start; j < rows.len; j++, i += rows.step) d[k++] = s[i];
  }
}

/**
 * Contiguous conversion. float → int32 truncates toward zero (NaN → 0; out-of-range values wrap modulo 2^32,
 * which is undefined behaviour in PyTorch, so callers must not rely on it). Any → float32 rounds to nearest even.
 */
export function cast(src: Ref, dst: Ref, n: number): void {
  const s = arr(src);
  const d = arr(dst);
  if (dst.s.type === 'int32') {
    for (let i = 0; i < n; i++) {
      const v = s[src.off + i];
      d[dst.off + i] = Number.isFinite(v) ? Math.trunc(v) : 0;
    }
  } else {
    for (let i = 0; i < n; i++) d[dst.off + i] = s[src.off + i];
  }
}

/** Memory limits shared by the backends and the op layer's size checks. */

/** The wasm32 address space: one WebAssembly.Memory of at most 65536 pages of 64 KiB. */
export const WASM_MEMORY_LIMIT = 4 * 1024 ** 3;

/** "8.0 GB", "512.0 MB", "12.0 kB", "10 bytes" (powers of 1024, as the 4 GB WASM limit is stated). */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${n} bytes`;
}

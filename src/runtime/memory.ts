/**
 * Memory helpers. Unreachable storages are reclaimed automatically (the wasm allocator registers each storage in
 * a FinalizationRegistry and forces a synchronous collection when usage passes a watermark). tidy(fn) runs fn and
 * then collects right away, so everything fn created and did not return (or keep) is freed before tidy returns.
 * It never frees a tensor that is still reachable (a parameter's .grad, optimizer state, a returned value), so it
 * cannot leave dangling tensors behind — unlike a scope that releases by creation time.
 */
import type { Tensor } from './tensor';
import { backendByName } from './backend/registry';
import type { Backend, MemoryStats } from './backend/types';
import { formatBytes } from './ops/size-checks';

/**
 * tfjs-style marker that t outlives the enclosing tidy(). tidy() never frees a reachable tensor, so this only
 * documents intent; it holds no reference (a set of kept tensors would leak them).
 */
export function keep<T extends Tensor>(t: T): T {
  return t;
}

/** Force a collection of unreachable storages on every backend that supports it. */
export function collectGarbage(): void {
  for (const name of ['wasm', 'reference'] as const) {
    const be = backendByName(name) as Backend & { collect?: () => void };
    be.collect?.();
  }
}

export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new Error('tidy: expected a function');
  const result = fn();
  if (result instanceof Promise) throw new Error('tidy: the function must be synchronous (it returned a Promise)');
  collectGarbage();
  return result;
}

/**
 * Live and reserved bytes per backend. `note` is set when the WASM memory holds much more than the live tensors
 * need: WebAssembly memory can grow but never shrink, so the room is reused by new tensors and only a kernel
 * restart gives it back to the system.
 */
export function memoryStats(): { wasm: MemoryStats; reference: MemoryStats; note?: string } {
  const wasm = backendByName('wasm').stats();
  const stats: { wasm: MemoryStats; reference: MemoryStats; note?: string } = { wasm, reference: backendByName('reference').stats() };
  const note = memoryNote(wasm);
  if (note) stats.note = note;
  return stats;
}

/** The restart hint for wasm stats with more than 256 MB reserved beyond (and above) what live tensors use. */
export function memoryNote(wasm: MemoryStats): string | undefined {
  const idle = wasm.bytesReserved - wasm.bytesInUse;
  if (idle <= 256 * 1024 ** 2 || idle <= wasm.bytesInUse) return undefined;
  return `The WASM memory holds ${formatBytes(wasm.bytesReserved)} of which ${formatBytes(wasm.bytesInUse)} are live tensors. ` +
    'WebAssembly memory cannot shrink: new tensors reuse the room, and only restarting the kernel gives it back to the system.';
}

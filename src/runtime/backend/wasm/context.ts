/**
 * The handle the wasm backend gives to its kernel glue (elementwise.ts, gemm/conv glue).
 *
 * Conventions:
 * - `ex` are the raw exports of the AssemblyScript kernel module: flat functions over byte addresses (i32) and
 *   numbers. They never allocate; every buffer they touch is passed in as a pointer.
 * - `addr(r)` turns an element Ref into a byte address: `r.s.ptr + r.off * 4` (float32 and int32 are 4 bytes).
 * - `scratch(bytes)` returns a 16-byte-aligned pointer to a reusable block of at least `bytes` bytes, valid until
 *   the next scratch() call (any caller). It may grow the memory, so call it BEFORE computing addresses you keep
 *   in variables only if you re-read them afterwards; addresses themselves stay valid across growth (only JS
 *   typed-array views detach), so the usual pattern `const s = ctx.scratch(n); ex.k(ctx.addr(x), s, ...)` is fine.
 * - Never cache typed-array views over `memory.buffer`: any allocation may grow the memory and detach them.
 */
import type { Ref } from '../types';
import type { KernelExports } from './module';

export interface WasmContext {
  /** Instance exports of the kernel module (kernels/assembly/index.ts). */
  readonly ex: KernelExports;
  /** The one memory, owned by JS. */
  readonly memory: WebAssembly.Memory;
  /** Byte address of an operand: r.s.ptr + r.off * 4. */
  addr(r: Ref): number;
  /** 16-aligned pointer to a reusable scratch block of >= bytes, valid until the next scratch() call. */
  scratch(bytes: number): number;
}

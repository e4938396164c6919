/**
 * Fused memory-bound kernels of the wasm backend (kernels/assembly/fused.ts): BatchNorm statistics, per-channel
 * affine, BatchNorm backward reductions and apply, and multi-tensor SGD / Adam updates (one kernel call updates a
 * whole parameter group). Not part of the `Backend` interface: the op layer asks `fusedKernels(backend)` and
 * falls back to its composite path (which the reference backend always takes) when it gets null.
 */
import type { Backend, Ref } from '../types';
import type { KernelExports } from './kernel-exports';

/**
 * The part of the backend's WasmContext (./context) these kernels use. Declared here so that the op layer, which
 * imports this file, does not pull the WebAssembly-typed backend files into projects without the wasm globals.
 */
interface FusedContext {
  readonly ex: KernelExports;
  readonly memory: { readonly buffer: ArrayBufferLike };
  addr(r: Ref): number;
  scratch(bytes: number): number;
}

/** One parameter of a multi-tensor optimizer update (all refs float32, contiguous, `n` elements). */
export interface SgdEntry { p: Ref; g: Ref; buf: Ref | null; n: number; first: boolean }
export interface AdamEntry { p: Ref; g: Ref; m: Ref; v: Ref; vmax: Ref | null; n: number; stepSize: number; invSqrtBc2: number }

export interface SgdScalars { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean; maximize: boolean }
export interface AdamScalars {
  lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; decoupled: boolean; amsgrad: boolean; maximize: boolean;
}

/**
 * The worker pool's split of the BatchNorm passes (./pool-split's ThreadSplit, declared structurally for the same
 * reason as FusedContext). Each returns false when it did not split, and the serial kernel runs.
 */
interface BnSplit {
  bnStats(x: number, n: number, c: number, hw: number, mean: number, variance: number, invstd: number, eps: number): boolean;
  bnApply(x: number, y: number, n: number, c: number, hw: number, scale: number, shift: number): boolean;
  bnBackwardReduce(dy: number, x: number, n: number, c: number, hw: number, mean: number, sumDy: number, sumDyXm: number): boolean;
  bnBackwardApply(dy: number, x: number, dx: number, n: number, c: number, hw: number, A: number, K: number, C: number, mean: number): boolean;
  bnApplyRelu(x: number, y: number, n: number, c: number, hw: number, scale: number, shift: number): boolean;
  bnBackwardReduceRelu(dy: number, x: number, n: number, c: number, hw: number, mean: number, scale: number, shift: number,
    sumDy: number, sumDyXm: number): boolean;
  bnBackwardApplyRelu(dy: number, x: number, dx: number, n: number, c: number, hw: number, A: number, K: number, C: number,
    mean: number, scale: number, shift: number): boolean;
}

export class FusedKernels {
  constructor(private readonly ctx: FusedContext, private readonly split: BnSplit | null = null) {}

  /** mean, biased var and 1/sqrt(var + eps) per channel of a contiguous [n, c, hw]. */
  bnStats(x: Ref, n: number, c: number, hw: number, mean: Ref, variance: Ref, invstd: Ref, eps: number): void {
    const a = this.ctx.addr;
    if (this.split?.bnStats(a(x), n, c, hw, a(mean), a(variance), a(invstd), eps)) return;
    this.ctx.ex.bn_stats_f32(a(x), n, c, hw, a(mean), a(variance), a(invstd), eps);
  }

  /** y = x·scale[c] + shift[c]. */
  bnApply(x: Ref, y: Ref, n: number, c: number, hw: number, scale: Ref, shift: Ref): void {
    const a = this.ctx.addr;
    if (this.split?.bnApply(a(x), a(y), n, c, hw, a(scale), a(shift))) return;
    this.ctx.ex.bn_apply_f32(a(x), a(y), n, c, hw, a(scale), a(shift));
  }

  /** sumDy[c] = Σ dy, sumDyXm[c] = Σ dy·(x − mean[c]). */
  bnBackwardReduce(dy: Ref, x: Ref, n: number, c: number, hw: number, mean: Ref, sumDy: Ref, sumDyXm: Ref): void {
    const a = this.ctx.addr;
    if (this.split?.bnBackwardReduce(a(dy), a(x), n, c, hw, a(mean), a(sumDy), a(sumDyXm))) return;
    this.ctx.ex.bn_backward_reduce_f32(a(dy), a(x), n, c, hw, a(mean), a(sumDy), a(sumDyXm));
  }

  /** dx = A[c]·dy + K[c]·(x − mean[c]) + C[c]. */
  bnBackwardApply(dy: Ref, x: Ref, dx: Ref, n: number, c: number, hw: number, A: Ref, K: Ref, C: Ref, mean: Ref): void {
    const a = this.ctx.addr;
    if (this.split?.bnBackwardApply(a(dy), a(x), a(dx), n, c, hw, a(A), a(K), a(C), a(mean))) return;
    this.ctx.ex.bn_backward_apply_f32(a(dy), a(x), a(dx), n, c, hw, a(A), a(K), a(C), a(mean));
  }

  sgdStep(entries: readonly SgdEntry[], o: SgdScalars): void {
    if (entries.length === 0) return;
    const table = this.table(entries.length, (u, i) => {
      const e = entries[i];
      u[0] = this.ctx.addr(e.p); u[1] = this.ctx.addr(e.g); u[2] = e.buf ? this.ctx.addr(e.buf) : 0;
      u[3] = e.n; u[4] = e.first ? 1 : 0;
    });
    this.ctx.ex.sgd_step_f32(table, entries.length, -o.lr, o.momentum, 1 - o.dampening, o.weightDecay,
      o.nesterov ? 1 : 0, o.maximize ? 1 : 0);
  }

  adamStep(entries: readonly AdamEntry[], o: AdamScalars): void {
    if (entries.length === 0) return;
    const table = this.table(entries.length, (u, i, f) => {
      const e = entries[i];
      u[0] = this.ctx.addr(e.p); u[1] = this.ctx.addr(e.g); u[2] = this.ctx.addr(e.m); u[3] = this.ctx.addr(e.v);
      u[4] = e.vmax ? this.ctx.addr(e.vmax) : 0; u[5] = e.n; f[6] = e.stepSize; f[7] = e.invSqrtBc2;
    });
    this.ctx.ex.adam_step_f32(table, entries.length, o.beta1, 1 - o.beta1, o.beta2, 1 - o.beta2, o.eps, o.weightDecay,
      1 - o.lr * o.weightDecay, o.decoupled ? 1 : 0, o.amsgrad ? 1 : 0, o.maximize ? 1 : 0);
  }

  /** Writes `count` 32-byte rows into scratch memory; returns its address. */
  private table(count: number, row: (u: Uint32Array, i: number, f: Float32Array) => void): number {
    const ptr = this.ctx.scratch(count * 32);
    const buf = this.ctx.memory.buffer;
    for (let i = 0; i < count; i++) row(new Uint32Array(buf, ptr + i * 32, 8), i, new Float32Array(buf, ptr + i * 32, 8));
    return ptr;
  }

  // ---- BatchNorm → ReLU epilogue (kernels/assembly/epilogue.ts) ----

  /** y = relu(x·scale[c] + shift[c]). */
  bnApplyRelu(x: Ref, y: Ref, n: number, c: number, hw: number, scale: Ref, shift: Ref): void {
    const a = this.ctx.addr;
    if (this.split?.bnApplyRelu(a(x), a(y), n, c, hw, a(scale), a(shift))) return;
    this.ctx.ex.bn_apply_relu_f32(a(x), a(y), n, c, hw, a(scale), a(shift));
  }

  /** bnBackwardReduce of the masked gradient (y > 0 ? dy : 0, y > 0 recomputed from x, scale and shift). */
  bnBackwardReduceRelu(dy: Ref, x: Ref, n: number, c: number, hw: number, mean: Ref, scale: Ref, shift: Ref, sumDy: Ref,
    sumDyXm: Ref): void {
    const a = this.ctx.addr;
    if (this.split?.bnBackwardReduceRelu(a(dy), a(x), n, c, hw, a(mean), a(scale), a(shift), a(sumDy), a(sumDyXm))) return;
    this.ctx.ex.bn_backward_reduce_relu_f32(a(dy), a(x), n, c, hw, a(mean), a(scale), a(shift), a(sumDy), a(sumDyXm));
  }

  /** bnBackwardApply of the masked gradient (y > 0 ? dy : 0, y > 0 recomputed from x, scale and shift). */
  bnBackwardApplyRelu(dy: Ref, x: Ref, dx: Ref, n: number, c: number, hw: number, A: Ref, K: Ref, C: Ref, mean: Ref,
    scale: Ref, shift: Ref): void {
    const a = this.ctx.addr;
    if (this.split?.bnBackwardApplyRelu(a(dy), a(x), a(dx), n, c, hw, a(A), a(K), a(C), a(mean), a(scale), a(shift))) return;
    this.ctx.ex.bn_backward_apply_relu_f32(a(dy), a(x), a(dx), n, c, hw, a(A), a(K), a(C), a(mean), a(scale), a(shift));
  }
}

/** The fused kernels of `be` when it is the wasm backend; null otherwise (callers use their composite path). */
export function fusedKernels(be: Backend): FusedKernels | null {
  return (be as { fused?: FusedKernels }).fused ?? null;
}

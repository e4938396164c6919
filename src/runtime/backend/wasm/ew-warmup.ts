/**
 * Warm-up for the elementwise-family kernels: V8 runs wasm in Liftoff first and tiers a function up only between
 * calls (a cold 1M-element bias add measured ~25 ms instead of ~0.3 ms). `kernels(ctx)` runs the warm-up once per
 * context on the first call of any glue function; the backend may also call warmUpElementwise(ctx) at creation
 * (like core.ts's GEMM/conv warm-up). It runs entirely inside one scratch block and touches no storage.
 */
import type { WasmContext } from './context';
import { BINARY_OPCODES, REDUCE_OPCODES, UNARY_OPCODES } from './ew-opcodes';

const N = 64; // elements per region
const ROUNDS = 10;
const UNARY = (['neg', 'exp', 'erf', 'relu', 'gelu', 'sigmoid', 'tanh', 'clamp'] as const).map((o) => UNARY_OPCODES[o]);
const BINARY = (['add', 'mul', 'maximum', 'lt'] as const).map((o) => BINARY_OPCODES[o]);
const REDUCE = (['sum', 'max', 'prod'] as const).map((o) => REDUCE_OPCODES[o]);

const warmed = new WeakSet<WasmContext>();

/**
 * The kernel exports, after warming them up once per context. Call it FIRST in every glue function: the warm-up
 * uses scratch memory, so it must run before the caller writes its own scratch block.
 */
export function kernels(ctx: WasmContext): WasmContext['ex'] {
  if (!warmed.has(ctx)) {
    warmed.add(ctx);
    warmUpElementwise(ctx);
  }
  return ctx.ex;
}

export function warmUpElementwise(ctx: WasmContext): void {
  const bytes = N * 4;
  const base = ctx.scratch(5 * bytes + 256);
  const [a, b, c, d] = [0, 1, 2, 3].map((k) => base + k * bytes);
  const idx = base + 4 * bytes;
  const f = new Float32Array(ctx.memory.buffer, base, 4 * N);
  for (let i = 0; i < f.length; i++) f[i] = ((i * 37) % 23) / 7 - 1.5;
  const m = new Int32Array(ctx.memory.buffer, idx, N + 64); // indices, then the strided and pool meta blocks
  for (let i = 0; i < N; i++) m[i] = i % 4;
  // strided meta: shape [1,1,1,1,4,16], then up to three stride sets (broadcast along dim 4 for the second)
  m.set([1, 1, 1, 1, 4, 16, 0, 0, 0, 0, 16, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 16, 1], N);
  m.set([2, 2, 4, 4, 2, 2, 2, 2, 0, 0, 1, 1, 2, 2, 0, 0], N + 24); // pool args: 2x2, stride 2
  const ex = ctx.ex;
  const sMeta = idx + N * 4;
  const pMeta = idx + (N + 24) * 4;
  for (let r = 0; r < ROUNDS; r++) {
    ex.ew_fill_32(d, N, 0);
    ex.ew_cast_f32_i32(a, d, N);
    ex.ew_cast_i32_f32(d, d, N);
    for (const op of UNARY) {
      ex.ew_unary_f32(op, a, c, N, 0.1, 1);
      ex.ew_unary_grad_f32(op, a, c, b, d, N, 0.1, 1);
    }
    ex.ew_unary_i32(0, idx, d, N, 0, 0);
    for (const op of BINARY) {
      ex.ix_binary_f32(op, a, b, c, sMeta);
      ex.ix_binary_i32(op, idx, idx, d, sMeta);
    }
    ex.ix_copy_32(a, c, sMeta);
    ex.ix_where_32(idx, a, b, c, sMeta);
    for (const op of REDUCE) {
      ex.red_reduce_f32(op, a, 4, 16, 1, c, d, 1);
      ex.red_reduce_f32(op, a, 1, 4, 16, c, d, 1);
      ex.red_reduce_i32(op, idx, 4, 16, 1, d, c, 1);
    }
    ex.ix_gather_32(a, idx, c, 1, 4, 16, 4);
    ex.ix_scatter_add_f32(a, idx, c, 1, 4, 16, 4);
    ex.ix_index_select_32(a, idx, c, 1, 4, 16, 4);
    ex.ix_index_add_f32(a, idx, c, 1, 4, 16, 4);
    ex.sm_softmax_f32(a, c, 4, 16, r & 1);
    ex.sm_softmax_backward_f32(c, b, d, 4, 16, r & 1);
    ex.pool_max2d_f32(a, c, d, pMeta);
    ex.pool_max2d_backward_f32(c, d, b, pMeta);
    ex.pool_avg2d_f32(a, c, pMeta);
    ex.pool_avg2d_backward_f32(c, b, pMeta);
    ex.pool_adaptive_avg2d_f32(a, c, 4, 4, 4, 3, 3);
    ex.pool_adaptive_avg2d_backward_f32(c, b, 4, 4, 4, 3, 3);
  }
}

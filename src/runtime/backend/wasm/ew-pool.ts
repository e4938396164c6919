/**
 * TS glue for pooling and softmax (re-exported by elementwise.ts; same signatures as the Backend methods with a
 * leading WasmContext). Pool2dArgs go to the kernels as 16 int32 words in scratch memory, in the order
 * n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, countIncludePad, divisorOverride.
 */
import type { Pool2dArgs, Ref } from '../types';
import type { WasmContext } from './context';
import { kernels } from './ew-warmup';

function fail(msg: string): never {
  throw new Error(`wasm backend: ${msg}`);
}

function requireF32(what: string, ...refs: Ref[]): void {
  for (const r of refs) if (r.s.type !== 'float32') fail(`${what} needs float32 storages, got ${r.s.type}`);
}

function requireI32(what: string, r: Ref): void {
  if (r.s.type !== 'int32') fail(`${what} needs an int32 index storage, got ${r.s.type}`);
}

export function poolMeta(ctx: WasmContext, a: Pool2dArgs): number {
  const ptr = ctx.scratch(16 * 4);
  const m = new Int32Array(ctx.memory.buffer, ptr, 16);
  m.set([a.n, a.c, a.h, a.w, a.kh, a.kw, a.sh, a.sw, a.ph, a.pw, a.dh, a.dw, a.oh, a.ow,
    a.countIncludePad ? 1 : 0, a.divisorOverride | 0]);
  return ptr;
}

function empty(a: Pool2dArgs): boolean {
  return a.n * a.c * a.oh * a.ow === 0;
}

export function maxPool2d(ctx: WasmContext, x: Ref, y: Ref, idx: Ref, args: Pool2dArgs): void {
  const ex = kernels(ctx);
  requireF32('maxPool2d', x, y);
  requireI32('maxPool2d', idx);
  if (empty(args)) return;
  ex.pool_max2d_f32(ctx.addr(x), ctx.addr(y), ctx.addr(idx), poolMeta(ctx, args));
}

export function maxPool2dBackward(ctx: WasmContext, dy: Ref, idx: Ref, dx: Ref, args: Pool2dArgs): void {
  const ex = kernels(ctx);
  requireF32('maxPool2dBackward', dy, dx);
  requireI32('maxPool2dBackward', idx);
  if (args.n * args.c * args.h * args.w === 0) return;
  ex.pool_max2d_backward_f32(ctx.addr(dy), ctx.addr(idx), ctx.addr(dx), poolMeta(ctx, args));
}

function requireNoDilation(what: string, a: Pool2dArgs): void {
  if (a.dh !== 1 || a.dw !== 1) fail(`${what} has no dilation (PyTorch's avg_pool2d); got ${a.dh}×${a.dw}`);
}

export function avgPool2d(ctx: WasmContext, x: Ref, y: Ref, args: Pool2dArgs): void {
  const ex = kernels(ctx);
  requireF32('avgPool2d', x, y);
  requireNoDilation('avgPool2d', args);
  if (empty(args)) return;
  ex.pool_avg2d_f32(ctx.addr(x), ctx.addr(y), poolMeta(ctx, args));
}

export function avgPool2dBackward(ctx: WasmContext, dy: Ref, dx: Ref, args: Pool2dArgs): void {
  const ex = kernels(ctx);
  requireF32('avgPool2dBackward', dy, dx);
  requireNoDilation('avgPool2dBackward', args);
  if (args.n * args.c * args.h * args.w === 0) return;
  ex.pool_avg2d_backward_f32(ctx.addr(dy), ctx.addr(dx), poolMeta(ctx, args));
}

export function adaptiveAvgPool2d(ctx: WasmContext, x: Ref, y: Ref, n: number, c: number, h: number, w: number,
  oh: number, ow: number): void {
  const ex = kernels(ctx);
  requireF32('adaptiveAvgPool2d', x, y);
  if (n * c * oh * ow === 0) return;
  ex.pool_adaptive_avg2d_f32(ctx.addr(x), ctx.addr(y), n * c, h, w, oh, ow);
}

export function adaptiveAvgPool2dBackward(ctx: WasmContext, dy: Ref, dx: Ref, n: number, c: number, h: number,
  w: number, oh: number, ow: number): void {
  const ex = kernels(ctx);
  requireF32('adaptiveAvgPool2dBackward', dy, dx);
  if (n * c * h * w === 0) return;
  ex.pool_adaptive_avg2d_backward_f32(ctx.addr(dy), ctx.addr(dx), n * c, h, w, oh, ow);
}

export function softmax(ctx: WasmContext, x: Ref, y: Ref, rows: number, cols: number, log: boolean): void {
  const ex = kernels(ctx);
  requireF32('softmax', x, y);
  if (rows * cols === 0) return;
  ex.sm_softmax_f32(ctx.addr(x), ctx.addr(y), rows, cols, log ? 1 : 0);
}

export function softmaxBackward(ctx: WasmContext, y: Ref, dy: Ref, dx: Ref, rows: number, cols: number,
  log: boolean): void {
  const ex = kernels(ctx);
  requireF32('softmaxBackward', y, dy, dx);
  if (rows * cols === 0) return;
  ex.sm_softmax_backward_f32(ctx.addr(y), ctx.addr(dy), ctx.addr(dx), rows, cols, log ? 1 : 0);
}

/**
 * TS glue for the non-GEMM kernels: each function is the Backend method of the same name (types.ts) with a
 * leading WasmContext. Arguments are validated by the op layer; here we only dispatch on storage types, turn
 * Refs into byte addresses and pass strides / pooling parameters through scratch memory.
 */
import type { BinaryOp, ReduceOp, Ref, UnaryOp } from '../types';
import type { WasmContext } from './context';
import { kernels } from './ew-warmup';
import { BINARY_OPCODES, INT_UNARY_OPS, REDUCE_OPCODES, UNARY_OPCODES, isComparison } from './ew-opcodes';
import { coalesce, forEachBlock } from './ew-strides';

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;
const bitsF32 = new Float32Array(1);
const bitsI32 = new Int32Array(bitsF32.buffer);

function fail(msg: string): never {
  throw new Error(`wasm backend: ${msg}`);
}

function requireF32(what: string, ...refs: Ref[]): void {
  for (const r of refs) if (r.s.type !== 'float32') fail(`${what} needs float32 storages, got ${r.s.type}`);
}

/** Element offset → byte address of `r` shifted by `elems` elements. */
function at(ctx: WasmContext, r: Ref, elems = 0): number {
  return ctx.addr(r) + elems * 4;
}

// ---- movement ------------------------------------------------------------------------------------------------

export function fill(ctx: WasmContext, dst: Ref, n: number, value: number): void {
  const ex = kernels(ctx);
  if (n <= 0) return;
  let bits: number;
  if (dst.s.type === 'float32') {
    bitsF32[0] = value;
    bits = bitsI32[0];
  } else {
    bits = Number.isNaN(value) ? 0 : Math.trunc(Math.min(Math.max(value, I32_MIN), I32_MAX));
  }
  ex.ew_fill_32(at(ctx, dst), n, bits);
}

export function copy(ctx: WasmContext, src: Ref, srcStrides: readonly number[], dst: Ref, shape: readonly number[]): void {
  const ex = kernels(ctx);
  if (src.s.type !== dst.s.type) fail(`copy between ${src.s.type} and ${dst.s.type}; use cast`);
  const c = coalesce(shape, [srcStrides]);
  if (c.size === 0) return;
  forEachBlock(ctx, c, (meta, [so], oo) => ex.ix_copy_32(at(ctx, src, so), at(ctx, dst, oo), meta));
}

export function cast(ctx: WasmContext, src: Ref, dst: Ref, n: number): void {
  const ex = kernels(ctx);
  if (n <= 0) return;
  const from = src.s.type;
  const to = dst.s.type;
  if (from === to) copy(ctx, src, [1], dst, [n]);
  else if (from === 'float32' && to === 'int32') ex.ew_cast_f32_i32(at(ctx, src), at(ctx, dst), n);
  else if (from === 'int32' && to === 'float32') ex.ew_cast_i32_f32(at(ctx, src), at(ctx, dst), n);
  else fail(`cast ${from} → ${to} is not supported`);
}

// ---- elementwise --------------------------------------------------------------------------------------------

export function unary(ctx: WasmContext, op: UnaryOp, x: Ref, y: Ref, n: number, p0: number, p1: number): void {
  const ex = kernels(ctx);
  if (n <= 0) return;
  const code = UNARY_OPCODES[op];
  if (code === undefined) fail(`unknown unary op '${op}'`);
  if (x.s.type === 'int32' && y.s.type === 'int32') {
    if (!INT_UNARY_OPS.has(op)) fail(`unary '${op}' is float32 only`);
    // clamp: integer x satisfies x >= lo ⇔ x >= ceil(lo); powScalar: lo carries the (integer) exponent.
    const lo = op === 'clamp' ? Math.max(I32_MIN, Math.ceil(p0)) : op === 'powScalar' ? p0 | 0 : 0;
    const hi = op === 'clamp' ? Math.min(I32_MAX, Math.floor(p1)) : 0;
    ex.ew_unary_i32(code, at(ctx, x), at(ctx, y), n, lo, hi);
    return;
  }
  requireF32(`unary '${op}'`, x, y);
  ex.ew_unary_f32(code, at(ctx, x), at(ctx, y), n, p0, p1);
}

export function unaryGrad(ctx: WasmContext, op: UnaryOp, x: Ref, y: Ref, dy: Ref, dx: Ref, n: number,
  p0: number, p1: number): void {
  const ex = kernels(ctx);
  if (n <= 0) return;
  const code = UNARY_OPCODES[op];
  if (code === undefined) fail(`unknown unary op '${op}'`);
  requireF32(`unaryGrad '${op}'`, x, y, dy, dx);
  ex.ew_unary_grad_f32(code, at(ctx, x), at(ctx, y), at(ctx, dy), at(ctx, dx), n, p0, p1);
}

export function binary(ctx: WasmContext, op: BinaryOp, a: Ref, aStrides: readonly number[], b: Ref,
  bStrides: readonly number[], out: Ref, shape: readonly number[]): void {
  const ex = kernels(ctx);
  const code = BINARY_OPCODES[op];
  if (code === undefined) fail(`unknown binary op '${op}'`);
  const t = a.s.type;
  if (b.s.type !== t) fail(`binary '${op}' mixes ${t} and ${b.s.type}`);
  if (t !== 'float32' && t !== 'int32') fail(`binary '${op}' on ${t}`);
  const outType = isComparison(op) ? 'int32' : t;
  if (out.s.type !== outType) fail(`binary '${op}' on ${t} writes ${outType}, got ${out.s.type}`);
  const c = coalesce(shape, [aStrides, bStrides]);
  if (c.size === 0) return;
  const kernel = t === 'float32' ? ex.ix_binary_f32 : ex.ix_binary_i32;
  forEachBlock(ctx, c, (meta, [ao, bo], oo) =>
    kernel(code, at(ctx, a, ao), at(ctx, b, bo), at(ctx, out, oo), meta));
}

export function where(ctx: WasmContext, cond: Ref, condStrides: readonly number[], a: Ref, aStrides: readonly number[],
  b: Ref, bStrides: readonly number[], out: Ref, shape: readonly number[]): void {
  const ex = kernels(ctx);
  if (cond.s.type !== 'int32') fail(`where needs an int32 condition, got ${cond.s.type}`);
  if (a.s.type !== out.s.type || b.s.type !== out.s.type) fail('where operands must share the output storage type');
  const c = coalesce(shape, [condStrides, aStrides, bStrides]);
  if (c.size === 0) return;
  forEachBlock(ctx, c, (meta, [co, ao, bo], oo) =>
    ex.ix_where_32(at(ctx, cond, co), at(ctx, a, ao), at(ctx, b, bo), at(ctx, out, oo), meta));
}

// ---- reductions ---------------------------------------------------------------------------------------------

export function reduce(ctx: WasmContext, op: ReduceOp, x: Ref, outer: number, red: number, inner: number, out: Ref,
  arg: Ref | null): void {
  const ex = kernels(ctx);
  if (outer * inner === 0) return;
  const code = REDUCE_OPCODES[op];
  if (code === undefined) fail(`unknown reduce op '${op}'`);
  if (x.s.type !== out.s.type) fail(`reduce '${op}' from ${x.s.type} into ${out.s.type}`);
  if (arg && arg.s.type !== 'int32') fail(`reduce '${op}' needs an int32 index output`);
  const kernel = x.s.type === 'float32' ? ex.red_reduce_f32 : x.s.type === 'int32' ? ex.red_reduce_i32 : null;
  if (!kernel) fail(`reduce on ${x.s.type}`);
  const withArg = arg !== null && (op === 'max' || op === 'min');
  kernel(code, at(ctx, x), outer, red, inner, at(ctx, out), withArg ? at(ctx, arg) : 0, withArg ? 1 : 0);
}

// ---- indexing -----------------------------------------------------------------------------------------------

function requireIndex(what: string, idx: Ref): void {
  if (idx.s.type !== 'int32') fail(`${what} needs an int32 index, got ${idx.s.type}`);
}

export function gather(ctx: WasmContext, x: Ref, idx: Ref, out: Ref, outer: number, xDim: number, inner: number,
  idxDim: number): void {
  const ex = kernels(ctx);
  requireIndex('gather', idx);
  if (x.s.type !== out.s.type) fail('gather: x and out storage types differ');
  if (outer * inner * idxDim === 0) return;
  ex.ix_gather_32(at(ctx, x), at(ctx, idx), at(ctx, out), outer, xDim, inner, idxDim);
}

export function scatterAdd(ctx: WasmContext, src: Ref, idx: Ref, out: Ref, outer: number, outDim: number,
  inner: number, idxDim: number): void {
  const ex = kernels(ctx);
  requireIndex('scatterAdd', idx);
  if (src.s.type !== out.s.type) fail('scatterAdd: src and out storage types differ');
  if (outer * inner * idxDim === 0) return;
  const k = src.s.type === 'float32' ? ex.ix_scatter_add_f32 : ex.ix_scatter_add_i32;
  k(at(ctx, src), at(ctx, idx), at(ctx, out), outer, outDim, inner, idxDim);
}

export function indexSelect(ctx: WasmContext, x: Ref, idx: Ref, out: Ref, outer: number, xDim: number, inner: number,
  k: number): void {
  const ex = kernels(ctx);
  requireIndex('indexSelect', idx);
  if (x.s.type !== out.s.type) fail('indexSelect: x and out storage types differ');
  if (outer * inner * k === 0) return;
  ex.ix_index_select_32(at(ctx, x), at(ctx, idx), at(ctx, out), outer, xDim, inner, k);
}

export function indexAdd(ctx: WasmContext, src: Ref, idx: Ref, out: Ref, outer: number, outDim: number, inner: number,
  k: number): void {
  const ex = kernels(ctx);
  requireIndex('indexAdd', idx);
  if (src.s.type !== out.s.type) fail('indexAdd: src and out storage types differ');
  if (outer * inner * k === 0) return;
  const kern = src.s.type === 'float32' ? ex.ix_index_add_f32 : ex.ix_index_add_i32;
  kern(at(ctx, src), at(ctx, idx), at(ctx, out), outer, outDim, inner, k);
}

export { maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward, adaptiveAvgPool2d, adaptiveAvgPool2dBackward,
  softmax, softmaxBackward } from './ew-pool';

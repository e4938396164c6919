/**
 * The ONE opcode table for the elementwise / reduction kernels. The AssemblyScript side mirrors it as exported
 * constants in kernels/assembly/elementwise.ts (EW_UN_*, EW_BIN_*, EW_RED_*); test/unit/wasm-ew-opcodes.test.ts
 * checks that every entry here equals the corresponding global exported by the compiled module.
 */
import type { BinaryOp, ReduceOp, UnaryOp } from '../types';

export const UNARY_OPCODES: Readonly<Record<UnaryOp, number>> = {
  neg: 0, exp: 1, log: 2, sqrt: 3, rsqrt: 4, abs: 5, sign: 6, square: 7, reciprocal: 8,
  sin: 9, cos: 10, floor: 11, ceil: 12, round: 13, erf: 14, log1p: 15, expm1: 16,
  relu: 17, leakyRelu: 18, elu: 19, gelu: 20, geluTanh: 21, sigmoid: 22, tanh: 23,
  softplus: 24, clamp: 25, powScalar: 26, affine: 27,
};

export const BINARY_OPCODES: Readonly<Record<BinaryOp, number>> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6,
  eq: 7, ne: 8, lt: 9, le: 10, gt: 11, ge: 12,
};

export const REDUCE_OPCODES: Readonly<Record<ReduceOp, number>> = { sum: 0, max: 1, min: 2, prod: 3 };

/** Comparisons write int32 0/1 whatever the input storage type. */
export function isComparison(op: BinaryOp): boolean {
  return BINARY_OPCODES[op] >= BINARY_OPCODES.eq;
}

/** Unary ops that also exist for int32 storages (ew_unary_i32); the rest are float32 only. */
export const INT_UNARY_OPS: ReadonlySet<UnaryOp> = new Set<UnaryOp>([
  'neg', 'abs', 'sign', 'square', 'relu', 'clamp', 'powScalar', 'floor', 'ceil', 'round',
]);

/** Name of the AssemblyScript global mirroring an entry: ('EW_UN_', 'leakyRelu') → 'EW_UN_LEAKY_RELU'. */
export function asConstName(prefix: 'EW_UN_' | 'EW_BIN_' | 'EW_RED_', op: string): string {
  return prefix + op.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

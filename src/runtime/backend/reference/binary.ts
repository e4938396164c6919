/** Broadcasting binary kernels and `where`. Comparisons write 0/1 into an int32 output. */
import type { BinaryOp, Ref } from '../types';
import { cpow, powInt } from './math';
import { arr, isInt } from './storage';
import { rowsOf } from './strided';

type F2 = (a: number, b: number) => number;

/** PyTorch maximum/minimum: NaN if either is NaN, otherwise std::max / std::min (first operand on ties). */
export const maximum: F2 = (a, b) => (a !== a ? a : b !== b ? b : a < b ? b : a);
export const minimum: F2 = (a, b) => (a !== a ? a : b !== b ? b : b < a ? b : a);

/**
 * int32 division truncates toward zero (C, rounding_mode='trunc'). Division by zero must be rejected by the op
 * layer (PyTorch raises); it yields 0 here.
 */
const intDiv: F2 = (a, b) => (b === 0 ? 0 : Math.trunc(a / b));

/** Exhaustiveness: only reachable from untyped callers. */
function unknownOp(op: never): never {
  throw new Error(`reference backend: unknown binary op ${String(op)}`);
}

function binaryFn(op: BinaryOp, int: boolean): F2 {
  switch (op) {
    case 'add': return (a, b) => a + b;
    case 'sub': return (a, b) => a - b;
    case 'mul': return int ? Math.imul : (a, b) => a * b;
    case 'div': return int ? intDiv : (a, b) => a / b;
    case 'pow': return int ? powInt : cpow;
    case 'maximum': return maximum;
    case 'minimum': return minimum;
    case 'eq': return (a, b) => (a === b ? 1 : 0);
    case 'ne': return (a, b) => (a !== b ? 1 : 0);
    case 'lt': return (a, b) => (a < b ? 1 : 0);
    case 'le': return (a, b) => (a <= b ? 1 : 0);
    case 'gt': return (a, b) => (a > b ? 1 : 0);
    case 'ge': return (a, b) => (a >= b ? 1 : 0);
    default: return unknownOp(op); // `op` is `never` here: a BinaryOp without a case does not compile
  }
}

export function binary(op: BinaryOp, a: Ref, aStrides: readonly number[], b: Ref, bStrides: readonly number[],
  out: Ref, shape: readonly number[]): void {
  const f = binaryFn(op, isInt(a));
  const as = arr(a);
  const bs = arr(b);
  const os = arr(out);
  const A = rowsOf(shape, aStrides, a.off);
  const B = rowsOf(shape, bStrides, b.off);
  let k = out.off;
  for (let r = 0; r < A.offs.length; r++) {
    for (let j = 0, ai = A.offs[r], bi = B.offs[r]; j < A.len; j++, ai += A.step, bi += B.step) {
      os[k++] = f(as[ai], bs[bi]);
    }
  }
}

export function where(cond: Ref, condStrides: readonly number[], a: Ref, aStrides: readonly number[],
  b: Ref, bStrides: readonly number[], out: Ref, shape: readonly number[]): void {
  const cs = arr(cond);
  const as = arr(a);
  const bs = arr(b);
  const os = arr(out);
  const C = rowsOf(shape, condStrides, cond.off);
  const A = rowsOf(shape, aStrides, a.off);
  const B = rowsOf(shape, bStrides, b.off);
  let k = out.off;
  for (let r = 0; r < C.offs.length; r++) {
    let [ci, ai, bi] = [C.offs[r], A.offs[r], B.offs[r]];
    for (let j = 0; j < C.len; j++, ci += C.step, ai += A.step, bi += B.step) {
      os[k++] = cs[ci] !== 0 ? as[ai] : bs[bi];
    }
  }
}

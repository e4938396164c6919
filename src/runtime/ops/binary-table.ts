/**
 * The binary elementwise ops' table (the BinaryOp union in backend/types.ts): per op, the chain rule through each
 * operand written with differentiable ops (so backward, double backward under createGraph and jvp all follow from
 * it) and the stepper's formula text for the node and its local derivatives. A mapped type over BinaryOp: an op
 * missing here does not compile, nor does one missing from the other exhaustive tables the compiler then points
 * at — the scalar forward in backend/reference/binary.ts (a `never`-checked switch) and the wasm opcode in
 * backend/wasm/ew-opcodes.ts (`Record<BinaryOp, number>`, mirrored by kernels/assembly/elementwise.ts).
 * ops/basic.ts's `binaryOp` is the one place that records a binary node from an entry.
 * Adding one: CONTRIBUTING.md, "Adding an op". Every entry is exercised by test/unit/op-tables.test.ts.
 */
import type { BinaryOp } from '../backend/types';
import type { Tensor } from '../tensor';
import { binaryRaw } from './raw';
import { cast, div, eq, log, mul, neg, pow, sub, where } from './basic';

/**
 * v ⊙ ∂f/∂operand, elementwise, for out = f(x, y). Backward calls it with v = the incoming gradient (then sums the
 * result over broadcast dims); jvp calls it with v = that operand's tangent. Written with differentiable ops.
 */
export type Chain = (v: Tensor, x: Tensor, y: Tensor, out: Tensor) => Tensor;

export interface BinaryEntry {
  /** [through x, through y]; null for ops without a gradient (comparisons: PyTorch returns bool, no grad_fn). */
  readonly chain: readonly [Chain, Chain] | null;
  /** Whether the chain reads the operands' values (they are then kept on the node's inspectable `saved` record). */
  readonly savesInputs: boolean;
  /** "x · y" with the operands' labels. */
  text(x: string, y: string): string;
  /** [∂out/∂x, ∂out/∂y] in the operands' labels; null when the op has no gradient. */
  readonly derivText: readonly [(x: string, y: string) => string, (x: string, y: string) => string] | null;
}

/**
 * The gradient share of x (forX) or y in maximum/minimum, as PyTorch's backward: ½ on ties, 0 where the operand
 * loses, 1 otherwise (so a NaN passes the gradient to both). A constant (no graph).
 */
function winnerMask(op: 'maximum' | 'minimum', x: Tensor, y: Tensor, forX: boolean): Tensor {
  const loses = binaryRaw((op === 'maximum') === forX ? 'lt' : 'gt', x, y);
  return sub(sub(1, cast(loses, x.dtype)), mul(cast(binaryRaw('eq', x, y), x.dtype), 0.5));
}

const comparison = (sym: string): BinaryEntry => ({
  chain: null,
  savesInputs: false,
  text: (x, y) => `𝟙[${x} ${sym} ${y}]`,
  derivText: null,
});

export const BINARY: { readonly [K in BinaryOp]: BinaryEntry } = {
  add: {
    chain: [(v) => v, (v) => v],
    savesInputs: false,
    text: (x, y) => `${x} + ${y}`,
    derivText: [() => '1', () => '1'],
  },
  sub: {
    chain: [(v) => v, (v) => neg(v)],
    savesInputs: false,
    text: (x, y) => `${x} − ${y}`,
    derivText: [() => '1', () => '−1'],
  },
  mul: {
    chain: [(v, _x, y) => mul(v, y), (v, x) => mul(v, x)],
    savesInputs: true,
    text: (x, y) => `${x} · ${y}`,
    derivText: [(_x, y) => y, (x) => x],
  },
  div: {
    chain: [(v, _x, y) => div(v, y), (v, _x, y, out) => neg(div(mul(v, out), y))],
    savesInputs: true,
    text: (x, y) => `${x} / ${y}`,
    derivText: [(_x, y) => `1/${y}`, (x, y) => `−${x}/${y}²`],
  },
  pow: {
    chain: [
      (v, x, y) => mul(v, mul(y, pow(x, sub(y, 1)))),
      // d/dy x^y = x^y · log x, 0 where x == 0 (PyTorch masks it there)
      (v, x, _y, out) => mul(v, where(eq(x, 0), 0, mul(out, log(x)))),
    ],
    savesInputs: true,
    text: (x, y) => `${x}^${y}`,
    derivText: [(x, y) => `${y}·${x}^(${y}−1)`, (x, y) => `${x}^${y}·log ${x}`],
  },
  maximum: {
    chain: [(v, x, y) => mul(v, winnerMask('maximum', x, y, true)), (v, x, y) => mul(v, winnerMask('maximum', x, y, false))],
    savesInputs: true,
    text: (x, y) => `max(${x}, ${y})`,
    derivText: [(x, y) => `𝟙[${x} > ${y}] + ½·𝟙[${x} = ${y}]`, (x, y) => `𝟙[${y} > ${x}] + ½·𝟙[${x} = ${y}]`],
  },
  minimum: {
    chain: [(v, x, y) => mul(v, winnerMask('minimum', x, y, true)), (v, x, y) => mul(v, winnerMask('minimum', x, y, false))],
    savesInputs: true,
    text: (x, y) => `min(${x}, ${y})`,
    derivText: [(x, y) => `𝟙[${x} < ${y}] + ½·𝟙[${x} = ${y}]`, (x, y) => `𝟙[${y} < ${x}] + ½·𝟙[${x} = ${y}]`],
  },
  eq: comparison('='),
  ne: comparison('≠'),
  lt: comparison('<'),
  le: comparison('≤'),
  gt: comparison('>'),
  ge: comparison('≥'),
};

/** Whether a graph node's op names a binary table op. */
export const isBinaryOp = (op: string): op is BinaryOp => Object.prototype.hasOwnProperty.call(BINARY, op);

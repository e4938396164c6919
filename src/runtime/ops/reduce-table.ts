/**
 * The reductions' table: per reduction, its definition on one reduced lane (plain float64, the reference every
 * backend is tested against), the backend kernel behind it (the ReduceOp union, `never`-checked in
 * backend/reference/reduce.ts, opcodes in backend/wasm/ew-opcodes.ts), the op, and — for the ones that record a
 * node of their own — the VJP and JVP written with differentiable ops (so double backward follows) and the
 * stepper's formula texts. Composed reductions (mean, var, logsumexp) record their parts, whose entries live here
 * and in the unary/binary tables. A ReduceOp no entry uses, or an entry without a field, does not compile.
 * Adding one: CONTRIBUTING.md, "Adding an op". Every entry is exercised by test/unit/op-tables.test.ts.
 */
import type { ReduceOp } from '../backend/types';
import type { Tensor } from '../tensor';
import { cast, div, eq, mul, where } from './basic';
import { expand, reshape, unsqueeze } from './views';
import {
  gatherAlong,
  leaveOneOutProd,
  logsumexp,
  max,
  mean,
  min,
  norm,
  prod,
  scatterAlong,
  std,
  sum,
  varOf,
  type ValuesIndices,
} from './reduce';

/** What a recorded reduction node knows: its input, output, the reduced dim (null: all) and keepdim. */
export interface ReduceCtx {
  readonly x: Tensor;
  readonly out: Tensor;
  readonly dim: number | null;
  readonly keepdim: boolean;
  /** max/min along a dim: the winners' indices with the dim kept. */
  readonly indices?: Tensor;
}

interface Common {
  /** The value of one reduced lane, float64 (the definition the op is tested against). */
  lane(v: readonly number[]): number;
  /** The public op over `dim` (null: every dim), keepdim false; max/min give their values. */
  apply(x: Tensor, dim: number | null): Tensor;
  /** "Σ x" with the input's label (the stepper's node formula; for composed entries, what they are made of). */
  text(x: string, attrs: Record<string, unknown>): string;
}

/** A reduction that records one node of its own (named after the entry). */
export interface NodeReduction extends Common {
  /** The backend kernel computing it, or null when the node wraps composed parts (std/norm: the final masked √). */
  readonly kernel: ReduceOp | null;
  /** ∂L/∂input from g (shaped like the node's output), with differentiable ops. */
  vjp(g: Tensor, c: ReduceCtx): Tensor;
  /** The output's tangent from the input's tangent t. */
  jvp(t: Tensor, c: ReduceCtx): Tensor;
  /** ∂out/∂input in the input's label. */
  derivText(x: string, attrs: Record<string, unknown>): string;
  /** The VJP as text, g the incoming gradient's name, inShape the input's shape. */
  vjpText(g: string, x: string, inShape: readonly number[], attrs: Record<string, unknown>): string;
}

/** A reduction composed of other ops (each recorded with its own entry); its gradient follows from the parts. */
export interface ComposedReduction extends Common {
  readonly kernel: null;
  readonly composed: true;
}

/** g with the reduced dim put back (size 1) when the output dropped it. */
const kept = (g: Tensor, c: ReduceCtx): Tensor =>
  c.dim === null
    ? reshape(
        g,
        c.x.shape.map(() => 1),
      )
    : c.keepdim
      ? g
      : unsqueeze(g, c.dim);
const shp = (s: readonly number[]): string => `[${s.join(', ')}]`;
const dimText = (a: Record<string, unknown>): string => (typeof a.dim === 'number' ? ` (dim ${a.dim})` : '');
const lanePick = (v: readonly number[], better: (a: number, b: number) => boolean): number =>
  v.reduce((b, a) => (b !== b || a !== a ? NaN : better(a, b) ? a : b));
/** PyTorch's masked √ backward (std, 2-norm): g/(2y), 0 where y = 0. */
const sqrtVjp = (g: Tensor, c: ReduceCtx): Tensor => where(eq(c.out, 0), 0, div(g, mul(c.out, 2)));
const lse = (v: readonly number[]): number => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((s, a) => s + Math.exp(a - m), 0));
};
const varLane = (v: readonly number[]): number => {
  const m = v.reduce((s, a) => s + a, 0) / v.length;
  return v.reduce((s, a) => s + (a - m) ** 2, 0) / (v.length - 1);
};

const extremum = (op: 'max' | 'min'): NodeReduction => ({
  kernel: op,
  lane: (v) => lanePick(v, op === 'max' ? (a, b) => a > b : (a, b) => a < b),
  apply: (x, dim) =>
    dim === null ? ((op === 'max' ? max(x) : min(x)) as Tensor) : ((op === 'max' ? max : min)(x, dim) as ValuesIndices).values,
  // along a dim: the gradient goes to the first winner (indices); the full reduction shares it among ties
  vjp: (g, c) => {
    if (c.indices) return scatterAlong(kept(g, c), c.indices, c.x.shape, c.dim!);
    const mask = cast(eq(c.x, c.out), c.x.dtype);
    return mul(div(mask, sum(mask)), g);
  },
  jvp: (t, c) => {
    if (c.indices) return gatherAlong(t, c.indices, c.dim!, c.keepdim);
    const mask = cast(eq(c.x, c.out), c.x.dtype);
    return div(sum(mul(t, mask)), sum(mask));
  },
  text: (x, a) => `${op} ${x}${dimText(a)}`,
  derivText: (x) => `𝟙[${x} = ${op} ${x}]`,
  vjpText: (g, _x, s, a) =>
    typeof a.dim === 'number' ? `${g} at the ${op}'s index, 0 elsewhere` : `${g} shared by the ${op}'s ties of ${shp(s)}`,
});

export const REDUCTIONS = {
  sum: {
    kernel: 'sum',
    lane: (v) => v.reduce((s, a) => s + a, 0),
    apply: (x, dim) => (dim === null ? sum(x) : sum(x, dim)),
    vjp: (g, c) => expand(kept(g, c), c.x.shape),
    jvp: (t, c) => (c.dim === null ? sum(t) : sum(t, c.dim, { keepdim: c.keepdim })),
    text: (x, a) => `Σ ${x}${dimText(a)}`,
    derivText: () => '1',
    vjpText: (g, _x, s) => `${g} broadcast to ${shp(s)}`,
  },
  prod: {
    kernel: 'prod',
    lane: (v) => v.reduce((p, a) => p * a, 1),
    apply: (x, dim) => (dim === null ? prod(x) : prod(x, dim)),
    // ∂Π/∂x_i = Π_{j≠i} x_j (out/x_i for nonzero inputs)
    vjp: (g, c) => mul(kept(g, c), leaveOneOutProd(c.x, c.dim!, kept(c.out, c))),
    jvp: (t, c) => sum(mul(t, leaveOneOutProd(c.x, c.dim!, kept(c.out, c))), c.dim!, { keepdim: c.keepdim }),
    text: (x, a) => `Π ${x}${dimText(a)}`,
    derivText: (x) => `Π ${x} / ${x}`,
    vjpText: (g, x) => `${g} · Π ${x} / ${x}`,
  },
  max: extremum('max'),
  min: extremum('min'),
  std: {
    kernel: null,
    lane: (v) => Math.sqrt(varLane(v)),
    apply: (x, dim) => (dim === null ? std(x) : std(x, dim)),
    vjp: sqrtVjp,
    jvp: sqrtVjp,
    text: (x) => `√${x}`,
    derivText: (x) => `1/(2√${x})`,
    vjpText: (g, x) => `${g} / (2√${x}), 0 where √${x} = 0`,
  },
  norm: {
    kernel: null,
    lane: (v) => Math.sqrt(v.reduce((s, a) => s + a * a, 0)),
    apply: (x, dim) => (dim === null ? norm(x) : norm(x, 2, dim)),
    vjp: sqrtVjp,
    jvp: sqrtVjp,
    text: (x) => `√${x}`,
    derivText: (x) => `1/(2√${x})`,
    vjpText: (g, x) => `${g} / (2√${x}), 0 where √${x} = 0`,
  },
  mean: {
    kernel: null,
    composed: true,
    lane: (v) => v.reduce((s, a) => s + a, 0) / v.length,
    apply: (x, dim) => (dim === null ? mean(x) : mean(x, dim)),
    text: (x) => `Σ ${x} / n`,
  },
  var: {
    kernel: null,
    composed: true,
    lane: varLane,
    apply: (x, dim) => (dim === null ? varOf(x) : varOf(x, dim)),
    text: (x) => `Σ (${x} − mean ${x})² / (n − 1)`,
  },
  logsumexp: {
    kernel: null,
    composed: true,
    lane: lse,
    apply: (x, dim) => logsumexp(x, dim),
    text: (x) => `m + log Σ exp(${x} − m), m = max ${x}`,
  },
} satisfies Record<string, NodeReduction | ComposedReduction>;

export type ReductionName = keyof typeof REDUCTIONS;
type NodeName = { [K in ReductionName]: (typeof REDUCTIONS)[K] extends NodeReduction ? K : never }[ReductionName];

/** Every backend reduction kernel is used by some entry: a ReduceOp added without an entry does not compile. */
type UsedKernels = (typeof REDUCTIONS)[ReductionName]['kernel'];
export const EVERY_KERNEL_HAS_AN_ENTRY: Exclude<ReduceOp, UsedKernels> extends never ? true : never = true;

/** Whether a graph node's op is a reduction that records its own node (sum, prod, max, min, std, norm). */
export const isReduction = (op: string): op is NodeName =>
  Object.prototype.hasOwnProperty.call(REDUCTIONS, op) && !('composed' in REDUCTIONS[op as ReductionName]);

/** The entry of a reduction node (for reduce.ts's record calls). */
export const reductionNode = (op: NodeName): NodeReduction => REDUCTIONS[op];

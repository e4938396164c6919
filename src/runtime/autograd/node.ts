/**
 * Autograd graph nodes. Every differentiable op calls record() with its already-computed output and a backward
 * closure written with Tensor ops (micrograd style: the rule sits beside the forward). The node keeps edges to
 * the producers of its inputs (or to leaf tensors), the op name, its attributes and saved values, so tracers can
 * show and replay the graph.
 */
import type { Tensor, GradHook } from '../tensor';
import { mode } from './mode';
import { fmtShape } from '../shape';
import { savedVersionsFor, type SavedVersion } from './version';

export type BackwardFn = (gradOutput: Tensor) => Array<Tensor | null>;
/** Forward-mode rule: tangents of the inputs (null = zero) → tangent of the output (null = zero). */
export type JvpFn = (tangents: Array<Tensor | null>) => Tensor | null;

/** Where an input's gradient goes: the node that produced it, or the leaf tensor itself. */
export interface Edge {
  node: Node | null;
  leaf: Tensor | null;
  shape: number[];
}

let nextNodeId = 1;

/** While `list` is set, record() appends every node it makes (nn/seq-run.ts: which nodes a module's forward made). */
export const nodeCapture: { list: Node[] | null } = { list: null };

export class Node {
  readonly id = nextNodeId++;
  /** Gradient hooks of the (non-leaf) output tensor. */
  hooks: GradHook[] | null = null;
  /** Set by retainGrad(): the output tensor whose .grad is kept. */
  retained: Tensor | null = null;
  /** The output value, kept only while tracing (mode.traceValues). */
  output: Tensor | null = null;
  /** Inputs as given (only while tracing); otherwise only edges are kept so intermediates can be freed. */
  inputs: Array<Tensor | null> | null = null;
  freed = false;
  /** Versions of the values the backward reads, checked before it runs (see version.ts). */
  savedVersions: SavedVersion[] | null = null;

  constructor(
    readonly op: string,
    readonly edges: Array<Edge | null>,
    readonly outShape: number[],
    public backwardFn: BackwardFn | null,
    readonly attrs: Record<string, unknown>,
    public saved: Record<string, unknown> | null,
  ) {}

  /** PyTorch-like class name of the backward function, e.g. MulBackward. */
  get name(): string {
    return this.op.charAt(0).toUpperCase() + this.op.slice(1) + 'Backward';
  }

  toString(): string {
    return `<${this.name}>`;
  }

  /** Producer nodes / leaves of the inputs, PyTorch's next_functions. */
  get nextFunctions(): Array<Node | Tensor | null> {
    return this.edges.map((e) => (e === null ? null : e.node ?? e.leaf));
  }

  release(): void {
    this.backwardFn = null;
    this.saved = null;
    this.savedVersions = null;
    this.freed = true;
  }
}

export interface RecordOptions {
  attrs?: Record<string, unknown>;
  /** Values worth showing in the stepper (tensors or numbers); the backward closure holds what it needs itself. */
  saved?: Record<string, unknown>;
  jvp?: JvpFn;
}

function edgeFor(t: Tensor): Edge | null {
  if (!t.requiresGrad) return null;
  return t.gradFn ? { node: t.gradFn, leaf: null, shape: t.shape } : { node: null, leaf: t, shape: t.shape };
}

/**
 * Attach the autograd node (and forward tangent) to an op's output. `inputs` are the differentiable operands in
 * the order the backward closure returns their gradients.
 */
export function record(
  out: Tensor,
  op: string,
  inputs: Array<Tensor | null>,
  backward: BackwardFn,
  opts: RecordOptions = {},
): Tensor {
  if (mode.forwardLevel > 0) propagateTangent(out, op, inputs, opts.jvp);
  if (mode.anomaly) checkFinite(out, `Function '${op}' returned nan or inf values in its output`);
  if (!mode.gradEnabled) return out;
  let needs = false;
  for (const t of inputs) if (t && t.requiresGrad) needs = true;
  if (!needs) return out;
  const edges = inputs.map((t) => (t ? edgeFor(t) : null));
  const node = new Node(op, edges, out.shape, backward, opts.attrs ?? {}, opts.saved ?? null);
  node.savedVersions = savedVersionsFor(op, inputs, out);
  nodeCapture.list?.push(node);
  if (mode.traceValues) {
    node.output = out;
    node.inputs = [...inputs];
  }
  out.gradFn = node;
  out.requiresGrad = true;
  return out;
}

function propagateTangent(out: Tensor, op: string, inputs: Array<Tensor | null>, jvp: JvpFn | undefined): void {
  const tangents = inputs.map((t) => (t ? t._tangent : null));
  if (tangents.every((t) => t === null)) return;
  if (!jvp) throw new Error(`jvp: the op '${op}' has no forward-mode (jvp) rule yet`);
  // the rule computes with primals that may carry tangents themselves: do not re-enter tangent propagation
  mode.forwardLevel--;
  let tan: Tensor | null;
  try {
    tan = jvp(tangents);
  } finally {
    mode.forwardLevel++;
  }
  if (tan && (tan.shape.length !== out.shape.length || tan.shape.some((d, i) => d !== out.shape[i]))) {
    throw new Error(`jvp: internal error in '${op}': tangent ${fmtShape(tan.shape)} vs output ${fmtShape(out.shape)}`);
  }
  out._tangent = tan;
}

/** Throws `message` if t has a NaN or an infinity (used by detectAnomaly). */
export function checkFinite(t: Tensor, message: string): void {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') return;
  if (t.isMeta) return;
  const d = t.dataSync();
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      throw new Error(`${message} (first at flat index ${i}: ${d[i]}; shape ${fmtShape(t.shape)})`);
    }
  }
}

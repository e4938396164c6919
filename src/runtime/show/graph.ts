/**
 * show.graph: the backprop stepper's payload, recorded from the runtime's OWN autograd. The function runs under
 * withTracedValues (nodes keep their outputs), runBackward's onStep hook captures every chain-rule term (incoming
 * gradient, local derivative or VJP, accumulation with "+=" where paths meet), and forward mode re-runs the
 * function with a tangent seeded on one leaf, reading each node's `_tangent` (the ops' own jvp rules). Every
 * number in the payload is the runtime's; the strings only present them.
 */
import { Tensor } from '../tensor';
import type { Node } from '../autograd/node';
import { enableGrad, mode, withTracedValues } from '../autograd/mode';
import { runBackward, topoOrder } from '../autograd/engine';
import { add, detach } from '../ops/basic';
import { onesLike, tensor } from '../ops/creation';
import type { Module } from '../nn/module';
import { MIME, PROTOCOL_VERSION } from '../../protocol';
import type { GraphNode, GraphPayload, GraphStep, GraphValue } from '../../protocol/figures';
import { Figure } from './figure';
import { checkOptions, noMoreArgs } from './options';
import { d, exprOf, fmtNum, localFormula, valueOf, vjpFormula } from './graph-formulas';

export { fmtNum };

export interface GraphOptions {
  title?: string;
  /** Label of the output (default: its `.name`, else "f"). */
  output?: string;
  /** Labels parameters by their dotted names (fc1.weight). */
  model?: Module;
  /** Extra labels: { w1: someTensor }. */
  names?: Record<string, Tensor>;
  /** Leaves (labels) to compute forward mode for; default: the function's inputs (or the first leaf). false: none. */
  forward?: string[] | false;
  /** Tensors with at most this many elements keep every value in the payload (default 256). */
  maxValues?: number;
  /** Refuse graphs with more op nodes than this (default 400): the stepper is for small graphs. */
  maxNodes?: number;
}

type Fn = (...xs: Tensor[]) => Tensor;
type Input = Tensor | number | number[];
type Inputs = Input[] | Record<string, Input>;

// ---------- labels ----------

function paramNames(fn: Fn): string[] {
  const src = Function.prototype.toString.call(fn);
  const m = /^\s*(?:async\s*)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(src) ?? /^\s*([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  return m ? m[1].split(',').map((s) => s.trim().replace(/[=:].*$/, '').trim()) : [];
}

const LETTERS = 'abcdeghkmnpqrsuvwz'.split('');

/** Leaf labels (keys, names, dotted parameter names) and fresh letters a, b, c, … for op nodes ('f' is kept free). */
class Labels {
  readonly byTensor = new Map<Tensor, string>();
  readonly kind = new Map<Tensor, GraphNode['kind']>();
  readonly used = new Set<string>(['f']);
  private next = 0;

  name(t: Tensor, label: string, kind: GraphNode['kind']): void {
    if (this.byTensor.has(t)) return;
    this.byTensor.set(t, label);
    this.kind.set(t, kind);
    this.used.add(label);
  }

  leaf(t: Tensor): string {
    if (!this.byTensor.has(t)) this.name(t, t.name ?? this.fresh('leaf'), 'leaf');
    return this.byTensor.get(t)!;
  }

  fresh(prefix?: string): string {
    let l: string;
    do {
      const k = this.next++;
      l = prefix ? `${prefix}${k}` : k < LETTERS.length ? LETTERS[k] : `t${k - LETTERS.length + 1}`;
    } while (this.used.has(l));
    this.used.add(l);
    return l;
  }
}

// ---------- recording ----------

/** Reachable op nodes in creation order: a topological (forward) order. */
function opNodes(root: Node): Node[] {
  return topoOrder(root).sort((a, b) => a.id - b.id);
}

interface Recorded {
  nodes: GraphNode[];
  edges: GraphPayload['edges'];
  ops: Node[];
  idOf: (x: Node | Tensor) => string;
  labelOf: (x: Node | Tensor) => string;
  argLabels: (n: Node) => string[];
}

function recordGraph(root: Tensor, labels: Labels, outLabel: string, maxValues: number, maxNodes: number): Recorded {
  const ops = opNodes(root.gradFn!);
  if (ops.length > maxNodes) {
    throw new Error(`show.graph: the graph has ${ops.length} op nodes; the stepper is for small graphs (maxNodes = ${maxNodes})`);
  }
  const nodeLabel = new Map<Node, string>();
  labels.used.add(outLabel);
  for (const n of ops) for (const e of n.edges) if (e?.leaf) labels.leaf(e.leaf);
  for (const n of ops) nodeLabel.set(n, n === root.gradFn ? outLabel : n.output?.name ?? labels.fresh());
  const idOf = (x: Node | Tensor): string => (x instanceof Tensor ? `t${x.id}` : `n${x.id}`);
  const labelOf = (x: Node | Tensor): string => (x instanceof Tensor ? labels.leaf(x) : nodeLabel.get(x)!);
  const argLabels = (n: Node): string[] => n.edges.map((e, i) => {
    if (e) return labelOf(e.node ?? e.leaf!);
    const t = n.inputs?.[i];
    if (t && labels.byTensor.has(t)) return labels.byTensor.get(t)!;
    return t && t.numel() === 1 ? fmtNum(t.dataSync()[0]) : 'const';
  });
  const nodes: GraphNode[] = [];
  const edges: GraphPayload['edges'] = [];
  const inGraph = new Set(ops.flatMap((n) => n.edges.map((e) => e?.leaf)));
  for (const [t, label] of labels.byTensor) {
    if (!inGraph.has(t)) continue;
    nodes.push({ id: idOf(t), label, op: 'leaf', kind: labels.kind.get(t)!, expr: label, shape: [...t.shape], value: valueOf(t, maxValues), grad: null });
  }
  for (const n of ops) {
    const label = nodeLabel.get(n)!;
    nodes.push({ id: idOf(n), label, op: n.op, kind: n === root.gradFn ? 'output' : 'op', expr: exprOf(n, argLabels(n), label),
      shape: [...n.outShape], value: n.output ? valueOf(n.output, maxValues) : null, grad: null });
    n.edges.forEach((e, arg) => e && edges.push({ from: idOf(e.node ?? e.leaf!), to: idOf(n), arg }));
  }
  return { nodes, edges, ops, idOf, labelOf, argLabels };
}

type Locals = Map<Node, Array<Tensor | null>>;
type Val = (t: Tensor) => GraphValue;

function seedStep(id: string, term: string, detail: string, v: GraphValue): GraphStep {
  return { node: id, target: id, edges: [], term, detail: [detail], accumulate: false, upstream: null, local: null, contribution: v, prev: null, acc: v };
}

/** One reverse term: node's backward sends gi to input i, which had accumulated `prev` so far. */
function reverseStep(g: Recorded, out: string, node: Node, i: number, gIn: Tensor, gi: Tensor, prev: Tensor | null, acc: Tensor, li: Tensor | null, V: Val): GraphStep {
  const src = node.edges[i]!.node ?? node.edges[i]!.leaf!;
  const [tid, tl, nl, a] = [g.idOf(src), g.labelOf(src), g.labelOf(node), g.argLabels(node)];
  const lf = localFormula(node, i, a);
  const head = `${d(out, tl)} ${prev ? '+=' : '='} ${d(out, nl)} · ${d(nl, tl)}`;
  const scalar = gi.numel() === 1 && gIn.numel() === 1;
  const term = scalar ? `${head} = ${fmtNum(gIn.dataSync()[0])} × ${lf ?? fmtNum(li!.dataSync()[0])} = ${fmtNum(gi.dataSync()[0])}`
    : `${head} = ${vjpFormula(node, i, a, d(out, nl))} = ${V(gi).text}`;
  const detail = [g.nodes.find((x) => x.id === g.idOf(node))!.expr];
  if (li) detail.push(`${d(nl, tl)} = ${lf ? `${lf} = ` : ''}${V(li).text}`);
  if (prev) detail.push(`two paths meet at ${tl}: ${d(out, tl)} = ${V(prev).text} + ${V(gi).text} = ${V(acc).text}`);
  return { node: g.idOf(node), target: tid, edges: [{ from: tid, to: g.idOf(node) }], term, detail, accumulate: !!prev,
    upstream: V(gIn), local: li ? V(li) : null, contribution: V(gi), prev: prev ? V(prev) : null, acc: V(acc) };
}

/** Runs the runtime's backward with onStep; one GraphStep per (node, input) chain-rule term. */
function reversePass(root: Tensor, g: Recorded, V: Val, retain: boolean) {
  const out = g.labelOf(root.gradFn!);
  const rootId = g.idOf(root.gradFn!);
  const seed = onesLike(root);
  const steps = [seedStep(rootId, `${d(out, out)} = 1`, 'the seed: the output\'s derivative with respect to itself', V(seed))];
  const accs = new Map<string, Tensor>([[rootId, seed]]);
  /** Local derivatives ∂node/∂input of scalar nodes (the node's own backward applied to 1): reused by forward mode. */
  const locals: Locals = new Map();
  runBackward(root, seed, { retainGraph: retain }, (node, gIn, gOut) => {
    const loc = gIn.numel() === 1 && node.backwardFn ? node.backwardFn(onesLike(gIn)) : null;
    if (loc) locals.set(node, loc);
    node.edges.forEach((e, i) => {
      const gi = gOut[i];
      if (!e || !gi) return;
      const tid = g.idOf(e.node ?? e.leaf!);
      const prev = accs.get(tid) ?? null;
      const acc = prev ? add(prev, gi) : gi; // the engine's own accumulation, in its order
      accs.set(tid, acc);
      steps.push(reverseStep(g, out, node, i, gIn, gi, prev, acc, loc?.[i] ?? null, V));
    });
  });
  return { steps, accs, locals };
}

/** Re-runs fn with the leaf's tangent seeded to ones and the graph recorded; the new graph's nodes in order. */
function rerunWithTangent(fn: Fn, args: Tensor[], leaf: Tensor, g: Recorded): Node[] {
  const saved = leaf._tangent;
  leaf._tangent = detach(onesLike(leaf));
  // the runtime's jvp() runs under noGrad, which records no nodes to read tangents from; this is jvp() with the
  // graph recorded as well (same record() → propagateTangent → per-op jvp rules)
  mode.forwardLevel++;
  let out: Tensor;
  try {
    out = withTracedValues(() => enableGrad(() => fn(...args)));
  } finally {
    mode.forwardLevel--;
    leaf._tangent = saved;
  }
  const ops2 = out.gradFn ? opNodes(out.gradFn) : [];
  if (ops2.length !== g.ops.length || ops2.some((n, k) => n.op !== g.ops[k].op)) {
    throw new Error('the function recorded a different graph when run again');
  }
  return ops2;
}

/** One forward step: node n's tangent `tan` as the sum over its inputs of local derivative × input tangent. */
function forwardStep(g: Recorded, n: Node, tan: Tensor, tangents: Map<string, Tensor>, loc: Array<Tensor | null> | undefined, wrt: string, V: Val): GraphStep {
  const [id, nl, a] = [g.idOf(n), g.labelOf(n), g.argLabels(n)];
  const parts: Array<{ src: string; sl: string; i: number; t: Tensor }> = [];
  n.edges.forEach((e, i) => {
    const t = e ? tangents.get(g.idOf(e.node ?? e.leaf!)) : undefined;
    if (e && t) parts.push({ src: g.idOf(e.node ?? e.leaf!), sl: g.labelOf(e.node ?? e.leaf!), i, t });
  });
  const localText = (i: number) => localFormula(n, i, a) ?? fmtNum(loc![i]!.dataSync()[0]);
  const chain = parts.map((q) => `${d(nl, q.sl)} · ${d(q.sl, wrt)}`).join(' + ');
  const scalarAll = tan.numel() === 1 && parts.every((q) => q.t.numel() === 1 && loc?.[q.i]);
  const nums = scalarAll ? `${parts.map((q) => `${localText(q.i)} × ${fmtNum(q.t.dataSync()[0])}`).join(' + ')} = ` : '';
  const detail = [g.nodes.find((x) => x.id === id)!.expr];
  for (const q of parts) {
    const lf = localFormula(n, q.i, a);
    if (loc?.[q.i]) detail.push(`${d(nl, q.sl)} = ${lf ? `${lf} = ` : ''}${V(loc[q.i]!).text}`);
  }
  if (parts.length > 1) detail.push(`paths from ${wrt} meet at ${nl}: their terms add`);
  const local = parts.length === 1 && loc?.[parts[0].i] ? V(loc[parts[0].i]!) : null;
  return { node: id, target: id, edges: parts.map((q) => ({ from: q.src, to: id })), term: `${d(nl, wrt)} = ${chain} = ${nums}${V(tan).text}`,
    detail, accumulate: false, upstream: null, local, contribution: V(tan), prev: null, acc: V(tan) };
}

/** Forward mode for one leaf, in topological (creation) order; the numbers are each node's `_tangent`. */
function forwardPass(fn: Fn, args: Tensor[], leaf: Tensor, g: Recorded, locals: Locals, V: Val): GraphStep[] {
  const ops2 = rerunWithTangent(fn, args, leaf, g);
  const [wrt, lid] = [g.labelOf(leaf), g.idOf(leaf)];
  const seed = detach(onesLike(leaf));
  const tangents = new Map<string, Tensor>([[lid, seed]]);
  const steps = [seedStep(lid, `${d(wrt, wrt)} = 1`, 'the seed: the tangent of the chosen input', V(seed))];
  ops2.forEach((n2, k) => {
    const tan = n2.output?._tangent ?? null;
    if (!tan) return; // no path from the leaf: tangent 0
    tangents.set(g.idOf(g.ops[k]), tan);
    steps.push(forwardStep(g, g.ops[k], tan, tangents, locals.get(g.ops[k]), wrt, V));
  });
  return steps;
}

// ---------- the figure ----------

function prepareInputs(fn: Fn, inputs: Inputs, labels: Labels): Tensor[] {
  const names = paramNames(fn);
  const entries: Array<[string | null, Input]> = Array.isArray(inputs) ? inputs.map((v) => [null, v]) : Object.entries(inputs);
  return entries.map(([key, v], i) => {
    const t = v instanceof Tensor ? v : tensor(v, { dtype: 'float64', requiresGrad: true });
    labels.name(t, key ?? t.name ?? (names[i] || `arg${i}`), 'input');
    return t;
  });
}

function textOf(p: GraphPayload): string {
  const out = p.nodes.find((n) => n.id === p.output)!;
  const lines = [`Computation graph of ${out.label}: ${p.nodes.length} nodes, ${p.steps.length} backward steps`];
  for (const n of p.nodes) if (n.kind !== 'leaf' && n.kind !== 'input' && n.kind !== 'param') lines.push(`  ${n.expr}${n.value ? ` = ${n.value.text}` : ''}`);
  lines.push('Backward:', ...p.steps.slice(0, 60).map((s) => `  ${s.term}`));
  lines.push('Gradients:', ...p.leaves.map((l) => `  ${d(out.label, l.label)} = ${l.grad?.text ?? '–'}`));
  return lines.join('\n');
}

/**
 * show.graph(fn, inputs, opts) records fn's graph (numbers become float64 scalars that require grad; labels come
 * from the record keys, tensor names or fn's parameter names) and steps through backprop and forward mode.
 * show.graph(lossTensor, opts) steps an already-recorded graph (values shown when it was recorded under
 * withTracedValues; no forward mode, nothing to re-run). Leaves' .grad are left as they were.
 */
function graphFigure(rootOrFn: Tensor | Fn, inputsOrOpts?: Inputs | GraphOptions, maybeOpts?: GraphOptions, ...rest: unknown[]): Figure<GraphPayload> {
  const isFn = typeof rootOrFn === 'function';
  noMoreArgs('show.graph', isFn ? 3 : 2, isFn ? rest : [maybeOpts, ...rest]);
  const opts = checkOptions('show.graph', (isFn ? maybeOpts ?? {} : inputsOrOpts ?? {}) as GraphOptions, ['title', 'output', 'model', 'names', 'forward', 'maxValues', 'maxNodes']);
  const V: Val = (t) => valueOf(t, opts.maxValues ?? 256);
  const labels = new Labels();
  if (opts.model) for (const [k, p] of opts.model.namedParameters()) labels.name(p, k, 'param');
  for (const [k, t] of Object.entries(opts.names ?? {})) labels.name(t, k, 'leaf');
  const args = isFn ? prepareInputs(rootOrFn as Fn, (inputsOrOpts ?? []) as Inputs, labels) : [];
  const root = isFn ? withTracedValues(() => enableGrad(() => (rootOrFn as Fn)(...args))) : (rootOrFn as Tensor);
  if (!(root instanceof Tensor)) throw new TypeError('show.graph: the function must return a Tensor');
  if (!root.gradFn) throw new Error('show.graph: the output has no autograd graph — no input requires grad (pass numbers, or tensors with requiresGrad)');
  const g = recordGraph(root, labels, opts.output ?? root.name ?? 'f', opts.maxValues ?? 256, opts.maxNodes ?? 400);
  const leafTensors = [...labels.byTensor.keys()].filter((t) => g.nodes.some((n) => n.id === g.idOf(t)));
  // the engine accumulates into .grad of leaves: read its result, then put the user's .grad back
  const savedGrads = leafTensors.map((t) => t.grad);
  leafTensors.forEach((t) => (t.grad = null));
  let rev: ReturnType<typeof reversePass>;
  let leafGrads: Array<Tensor | null>;
  try {
    rev = reversePass(root, g, V, !isFn);
    leafGrads = leafTensors.map((t) => t.grad);
  } finally {
    leafTensors.forEach((t, i) => (t.grad = savedGrads[i]));
  }
  for (const n of g.nodes) if (rev.accs.has(n.id)) n.grad = V(rev.accs.get(n.id)!);
  const leaves = leafTensors.map((t, i) => ({ id: g.idOf(t), label: g.labelOf(t), grad: leafGrads[i] ? V(leafGrads[i]!) : null }));
  const payload: GraphPayload = { v: PROTOCOL_VERSION, title: opts.title ?? `Backprop through ${g.labelOf(root.gradFn)}`,
    output: g.idOf(root.gradFn), nodes: g.nodes, edges: g.edges, steps: rev.steps, forward: [], leaves };
  if (!isFn) payload.forwardNote = 'forward mode needs the function: use show.graph(fn, inputs)';
  else if (opts.forward !== false) addForward(payload, rootOrFn as Fn, args, leafTensors, labels, g, rev.locals, V, opts.forward);
  return new Figure(MIME.graph, payload, textOf(payload));
}

/** Forward runs for the wanted leaves (default: the inputs, else the first leaf); a failure becomes forwardNote. */
function addForward(payload: GraphPayload, fn: Fn, args: Tensor[], leafTensors: Tensor[], labels: Labels, g: Recorded, locals: Locals, V: Val,
  wanted?: string[]): void {
  const inputs = leafTensors.filter((t) => labels.kind.get(t) === 'input').map((t) => g.labelOf(t));
  const list = wanted ?? (inputs.length ? inputs : leafTensors.slice(0, 1).map((t) => g.labelOf(t)));
  for (const w of list) {
    const leaf = leafTensors.find((t) => g.labelOf(t) === w);
    if (!leaf) throw new Error(`show.graph: no leaf named "${w}" (leaves: ${leafTensors.map((t) => g.labelOf(t)).join(', ')})`);
    try {
      payload.forward.push({ wrt: g.idOf(leaf), steps: forwardPass(fn, args, leaf, g, locals, V) });
    } catch (err) {
      payload.forwardNote = `forward mode with respect to ${w}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}

/** show.graph(fn, inputs, opts) | show.graph(loss, opts); show.graph.trace(fn) records a graph that keeps its values. */
export const graph = Object.assign(graphFigure as {
  (fn: Fn, inputs?: Inputs, opts?: GraphOptions): Figure<GraphPayload>;
  (root: Tensor, opts?: GraphOptions): Figure<GraphPayload>;
}, { trace: withTracedValues });

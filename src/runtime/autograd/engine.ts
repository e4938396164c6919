/**
 * Reverse-mode engine: iterative topological sort (no recursion: deep nets must not overflow the JS stack),
 * gradient accumulation with "+=" where paths meet, hooks, retainGraph and freeing of saved values.
 */
import type { Tensor } from '../tensor';
import { Node, checkFinite } from './node';
import { mode } from './mode';
import { fmtShape } from '../shape';
import { add, contiguous, detach, onesLike } from '../ops/basic';
import { takeOptions, type Aliased } from '../ops/options';
import { checkSavedVersions } from './version';
import { GradRecycler, releaseOwned, runsUserCode } from './recycle';

const BACKWARD_ALIASES = { retain_graph: 'retainGraph', create_graph: 'createGraph' } as const;
/** retainGraph, createGraph (or PyTorch's retain_graph, create_graph). */
export type BackwardOptions = Aliased<{ retainGraph?: boolean; createGraph?: boolean }, typeof BACKWARD_ALIASES>;

/** Post-order over the graph reachable from root, reversed: every node comes before the nodes it feeds from. */
export function topoOrder(root: Node): Node[] {
  const order: Node[] = [];
  const visited = new Set<Node>();
  const stack: Array<{ node: Node; i: number }> = [{ node: root, i: 0 }];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.i < top.node.edges.length) {
      const e = top.node.edges[top.i++];
      if (e && e.node && !visited.has(e.node)) {
        visited.add(e.node);
        stack.push({ node: e.node, i: 0 });
      }
    } else {
      order.push(top.node);
      stack.pop();
    }
  }
  return order.reverse();
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function runHooks(hooks: Array<(g: Tensor) => Tensor | void> | null, g: Tensor): Tensor {
  if (!hooks) return g;
  for (const h of hooks) {
    const r = h(g);
    if (r) g = r;
  }
  return g;
}

function accumulateLeaf(leaf: Tensor, g: Tensor, createGraph: boolean): void {
  g = runHooks(leaf._hooks, g);
  // a .grad is a dense tensor like its leaf (PyTorch): in-place updates (clipGradNorm_, optimizers) need one
  if (leaf.grad === null) leaf.grad = createGraph ? g : detachIfNeeded(contiguous(g));
  else leaf.grad = createGraph ? add(leaf.grad, g) : detachIfNeeded(add(leaf.grad, g));
}

/** A .grad must not carry a graph (unless createGraph asked for it). */
function detachIfNeeded(g: Tensor): Tensor {
  return g.gradFn === null && !g.requiresGrad ? g : detach(g);
}

/** The gradient an output starts with: the given one (same shape) or 1 for a scalar. */
function seedFor(root: Tensor, gradOutput: Tensor | null, op: string): Tensor {
  if (gradOutput === null) {
    if (root.numel() !== 1) {
      throw new Error(`${op}: grad can be implicitly created only for scalar outputs (got shape ${fmtShape(root.shape)})`);
    }
    return onesLike(root);
  }
  if (!sameShape(gradOutput.shape, root.shape)) {
    throw new Error(`${op}: gradient shape ${fmtShape(gradOutput.shape)} does not match output shape ${fmtShape(root.shape)}`);
  }
  return gradOutput;
}

/**
 * Backpropagate from `root`. Leaves (and retained tensors) accumulate into .grad. `onStep` (used by the stepper)
 * sees each node with its incoming gradient and the gradients it produced.
 */
export function runBackward(
  root: Tensor,
  gradOutput: Tensor | null,
  opts: BackwardOptions = {},
  onStep?: (node: Node, gradIn: Tensor, gradsOut: Array<Tensor | null>) => void,
): void {
  if (!root.requiresGrad) {
    throw new Error('backward: element 0 of tensors does not require grad and does not have a gradFn');
  }
  opts = takeOptions('backward', opts, ['retainGraph', 'createGraph'], BACKWARD_ALIASES);
  const g = seedFor(root, gradOutput, 'backward');
  const createGraph = opts.createGraph ?? false;
  const retain = opts.retainGraph ?? createGraph;
  if (root.gradFn === null) {
    accumulateLeaf(root, g, createGraph);
    return;
  }
  const prev = mode.gradEnabled;
  mode.gradEnabled = createGraph;
  try {
    backwardFrom(root.gradFn, g, retain, createGraph, onStep);
  } finally {
    mode.gradEnabled = prev;
  }
}

/** Where grad() collects: gradients reaching these leaves / nodes are captured instead of accumulated. */
export interface GradSink {
  leaves: Map<Tensor, number>;
  nodes: Map<Node, number>;
  results: Array<Tensor | null>;
}

function capture(sink: GradSink, i: number, g: Tensor): void {
  const prev = sink.results[i];
  sink.results[i] = prev ? add(prev, g) : g;
}

/** Nodes from which some sink node or leaf is reachable (grad() runs only these). */
function nodesLeadingTo(order: Node[], sink: GradSink): Set<Node> {
  const needed = new Set<Node>();
  for (let k = order.length - 1; k >= 0; k--) {
    const n = order[k];
    if (sink.nodes.has(n) || n.edges.some((e) => e && ((e.leaf && sink.leaves.has(e.leaf)) || (e.node && needed.has(e.node))))) needed.add(n);
  }
  return needed;
}

function backwardFrom(
  rootNode: Node,
  seed: Tensor,
  retain: boolean,
  createGraph: boolean,
  onStep?: (node: Node, gradIn: Tensor, gradsOut: Array<Tensor | null>) => void,
  sink?: GradSink,
): void {
  const order = topoOrder(rootNode);
  const needed = sink ? nodesLeadingTo(order, sink) : null;
  const grads = new Map<Node, Tensor>([[rootNode, seed]]);
  // Frees consumed gradient buffers (./recycle); off where gradients escape to a caller (createGraph, the stepper's
  // onStep, grad()'s sink).
  const rec = createGraph || onStep || sink ? null : new GradRecycler();
  rec?.escape(seed);
  for (const node of order) {
    const g0 = grads.get(node);
    if (g0 === undefined) continue;
    grads.delete(node);
    if (needed && !needed.has(node)) continue;
    const opaque = runsUserCode(node); // its backward hands g to user code / returns what user code made
    if (node.hooks || node.retained || sink?.nodes.has(node) || opaque) rec?.escape(g0);
    const g = runHooks(node.hooks, g0);
    if (sink) {
      const i = sink.nodes.get(node);
      if (i !== undefined) capture(sink, i, g);
    } else if (node.retained) node.retained.grad = node.retained.grad ? add(node.retained.grad, g) : detachIfNeeded(g);
    if (node.backwardFn === null) {
      throw new Error(
        `backward: trying to backward through the graph a second time (node ${node.name}); its saved values were ` +
          'freed after the first backward. Pass {retainGraph: true} to the first backward if you need to.',
      );
    }
    checkSavedVersions(node);
    const gi = node.backwardFn(g);
    if (opaque) for (const t of gi) if (t) rec?.escape(t);
    if (onStep) onStep(node, g, gi);
    if (!retain) {
      node.release();
      if (rec) releaseOwned(node); // storages only this node's backward still read (./recycle)
    }
    for (let i = 0; i < node.edges.length; i++) {
      const e = node.edges[i];
      const gin = gi[i];
      if (!e || !gin) continue;
      if (!sameShape(gin.shape, e.shape)) {
        throw new Error(`backward: internal error in ${node.name}: gradient ${fmtShape(gin.shape)} for input ${i} of shape ${fmtShape(e.shape)}`);
      }
      if (mode.anomaly) checkFinite(gin, `Function '${node.name}' returned nan or inf values in its ${i}th output`);
      if (e.leaf) {
        rec?.escape(gin);
        if (!sink) accumulateLeaf(e.leaf, gin, createGraph);
        else {
          const k = sink.leaves.get(e.leaf);
          if (k !== undefined) capture(sink, k, runHooks(e.leaf._hooks, gin));
        }
      } else if (e.node) {
        const prev = grads.get(e.node);
        const next = prev ? add(prev, gin) : gin;
        rec?.hold(next);
        if (prev) {
          rec?.drop(prev, true);
          rec?.drop(gin, false);
        }
        grads.set(e.node, next);
      }
    }
    rec?.drop(g0, true);
    rec?.flush();
  }
}

interface GradOptionsBase {
  gradOutputs?: Tensor | Tensor[];
  /** PyTorch's deprecated only_inputs: accepted as true (its only behaviour). */
  onlyInputs?: true;
  retainGraph?: boolean;
  createGraph?: boolean;
  allowUnused?: boolean;
}

const GRAD_ALIASES = {
  grad_outputs: 'gradOutputs', retain_graph: 'retainGraph', create_graph: 'createGraph', allow_unused: 'allowUnused', only_inputs: 'onlyInputs',
} as const;
/** torch.autograd.grad's options, camelCase or PyTorch's snake_case. */
export type GradOptions = Aliased<GradOptionsBase, typeof GRAD_ALIASES>;

/**
 * PyTorch's torch.autograd.grad: gradients of outputs w.r.t. inputs. No .grad anywhere is read or written (not
 * the inputs', not the other leaves'); an input the outputs do not depend on is an error unless allowUnused.
 */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], opts: GradOptions = {}): Array<Tensor | null> {
  const o = takeOptions('grad', opts as GradOptions & { onlyInputs?: boolean }, ['gradOutputs', 'retainGraph', 'createGraph', 'allowUnused', 'onlyInputs'], GRAD_ALIASES);
  // PyTorch ignores only_inputs (deprecated, always true); anything but true would be a different request
  if (o.onlyInputs !== undefined && o.onlyInputs !== true) throw new Error('grad: onlyInputs: false is not supported (PyTorch deprecated it; gradients are computed only for the inputs)');
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  const gos = o.gradOutputs === undefined ? [] : Array.isArray(o.gradOutputs) ? o.gradOutputs : [o.gradOutputs];
  if (gos.length > 0 && gos.length !== outs.length) {
    throw new Error(`grad: gradOutputs has ${gos.length} tensors but there are ${outs.length} outputs`);
  }
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`grad: one of the differentiated Tensors (input ${i}, shape ${fmtShape(t.shape)}) does not require grad`);
  });
  const sink: GradSink = { leaves: new Map(), nodes: new Map(), results: ins.map(() => null) };
  ins.forEach((t, i) => (t.gradFn ? sink.nodes.set(t.gradFn, i) : sink.leaves.set(t, i)));
  const createGraph = o.createGraph ?? false;
  const retain = o.retainGraph ?? createGraph;
  const prev = mode.gradEnabled;
  mode.gradEnabled = createGraph;
  try {
    outs.forEach((out, k) => {
      if (!out.requiresGrad) throw new Error(`grad: element ${k} of the outputs does not require grad and does not have a gradFn`);
      const seed = seedFor(out, gos[k] ?? null, 'grad');
      if (out.gradFn === null) {
        const i = sink.leaves.get(out);
        if (i !== undefined) capture(sink, i, runHooks(out._hooks, seed));
      } else backwardFrom(out.gradFn, seed, retain, createGraph, undefined, sink);
    });
  } finally {
    mode.gradEnabled = prev;
  }
  if (!o.allowUnused) {
    sink.results.forEach((r, i) => {
      if (r === null) {
        throw new Error(
          `grad: one of the differentiated Tensors (input ${i}, shape ${fmtShape(ins[i].shape)}) appears to not have been used in the graph. ` +
            'Pass {allowUnused: true} if this is the desired behavior.',
        );
      }
    });
  }
  return sink.results.map((r) => (r && !createGraph ? detachIfNeeded(r) : r));
}

/**
 * Reverse-mode engine: iterative topological sort (no recursion: deep nets must not overflow the JS stack),
 * gradient accumulation with "+=" where paths meet, hooks, retainGraph and freeing of saved values.
 */
import type { Tensor } from '../tensor';
import { Node, checkFinite } from './node';
import { mode } from './mode';
import { fmtShape } from '../shape';
import { add, detach, onesLike } from '../ops/basic';
import { GradRecycler } from './recycle';

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
}

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
  if (leaf.grad === null) leaf.grad = createGraph ? g : detachIfNeeded(g);
  else leaf.grad = createGraph ? add(leaf.grad, g) : detachIfNeeded(add(leaf.grad, g));
}

/** A .grad must not carry a graph (unless createGraph asked for it). */
function detachIfNeeded(g: Tensor): Tensor {
  return g.gradFn === null && !g.requiresGrad ? g : detach(g);
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
  let g = gradOutput;
  if (g === null) {
    if (root.numel() !== 1) {
      throw new Error(`backward: grad can be implicitly created only for scalar outputs (got shape ${fmtShape(root.shape)})`);
    }
    g = onesLike(root);
  } else if (!sameShape(g.shape, root.shape)) {
    throw new Error(`backward: gradient shape ${fmtShape(g.shape)} does not match output shape ${fmtShape(root.shape)}`);
  }
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

function backwardFrom(
  rootNode: Node,
  seed: Tensor,
  retain: boolean,
  createGraph: boolean,
  onStep?: (node: Node, gradIn: Tensor, gradsOut: Array<Tensor | null>) => void,
): void {
  const order = topoOrder(rootNode);
  const grads = new Map<Node, Tensor>([[rootNode, seed]]);
  const rec = createGraph || onStep ? null : new GradRecycler(); // frees consumed gradient buffers (./recycle)
  rec?.escape(seed);
  for (const node of order) {
    const g0 = grads.get(node);
    if (g0 === undefined) continue;
    grads.delete(node);
    if (node.hooks || node.retained) rec?.escape(g0);
    const g = runHooks(node.hooks, g0);
    if (node.retained) node.retained.grad = node.retained.grad ? add(node.retained.grad, g) : detachIfNeeded(g);
    if (node.backwardFn === null) {
      throw new Error(
        `backward: trying to backward through the graph a second time (node ${node.name}); its saved values were ` +
          'freed after the first backward. Pass {retainGraph: true} to the first backward if you need to.',
      );
    }
    const gi = node.backwardFn(g);
    if (onStep) onStep(node, g, gi);
    if (!retain) node.release();
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
        accumulateLeaf(e.leaf, gin, createGraph);
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

/** PyTorch's torch.autograd.grad: gradients of outputs w.r.t. inputs, without touching .grad. */
export function grad(
  outputs: Tensor | Tensor[],
  inputs: Tensor | Tensor[],
  opts: { gradOutputs?: Tensor | Tensor[]; retainGraph?: boolean; createGraph?: boolean; allowUnused?: boolean } = {},
): Array<Tensor | null> {
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  const gos = opts.gradOutputs === undefined ? [] : Array.isArray(opts.gradOutputs) ? opts.gradOutputs : [opts.gradOutputs];
  const saved = ins.map((t) => ({ grad: t.grad, hooks: t._hooks, retained: t.gradFn?.retained ?? null }));
  const results: Array<Tensor | null> = ins.map(() => null);
  try {
    ins.forEach((t, i) => {
      t.grad = null;
      const capture = (g: Tensor): void => {
        results[i] = results[i] ? add(results[i] as Tensor, g) : g;
      };
      if (t.gradFn) t.gradFn.hooks = [...(t.gradFn.hooks ?? []), (g) => void capture(g)];
      else t._hooks = [...(t._hooks ?? []), (g) => void capture(g)];
    });
    outs.forEach((o, k) => runBackward(o, gos[k] ?? null, { retainGraph: opts.retainGraph ?? true, createGraph: opts.createGraph }));
  } finally {
    ins.forEach((t, i) => {
      t.grad = saved[i].grad;
      if (t.gradFn) t.gradFn.hooks = t.gradFn.hooks?.slice(0, -1) ?? null;
      else t._hooks = saved[i].hooks;
    });
  }
  if (!opts.allowUnused) {
    results.forEach((r, i) => {
      if (r === null && !ins[i].requiresGrad) throw new Error(`grad: input ${i} does not require grad`);
    });
  }
  return results;
}

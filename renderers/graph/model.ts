// The backprop stepper's state, pure: payload checks and what is shown after k steps (no DOM).
import type { GraphPayload, GraphStep, GraphValue } from '../../src/protocol';

export type StepMode = 'reverse' | 'forward';

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown): x is string => typeof x === 'string';

function checkValue(v: unknown, what: string): string | null {
  if (v === null || v === undefined) return null;
  if (!isObj(v) || !isStr(v.text) || !Array.isArray(v.shape)) return `${what} should be a value {shape, text}`;
  return null;
}

function checkSteps(steps: unknown, ids: Set<unknown>, what: string): string | null {
  if (!Array.isArray(steps)) return `"${what}" should be a list`;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (!isObj(s) || !isStr(s.term) || !ids.has(s.node) || !ids.has(s.target)) {
      return `${what}[${i}] should name known nodes and have a "term"`;
    }
    if (!Array.isArray(s.edges) || !Array.isArray(s.detail)) return `${what}[${i}] needs "edges" and "detail" lists`;
    const bad = checkValue(s.acc, `${what}[${i}].acc`) ?? (s.acc ? null : `${what}[${i}] has no "acc"`);
    if (bad) return bad;
  }
  return null;
}

/** Why the payload cannot be stepped, or null. */
export function checkGraph(p: unknown): string | null {
  if (!isObj(p)) return 'the payload is not an object';
  if (!Array.isArray(p.nodes) || p.nodes.length === 0) return '"nodes" should be a non-empty list';
  const ids = new Set<unknown>(); // node ids (strings); Set<unknown> so any field can be looked up
  for (let i = 0; i < p.nodes.length; i++) {
    const n = p.nodes[i];
    if (!isObj(n) || !isStr(n.id) || !isStr(n.label) || !isStr(n.expr) || !Array.isArray(n.shape)) {
      return `nodes[${i}] should have id, label, expr and shape (this graph may come from an older Layerwise)`;
    }
    const bad = checkValue(n.value, `nodes[${i}].value`) ?? checkValue(n.grad, `nodes[${i}].grad`);
    if (bad) return bad;
    ids.add(n.id);
  }
  if (!ids.has(p.output)) return '"output" should be the id of a node';
  if (!Array.isArray(p.edges) || !p.edges.every((e: unknown) => isObj(e) && ids.has(e.from) && ids.has(e.to))) {
    return '"edges" should connect known nodes';
  }
  const bad = checkSteps(p.steps, ids, 'steps');
  if (bad) return bad;
  if (!Array.isArray(p.forward)) return '"forward" should be a list';
  for (let i = 0; i < p.forward.length; i++) {
    if (!isObj(p.forward[i]) || !ids.has(p.forward[i].wrt)) return `forward[${i}].wrt should be a node id`;
    const b = checkSteps(p.forward[i].steps, ids, `forward[${i}].steps`);
    if (b) return b;
  }
  if (!Array.isArray(p.leaves)) return '"leaves" should be a list';
  return null;
}

/** The steps of a mode (forward: of the chosen leaf run). */
export function stepsOf(p: GraphPayload, mode: StepMode, wrt = 0): GraphStep[] {
  return mode === 'reverse' ? p.steps : p.forward[wrt]?.steps ?? [];
}

export interface StepState {
  /** 0 = nothing applied yet; steps.length = done. */
  k: number;
  total: number;
  current: GraphStep | null;
  /** Node id → the gradient (reverse) or tangent (forward) shown on it after k steps. */
  shown: Map<string, GraphValue>;
  /** Node id → true when this step changed it. */
  changed: Set<string>;
  /** Highlighted edges as "from→to". */
  edges: Set<string>;
}

export const edgeKey = (from: string, to: string): string => `${from}→${to}`;

/** What the stepper shows after applying the first k steps. */
export function stateAt(steps: GraphStep[], k: number): StepState {
  const kk = Math.max(0, Math.min(steps.length, Math.floor(k)));
  const shown = new Map<string, GraphValue>();
  for (let i = 0; i < kk; i++) shown.set(steps[i].target, steps[i].acc);
  const current = kk > 0 ? steps[kk - 1] : null;
  return {
    k: kk,
    total: steps.length,
    current,
    shown,
    changed: new Set(current ? [current.target] : []),
    edges: new Set(current ? current.edges.map((e) => edgeKey(e.from, e.to)) : []),
  };
}

/** The step index after a key press, or null when the key is not the stepper's. */
export function keyStep(key: string, k: number, total: number): number | null {
  switch (key) {
    case 'ArrowRight': return Math.min(total, k + 1);
    case 'ArrowLeft': return Math.max(0, k - 1);
    case 'Home': return 0;
    case 'End': return total;
    default: return null;
  }
}

/** "∂f/∂x" for reverse mode, "∂node/∂wrt" for forward mode (the line shown on a node). */
export function derivName(p: GraphPayload, mode: StepMode, nodeLabel: string, wrtLabel: string): string {
  const out = p.nodes.find((n) => n.id === p.output)?.label ?? 'f';
  return mode === 'reverse' ? `∂${out}/∂${nodeLabel}` : `∂${nodeLabel}/∂${wrtLabel}`;
}

/** The last step index (1-based count) that changes `id`, or 0 when none does. */
export function lastStepFor(steps: GraphStep[], id: string): number {
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i].target === id) return i + 1;
  return 0;
}

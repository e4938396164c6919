// DAG layout of the stepper graph with dagre (bundled). Pure apart from dagre: sizes come from a text-measuring
// callback so the same code runs in unit tests (estimate) and in the webview (canvas measureText).
import dagre from '@dagrejs/dagre';
import type { GraphPayload } from '../../src/protocol';

export interface Box {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout {
  width: number;
  height: number;
  rankdir: 'TB' | 'LR';
  nodes: Map<string, Box>;
  /** One polyline per distinct from→to pair (an op using the same input twice draws one edge). */
  edges: Array<{ from: string; to: string; points: Array<{ x: number; y: number }>; args: number[] }>;
}

export type Measure = (text: string) => number;

export const estimate: Measure = (text) => text.length * 7.3;

export const LINE_H = 17;
export const PAD_X = 10;
export const PAD_Y = 7;

/** Shape-only ops (the runtime's views) are drawn as one-line boxes: the step panel still shows their terms. */
const SHAPE_OPS = new Set(['reshape', 'view', 'unsqueeze', 'squeeze', 'flatten', 'contiguous', 'expand', 'permute', 'transpose']);
export const isCompact = (n: GraphPayload['nodes'][number]): boolean => SHAPE_OPS.has(n.op);

/** The three lines drawn in a node box; the longest sets the width. */
export function nodeLines(n: GraphPayload['nodes'][number], grad: string): [string, string, string] {
  const head = n.kind === 'leaf' || n.kind === 'input' || n.kind === 'param' ? `${n.label}  (${n.kind})` : n.expr;
  return [head, n.value ? `= ${n.value.text}` : '= –', grad];
}

function run(p: GraphPayload, rankdir: 'TB' | 'LR', size: (id: string) => { w: number; h: number }): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir, nodesep: 28, ranksep: rankdir === 'TB' ? 42 : 56, edgesep: 12, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of p.nodes) {
    const s = size(n.id);
    g.setNode(n.id, { width: s.w, height: s.h });
  }
  const args = new Map<string, number[]>();
  for (const e of p.edges) {
    const k = `${e.from}\u0000${e.to}`;
    if (!args.has(k)) {
      args.set(k, []);
      g.setEdge(e.from, e.to);
    }
    args.get(k)!.push(e.arg);
  }
  dagre.layout(g);
  const nodes = new Map<string, Box>();
  for (const n of p.nodes) {
    const v = g.node(n.id);
    nodes.set(n.id, { id: n.id, x: v.x!, y: v.y!, w: v.width, h: v.height });
  }
  const edges: Layout['edges'] = [];
  for (const [k, a] of args) {
    const [from, to] = k.split('\u0000');
    edges.push({ from, to, points: (g.edge(from, to).points ?? []).map((q: { x: number; y: number }) => ({ x: q.x, y: q.y })), args: a });
  }
  const gr = g.graph();
  return { width: Math.ceil(gr.width ?? 0), height: Math.ceil(gr.height ?? 0), rankdir, nodes, edges };
}

/**
 * Lays the graph out top-to-bottom and left-to-right and keeps the one drawn larger in `maxWidth` (ties: the
 * shorter one). `gradWidth` is the widest gradient line a node will show.
 */
export function layoutGraph(p: GraphPayload, maxWidth: number, measure: Measure = estimate, gradText: (id: string) => string[] = () => []): Layout {
  const sizes = new Map<string, { w: number; h: number }>();
  for (const n of p.nodes) {
    const [a, b, c] = nodeLines(n, '');
    const compact = isCompact(n);
    const w = compact ? measure(a) : Math.max(measure(a), measure(b), measure(c), ...gradText(n.id).map(measure));
    sizes.set(n.id, { w: Math.ceil(Math.min(300, Math.max(compact ? 40 : 70, w)) + 2 * PAD_X), h: (compact ? 1 : 3) * LINE_H + 2 * PAD_Y });
  }
  const size = (id: string) => sizes.get(id)!;
  const tb = run(p, 'TB', size);
  const lr = run(p, 'LR', size);
  const scale = (l: Layout) => Math.min(1, maxWidth / Math.max(1, l.width));
  const st = scale(tb);
  const sl = scale(lr);
  if (Math.abs(st - sl) < 1e-6) return tb.height * st <= lr.height * sl ? tb : lr;
  return sl > st ? lr : tb;
}

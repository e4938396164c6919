// SVG drawing of the laid-out graph and its per-step highlighting. Text only through textContent.
import type { GraphPayload } from '../../src/protocol';
import { LINE_H, PAD_X, PAD_Y, isCompact, nodeLines, type Layout } from './layout';
import { edgeKey, type StepState } from './model';

const NS = 'http://www.w3.org/2000/svg';
let uid = 0;

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A smooth path through dagre's edge points. */
export function pathD(pts: Array<{ x: number; y: number }>): string {
  if (pts.length === 0) return '';
  let d = `M${pts[0].x.toFixed(1)},${pts[0].y.toFixed(1)}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const mx = (pts[i].x + pts[i + 1].x) / 2;
    const my = (pts[i].y + pts[i + 1].y) / 2;
    d += ` Q${pts[i].x.toFixed(1)},${pts[i].y.toFixed(1)} ${mx.toFixed(1)},${my.toFixed(1)}`;
  }
  const last = pts[pts.length - 1];
  return `${d} L${last.x.toFixed(1)},${last.y.toFixed(1)}`;
}

export interface GraphDrawing {
  svg: SVGSVGElement;
  /** Applies a step state: highlights, gradient lines, the edge label. */
  apply(state: StepState, gradLine: (id: string) => string | null, edgeLabel: string | null): void;
}

type EdgeEls = Map<string, { g: SVGGElement; path: SVGPathElement; mid: { x: number; y: number } }>;
type NodeEls = Map<string, { g: SVGGElement; grad: SVGTextElement }>;

function drawEdges(svg: SVGSVGElement, layout: Layout, id: number): EdgeEls {
  const edgeEls: EdgeEls = new Map();
  for (const e of layout.edges) {
    const g = el('g', { class: 'lw-gedge', 'data-edge': edgeKey(e.from, e.to) });
    const path = el('path', { d: pathD(e.points), 'marker-end': `url(#lw-ma-${id})` });
    g.append(path);
    if (e.args.length > 1) g.append(el('title', {}, `used ${e.args.length} times (arguments ${e.args.join(', ')})`));
    svg.append(g);
    edgeEls.set(edgeKey(e.from, e.to), { g, path, mid: e.points[Math.floor(e.points.length / 2)] ?? { x: 0, y: 0 } });
  }
  return edgeEls;
}

function drawNodes(svg: SVGSVGElement, p: GraphPayload, layout: Layout): NodeEls {
  const nodeEls: NodeEls = new Map();
  for (const n of p.nodes) {
    const b = layout.nodes.get(n.id)!;
    const leaf = n.kind === 'leaf' || n.kind === 'input' || n.kind === 'param';
    const g = el('g', { class: `lw-gnode${leaf ? ' lw-leaf' : ''}${n.kind === 'output' ? ' lw-output' : ''}`, 'data-node': n.id,
      transform: `translate(${(b.x - b.w / 2).toFixed(1)},${(b.y - b.h / 2).toFixed(1)})` });
    g.append(el('rect', { width: b.w, height: b.h, rx: leaf ? 12 : 4 }));
    const [head, val] = nodeLines(n, '');
    const line = (k: number, cls: string, text: string) => el('text', { x: PAD_X, y: PAD_Y + LINE_H * k + 12, class: cls }, text);
    const grad = line(2, 'lw-g-grad', '');
    g.append(line(0, 'lw-g-head', head));
    if (isCompact(n)) g.classList.add('lw-compact');
    else g.append(line(1, 'lw-g-val', val), grad);
    g.append(el('title', {}, [n.expr, n.value ? `value ${n.value.text}` : '', `shape [${n.shape.join(', ')}]`].filter(Boolean).join('\n')));
    svg.append(g);
    nodeEls.set(n.id, { g, grad });
  }
  return nodeEls;
}

function markers(id: number): SVGDefsElement {
  const defs = el('defs');
  for (const [name, cls] of [['a', 'lw-arrow'], ['h', 'lw-arrow-hot']]) {
    const m = el('marker', { id: `lw-m${name}-${id}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    m.append(el('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
    defs.append(m);
  }
  return defs;
}

/** A small boxed label beside the highlighted edge (the value the step sends along it). */
function edgeLabelEl(): { g: SVGGElement; show(at: { x: number; y: number } | null, text: string | null): void } {
  const g = el('g', { class: 'lw-gedge-label', visibility: 'hidden' });
  const rect = el('rect', { rx: 3, height: 16 });
  const text = el('text', { x: 5, y: 12 });
  g.append(rect, text);
  return {
    g,
    show(at, t) {
      if (!at || !t) return void g.setAttribute('visibility', 'hidden');
      text.textContent = t;
      const w = Math.max(24, t.length * 6.8 + 10);
      rect.setAttribute('width', String(w));
      g.setAttribute('transform', `translate(${(at.x + 8).toFixed(1)},${(at.y - 8).toFixed(1)})`);
      g.setAttribute('visibility', 'visible');
    },
  };
}

export function drawGraph(p: GraphPayload, layout: Layout, ariaLabel: string): GraphDrawing {
  const id = ++uid;
  const svg = el('svg', { class: 'lw-graph-svg', width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: 'img', 'aria-label': ariaLabel });
  svg.append(markers(id));
  const edgeEls = drawEdges(svg, layout, id);
  const nodeEls = drawNodes(svg, p, layout);
  const label = edgeLabelEl();
  svg.append(label.g);
  return {
    svg,
    apply(state, gradLine, edgeLabel) {
      const cur = state.current;
      for (const [nid, { g, grad }] of nodeEls) {
        g.classList.toggle('lw-current', cur?.node === nid);
        g.classList.toggle('lw-target', cur !== null && cur.target === nid && cur.node !== nid);
        g.classList.toggle('lw-changed', state.changed.has(nid));
        const text = gradLine(nid);
        grad.textContent = text ?? '';
        grad.setAttribute('class', text && state.shown.has(nid) ? 'lw-g-grad' : 'lw-g-none');
      }
      let hotMid: { x: number; y: number } | null = null;
      for (const [k, { g, path, mid }] of edgeEls) {
        const hot = state.edges.has(k);
        g.classList.toggle('lw-hot', hot);
        path.setAttribute('marker-end', `url(#lw-m${hot ? 'h' : 'a'}-${id})`);
        if (hot && state.edges.size === 1) hotMid = mid;
      }
      label.show(hotMid, edgeLabel);
    },
  };
}

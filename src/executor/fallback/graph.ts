/**
 * image/svg+xml fallback of the backprop stepper: the recorded graph after the whole reverse pass, every node
 * with its forward value and final gradient. Laid out by the same dagre layout as the interactive view
 * (renderers/graph/layout.ts is DOM-free); stepping through the chain rule stays a Layerwise-only interaction.
 */
import type { GraphPayload } from '../../protocol';
import { layoutGraph, LINE_H, nodeLines, PAD_X, PAD_Y, isCompact } from '../../../renderers/graph/layout';
import { escapeHtml } from './tables';

const KIND_FILL: Record<string, string> = { input: '#e8f1fb', param: '#fdf0e0', leaf: '#e8f1fb', op: '#f4f4f4', output: '#e6f4ea' };
const FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12"';

export function graphSvg(p: GraphPayload, maxWidth = 900): string {
  const out = p.nodes.find((n) => n.id === p.output);
  const outLabel = out?.label ?? 'out';
  const gradLine = (id: string) => {
    const n = p.nodes.find((m) => m.id === id)!;
    return n.grad ? `∂${outLabel}/∂${n.label} = ${n.grad.text}` : `∂${outLabel}/∂${n.label}: none`;
  };
  const l = layoutGraph(p, maxWidth, undefined, (id) => [gradLine(id)]);
  const title = p.title ?? `Computation graph of ${outLabel}: forward values and gradients after backward()`;
  const top = 28;
  const scale = Math.min(1, maxWidth / Math.max(1, l.width));
  const width = Math.ceil(Math.max(l.width * scale, 420));
  const height = Math.ceil(l.height * scale + top + 22);
  const parts: string[] = [];
  for (const e of l.edges) {
    const pts = e.points.map((q) => `${q.x.toFixed(1)},${q.y.toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${pts}" fill="none" stroke="#888" stroke-width="1.2" marker-end="url(#arrow)"/>`);
  }
  for (const n of p.nodes) {
    const b = l.nodes.get(n.id);
    if (!b) continue;
    const [head, value] = nodeLines(n, '');
    const x = b.x - b.w / 2;
    const y = b.y - b.h / 2;
    const lines = isCompact(n) ? [head] : [head, value, gradLine(n.id)];
    const stroke = n.id === p.output ? '#2e7d32' : '#999';
    parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${b.w}" height="${b.h}" rx="5" fill="${KIND_FILL[n.kind] ?? '#f4f4f4'}" stroke="${stroke}"/>`);
    lines.forEach((t, i) => {
      const colour = i === 2 ? (n.grad ? '#b3261e' : '#888') : i === 1 ? '#555' : '#222';
      parts.push(`<text x="${(x + PAD_X).toFixed(1)}" y="${(y + PAD_Y + (i + 0.8) * LINE_H).toFixed(1)}" fill="${colour}">${escapeHtml(t)}</text>`);
    });
  }
  const legend = 'blue: inputs/leaves · orange: parameters · green: output · red line: final gradient';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path d="M0,0L10,5L0,10z" fill="#888"/></marker></defs><rect width="100%" height="100%" fill="#fff"/>` +
    `<text x="8" y="18" font-size="14">${escapeHtml(title)}</text>` +
    `<g transform="translate(0 ${top}) scale(${scale.toFixed(4)})">${parts.join('')}</g>` +
    `<text x="8" y="${height - 6}" font-size="10" fill="#777">${escapeHtml(legend)}</text></svg>`;
}

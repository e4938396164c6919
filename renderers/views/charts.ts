// Plotly-backed views: gradient flow, gradient-norm watch, distributions, live curves and raw Plotly figures.
import { MIME, unpackArray, type DistributionsPayload, type GradFlowPayload, type GradFlowWatchPayload, type LivePayload } from '../../src/protocol';
import { h } from '../dom';
import { fmtNum } from '../format';
import { plotView } from '../plotly';
import {
  gradFlowBars, gradFlowFigure, gradFlowWatchFigure, liveFigure, STATUS_LABEL, toPlotlyFigure,
  type ChartTheme, type PlotlyFigure,
} from '../../src/protocol/plotly';
import type { View } from '../view';

/** Text list of flagged layers under the chart, so the warning does not rely on colour alone. */
function gradFlags(p: GradFlowPayload, t: ChartTheme): HTMLElement | null {
  const b = gradFlowBars(p);
  const rows = b.status.flatMap((s, i) => {
    if (s === 'ok') return [];
    const detail = s === 'none' ? 'no gradient reached it; unused or frozen?'
      : s === 'dead' ? 'every unit gets exactly zero gradient (ReLUs that never fire?)'
      : `mean |grad| ${fmtNum(p.layers[i].meanAbs)}, max ${fmtNum(p.layers[i].maxAbs)}`;
    const row = h('div', { class: s === 'exploding' ? 'lw-bad' : 'lw-warn', 'data-status': s }, `⚠ ${STATUS_LABEL[s]}: ${p.layers[i].name} — ${detail}`);
    row.style.color = t[s];
    return [row];
  });
  return rows.length ? h('div', { class: 'lw-flags', role: 'status' }, ...rows) : null;
}

export const gradFlowView = (root: HTMLElement, p: GradFlowPayload): View =>
  plotView(root, p, (q, t) => sized(gradFlowFigure(q, t), 360), gradFlags, (q: GradFlowPayload) => {
    const st = gradFlowBars(q).status;
    const n = (s: string) => st.filter((x) => x === s).length;
    return `Gradient flow bar chart of ${st.length} layers on a log scale: ${n('vanishing')} vanishing, ${n('exploding')} exploding`;
  });

/** Explains blank cells (log of a zero gradient) when there are any. */
function zeroNote(p: GradFlowWatchPayload): HTMLElement | null {
  return unpackArray(p.norms).some((v) => v === -Infinity)
    ? h('div', { class: 'lw-muted' }, 'Blank cells: the gradient norm was exactly zero at that step.') : null;
}

export const gradFlowWatchView = (root: HTMLElement, p: GradFlowWatchPayload): View =>
  plotView(root, p, (q, t) => sized(gradFlowWatchFigure(q, t), 140 + 24 * q.layers.length), zeroNote,
    (q) => `Heatmap of log gradient norms: ${q.layers.length} layers × ${q.steps.length} steps`);

export const distributionsView = (root: HTMLElement, p: DistributionsPayload): View =>
  plotView(root, p, (q, t) => toPlotlyFigure(MIME.distributions, q, t)!, undefined,
    (q) => `${q.kind} histograms of ${q.layers.length} layers`);

export const liveView = (root: HTMLElement, p: LivePayload): View =>
  plotView(root, p, (q, t) => sized(liveFigure(q, t), 320), undefined,
    (q: LivePayload) => `Line chart of ${q.series.map((s) => s.name).join(', ')} against ${q.xLabel}`);

/** A raw application/vnd.plotly.v1+json figure, with theme colours filled in where it leaves them unset. */
export const plotlyView = (root: HTMLElement, p: { data: PlotlyFigure['data']; layout?: Record<string, unknown> }): View =>
  plotView(root, p, (q, t) => ({
    data: q.data,
    layout: { paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)', ...(q.layout ?? {}),
      font: { color: t.fg, family: t.font, ...((q.layout?.font as object) ?? {}) } },
  }));

function sized(f: PlotlyFigure, height: number): PlotlyFigure {
  return { data: f.data, layout: { ...f.layout, height } };
}


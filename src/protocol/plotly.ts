/**
 * Pure builders: Layerwise payloads → Plotly figures ({ data, layout }). The renderers draw these; the runtime
 * may also emit them as application/vnd.plotly.v1+json so other Jupyter front ends show the same charts.
 * Imports only src/protocol; no DOM.
 */
import {
  classifyGrad, EXPLODE_THRESHOLD, MIME, unpackArray, VANISH_THRESHOLD,
  type DistributionsPayload, type GradFlowPayload, type GradFlowWatchPayload, type GradStatus, type LivePayload,
  type WeightsPayload,
} from './index';
import { VIRIDIS } from './colormap';

const VIRIDIS_SCALE = VIRIDIS.map((c, i, a): [number, string] => [i / (a.length - 1), c]);

export interface PlotlyFigure {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
}

/** Colours of chart chrome and series. Renderers fill it from the VS Code theme; the default suits white pages. */
export interface ChartTheme {
  fg: string;
  grid: string;
  font: string;
  series: string[];
  ok: string;
  vanishing: string;
  exploding: string;
  none: string;
  dead: string;
}

export const DEFAULT_THEME: ChartTheme = {
  fg: '#3b3b3b', grid: 'rgba(128,128,128,0.25)', font: 'system-ui, sans-serif',
  series: ['#1a85ff', '#e66100', '#2e9e44', '#9c4fd6', '#d1434b', '#b08a00'],
  ok: '#1a85ff', vanishing: '#b08a00', exploding: '#d1434b', none: '#888888', dead: '#6f42c1',
};

/** Plotly reads a subset of HTML in every text it draws; payload strings must show literally. */
export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const STATUS_LABEL: Record<GradStatus, string> = { ok: '', vanishing: 'vanishing', exploding: 'exploding', none: 'no grad', dead: 'dead' };

export interface GradFlowBars {
  names: string[];
  /** Values ready for a log axis: null where the value is 0 or missing (not drawable). */
  mean: Array<number | null>;
  max: Array<number | null>;
  status: GradStatus[];
  /** Axis range in log10 units, covering the data and the vanishing threshold. */
  range: [number, number];
}

const drawable = (v: number | null | undefined) => (v != null && Number.isFinite(v) && v > 0 ? v : null);

/** Log-scale bar data of the gradient-flow chart; statuses are recomputed when a layer lacks one. */
export function gradFlowBars(p: GradFlowPayload): GradFlowBars {
  const vanish = p.vanishThreshold ?? VANISH_THRESHOLD;
  const explode = p.explodeThreshold ?? EXPLODE_THRESHOLD;
  const mean = p.layers.map((l) => drawable(l.meanAbs));
  const max = p.layers.map((l) => drawable(l.maxAbs));
  const status = p.layers.map((l) => l.status ?? classifyGrad(l.meanAbs, l.maxAbs, vanish, explode));
  const logs = [...mean, ...max, vanish].filter((v): v is number => v != null).map(Math.log10);
  if (status.includes('exploding')) logs.push(Math.log10(explode));
  const lo = Math.floor(Math.min(...logs)) - 0.5;
  const hi = Math.ceil(Math.max(...logs)) + 0.8;
  return { names: p.layers.map((l) => esc(l.name)), mean, max, status, range: [lo, hi] };
}

function baseLayout(t: ChartTheme, title: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: title ? { text: esc(title), x: 0, xanchor: 'left', font: { size: 14 } } : undefined,
    paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)',
    font: { color: t.fg, family: t.font, size: 12 },
    margin: { l: 60, r: 20, t: title ? 40 : 16, b: 50 },
    legend: { orientation: 'h', y: 1.02, yanchor: 'bottom', x: 1, xanchor: 'right' },
    ...extra,
  };
}

const axis = (t: ChartTheme, extra: Record<string, unknown> = {}) => ({
  gridcolor: t.grid, zerolinecolor: t.grid, linecolor: t.grid, automargin: true, ...extra,
});

export function gradFlowFigure(p: GradFlowPayload, t: ChartTheme = DEFAULT_THEME): PlotlyFigure {
  const b = gradFlowBars(p);
  const colour = b.status.map((s) => t[s]);
  const hover = '%{x}<br>%{fullData.name}: %{y:.3e}<extra></extra>';
  const vanish = p.vanishThreshold ?? VANISH_THRESHOLD;
  const explode = p.explodeThreshold ?? EXPLODE_THRESHOLD;
  const line = (y: number, text: string, color: string) => ({
    shape: { type: 'line', xref: 'paper', x0: 0, x1: 1, y0: y, y1: y, line: { color, width: 1, dash: 'dash' } },
    note: { xref: 'paper', x: 1, xanchor: 'right', y: Math.log10(y), yanchor: 'bottom', text, showarrow: false, font: { color, size: 11 } },
  });
  const lines = [line(vanish, `vanishing < ${vanish.toExponential(0)}`, t.vanishing)];
  if (b.status.includes('exploding')) lines.push(line(explode, `exploding > ${explode.toExponential(0)}`, t.exploding));
  const labels = b.status.flatMap((s, i) => (s === 'ok' ? [] : [{
    x: b.names[i], y: Math.log10(b.max[i] ?? b.mean[i] ?? 10 ** b.range[0]), yanchor: 'bottom', showarrow: false,
    text: STATUS_LABEL[s], font: { color: t[s], size: 11 },
  }]));
  return {
    data: [
      { type: 'bar', name: 'max |grad| (pale)', x: b.names, y: b.max, marker: { color: colour, opacity: 0.35 }, hovertemplate: hover },
      { type: 'bar', name: 'mean |grad| (solid)', x: b.names, y: b.mean, marker: { color: colour }, hovertemplate: hover },
    ],
    layout: baseLayout(t, p.title ?? 'Gradient flow', {
      barmode: 'overlay', bargap: 0.25, showlegend: true,
      xaxis: axis(t, { title: { text: 'layer' }, tickangle: b.names.length > 8 ? -40 : 0 }),
      yaxis: axis(t, { type: 'log', range: b.range, title: { text: '|grad| (log)' }, exponentformat: 'power' }),
      shapes: lines.map((l) => l.shape),
      annotations: [...lines.map((l) => l.note), ...labels],
    }),
  };
}

export function gradFlowWatchFigure(p: GradFlowWatchPayload, t: ChartTheme = DEFAULT_THEME): PlotlyFigure {
  const v = unpackArray(p.norms);
  const S = p.steps.length;
  const z = p.layers.map((_, i) => Array.from(v.subarray(i * S, (i + 1) * S), (x) => (Number.isFinite(x) ? x : null)));
  return {
    data: [{
      type: 'heatmap', x: p.steps, y: p.layers.map(esc), z, colorscale: VIRIDIS_SCALE, hoverongaps: false,
      colorbar: { title: { text: 'log₁₀ ‖g‖', side: 'right' }, outlinewidth: 0 },
      hovertemplate: '%{y}<br>step %{x}<br>log₁₀ ‖g‖ = %{z:.2f}<extra></extra>',
    }],
    layout: baseLayout(t, p.title ?? 'Gradient norms per layer', {
      xaxis: axis(t, { title: { text: 'step' } }),
      yaxis: axis(t, { autorange: 'reversed', type: 'category' }),
    }),
  };
}

type Hist = { name: string; edges: number[]; counts: number[]; mean?: number; std?: number; dead?: number };

/**
 * Small multiples: one histogram per layer on a grid (Glorot & Bengio 2010, figs. 6–7). With `sharedX` every
 * panel uses the first panel's x axis, so layers compare at a glance (activations, gradients); weights of
 * different layers live on different scales and keep their own axes.
 */
export function histogramsFigure(hists: Hist[], title: string, t: ChartTheme = DEFAULT_THEME, sharedX = false): PlotlyFigure {
  const cols = Math.min(4, Math.max(1, hists.length));
  const rows = Math.max(1, Math.ceil(hists.length / cols));
  const layout = baseLayout(t, title, { grid: { rows, columns: cols, pattern: 'independent', xgap: 0.12, ygap: 0.35 },
    showlegend: false, height: 70 + rows * 150, annotations: [] as unknown[], bargap: 0, margin: { l: 50, r: 20, t: 64, b: 40 } });
  const data = hists.map((h, i) => {
    const k = i === 0 ? '' : String(i + 1);
    layout[`xaxis${k}`] = axis(t, { tickfont: { size: 10 }, nticks: 5, ...(sharedX && i > 0 ? { matches: 'x' } : {}) });
    layout[`yaxis${k}`] = axis(t, { tickfont: { size: 10 }, nticks: 4 });
    const stats = (h.mean != null && h.std != null ? `  μ=${h.mean.toPrecision(3)} σ=${h.std.toPrecision(3)}` : '') +
      (h.dead ? `  ${Number((100 * h.dead).toPrecision(3))}% dead` : '');
    (layout.annotations as unknown[]).push({ text: esc(h.name) + stats, showarrow: false, xref: `x${k} domain`, yref: `y${k} domain`,
      x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom', font: { size: 11 } });
    const x = h.counts.map((_, j) => (h.edges[j] + h.edges[j + 1]) / 2);
    const width = h.counts.map((_, j) => h.edges[j + 1] - h.edges[j]);
    return { type: 'bar', name: esc(h.name), x, y: h.counts, width, xaxis: `x${k}`, yaxis: `y${k}`,
      marker: { color: t.series[0], line: { width: 0 } }, hovertemplate: '%{x:.3g}: %{y}<extra></extra>' };
  });
  return { data, layout };
}

export function liveFigure(p: LivePayload, t: ChartTheme = DEFAULT_THEME): PlotlyFigure {
  const twoAxes = p.series.some((s) => s.axis === 'y2');
  const data = p.series.map((s, i) => ({
    type: 'scatter', mode: s.x.length < 2 ? 'markers' : 'lines', name: esc(s.name), x: s.x, y: s.y,
    yaxis: s.axis ?? 'y', line: { color: t.series[i % t.series.length], width: 2 },
    marker: { color: t.series[i % t.series.length] },
  }));
  const names = (ax: 'y' | 'y2') => p.series.filter((s) => (s.axis ?? 'y') === ax).map((s) => esc(s.name)).join(', ');
  return {
    data,
    layout: baseLayout(t, p.title, {
      uirevision: 'live', showlegend: true,
      xaxis: axis(t, { title: { text: esc(p.xLabel) } }),
      yaxis: axis(t, { title: { text: p.yLabel != null ? esc(p.yLabel) : names('y') }, ...(p.logY ? { type: 'log', exponentformat: 'power' } : {}) }),
      ...(twoAxes ? { yaxis2: axis(t, { title: { text: names('y2') }, overlaying: 'y', side: 'right', showgrid: false, tickmode: 'auto' }) } : {}),
    }),
  };
}

/** The Plotly figure of a payload, or null for MIME types that are not plain charts. */
export function toPlotlyFigure(mime: string, payload: unknown, theme: ChartTheme = DEFAULT_THEME): PlotlyFigure | null {
  switch (mime) {
    case MIME.gradFlow: return gradFlowFigure(payload as GradFlowPayload, theme);
    case MIME.gradFlowWatch: return gradFlowWatchFigure(payload as GradFlowWatchPayload, theme);
    case MIME.live: return liveFigure(payload as LivePayload, theme);
    case MIME.distributions: {
      const p = payload as DistributionsPayload;
      return histogramsFigure(p.layers, p.title ?? `${p.kind[0].toUpperCase()}${p.kind.slice(1)} per layer`, theme, p.kind !== 'weights');
    }
    case MIME.weights: {
      const p = payload as WeightsPayload;
      return p.histograms.length ? histogramsFigure(p.histograms, 'Weight distributions', theme) : null;
    }
    default: return null;
  }
}

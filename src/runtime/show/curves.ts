/**
 * Lesson views drawn as standard Plotly JSON figures: show.curves (functions and their derivatives, e.g. the
 * activations), show.depth (a statistic of the activations layer by layer, e.g. σ vs depth for several
 * initialisations) and show.histograms (one histogram per named tensor, panels titled with the given names).
 */
import { Tensor } from '../tensor';
import { Module } from '../nn/module';
import { noGrad } from '../autograd/mode';
import { grad } from '../autograd/engine';
import { linspace, tensor } from '../ops/creation';
import { MIME } from '../../protocol';
import { DEFAULT_THEME, esc, type PlotlyFigure } from '../../protocol/plotly';
import { Figure } from './figure';
import { checkOptions, checkRange, fmt, noMoreArgs } from './options';
import { distributions } from './grads';

const T = DEFAULT_THEME;
const colour = (i: number) => T.series[i % T.series.length];
const axis = (extra: Record<string, unknown> = {}) => ({ gridcolor: T.grid, zerolinecolor: T.grid, linecolor: T.grid, automargin: true, ...extra });
/** Layout shared by the lesson figures (white-page friendly, transparent background, legend on top). */
export function lessonLayout(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: esc(title), x: 0, xanchor: 'left', font: { size: 14 } },
    paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)', font: { color: T.fg, family: T.font, size: 12 },
    margin: { l: 60, r: 20, t: 64, b: 50 }, height: 380,
    legend: { orientation: 'h', y: 1.02, yanchor: 'bottom', x: 1, xanchor: 'right' }, ...extra,
  };
}
export { axis as lessonAxis };

// ---------- show.curves ----------

export interface CurveData {
  name: string;
  y: number[];
  dy: number[] | null;
  at: Array<{ x: number; y: number; dy: number | null }>;
}

export interface CurvesOptions {
  range?: [number, number];
  points?: number;
  derivative?: boolean;
  at?: number[];
  title?: string;
  logY?: boolean;
  /** Precision of the sample points: 'float64' (default, exact derivatives) or 'float32' (for float32 models). */
  dtype?: 'float32' | 'float64';
}
const CURVES_KEYS = ['range', 'points', 'derivative', 'at', 'title', 'logY', 'dtype'] as const;

/** Values and (autograd) derivatives of elementwise functions on float64 inputs. */
function evalCurve(name: string, f: (x: Tensor) => Tensor, xs: Tensor, derivative: boolean): { y: number[]; dy: number[] | null } {
  const x = xs.detach().requiresGrad_(derivative);
  const out = f(x);
  if (!(out instanceof Tensor)) throw new Error(`show.curves: '${name}' must return a Tensor, got ${typeof out}`);
  if (out.shape.join() !== x.shape.join()) {
    throw new Error(`show.curves: '${name}' must be elementwise (input [${x.shape}] gave output [${out.shape}])`);
  }
  const y = Array.from(out.detach().dataSync());
  if (!derivative) return { y, dy: null };
  const g = out.requiresGrad ? grad(out.sum(), [x], { allowUnused: true })[0] : null;
  return { y, dy: g ? Array.from(g.dataSync()) : y.map(() => 0) };
}

/** The Plotly figure of show.curves: f on the left, f′ on the right (when derivatives are drawn). */
export function curvesFigure(title: string, x: number[], curves: CurveData[], logY = false): PlotlyFigure {
  const withD = curves.some((c) => c.dy);
  const data: Array<Record<string, unknown>> = [];
  curves.forEach((c, i) => {
    const line = { color: colour(i), width: 2 };
    data.push({ type: 'scatter', mode: 'lines', name: esc(c.name), legendgroup: esc(c.name), x, y: c.y, line, hovertemplate: `${esc(c.name)}(%{x:.3g}) = %{y:.4g}<extra></extra>` });
    if (c.dy) data.push({ type: 'scatter', mode: 'lines', name: esc(c.name) + '′', legendgroup: esc(c.name), showlegend: false, x, y: c.dy, xaxis: 'x2', yaxis: 'y2', line, hovertemplate: `${esc(c.name)}′(%{x:.3g}) = %{y:.4g}<extra></extra>` });
    if (c.at.length) {
      const mk = { color: colour(i), size: 8, symbol: 'circle-open', line: { width: 2 } };
      data.push({ type: 'scatter', mode: 'markers', showlegend: false, legendgroup: esc(c.name), x: c.at.map((p) => p.x), y: c.at.map((p) => p.y), marker: mk, hoverinfo: 'x+y' });
      if (c.dy) data.push({ type: 'scatter', mode: 'markers', showlegend: false, legendgroup: esc(c.name), x: c.at.map((p) => p.x), y: c.at.map((p) => p.dy), xaxis: 'x2', yaxis: 'y2', marker: mk, hoverinfo: 'x+y' });
    }
  });
  const yType = logY ? { type: 'log', exponentformat: 'power' } : {};
  return {
    data,
    layout: lessonLayout(title, {
      ...(withD ? { grid: { rows: 1, columns: 2, pattern: 'independent', xgap: 0.12 } } : {}),
      xaxis: axis({ title: { text: 'x' } }), yaxis: axis({ title: { text: 'f(x)' }, ...yType }),
      ...(withD ? { xaxis2: axis({ title: { text: 'x' } }), yaxis2: axis({ title: { text: 'f′(x), by autograd' }, ...yType }) } : {}),
    }),
  };
}

/**
 * show.curves({sigmoid: (x) => x.sigmoid(), relu: F.relu}, {range: [-5, 5], at: [0, 5]}): each elementwise
 * function and its derivative (computed by autograd, not by a formula), with the values at `at` in the text.
 */
export function curves(fns: Record<string, (x: Tensor) => Tensor>, options?: CurvesOptions, ...rest: unknown[]): Figure<PlotlyFigure> {
  noMoreArgs('show.curves', 2, rest);
  const o = checkOptions('show.curves', options, CURVES_KEYS);
  if (!fns || typeof fns !== 'object' || !Object.keys(fns).length) throw new Error('show.curves: pass an object of named functions, e.g. {relu: F.relu}');
  for (const [k, f] of Object.entries(fns)) if (typeof f !== 'function') throw new Error(`show.curves: '${k}' is not a function`);
  const [lo, hi] = o.range === undefined ? [-5, 5] : checkRange('show.curves', 'range', o.range);
  const n = o.points ?? 201;
  if (!Number.isInteger(n) || n < 2) throw new Error(`show.curves: points must be an integer ≥ 2, got ${n}`);
  const at = o.at ?? [];
  if (!Array.isArray(at) || !at.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new Error(`show.curves: at must be a list of finite numbers, got ${JSON.stringify(at)}`);
  const derivative = o.derivative ?? true;
  const dtype = o.dtype ?? 'float64';
  if (dtype !== 'float32' && dtype !== 'float64') throw new Error(`show.curves: dtype must be 'float32' or 'float64', got '${dtype}'`);
  const xs = linspace(lo, hi, n, { dtype });
  const data: CurveData[] = Object.entries(fns).map(([name, f]) => {
    const c = evalCurve(name, f, xs, derivative);
    if (!at.length) return { name, ...c, at: [] };
    const p = evalCurve(name, f, tensor(at, { dtype }), derivative);
    return { name, ...c, at: at.map((x, i) => ({ x, y: p.y[i], dy: p.dy ? p.dy[i] : null })) };
  });
  const x = Array.from(xs.dataSync());
  const title = o.title ?? (derivative ? 'Functions and their derivatives' : 'Functions');
  const lines = data.map((c) => `${c.name}: ` + (c.at.length
    ? c.at.map((p) => `f(${fmt(p.x)}) = ${fmt(p.y)}` + (p.dy === null ? '' : `, f′(${fmt(p.x)}) = ${fmt(p.dy)}`)).join('; ')
    : `on [${fmt(lo)}, ${fmt(hi)}]`));
  return new Figure(MIME.plotly, curvesFigure(title, x, data, !!o.logY), `${title}\n${lines.join('\n')}`);
}

// ---------- show.depth ----------

export interface DepthOptions {
  stat?: 'std' | 'mean' | 'var' | 'meanAbs';
  logY?: boolean;
  title?: string;
  layers?: 'activations' | 'all';
  /** What the x axis counts (default 'layer'), e.g. 'block'. */
  xLabel?: string;
}
const DEPTH_KEYS = ['stat', 'logY', 'title', 'layers', 'xLabel'] as const;
const STAT_LABEL = { std: 'σ', mean: 'mean', var: 'variance', meanAbs: 'mean |x|' } as const;

const isActivation = (m: Module): boolean => /ReLU|Tanh|Sigmoid|GELU|ELU|Softplus|Maxout/.test(m.constructor.name);

function stat(t: Tensor, s: NonNullable<DepthOptions['stat']>): number {
  const v = t.detach().dataSync();
  let sum = 0;
  let abs = 0;
  for (let i = 0; i < v.length; i++) { sum += v[i]; abs += Math.abs(v[i]); }
  const mean = sum / Math.max(1, v.length);
  if (s === 'mean') return mean;
  if (s === 'meanAbs') return abs / Math.max(1, v.length);
  let q = 0;
  for (let i = 0; i < v.length; i++) q += (v[i] - mean) ** 2;
  const variance = q / Math.max(1, v.length - 1);
  return s === 'var' ? variance : Math.sqrt(variance);
}

/** The statistic of every activation layer's output (or every leaf layer's) in one forward pass. */
function layerStats(name: string, model: Module, input: Tensor, s: NonNullable<DepthOptions['stat']>, layers: 'activations' | 'all'): number[] {
  const values: number[] = [];
  const handles = [...model.namedModules()]
    .filter(([n, m]) => n !== '' && m.children().length === 0 && (layers === 'all' || isActivation(m)))
    .map(([, m]) => m.registerForwardHook((_m, _i, out) => { if (out instanceof Tensor) values.push(stat(out, s)); }));
  try {
    noGrad(() => model(input));
  } finally {
    handles.forEach((h) => h.remove());
  }
  if (!values.length) throw new Error(`show.depth: '${name}' has no activation layers (ReLU, Tanh, ...); pass {layers: 'all'}`);
  return values;
}

/** The Plotly figure of show.depth: one line per run, layers labelled 1…N on the x axis. */
export function depthFigure(title: string, yLabel: string, runs: Array<{ name: string; values: number[] }>, logY = false, xLabel = 'layer'): PlotlyFigure {
  const n = Math.max(...runs.map((r) => r.values.length));
  const data = runs.map((r, i) => ({
    type: 'scatter', mode: 'lines+markers', name: esc(r.name), x: r.values.map((_, k) => k + 1),
    // a log axis cannot draw 0 or negatives: they become gaps rather than wrong points
    y: r.values.map((v) => (logY && !(v > 0) ? null : Number.isFinite(v) ? v : null)),
    line: { color: colour(i), width: 2 }, marker: { color: colour(i), size: 5 },
    hovertemplate: `${esc(r.name)}<br>${esc(xLabel)} %{x}: %{y:.4g}<extra></extra>`,
  }));
  return {
    data,
    layout: lessonLayout(title, {
      xaxis: axis({ title: { text: esc(xLabel) }, tickmode: 'linear', tick0: 1, dtick: n > 30 ? 5 : 1, range: [0.5, n + 0.5] }),
      yaxis: axis({ title: { text: yLabel }, ...(logY ? { type: 'log', exponentformat: 'power' } : {}) }),
    }),
  };
}

/** Picks the layers printed in the text fallback: 1, a few in between, N. */
function sampleLayers(n: number): number[] {
  const step = Math.max(1, Math.ceil(n / 6));
  const ks = new Set<number>([1]);
  for (let k = step; k < n; k += step) ks.add(k);
  ks.add(n);
  return [...ks].sort((a, b) => a - b);
}

/**
 * show.depth({'too small': net1, Xavier: net2}, x): the σ of each activation layer's output, layer by layer
 * (labelled 1…N), one line per network. Values may also be given directly: {He: [1.0, 0.98, ...]}.
 */
export function depth(runs: Record<string, Module | number[]>, input?: Tensor | DepthOptions, options?: DepthOptions, ...rest: unknown[]): Figure<PlotlyFigure> {
  noMoreArgs('show.depth', 3, rest);
  if (input !== undefined && !(input instanceof Tensor)) {
    if (options !== undefined) throw new Error('show.depth: takes (runs, options) or (runs, input, options); the second argument is not a Tensor');
    [options, input] = [input, undefined];
  }
  const o = checkOptions('show.depth', options, DEPTH_KEYS);
  const s = o.stat ?? 'std';
  if (!(s in STAT_LABEL)) throw new Error(`show.depth: stat must be one of ${Object.keys(STAT_LABEL).join(', ')}, got '${s}'`);
  if (o.layers !== undefined && o.layers !== 'activations' && o.layers !== 'all') throw new Error(`show.depth: layers must be 'activations' or 'all', got '${o.layers}'`);
  if (!runs || typeof runs !== 'object' || !Object.keys(runs).length) throw new Error('show.depth: pass an object of named models or value lists');
  const rows = Object.entries(runs).map(([name, r]) => {
    if (r instanceof Module) {
      if (!(input instanceof Tensor)) throw new Error(`show.depth: '${name}' is a model, so pass the input batch: show.depth(runs, x)`);
      return { name, values: layerStats(name, r, input, s, o.layers ?? 'activations') };
    }
    if (!Array.isArray(r) || !r.every((v) => typeof v === 'number')) throw new Error(`show.depth: '${name}' must be a Module or a list of numbers`);
    return { name, values: r };
  });
  const yLabel = `${STAT_LABEL[s]} of the layer's output`;
  const title = o.title ?? `${STAT_LABEL[s]} of the activations vs depth`;
  const xLabel = o.xLabel ?? 'layer';
  const text = rows.map((r) => `${r.name}: ` + sampleLayers(r.values.length).map((k) => `${xLabel} ${k} ${fmt(r.values[k - 1])}`).join(', '));
  return new Figure(MIME.plotly, depthFigure(title, yLabel, rows, !!o.logY, xLabel), `${title}\n${text.join('\n')}`);
}

// ---------- show.histograms ----------

export interface HistogramsOptions {
  title?: string;
  kind?: 'activations' | 'gradients' | 'weights';
}
const HIST_KEYS = ['title', 'kind'] as const;

/** show.histograms({'layer 1': a1, 'layer 5': a5}): one histogram panel per tensor, titled with its name. */
export function histograms(entries: Record<string, Tensor> | Array<[string, Tensor]>, options?: HistogramsOptions, ...rest: unknown[]) {
  noMoreArgs('show.histograms', 2, rest);
  const o = checkOptions('show.histograms', options, HIST_KEYS);
  const list = Array.isArray(entries) ? entries : Object.entries(entries ?? {});
  if (!list.length) throw new Error('show.histograms: pass named tensors, e.g. {"layer 1": a1}');
  for (const [k, t] of list) if (!(t instanceof Tensor)) throw new Error(`show.histograms: '${k}' is not a Tensor`);
  const kind = o.kind ?? 'activations';
  if (!['activations', 'gradients', 'weights'].includes(kind)) throw new Error(`show.histograms: kind must be 'activations', 'gradients' or 'weights', got '${kind}'`);
  return distributions(kind, list, o.title);
}

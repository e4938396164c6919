/**
 * image/svg+xml fallbacks of charts, rendered in the executor without a browser by Apache ECharts' server-side
 * SVG renderer (synchronous, no DOM; see docs/portable-notebooks.md for why ECharts over Vega). Every chart goes
 * through one door: a Plotly figure ({data, layout}) — our own payloads via toPlotlyFigure, other views (and
 * the gallery's) as the Plotly JSON they emit — translated to an ECharts option here. Handles scatter/line, bar,
 * heatmap/contour (drawn as a heatmap), histogram, subplot grids (layout.grid or axis domains), a right-hand
 * overlaying y axis, log axes and horizontal reference lines.
 */
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, MarkPointComponent, TitleComponent, VisualMapComponent, GraphicComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { VIRIDIS } from '../../protocol/colormap';
import { DEFAULT_THEME, type PlotlyFigure } from '../../protocol/plotly';
import { limitPanels } from './panels';
import { axisKey, type Obj, dataLabels, logBars, mostCommon, noteFor, plainText, powerLabel, rescaleTiny, showSymbols } from './axes';

export { plainText };

echarts.use([BarChart, HeatmapChart, LineChart, ScatterChart, GridComponent, LegendComponent, MarkLineComponent, MarkPointComponent,
  TitleComponent, VisualMapComponent, GraphicComponent, SVGRenderer]);


/** Detail of the static chart; plotlyToSvg steps down these levels until the SVG fits its budget. */
export interface Detail {
  /** Points per curve. */
  points: number;
  /** Heatmap cells per side. */
  cells: number;
}

export const DETAIL: Detail[] = [{ points: 600, cells: 60 }, { points: 400, cells: 40 }, { points: 250, cells: 24 }, { points: 150, cells: 14 }];

let detail: Detail = DETAIL[0];

/** Every k-th point so a long curve costs at most `detail.points` path segments (the last point is kept). */
function thin<T>(xs: T[]): T[] {
  if (xs.length <= detail.points) return xs;
  const k = Math.ceil(xs.length / detail.points);
  const out = xs.filter((_, i) => i % k === 0);
  if ((xs.length - 1) % k !== 0) out.push(xs[xs.length - 1]);
  return out;
}


interface Panel {
  x: string;
  y: string;
  /** [left, top, width, height] as fractions of the plot area. */
  box: [number, number, number, number];
}

/** Where each x/y axis pair sits: layout.grid rows×columns, explicit axis domains, or one full panel. */
function panelOf(layout: Obj, xk: string, yk: string): Panel['box'] {
  const xa = layout[xk] ?? {};
  const ya = layout[yk] ?? {};
  const grid = layout.grid as Obj | undefined;
  const n = xk === 'xaxis' ? 1 : Number(xk.slice(5));
  if (grid && grid.rows && grid.columns && !xa.domain) {
    const r = Math.floor((n - 1) / grid.columns);
    const c = (n - 1) % grid.columns;
    const gx = grid.xgap ?? 0.1;
    const gy = grid.ygap ?? 0.3;
    const w = 1 / grid.columns;
    const h = 1 / grid.rows;
    return [c * w + (w * gx) / 2, r * h + (h * gy) / 2, w * (1 - gx), h * (1 - gy)];
  }
  const [x0, x1] = Array.isArray(xa.domain) ? xa.domain : [0, 1];
  const [y0, y1] = Array.isArray(ya.domain) ? ya.domain : [0, 1];
  return [x0, 1 - y1, x1 - x0, y1 - y0];
}

/** Plotly colorscale (name or [[t, colour]]) → colour list for ECharts' visualMap. */
function colours(scale: unknown): string[] {
  if (Array.isArray(scale) && scale.every((s) => Array.isArray(s))) return scale.map((s) => String(s[1]));
  if (scale === 'RdBu' || scale === 'RdBu_r') return ['#3b4cc0', '#dddddd', '#b40426'];
  if (scale === 'Greys' || scale === 'gray') return ['#000000', '#ffffff'];
  return VIRIDIS;
}

/** Averages a z grid down to at most `detail.cells` per side, keeping the axis labels that remain. */
function shrinkGrid(z: Array<Array<number | null>>, xs: unknown[], ys: unknown[]) {
  const rows = z.length;
  const cols = Math.max(0, ...z.map((r) => r.length));
  const fy = Math.max(1, Math.ceil(rows / detail.cells));
  const fx = Math.max(1, Math.ceil(cols / detail.cells));
  const data: Array<[number, number, number | '-']> = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r * fy < rows; r++) {
    for (let c = 0; c * fx < cols; c++) {
      let s = 0;
      let n = 0;
      for (let i = r * fy; i < Math.min(rows, (r + 1) * fy); i++) {
        for (let j = c * fx; j < Math.min(cols, (c + 1) * fx); j++) {
          const v = z[i]?.[j];
          if (v != null && Number.isFinite(v)) (s += v), n++;
        }
      }
      const v = n ? s / n : '-';
      if (typeof v === 'number') (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
      data.push([c, r, v]);
    }
  }
  const label = (arr: unknown[], f: number, n: number, i: number) => plainText(arr[i * f] ?? i * f);
  return {
    data, lo: lo === Infinity ? 0 : lo, hi: hi === -Infinity ? 1 : hi,
    xCats: Array.from({ length: Math.ceil(cols / fx) }, (_, i) => label(xs, fx, cols, i)),
    yCats: Array.from({ length: Math.ceil(rows / fy) }, (_, i) => label(ys, fy, rows, i)),
    note: fx > 1 || fy > 1 ? `averaged over ${fy}×${fx} cells` : '',
  };
}

function histogramBins(xs: number[], nb = 30): { x: number[]; y: number[]; width: number } {
  const v = xs.filter(Number.isFinite);
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  const w = hi > lo ? (hi - lo) / nb : 1;
  const y = new Array<number>(nb).fill(0);
  for (const x of v) y[Math.min(nb - 1, Math.floor((x - lo) / w))]++;
  return { x: y.map((_, i) => lo + (i + 0.5) * w), y, width: w };
}

/** The ECharts option of a Plotly figure, plus notes on what the static version simplified. */
export function toEchartsOption(fig: PlotlyFigure, width: number, height: number): { option: Obj; notes: string[] } {
  const layout: Obj = fig.layout ?? {};
  const theme = DEFAULT_THEME;
  const notes: string[] = [];
  const panels = new Map<string, number>();
  const grids: Obj[] = [];
  const xAxes: Obj[] = [];
  const yAxes: Obj[] = [];
  const series: Obj[] = [];
  const visualMaps: Obj[] = [];
  const title = plainText(layout.title);
  // the legend gets its own rows above the plots, as many as its entries need at this width
  const legendNames = [...new Set(fig.data.filter((t: Obj) => t.showlegend !== false && !/heatmap|contour|histogram2d/.test(String(t.type)))
    .map((t: Obj, i) => plainText(t.name) || `trace ${i}`))];
  const legendRows = layout.showlegend === false || legendNames.length < 2 ? 0
    : Math.ceil(legendNames.reduce((a, n) => a + n.length * 7 + 34, 0) / (width - 16));
  const top = (title ? 34 : 12) + legendRows * 20 + 16;
  const rotated = Object.keys(layout).some((k) => k.startsWith('xaxis') && layout[k]?.tickangle);
  const [L, R, B] = [64, 64, rotated ? 120 : 48];
  const axisOf = (ak: string, type: 'x' | 'y', gridIndex: number, category?: string[]): number => {
    const a: Obj = layout[ak] ?? {};
    const log = a.type === 'log';
    const spec: Obj = { gridIndex, name: plainText(a.title), nameLocation: 'middle', nameGap: type === 'x' ? (a.tickangle ? 100 : 28) : 44,
      type: category ? 'category' : log ? 'log' : 'value', scale: !log && !category, axisLine: { lineStyle: { color: '#888' } },
      splitLine: { lineStyle: { color: '#e4e4e4' } }, axisLabel: { color: theme.fg, fontSize: 10, hideOverlap: true } };
    if (category) spec.data = category;
    if (type === 'x' && a.tickangle) Object.assign(spec.axisLabel, { rotate: -a.tickangle, interval: 0, hideOverlap: false });
    if (a.autorange === 'reversed') spec.inverse = true;
    if (log) {
      spec.axisLabel.formatter = powerLabel;
      if (Array.isArray(a.range)) [spec.min, spec.max] = [10 ** Math.floor(a.range[0]), 10 ** Math.ceil(a.range[1])];
    }
    if (type === 'y' && a.overlaying) (spec.position = 'right'), (spec.splitLine = { show: false });
    const list = type === 'x' ? xAxes : yAxes;
    list.push(spec);
    return list.length - 1;
  };
  const gridFor = (xk: string, yk: string): number => {
    const ya: Obj = layout[yk] ?? {};
    const base = ya.overlaying ? axisKey(ya.overlaying, 'y') : yk;
    const key = `${xk}|${base}`;
    let g = panels.get(key);
    if (g === undefined) {
      const [x0, y0, w, h] = panelOf(layout, xk, base);
      const pw = width - L - R;
      const ph = height - top - B;
      grids.push({ left: L + x0 * pw, top: top + y0 * ph, width: w * pw, height: h * ph, containLabel: false });
      panels.set(key, (g = grids.length - 1));
    }
    return g;
  };
  const made = new Map<string, number>();
  const axisIndex = (ak: string, type: 'x' | 'y', grid: number, category?: string[]) => {
    const k = `${ak}|${grid}|${category ? 'c' : 'v'}`;
    if (!made.has(k)) made.set(k, axisOf(ak, type, grid, category));
    return made.get(k)!;
  };
  fig.data.forEach((t: Obj, i) => {
    const xk = axisKey(t.xaxis, 'x');
    const yk = axisKey(t.yaxis, 'y');
    const grid = gridFor(xk, yk);
    const colour = (t.marker?.color && typeof t.marker.color === 'string' ? t.marker.color : undefined) ?? t.line?.color ?? theme.series[i % theme.series.length];
    const name = plainText(t.name) || `trace ${i}`;
    if (t.type === 'heatmap' || t.type === 'contour' || t.type === 'histogram2d') {
      const z: Array<Array<number | null>> = t.z ?? [];
      const g = shrinkGrid(z, t.x ?? [], t.y ?? []);
      if (g.note) notes.push(`${name}: ${g.note}`);
      if (t.type === 'contour') notes.push(`${name}: contour drawn as a heatmap`);
      // numeric x/y (a function's landscape under trajectories): value axes shared with the other traces, cells as
      // square markers; otherwise (names of layers, steps) category axes as ECharts' heatmap needs
      const numeric = [t.x, t.y].every((a) => Array.isArray(a) && a.length > 1 && a.every((v: unknown) => typeof v === 'number'));
      const xi = axisIndex(xk, 'x', grid, numeric ? undefined : g.xCats);
      const yi = axisIndex(yk, 'y', grid, numeric ? undefined : g.yCats);
      visualMaps.push({ type: 'continuous', seriesIndex: series.length, dimension: 2, min: g.lo, max: g.hi, calculable: false,
        inRange: { color: colours(t.colorscale) }, orient: 'vertical', right: 4, top: 'middle', itemHeight: Math.min(160, height / 2),
        text: [`${Number(g.hi.toPrecision(3))}${t.colorbar?.title ? `  ${plainText(t.colorbar.title)}` : ''}`, String(Number(g.lo.toPrecision(3)))], textStyle: { fontSize: 10, color: theme.fg } });
      if (numeric) {
        const gr = grids[grid];
        const at = (a: number[], f: number, i: number) => a[Math.min(a.length - 1, Math.round((i + 0.5) * f - 0.5))];
        const [fx, fy] = [t.x.length / g.xCats.length, t.y.length / g.yCats.length];
        const data = g.data.filter((d) => d[2] !== '-').map(([c, r, v]) => [at(t.x, fx, c), at(t.y, fy, r), v]);
        const [x0, x1, y0, y1] = [t.x[0], t.x[t.x.length - 1], t.y[0], t.y[t.y.length - 1]];
        Object.assign(xAxes[xi], { min: Math.min(x0, x1), max: Math.max(x0, x1), scale: true });
        Object.assign(yAxes[yi], { min: Math.min(y0, y1), max: Math.max(y0, y1), scale: true });
        series.push({ type: 'scatter', name, xAxisIndex: xi, yAxisIndex: yi, data, symbol: 'rect', silent: true, z: 0,
          symbolSize: [Math.ceil(gr.width / g.xCats.length) + 1, Math.ceil(gr.height / g.yCats.length) + 1], legendHidden: true });
      } else series.push({ type: 'heatmap', name, xAxisIndex: xi, yAxisIndex: yi, data: g.data, progressive: 0 });
      return;
    }
    let xs: unknown[] = t.x ?? (t.y ?? []).map((_: unknown, j: number) => j);
    let ys: unknown[] = t.y ?? [];
    let barWidth: number | undefined;
    let kind = t.type === 'bar' ? 'bar' : 'line';
    if (t.type === 'histogram') {
      const h = histogramBins((t.x ?? []) as number[]);
      [xs, ys, barWidth, kind] = [h.x, h.y, h.width, 'bar'];
    }
    const categorical = xs.some((x) => typeof x === 'string');
    const xi = axisIndex(xk, 'x', grid, categorical ? xs.map(plainText) : undefined);
    const yi = axisIndex(yk, 'y', grid);
    const pts = thin(xs.map((x, j) => [categorical ? j : x, ys[j] ?? null]));
    if (pts.length < xs.length) notes.push(`${name}: every ${Math.ceil(xs.length / detail.points)}th point drawn`);
    const mode = String(t.mode ?? (kind === 'line' ? 'lines' : ''));
    const s: Obj = { type: kind === 'bar' ? 'bar' : mode.includes('lines') || !mode ? 'line' : 'scatter', name, xAxisIndex: xi, yAxisIndex: yi,
      data: pts, itemStyle: { color: colour, opacity: t.marker?.opacity ?? t.opacity ?? 1 }, lineStyle: { color: colour, width: t.line?.width ?? 2 },
      showSymbol: showSymbols(mode, pts.length), symbolSize: 5, animation: false };
    if (kind === 'bar' && (yAxes[yi].type === 'log' || yAxes[yi].logFloor !== undefined)) logBars(s, yAxes[yi], pts);
    if (Array.isArray(t.marker?.color)) {
      s.data = (s.data as unknown[]).map((p, j) => ({ value: p, itemStyle: { color: t.marker.color[j] } }));
      s.itemStyle.color = mostCommon(t.marker.color as string[]); // the legend's swatch
    }
    if (kind === 'bar') {
      yAxes[yi].scale = false; // bars start at zero, as Plotly draws them
      s.barGap = layout.barmode === 'overlay' ? '-100%' : '10%';
      if (barWidth !== undefined || Array.isArray(t.width)) (s.barCategoryGap = '0%'), (xAxes[xi].type = categorical ? 'category' : 'value');
    }
    if (t.showlegend === false) s.legendHidden = true;
    series.push(s);
  });
  // horizontal reference lines (shapes spanning the paper's width) as mark lines on the first series of their axis
  for (const sh of (layout.shapes ?? []) as Obj[]) {
    if (sh.type !== 'line' || sh.y0 !== sh.y1 || !series.length) continue;
    const target = series.find((s) => s.type !== 'heatmap');
    if (!target) continue;
    (target.markLine ??= { symbol: 'none', silent: true, label: { fontSize: 10, position: 'insideEndTop' }, data: [] }).data.push(
      { yAxis: yAxes[target.yAxisIndex]?.logFloor !== undefined ? Math.log10(sh.y0) - yAxes[target.yAxisIndex].logFloor : sh.y0, lineStyle: { type: 'dashed', color: sh.line?.color ?? '#888' }, label: { formatter: noteFor(layout, sh) } });
  }
  const named = series.filter((s) => s.type !== 'heatmap' && !s.legendHidden);
  const showLegend = layout.showlegend !== false && named.length > 1;
  series.forEach((s) => delete s.legendHidden);
  const option: Obj = {
    animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: 'DejaVu Sans, Helvetica, Arial, sans-serif', color: theme.fg },
    title: title ? { text: title, left: 8, top: 6, textStyle: { fontSize: 14, fontWeight: 'normal' } } : undefined,
    legend: showLegend ? { top: title ? 30 : 8, left: 8, right: 8, itemGap: 24, textStyle: { fontSize: 11 }, itemHeight: 8, data: legendNames } : undefined,
    grid: grids, xAxis: xAxes, yAxis: yAxes, series, visualMap: visualMaps.length ? visualMaps : undefined,
  };
  dataLabels(layout, fig, series, yAxes);
  rescaleTiny(xAxes, 'xAxisIndex', 0, series);
  rescaleTiny(yAxes, 'yAxisIndex', 1, series);
  // subplot titles (annotations anchored to an axis domain), e.g. the per-layer histograms' names
  const texts = ((layout.annotations ?? []) as Obj[]).filter((a) => typeof a.xref === 'string' && a.xref.endsWith(' domain'));
  if (texts.length) {
    option.graphic = texts.map((a) => {
      const xk = axisKey(a.xref.split(' ')[0], 'x');
      const yk = axisKey(String(a.yref).split(' ')[0], 'y');
      const g = grids[panels.get(`${xk}|${yk}`) ?? 0];
      const text = plainText(a.text);
      const fit = Math.max(4, Math.floor((g.width + 40) / 6.2));
      return { type: 'text', left: g.left - 30, top: g.top - 16, style: { text: text.length > fit ? `${text.slice(0, fit - 1)}…` : text, fontSize: 10, fill: theme.fg } };
    });
  }
  return { option, notes };
}

export interface SvgChart {
  svg: string;
  notes: string[];
}

/**
 * Renders a Plotly figure as a standalone SVG string (no DOM, no browser), stepping down the DETAIL levels (fewer
 * points per curve, coarser heatmaps) until it is at most `maxChars` long (the last level is kept regardless).
 */
export function plotlyToSvg(full: PlotlyFigure, opts: { width?: number; height?: number; maxChars?: number } = {}): SvgChart {
  const { fig, note } = limitPanels({ data: full.data, layout: full.layout ?? {} });
  const layout: Obj = fig.layout;
  const wide = (layout.grid?.columns ?? 1) >= 3;
  const width = opts.width ?? Math.min(960, Math.max(480, Number(layout.width) || (wide ? 960 : 720)));
  const height = opts.height ?? Math.min(1400, Math.max(260, Number(layout.height) || 360));
  let out: SvgChart = { svg: '', notes: [] };
  for (const level of DETAIL) {
    detail = level;
    try {
      const { option, notes } = toEchartsOption(fig, width, height);
      out = { svg: render(option, width, height), notes: note ? [note, ...notes] : notes };
    } finally {
      detail = DETAIL[0];
    }
    if (out.svg.length <= (opts.maxChars ?? Infinity)) break;
  }
  return out;
}

function render(option: Obj, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    // ECharts tags every element with hit-testing metadata for its own runtime: not needed in a static image
    return chart.renderToSVGString().replace(/ ecmeta_[a-z_]+="[^"]*"/g, '').replace(/\n/g, '');
  } finally {
    chart.dispose();
  }
}

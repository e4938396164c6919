/**
 * Axis and label helpers of the chart fallbacks (charts.ts): Plotly text to plain text, log axes for bars,
 * labels placed in data coordinates, axes rescaled near the float limits.
 */
import type { PlotlyFigure } from '../../protocol/plotly';

/** Plotly and ECharts JSON: loosely shaped by nature, read defensively. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one loose JSON type of the chart fallbacks
export type Obj = Record<string, any>;

/** Plotly text may carry a subset of HTML (our own builders escape with &amp; etc.): plain text for SVG. */
export function plainText(s: unknown): string {
  if (s == null) return '';
  return String(typeof s === 'object' ? (s as Obj).text ?? '' : s).replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}


export const axisKey = (ref: unknown, letter: 'x' | 'y') => (typeof ref === 'string' && ref.length > 1 ? `${letter}axis${ref.slice(1)}` : `${letter}axis`);

/**
 * Annotations placed in data coordinates (e.g. "dead", "vanishing" over a gradient-flow bar) as label-only
 * points of the first series on the same axes. Plotly gives y of a log axis as log10(value).
 */
export function dataLabels(layout: Obj, fig: PlotlyFigure, series: Obj[], yAxes: Obj[]): void {
  for (const a of (layout.annotations ?? []) as Obj[]) {
    const inData = (r: unknown) => r === undefined || /^[xy]\d*$/.test(String(r));
    if (!inData(a.xref) || !inData(a.yref) || a.text == null) continue;
    const xk = String(a.xref ?? 'x');
    const yk = String(a.yref ?? 'y');
    const host = series.find((s, i) => s.type !== 'heatmap' && String(fig.data[i]?.xaxis ?? 'x') === xk && String(fig.data[i]?.yaxis ?? 'y') === yk);
    if (!host) continue;
    const axis = yAxes[host.yAxisIndex];
    const logKey = axisKey(yk, 'y');
    const y = axis.logFloor !== undefined ? a.y - axis.logFloor : layout[logKey]?.type === 'log' ? 10 ** a.y : a.y;
    const x = typeof a.x === 'string' ? plainText(a.x) : a.x;
    (host.markPoint ??= { symbol: 'circle', symbolSize: 0, silent: true, data: [] }).data.push({
      coord: [x, y], label: { show: true, position: 'top', formatter: plainText(a.text), fontSize: 11, color: a.font?.color ?? '#444' },
    });
  }
}

/**
 * ECharts cannot find ticks for extents near the float limits (e.g. activations of 1e-25 after 50 tanh layers):
 * such a value axis is scaled by a power of ten and says so in its name ("… ×10⁻²⁴").
 */
export function rescaleTiny(axes: Obj[], key: string, coord: 0 | 1, series: Obj[]): void {
  axes.forEach((axis, i) => {
    if (axis.type !== 'value' || axis.logFloor !== undefined) return;
    const mine = series.filter((s) => (s[key] ?? 0) === i && s.type !== 'heatmap');
    const point = (d: unknown): unknown[] => (Array.isArray(d) ? d : ((d as Obj | null)?.value as unknown[] | undefined) ?? []);
    let m = 0;
    for (const s of mine) for (const d of s.data) { const v = point(d)?.[coord]; if (typeof v === 'number' && Number.isFinite(v)) m = Math.max(m, Math.abs(v)); }
    if (!(m > 0) || (m >= 1e-8 && m < 1e12)) return;
    const e = Math.floor(Math.log10(m));
    const f = 10 ** -e;
    for (const s of mine) {
      s.data = s.data.map((d: unknown) => {
        const p = [...point(d)];
        const v = p[coord];
        if (typeof v === 'number') p[coord] = v * f;
        return Array.isArray(d) ? p : { ...(d as Obj), value: p };
      });
    }
    axis.name = `${axis.name ? `${axis.name} ` : ''}×${powerLabel(10 ** e)}`;
    if (coord === 1) axis.nameLocation = 'end';
  });
}

export function mostCommon(xs: string[]): string {
  const n = new Map<string, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '#888';
}

/** Markers on every point of a long curve cost one SVG path each: only on short ones (or lone points). */
export const showSymbols = (mode: string, n: number) => (mode.includes('markers') && n <= 80) || n < 2;

/** 1e-6 → "10⁻⁶"; plain numbers between 0.01 and 1000. */
export function powerLabel(v: number): string {
  if (!(v > 0)) return String(v);
  const k = Math.round(Math.log10(v));
  if (Math.abs(Math.log10(v) - k) > 1e-6) return '';
  if (k >= -2 && k <= 3) return String(10 ** k).replace(/(\.\d*?)0+$/, '$1');
  const sup: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
  return `10${String(k).replace(/./g, (c) => sup[c] ?? c)}`;
}

/**
 * ECharts grows bars on a log axis from 1, so tiny gradients would hang down from the top: the axis becomes a
 * linear axis of log10 values shifted to start at the floor, labelled as powers of ten.
 */
export function logBars(s: Obj, axis: Obj, pts: unknown[][]): void {
  const logs = pts.map((p) => (typeof p[1] === 'number' && p[1] > 0 ? Math.log10(p[1]) : null));
  if (axis.logFloor !== undefined) {
    s.data = pts.map((p, j) => [p[0], logs[j] === null ? null : logs[j]! - axis.logFloor]);
    return;
  }
  const finite = logs.filter((v): v is number => v !== null);
  const lo = axis.min ? Math.log10(axis.min) : Math.floor(Math.min(...finite));
  const hi = axis.max ? Math.log10(axis.max) : Math.ceil(Math.max(...finite));
  Object.assign(axis, { type: 'value', scale: false, min: 0, max: hi - lo, interval: 1,
    axisLabel: { ...axis.axisLabel, formatter: (v: number) => powerLabel(10 ** (v + lo)) } });
  s.data = pts.map((p, j) => [p[0], logs[j] === null ? null : logs[j]! - lo]);
  axis.logFloor = lo;
}

export function noteFor(layout: Obj, sh: Obj): string {
  const ann = ((layout.annotations ?? []) as Obj[]).find((a) => a.y === Math.log10(sh.y0) || a.y === sh.y0);
  return ann ? plainText(ann.text) : String(sh.y0);
}



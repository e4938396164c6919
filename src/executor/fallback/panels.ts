/**
 * Small multiples with many panels (a histogram per layer of a 60-layer net) make an SVG of megabytes: the static
 * image keeps at most MAX_PANELS evenly spaced panels, re-laid on a smaller grid, and says which it kept.
 */
import type { PlotlyFigure } from '../../protocol/plotly';
import type { Obj } from './axes';


export const MAX_PANELS = 12;

const num = (ref: unknown) => (typeof ref === 'string' && ref.length > 1 ? Number(ref.slice(1)) : 1);
const ref = (letter: 'x' | 'y', k: number) => (k === 1 ? letter : `${letter}${k}`);
const key = (letter: 'x' | 'y', k: number) => (k === 1 ? `${letter}axis` : `${letter}axis${k}`);

/** The figure with at most `max` subplot panels (one per x axis), or the same figure when it has fewer. */
export function limitPanels(fig: PlotlyFigure, max = MAX_PANELS): { fig: PlotlyFigure; note: string | null } {
  const panels = [...new Set(fig.data.map((t: Obj) => num(t.xaxis)))];
  if (panels.length <= max) return { fig, note: null };
  const kept = Array.from({ length: max }, (_, i) => panels[Math.round((i * (panels.length - 1)) / (max - 1))]);
  const renumber = new Map(kept.map((old, i) => [old, i + 1]));
  const layout: Obj = { ...fig.layout };
  for (const k of Object.keys(layout)) if (/^[xy]axis\d*$/.test(k)) delete layout[k];
  for (const [old, k] of renumber) {
    layout[key('x', k)] = fig.layout[key('x', old)];
    layout[key('y', k)] = fig.layout[key('y', old)];
  }
  const data = fig.data.filter((t: Obj) => renumber.has(num(t.xaxis))).map((t: Obj) => ({
    ...t, xaxis: ref('x', renumber.get(num(t.xaxis))!), yaxis: ref('y', renumber.get(num(t.yaxis)) ?? renumber.get(num(t.xaxis))!),
  }));
  const grid = fig.layout.grid as Obj | undefined;
  if (grid?.columns) {
    const rows = Math.ceil(max / grid.columns);
    layout.grid = { ...grid, rows };
    if (typeof fig.layout.height === 'number' && grid.rows) layout.height = Math.round(70 + ((fig.layout.height - 70) * rows) / grid.rows);
  }
  layout.annotations = ((fig.layout.annotations ?? []) as Obj[]).flatMap((a) => {
    const m = /^x(\d*) domain$/.exec(String(a.xref ?? ''));
    if (!m) return [a];
    const k = renumber.get(m[1] ? Number(m[1]) : 1);
    return k ? [{ ...a, xref: `${ref('x', k)} domain`, yref: `${ref('y', k)} domain` }] : [];
  });
  return { fig: { data, layout }, note: `${max} of ${panels.length} panels drawn (evenly spaced)` };
}

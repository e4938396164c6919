// Lazy Plotly: the first chart loads plotly.js-dist-min as a separate chunk (or uses a page-global Plotly, as in
// the standalone HTML report). Charts are redrawn in place with Plotly.react on the same element.
import { errorBox, h } from './dom';
import { readChartTheme } from './theme';
import type { ChartTheme, PlotlyFigure } from '../src/protocol/plotly';
import type { View } from './view';

export interface PlotlyLike {
  react(el: HTMLElement, data: unknown[], layout: unknown, config?: unknown): Promise<unknown>;
  purge(el: HTMLElement): void;
}

let pending: Promise<PlotlyLike> | null = null;

export function loadPlotly(): Promise<PlotlyLike> {
  const global = (globalThis as { Plotly?: PlotlyLike }).Plotly;
  if (global?.react) return Promise.resolve(global);
  pending ??= import('plotly.js-dist-min').then((m: { default?: PlotlyLike }) => m.default ?? (m as PlotlyLike));
  return pending;
}

const CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['select2d', 'lasso2d'] };

/**
 * A chart whose figure is rebuilt from each payload and drawn with Plotly.react into one persistent <div>.
 * `extra` (optional) is DOM below the chart that is refreshed from the same payload.
 */
export function plotView<P>(
  root: HTMLElement,
  payload: P,
  build: (payload: P, theme: ChartTheme) => PlotlyFigure,
  extra?: (payload: P, theme: ChartTheme) => HTMLElement | null,
  describe?: (payload: P) => string,
): View {
  const plot = h('div', { class: 'lw-plot', role: 'figure' }, h('div', { class: 'lw-plot-loading' }, 'Loading chart…'));
  const below = h('div', {});
  root.append(plot, below);
  let last = payload;
  let disposed = false;
  let chain: Promise<unknown> = Promise.resolve();
  const draw = () => {
    const p = last;
    chain = chain.then(async () => {
      if (disposed) return;
      const theme = readChartTheme(root);
      if (describe) plot.setAttribute('aria-label', describe(p));
      const fig = build(p, theme);
      const Plotly = await loadPlotly();
      if (disposed) return;
      plot.querySelectorAll(':scope > .lw-plot-loading, :scope > .lw-error').forEach((e) => e.remove());
      await Plotly.react(plot, fig.data, fig.layout, CONFIG);
      below.replaceChildren(...[extra?.(p, theme)].filter((x): x is HTMLElement => !!x));
      plot.dataset.rendered = String(Number(plot.dataset.rendered ?? 0) + 1);
    }).catch((err: unknown) => {
      plot.replaceChildren(errorBox(`chart failed: ${err instanceof Error ? err.message : String(err)}`));
    });
  };
  draw();
  return {
    update(p) { last = p as P; draw(); }, // a payload of the same MIME type, validated by the dispatcher
    retheme: draw,
    dispose() {
      disposed = true;
      void loadPlotly().then((P) => P.purge(plot)).catch(() => undefined);
    },
  };
}

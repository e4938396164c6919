/**
 * The `show` namespace: figures of the user's own tensors and models, drawn inline by the Layerwise renderers
 * (every figure also carries a text/plain fallback so a saved notebook reads anywhere).
 */
import { Tensor } from '../tensor';
import type { Module } from '../nn/module';
import { MIME, PROTOCOL_VERSION } from '../../protocol';
import type { LivePayload } from '../../protocol/figures';
import { Figure, LiveFigure } from './figure';
import { featureMaps, weights } from './maps';
import { activations, gradFlow as gradFlowFn, gradients, GradFlowWatch } from './grads';
import { tensorDisplay } from '../display';
import { graph } from './graph';
import { curves, depth, histograms } from './curves';
import { trajectory } from './trajectory';
import { checkOptions, noMoreArgs } from './options';

export { Figure, LiveFigure, GradFlowWatch };

type Series = { name: string; x: number[]; y: number[]; axis?: 'y' | 'y2' };
/** Options of show.live: title, x/y axis titles, log-scale y axis. */
export interface LiveOptions { title?: string; xLabel?: string; yLabel?: string; logY?: boolean }

/** Curves redrawn in place while the cell runs (throttled); the final figure stays in the saved notebook. */
export class LiveChart extends LiveFigure<LivePayload> {
  private readonly series = new Map<string, Series>();
  constructor(names: string[] | Record<string, { axis?: 'y' | 'y2' }>, opts: LiveOptions = {}) {
    super(MIME.live, { v: PROTOCOL_VERSION, title: opts.title ?? 'Training', series: [], xLabel: opts.xLabel ?? 'step', finished: false,
      ...(opts.logY ? { logY: true } : {}), ...(opts.yLabel != null ? { yLabel: opts.yLabel } : {}) }, 'no points yet');
    checkOptions('show.live', opts, ['title', 'xLabel', 'yLabel', 'logY']);
    const entries = Array.isArray(names) ? names.map((n) => [n, {}] as const) : Object.entries(names);
    for (const [n, o] of entries) this.series.set(n, { name: n, x: [], y: [], axis: (o as { axis?: 'y' | 'y2' }).axis });
    this.show();
  }

  /** Adds one point per named value, e.g. chart.push(step, {loss: 0.3, acc: 0.91}). */
  push(step: number, values: Record<string, number | Tensor>): this {
    for (const [k, raw] of Object.entries(values)) {
      const v = raw instanceof Tensor ? raw.item() : raw;
      let s = this.series.get(k);
      if (!s) this.series.set(k, (s = { name: k, x: [], y: [] }));
      s.x.push(step);
      s.y.push(v);
    }
    this.redraw(false);
    return this;
  }

  private redraw(force: boolean, finished = false): void {
    const series = [...this.series.values()].map((s) => ({ ...s, x: [...s.x], y: [...s.y] }));
    const last = series.map((s) => `${s.name}=${s.y.length ? s.y[s.y.length - 1].toPrecision(4) : '–'}`).join(', ');
    this.update({ ...this.payload, series, finished }, `${this.payload.title}: ${last} (${series[0]?.x.length ?? 0} points)`, force);
  }

  /** Marks the chart finished and sends the final state. */
  done(): this {
    this.redraw(true, true);
    return this;
  }
}

/** gradFlow(model) draws once; gradFlow.watch(model, {every}) records a live layers × steps heatmap. */
const gradFlow = Object.assign(gradFlowFn, {
  watch: (model: Module, opts: { every?: number; maxSteps?: number } = {}, ...rest: unknown[]): GradFlowWatch => {
    noMoreArgs('show.gradFlow.watch', 2, rest);
    checkOptions('show.gradFlow.watch', opts, ['every', 'maxSteps']);
    return new GradFlowWatch(model, opts.every ?? 1, opts.maxSteps).show();
  },
});

/** show.tensor(t): stats plus heatmap / image / table as fits the shape. */
function tensorFigure(t: Tensor, ...rest: unknown[]): Figure {
  noMoreArgs('show.tensor', 1, rest);
  const b = tensorDisplay(t);
  return new Figure(MIME.tensor, b[MIME.tensor], String(b[MIME.text]));
}

export const show = {
  featureMaps,
  weights,
  gradFlow,
  activations,
  gradients,
  tensor: tensorFigure,
  graph,
  live: (names: string[] | Record<string, { axis?: 'y' | 'y2' }>, opts?: LiveOptions, ...rest: unknown[]): LiveChart => {
    noMoreArgs('show.live', 2, rest);
    return new LiveChart(names, opts);
  },
  curves,
  depth,
  histograms,
  trajectory,
};

/**
 * Static fallbacks for every rich output, added in the executor so the CLI and VS Code write the same notebook.
 * One producer per payload kind, keyed by MIME type:
 *   image grids (feature maps, weights, tensor heatmaps/images) → image/png (grids.ts);
 *   charts (Layerwise chart payloads through toPlotlyFigure, and any Plotly JSON) → image/svg+xml (charts.ts);
 *   tables (summary, small tensors, progress) → text/html (tables.ts);
 *   the backprop stepper → image/svg+xml of the graph with values and gradients (graph.ts).
 * SVG is also wrapped in a text/html <img> (data URI), because nbconvert 6 strips inline SVG to an empty <svg>.
 * Front ends that know the Layerwise MIME types (VS Code with Layerwise) rank them first; every other one shows
 * the fallback. A bundle that already has a static image keeps it.
 */
import {
  bytesToBase64, MIME, type FeatureMapsPayload, type GraphPayload, type MimeBundle, type ProgressPayload,
  type SummaryPayload, type TensorPayload, type WeightsPayload,
} from '../../protocol';
import { toPlotlyFigure, type PlotlyFigure } from '../../protocol/plotly';
import { plotlyToSvg } from './charts';
import { graphSvg } from './graph';
import { featureMapsPng, tensorPng, weightsPng } from './grids';
import { escapeHtml, progressHtml, summaryHtml, tensorTableHtml } from './tables';

export const SVG = 'image/svg+xml';

/** Default budget of one figure's static fallback (all its static MIME types together). */
export const FALLBACK_BUDGET = 200_000;

const STATIC = [MIME.png, SVG, MIME.html, 'image/jpeg'];

/** Payloads arrive as JSON; each producer declares the payload type it reads (hence `never` here). */
type Producer = (payload: never, bundle: MimeBundle, maxBytes: number) => MimeBundle | null;

const text = (b: MimeBundle) => (typeof b[MIME.text] === 'string' ? (b[MIME.text] as string) : '');

function svgBundle(svg: string, alt: string, notes: string[] = [], withRaw = true): MimeBundle {
  const caption = notes.length ? `<div style="font:11px sans-serif;color:#666">${escapeHtml(`Static image: ${notes.join('; ')}.`)}</div>` : '';
  const img = `<img alt="${escapeHtml(alt.slice(0, 500))}" src="data:image/svg+xml;base64,${bytesToBase64(new TextEncoder().encode(svg))}">`;
  const html = { [MIME.html]: `<div>${img}${caption}</div>` };
  return withRaw ? { [SVG]: svg, ...html } : html;
}

/** Share of the budget an SVG may take when it travels twice (raw, and base64 in the <img> wrapper: 4/3 as long). */
const BOTH = 1 / (1 + 4 / 3) - 0.01;
const WRAPPED_ONLY = 3 / 4 - 0.01;

/**
 * A chart's static forms within `maxBytes` together: the raw SVG and its <img> wrapper when both fit, else only the
 * wrapper (what nbconvert, VS Code and JupyterLab show), each drawn at the finest detail that fits.
 */
function chart(fig: PlotlyFigure | null, bundle: MimeBundle, maxBytes: number): MimeBundle | null {
  if (!fig || !Array.isArray(fig.data)) return null;
  const alt = text(bundle) || 'chart';
  const both = plotlyToSvg(fig, { maxChars: Math.floor(maxBytes * BOTH) });
  if (both.svg.length <= maxBytes * BOTH) return svgBundle(both.svg, alt, both.notes);
  const one = plotlyToSvg(fig, { maxChars: Math.floor(maxBytes * WRAPPED_ONLY) });
  return svgBundle(one.svg, alt, one.notes, false);
}

const chartOf = (mime: string): Producer => (payload: unknown, bundle, max) => chart(toPlotlyFigure(mime, payload), bundle, max);

const PRODUCERS: Record<string, Producer> = {
  [MIME.featureMaps]: (p: FeatureMapsPayload, _b, max) => ({ [MIME.png]: featureMapsPng(p, max) }),
  [MIME.weights]: (p: WeightsPayload, _b, max) => ({ [MIME.png]: weightsPng(p, max) }),
  [MIME.tensor]: (p: TensorPayload, _b, max) => {
    const png = tensorPng(p, max);
    if (png) return { [MIME.png]: png };
    const html = tensorTableHtml(p);
    return html ? { [MIME.html]: html } : null;
  },
  [MIME.gradFlow]: chartOf(MIME.gradFlow),
  [MIME.gradFlowWatch]: chartOf(MIME.gradFlowWatch),
  [MIME.distributions]: chartOf(MIME.distributions),
  [MIME.live]: chartOf(MIME.live),
  [MIME.summary]: (p: SummaryPayload) => ({ [MIME.html]: summaryHtml(p) }),
  [MIME.progress]: (p: ProgressPayload, b) => ({ [MIME.html]: progressHtml(p, text(b)) }),
  [MIME.graph]: (p: GraphPayload, b, max) => {
    const svg = graphSvg(p);
    return svgBundle(svg, text(b) || 'computation graph', [], svg.length <= max * BOTH);
  },
  [MIME.plotly]: (fig: PlotlyFigure, b, max) => chart(fig, b, max),
};

/** Whether a MIME type has a fallback producer (new Layerwise views without one are covered by Plotly JSON). */
export const hasProducer = (mime: string): boolean => mime in PRODUCERS;

export interface FallbackOptions {
  /** Budget of the fallback in bytes (default FALLBACK_BUDGET). */
  maxBytes?: number;
}

/**
 * The bundle with a static fallback added when it has a rich payload and no static image yet: the producer of
 * the first rich MIME type that has one (Layerwise types before Plotly). Never throws: a failing producer is
 * reported in text/plain and the rest of the bundle is kept.
 */
export function withFallback(bundle: MimeBundle, opts: FallbackOptions = {}): MimeBundle {
  if (STATIC.some((m) => bundle[m] !== undefined)) return bundle;
  const rich = Object.keys(bundle).filter((m) => m in PRODUCERS).sort((a, b) => Number(a === MIME.plotly) - Number(b === MIME.plotly));
  for (const mime of rich) {
    try {
      const extra = PRODUCERS[mime](bundle[mime] as never, bundle, opts.maxBytes ?? FALLBACK_BUDGET);
      if (extra) return orderBundle({ ...bundle, ...extra });
    } catch (e) {
      const why = `(static image of this figure failed: ${(e as Error)?.message ?? e})`;
      return { ...bundle, [MIME.text]: text(bundle) ? `${text(bundle)}\n${why}` : why };
    }
  }
  return bundle;
}

/** Rich payloads first, then static images and HTML, text/plain last (Jupyter ignores order; readers do not). */
export function orderBundle(bundle: MimeBundle): MimeBundle {
  const rank = (m: string) => (m === MIME.text ? 3 : STATIC.includes(m) ? 2 : m === MIME.plotly ? 1 : 0);
  return Object.fromEntries(Object.entries(bundle).sort(([a], [b]) => rank(a) - rank(b)));
}

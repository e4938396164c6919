/**
 * Payload shapes of the rich Layerwise MIME types. Figure builders in the runtime (`show.*`) produce these;
 * renderers draw them. Types plus the pure helpers both sides share (grad classification, histogram binning);
 * the Plotly figure builder `toPlotlyFigure` is ./plotly.ts (pure, imports only this protocol).
 * No Node, no DOM.
 */
import type { PackedArray, PayloadBase, TensorStats } from './index';

/** application/vnd.layerwise.tensor+json */
export interface TensorPayload extends PayloadBase {
  shape: number[];
  dtype: string;
  stats: TensorStats;
  /** PyTorch-like text, also used as the text/plain fallback. */
  text: string;
  requiresGrad?: boolean;
  /** Values (float32) for a heatmap/image/table, present when the tensor is small enough (≤ 1M elements). */
  data?: PackedArray;
  /** How to draw it: 'table' for small, 'heatmap' for 2-D, 'image' for [1|3, H, W], 'stats' otherwise. */
  view: 'table' | 'heatmap' | 'image' | 'stats';
}

/** application/vnd.layerwise.progress+json — updated in place while a cell runs. */
export interface ProgressPayload extends PayloadBase {
  total: number;
  done: number;
  /** Seconds since start and estimated seconds remaining (null until it can be estimated). */
  elapsed: number;
  eta: number | null;
  /** Latest metric values, e.g. { loss: 0.31, acc: 0.92 }. */
  metrics: Record<string, number>;
  label?: string;
  finished: boolean;
}

/** One named image grid (feature maps of one layer, or one filter bank). */
export interface ImageGridLayer {
  name: string;
  /** e.g. 'Conv2d', 'ReLU' */
  type: string;
  /**
   * Feature maps: [C, H, W] (a leading batch dim of 1 is accepted). Weights: conv [O, I, kH, kW] (drawn as O
   * colour tiles when `rgb` and I = 3, else O tiles for one selectable input channel); linear [out, in].
   */
  data: PackedArray;
  /** 'sequential' (viridis, non-negative) or 'diverging' (signed, centred at 0). */
  colormap: 'sequential' | 'diverging';
  /** Per-channel min/max normalisation, or one shared range for the whole layer. */
  normalize: 'channel' | 'shared';
  rgb?: boolean;
}

/** application/vnd.layerwise.featuremaps+json */
export interface FeatureMapsPayload extends PayloadBase {
  layers: ImageGridLayer[];
  /** Index into layers shown first. */
  selected: number;
}

/** application/vnd.layerwise.weights+json */
export interface WeightsPayload extends PayloadBase {
  /** Conv filter banks (as image grids) and linear weight heatmaps; `shape` is the parameter's shape. */
  layers: Array<ImageGridLayer & { kind: 'conv' | 'linear'; shape: number[] }>;
  /** One per layer (see `histogram()`); edges.length = counts.length + 1. */
  histograms: Array<{ name: string; edges: number[]; counts: number[] }>;
}

export interface GradFlowLayer {
  name: string;
  /** null when the parameter has no gradient (JSON turns NaN into null too). */
  meanAbs: number | null;
  maxAbs: number | null;
  /** 'ok' | 'vanishing' (< 1e-6) | 'exploding' (> explodeThreshold) | 'none' (no grad) */
  status: 'ok' | 'vanishing' | 'exploding' | 'none';
}

/** application/vnd.layerwise.gradflow+json */
export interface GradFlowPayload extends PayloadBase {
  layers: GradFlowLayer[];
  vanishThreshold: number;
  explodeThreshold: number;
}

/** application/vnd.layerwise.gradflow-watch+json — layers × steps heatmap of gradient norms, live. */
export interface GradFlowWatchPayload extends PayloadBase {
  layers: string[];
  steps: number[];
  /** [layers.length, steps.length] of log10(norm) as float32; -Infinity for a zero gradient. */
  norms: PackedArray;
}

/** application/vnd.layerwise.distributions+json — small multiples, one histogram per layer. */
export interface DistributionsPayload extends PayloadBase {
  kind: 'activations' | 'gradients' | 'weights';
  layers: Array<{ name: string; edges: number[]; counts: number[]; mean: number; std: number }>;
}

/** application/vnd.layerwise.live+json — curves redrawn in place. */
export interface LivePayload extends PayloadBase {
  series: Array<{ name: string; x: number[]; y: number[]; axis?: 'y' | 'y2' }>;
  xLabel: string;
  finished: boolean;
}

/** application/vnd.layerwise.summary+json — a model summary (see runtime summary()). */
export interface SummaryPayload extends PayloadBase {
  model: string;
  rows: Array<{
    name: string;
    type: string;
    depth: number;
    inputShape: number[] | null;
    outputShape: number[] | null;
    params: number;
    trainable: number;
    macs: number;
    /** Arithmetic with numbers plugged in, e.g. "W_out = ⌊(224 − 11 + 2·2)/4⌋ + 1 = 55". */
    formulas: string[];
    warnings: string[];
  }>;
  totals: { params: number; trainable: number; nonTrainable: number; macs: number; activationBytes: number };
}

/** application/vnd.layerwise.graph+json — a recorded computation graph for the backprop stepper. */
export interface GraphPayload extends PayloadBase {
  nodes: Array<{
    id: string;
    label: string;
    op: string;
    kind: 'leaf' | 'op' | 'output';
    shape: number[];
    /** Scalar value, or a summary ("[2, 3] μ=0.1 σ=1.2"). */
    value: string;
    grad: string | null;
  }>;
  edges: Array<{ from: string; to: string }>;
  /** Reverse-mode steps (reverse topological order), then forward-mode steps when present. */
  steps: Array<{
    mode: 'forward' | 'reverse';
    node: string;
    edges: Array<{ from: string; to: string }>;
    /** The chain-rule term, e.g. "∂f/∂b += ∂f/∂c · ∂c/∂b = 1 × 1/(2√b) = 0.3373". */
    term: string;
    /** Gradient (or tangent) text of each node after this step. */
    values: Record<string, string>;
  }>;
  leaves: Array<{ id: string; label: string; grad: string }>;
}

export type GradStatus = GradFlowLayer['status'];

/** The default thresholds of the gradient-flow view. */
export const VANISH_THRESHOLD = 1e-6;
export const EXPLODE_THRESHOLD = 1e3;

/**
 * Classifies one layer's gradient: no gradient → 'none'; non-finite (NaN/Inf) or max|g| above `explode` →
 * 'exploding'; mean|g| below `vanish` (including exactly zero) → 'vanishing'; otherwise 'ok'.
 */
export function classifyGrad(
  meanAbs: number | null | undefined,
  maxAbs: number | null | undefined,
  vanish = VANISH_THRESHOLD,
  explode = EXPLODE_THRESHOLD,
): GradStatus {
  if (meanAbs == null && maxAbs == null) return 'none';
  const mean = meanAbs ?? NaN;
  const max = maxAbs ?? mean;
  if (!Number.isFinite(mean) || !Number.isFinite(max) || max > explode) return 'exploding';
  if (mean < vanish) return 'vanishing';
  return 'ok';
}

export interface Histogram {
  edges: number[];
  counts: number[];
  /** NaN and ±Inf values, which are not binned. */
  nonFinite: number;
}

/**
 * Equal-width histogram of the finite values. The last bin is closed ([lo, hi]); a constant input gets one
 * bin of width 1 centred on the value; an input with no finite value gets no bins.
 */
export function histogram(values: ArrayLike<number>, bins = 30, range?: [number, number]): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) nonFinite++;
    else if (!range) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (range) [lo, hi] = range;
  if (!(hi >= lo)) return { edges: [], counts: [], nonFinite };
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
    bins = 1;
  }
  const n = Math.max(1, Math.floor(bins));
  const width = (hi - lo) / n;
  const edges = Array.from({ length: n + 1 }, (_, i) => (i === n ? hi : lo + i * width));
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v < lo || v > hi) continue;
    counts[Math.min(n - 1, Math.floor((v - lo) / width))]++;
  }
  return { edges, counts, nonFinite };
}

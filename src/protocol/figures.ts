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
  /** Set when the layer was summarised to fit the size budget: the shape before summarising, */
  sourceShape?: number[];
  /** which indices of the first dimension (channels, output filters) were kept, */
  channels?: number[];
  /** which input channels of a filter bank were kept, */
  inputs?: number[];
  /** and the average-pooling factor of each spatial plane (1 = full resolution). */
  pool?: number;
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
  /** 'ok' | 'vanishing' (< 1e-6) | 'exploding' (> explodeThreshold) | 'none' (no grad) | 'dead' (exactly zero) */
  status: 'ok' | 'vanishing' | 'exploding' | 'none' | 'dead';
  /** Fraction of output units whose whole gradient slice is exactly zero (dead ReLUs), when above 0. */
  dead?: number;
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
  layers: Array<{ name: string; edges: number[]; counts: number[]; mean: number; std: number; dead?: number }>;
}

/** application/vnd.layerwise.live+json — curves redrawn in place. */
export interface LivePayload extends PayloadBase {
  series: Array<{ name: string; x: number[]; y: number[]; axis?: 'y' | 'y2' }>;
  /** Log-scale y axis (e.g. a loss over orders of magnitude). */
  logY?: boolean;
  /** Title of the y axis (default: the names of its series). */
  yLabel?: string;
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

/**
 * A value in the stepper payload: the numbers themselves besides their display text, so tests and a saved
 * notebook read exact float64 values. JSON turns NaN/±Inf into null.
 */
export interface GraphValue {
  shape: number[];
  /** "0.3373" for one element; "[2, 3] μ=0.1 σ=1.2" otherwise. */
  text: string;
  /** The value when it has exactly one element. */
  scalar?: number | null;
  /** Summary statistics when it has more than one element. */
  stats?: { mean: number | null; std: number | null; min: number | null; max: number | null };
  /** Flat row-major values when small enough (the builder's `maxValues`). */
  data?: Array<number | null>;
}

export interface GraphNode {
  id: string;
  /** x, y, fc1.weight, a, b, …, f */
  label: string;
  /** The op ('log', 'mul', 'matmul', …) or 'leaf'. */
  op: string;
  kind: 'input' | 'param' | 'leaf' | 'op' | 'output';
  /** The forward formula with input labels, e.g. "b = y · a"; for leaves just the label. */
  expr: string;
  shape: number[];
  /** Forward value (null when the graph was recorded without traced values). */
  value: GraphValue | null;
  /** Final ∂out/∂node of the reverse pass (null when no gradient reached it). */
  grad: GraphValue | null;
}

/** One chain-rule application: a reverse-mode term (node → one input) or a forward-mode tangent. */
export interface GraphStep {
  /** Reverse: the node whose backward rule runs. Forward: the node whose tangent is computed. */
  node: string;
  /** Reverse: the input receiving the term. Forward: the same as node. */
  target: string;
  /** Graph edges (data-flow direction, input → consumer) used by this step. */
  edges: Array<{ from: string; to: string }>;
  /** e.g. "∂f/∂b += ∂f/∂c · ∂c/∂b = 1 × 1/(2√b) = 0.3373" */
  term: string;
  /** Extra lines: the local derivative with numbers plugged in, the "+=" accumulation. */
  detail: string[];
  /** Reverse: "+=" (a second path meets) rather than "=". */
  accumulate: boolean;
  /** Reverse: ∂out/∂node flowing in. Forward: null. */
  upstream: GraphValue | null;
  /** Local derivative ∂node/∂target when the node's output is a scalar (reverse), else null. */
  local: GraphValue | null;
  /** Reverse: the term's value (the VJP). Forward: the node's tangent. */
  contribution: GraphValue;
  /** Reverse: the target's accumulated gradient before and after this term. Forward: prev null, acc = tangent. */
  prev: GraphValue | null;
  acc: GraphValue;
}

/** application/vnd.layerwise.graph+json — a recorded computation graph for the backprop stepper. */
export interface GraphPayload extends PayloadBase {
  /** Id of the output node (the one differentiated). */
  output: string;
  nodes: GraphNode[];
  /** Data-flow direction: input → consumer; `arg` is the input position. */
  edges: Array<{ from: string; to: string; arg: number }>;
  /** Reverse mode in the engine's order (reverse topological); steps[0] seeds ∂out/∂out = 1. */
  steps: GraphStep[];
  /** Forward mode, one run per leaf it was computed for, each in topological order (steps[0] seeds the leaf). */
  forward: Array<{ wrt: string; steps: GraphStep[] }>;
  /** Why forward mode is absent or partial (e.g. an op without a jvp rule, no function to re-run). */
  forwardNote?: string;
  /** Final gradient of every leaf (reverse mode). */
  leaves: Array<{ id: string; label: string; grad: GraphValue | null }>;
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
  const n0 = values.length;
  for (let i = 0; i < n0; i++) {
    const v = values[i];
    // v - v is 0 exactly for finite numbers (NaN for NaN and ±Inf): one test in this hot loop
    if (v - v !== 0) nonFinite++;
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
  const inv = 1 / width;
  const edges = Array.from({ length: n + 1 }, (_, i) => (i === n ? hi : lo + i * width));
  const counts = new Float64Array(n);
  for (let i = 0; i < n0; i++) {
    const v = values[i];
    if (!(v >= lo && v <= hi)) continue;
    const k = ((v - lo) * inv) | 0;
    counts[k < n ? k : n - 1]++;
  }
  return { edges, counts: Array.from(counts), nonFinite };
}

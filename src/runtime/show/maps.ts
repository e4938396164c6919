/** show.featureMaps and show.weights: image grids of activations and filters. */
import { Tensor } from '../tensor';
import { Module } from '../nn/module';
import { Conv1d, Conv2d } from '../nn/conv';
import { Linear } from '../nn/linear';
import { noGrad } from '../autograd/mode';
import { MIME, PROTOCOL_VERSION, histogram } from '../../protocol';
import { checkOptions, noMoreArgs } from './options';
import { BYTES_PER_VALUE, budgetOf, gather, pack, sampleIndices, summaryNote, type BudgetOptions } from './budget';
import type { FeatureMapsPayload, ImageGridLayer, WeightsPayload } from '../../protocol/figures';
import { Figure } from './figure';
import { fmtShape } from '../shape';

function toF32(t: Tensor): Float32Array {
  const d = t.detach().dataSync();
  return d instanceof Float32Array ? d : Float32Array.from(d);
}

interface Grid {
  values: Float32Array;
  shape: number[];
}

const gridOf = (t: Tensor): Grid => ({ values: toF32(t), shape: [...t.shape] });

function colormapOf(values: ArrayLike<number>): ImageGridLayer['colormap'] {
  let min = Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] < min) min = values[i];
  return min >= 0 ? 'sequential' : 'diverging';
}

export interface FeatureMapOptions extends BudgetOptions {
  /** Only this layer (dotted name) or these layers. */
  layer?: string | string[];
  normalize?: 'channel' | 'shared';
  /** Cap on channels per layer (the first ones are kept). */
  maxChannels?: number;
}

const FEATURE_MAP_OPTIONS = ['layer', 'normalize', 'maxChannels', 'maxBytes', 'full'] as const;
const WEIGHTS_OPTIONS = ['bins', 'maxBytes', 'full'] as const;
/** Channels or filters kept per layer when a figure must shrink, before spatial pooling starts. */
const KEEP = 16;
/** Exact float32 values only while they take at most this share of the budget (uint8 is 4× smaller). */
const EXACT_SHARE = 0.25;
const ASK = 'Pass {full: true} for everything (or {maxBytes: n}); {layer: name} draws one layer.';

function firstSample(x: Tensor): Tensor {
  if (x.ndim === 4) return x.select(0, 0);
  if (x.ndim === 3) return x;
  if (x.ndim === 2) return x.unsqueeze(0);
  throw new Error(`show.featureMaps: expected [C, H, W] or [N, C, H, W], got ${fmtShape(x.shape)}`);
}

interface Captured {
  name: string;
  type: string;
  grid: Grid;
}

/**
 * Fits [C, H, W] grids into `budget` bytes: exact float32 when that fits, else uint8; when even that is too big,
 * each layer keeps up to KEEP evenly spaced channels and is average-pooled 2×, 4×… until it fits its share.
 */
function fitMaps(caps: Captured[], budget: number, normalize: 'channel' | 'shared'): { layers: ImageGridLayer[]; note: string } {
  const total = caps.reduce((a, c) => a + c.grid.values.length, 0);
  const exact = total * BYTES_PER_VALUE.float32 <= budget * EXACT_SHARE;
  const share = budget / BYTES_PER_VALUE.uint8 / Math.max(1, caps.length);
  const squeezed = total * BYTES_PER_VALUE.uint8 > budget;
  let sampled = 0;
  let pooled = 0;
  const layers = caps.map(({ name, type, grid }) => {
    const [c, h, w] = grid.shape;
    let keep = c;
    let pool = 1;
    if (squeezed) {
      keep = Math.min(c, KEEP);
      const size = () => keep * Math.ceil(h / pool) * Math.ceil(w / pool);
      // thumbnails are drawn ~48 px wide: pool big maps down to ~32 px first, then keep fewer channels
      while (size() > share && (keep > 4 || pool < Math.max(h, w))) {
        if (Math.max(h, w) / pool > 32 || keep <= 4) pool *= 2;
        else keep = Math.ceil(keep / 2);
      }
    }
    const channels = sampleIndices(c, keep);
    const g = keep === c && pool === 1 ? grid : gather(grid.values, grid.shape, channels, null, pool);
    if (keep < c) sampled++;
    if (pool > 1) pooled++;
    const layer: ImageGridLayer = { name, type, data: pack(g.values, g.shape, exact), colormap: colormapOf(grid.values), normalize };
    return keep < c || pool > 1 ? { ...layer, sourceShape: grid.shape, channels, pool } : layer;
  });
  const parts = [
    ...(sampled ? [`${sampled} of ${caps.length} layers show ${KEEP} or fewer evenly spaced channels`] : []),
    ...(pooled ? [`${pooled} layers average-pooled to a coarser grid`] : []),
    ...(exact ? [] : ['values as uint8 with a per-layer scale']),
  ];
  return { layers, note: summaryNote(parts, ASK) };
}

/**
 * show.featureMaps(tensor) draws the channels of a [C,H,W] / [N,C,H,W] tensor (first sample);
 * show.featureMaps(model, input) captures every 4-D output of conv/pool/activation layers in ONE forward pass.
 * The payload stays within {maxBytes} (default 1 MB) by sampling channels, pooling and uint8 values, and says so.
 */
export function featureMaps(src: Tensor | Module, input?: Tensor | FeatureMapOptions, optsArg?: FeatureMapOptions, ...rest: unknown[]): Figure<FeatureMapsPayload> {
  noMoreArgs('show.featureMaps', 3, rest);
  let opts = optsArg ?? {};
  if (src instanceof Tensor && input !== undefined && !(input instanceof Tensor)) {
    if (optsArg !== undefined) throw new Error('show.featureMaps: takes (tensor, options) or (model, input, options); the second argument is not a Tensor');
    opts = input;
  }
  checkOptions('show.featureMaps', opts, FEATURE_MAP_OPTIONS);
  const budget = budgetOf('show.featureMaps', opts);
  const norm = opts.normalize ?? 'channel';
  const cap = (t: Tensor): Tensor => (opts.maxChannels && t.shape[0] > opts.maxChannels ? t.narrow(0, 0, opts.maxChannels) : t);
  const caps: Captured[] = [];
  if (src instanceof Tensor) {
    caps.push({ name: 'tensor', type: 'Tensor', grid: gridOf(cap(firstSample(src))) });
  } else {
    if (!(input instanceof Tensor)) throw new Error('show.featureMaps(model, input): an input tensor is required');
    const wanted = opts.layer === undefined ? null : new Set(Array.isArray(opts.layer) ? opts.layer : [opts.layer]);
    const leaves = [...src.namedModules()].filter(([n, m]) => n !== '' && m.children().length === 0 && (!wanted || wanted.has(n)));
    if (wanted && leaves.length === 0) throw new Error(`show.featureMaps: no layer named ${[...wanted].join(', ')}; layers: ${[...src.namedModules()].map(([n]) => n).filter(Boolean).join(', ')}`);
    const handles = leaves.map(([name, m]) => m.registerForwardHook((_m, _in, out) => {
      if (out instanceof Tensor && out.ndim === 4) caps.push({ name, type: m.constructor.name, grid: gridOf(cap(firstSample(out))) });
    }));
    const wasTraining = src.training;
    src.eval();
    try {
      noGrad(() => src(input.ndim === 3 ? input.unsqueeze(0) : input.ndim === 4 ? input.narrow(0, 0, 1) : input));
    } finally {
      handles.forEach((h) => h.remove());
      src.train(wasTraining);
    }
    if (caps.length === 0) throw new Error('show.featureMaps: the model produced no 4-D (image-like) layer outputs to draw');
  }
  const { layers, note } = fitMaps(caps, budget, norm);
  const payload: FeatureMapsPayload = { v: PROTOCOL_VERSION, title: 'Feature maps', layers, selected: 0, ...(note ? { note } : {}) };
  const text = `Feature maps: ${caps.map((c) => `${c.name} ${fmtShape(c.grid.shape)}`).join(', ')}${note ? `\n${note}` : ''}`;
  return new Figure(MIME.featureMaps, payload, text);
}

/** Averages a big [out, in] matrix down to at most `cells` cells so it can travel and be drawn. */
function shrink(w: Float32Array, shape: number[], cells: number, exact: boolean): { grid: Grid; pool: number } {
  const f = w.length <= cells ? 1 : Math.ceil(Math.sqrt(w.length / cells));
  if (f === 1 && exact) return { grid: { values: w, shape }, pool: 1 };
  const g = gather(w, [1, ...shape], [0], null, f);
  return { grid: { values: g.values, shape: g.shape.slice(1) }, pool: f };
}

/**
 * show.weights(layerOrModel): conv filter grids (RGB when the layer sees 3 channels), Linear heatmaps, histograms
 * of every weight. Within {maxBytes} (default 1 MB): filters and input channels sampled per layer, big Linear
 * matrices averaged, uint8 values; histograms always cover every weight.
 */
export function weights(src: Module, opts: { bins?: number } & BudgetOptions = {}, ...rest: unknown[]): Figure<WeightsPayload> {
  noMoreArgs('show.weights', 2, rest);
  checkOptions('show.weights', opts, WEIGHTS_OPTIONS);
  const budget = budgetOf('show.weights', opts);
  const mods = [...src.namedModules()].filter(([, m]) => m instanceof Conv2d || m instanceof Conv1d || m instanceof Linear);
  if (mods.length === 0) throw new Error(`show.weights: ${src.constructor.name} has no Conv or Linear layers`);
  const params = mods.map(([n, m]) => ({ name: n || src.constructor.name, m, w: (m as Conv2d | Linear).weight }));
  const total = params.reduce((a, p) => a + p.w.numel(), 0);
  const exact = total * BYTES_PER_VALUE.float32 <= budget * EXACT_SHARE;
  const squeezed = total * BYTES_PER_VALUE.uint8 > budget;
  const share = Math.max(64, budget / BYTES_PER_VALUE.uint8 / params.length);
  const layers: WeightsPayload['layers'] = [];
  const histograms: WeightsPayload['histograms'] = [];
  let sampled = 0;
  for (const { name, m, w } of params) {
    const vals = toF32(w);
    const isConv = m instanceof Conv2d;
    const shape = [...w.shape];
    const rgb = isConv && shape[1] === 3;
    const base = { name, type: m.constructor.name, colormap: colormapOf(vals), normalize: 'shared' as const, kind: (isConv ? 'conv' : 'linear') as 'conv' | 'linear', shape, rgb };
    if (isConv && squeezed) {
      const [o, i, kh, kw] = shape;
      let keepO = Math.min(o, KEEP);
      let keepI = rgb ? i : Math.min(i, Math.max(1, Math.floor(share / (keepO * kh * kw))));
      while (keepO * keepI * kh * kw > share && keepO > 1) keepO = Math.ceil(keepO / 2);
      if (keepO * keepI * kh * kw > share && !rgb) keepI = 1;
      const channels = sampleIndices(o, keepO);
      const inputs = sampleIndices(i, keepI);
      const g = gather(vals, shape, channels, inputs, 1);
      if (keepO < o || keepI < i) sampled++;
      layers.push({ ...base, data: pack(g.values, g.shape, false), ...(keepO < o || keepI < i ? { sourceShape: shape, channels, inputs } : {}) });
    } else if (isConv) {
      layers.push({ ...base, data: pack(vals, shape, exact) });
    } else {
      const flat = m instanceof Conv1d ? [shape[0], vals.length / shape[0]] : shape;
      const { grid, pool } = shrink(vals, flat, squeezed ? share : 1 << 18, exact);
      if (pool > 1) sampled++;
      layers.push({ ...base, data: pack(grid.values, grid.shape, exact), ...(pool > 1 ? { sourceShape: flat, pool } : {}) });
    }
    const h = histogram(vals, opts.bins ?? 30);
    histograms.push({ name, edges: h.edges, counts: h.counts });
  }
  const parts = [
    ...(sampled ? [`${sampled} of ${params.length} layers show sampled filters/input channels or an averaged matrix (histograms cover every weight)`] : []),
    ...(exact ? [] : ['values as uint8 with a per-layer scale']),
  ];
  const note = summaryNote(parts, 'Pass {full: true} for every weight (or {maxBytes: n}).');
  const payload: WeightsPayload = { v: PROTOCOL_VERSION, title: 'Weights', layers, histograms, ...(note ? { note } : {}) };
  return new Figure(MIME.weights, payload, `Weights: ${layers.map((l) => `${l.name} ${fmtShape(l.shape)}`).join(', ')}${note ? `\n${note}` : ''}`);
}

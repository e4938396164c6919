/** show.featureMaps and show.weights: image grids of activations and filters. */
import { Tensor } from '../tensor';
import { Module } from '../nn/module';
import { Conv1d, Conv2d, Linear } from '../nn/layers';
import { noGrad } from '../autograd/mode';
import { MIME, PROTOCOL_VERSION, packArray, histogram } from '../../protocol';
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

function gridLayer(name: string, type: string, g: Grid, normalize: 'channel' | 'shared'): ImageGridLayer {
  let min = Infinity;
  for (let i = 0; i < g.values.length; i++) if (g.values[i] < min) min = g.values[i];
  return { name, type, data: packArray(g.values, g.shape), colormap: min >= 0 ? 'sequential' : 'diverging', normalize };
}

export interface FeatureMapOptions {
  /** Only this layer (dotted name) or these layers. */
  layer?: string | string[];
  normalize?: 'channel' | 'shared';
  /** Cap on channels per layer (the first ones are kept). */
  maxChannels?: number;
}

function firstSample(x: Tensor): Tensor {
  if (x.ndim === 4) return x.select(0, 0);
  if (x.ndim === 3) return x;
  if (x.ndim === 2) return x.unsqueeze(0);
  throw new Error(`show.featureMaps: expected [C, H, W] or [N, C, H, W], got ${fmtShape(x.shape)}`);
}

/**
 * show.featureMaps(tensor) draws the channels of a [C,H,W] / [N,C,H,W] tensor (first sample);
 * show.featureMaps(model, input) captures every 4-D output of conv/pool/activation layers in ONE forward pass.
 */
export function featureMaps(src: Tensor | Module, input?: Tensor, opts: FeatureMapOptions = {}): Figure<FeatureMapsPayload> {
  const norm = opts.normalize ?? 'channel';
  const cap = (t: Tensor): Tensor => (opts.maxChannels && t.shape[0] > opts.maxChannels ? t.narrow(0, 0, opts.maxChannels) : t);
  const layers: ImageGridLayer[] = [];
  if (src instanceof Tensor) {
    layers.push(gridLayer('tensor', 'Tensor', gridOf(cap(firstSample(src))), norm));
  } else {
    if (!(input instanceof Tensor)) throw new Error('show.featureMaps(model, input): an input tensor is required');
    const wanted = opts.layer === undefined ? null : new Set(Array.isArray(opts.layer) ? opts.layer : [opts.layer]);
    const leaves = [...src.namedModules()].filter(([n, m]) => n !== '' && m.children().length === 0 && (!wanted || wanted.has(n)));
    if (wanted && leaves.length === 0) throw new Error(`show.featureMaps: no layer named ${[...wanted].join(', ')}; layers: ${[...src.namedModules()].map(([n]) => n).filter(Boolean).join(', ')}`);
    const handles = leaves.map(([name, m]) => m.registerForwardHook((_m, _in, out) => {
      if (out instanceof Tensor && out.ndim === 4) layers.push(gridLayer(name, m.constructor.name, gridOf(cap(firstSample(out))), norm));
    }));
    const wasTraining = src.training;
    src.eval();
    try {
      noGrad(() => src(input.ndim === 3 ? input.unsqueeze(0) : input.ndim === 4 ? input.narrow(0, 0, 1) : input));
    } finally {
      handles.forEach((h) => h.remove());
      src.train(wasTraining);
    }
    if (layers.length === 0) throw new Error('show.featureMaps: the model produced no 4-D (image-like) layer outputs to draw');
  }
  const payload: FeatureMapsPayload = { v: PROTOCOL_VERSION, title: 'Feature maps', layers, selected: 0 };
  const text = `Feature maps: ${layers.map((l) => `${l.name} ${fmtShape(l.data.shape)}`).join(', ')}`;
  return new Figure(MIME.featureMaps, payload, text);
}

const MAX_HEATMAP = 1 << 18;

/** Averages a big [out, in] matrix down to at most MAX_HEATMAP cells so it can travel and be drawn. */
function shrink(w: Tensor): Grid {
  if (w.numel() <= MAX_HEATMAP) return gridOf(w);
  const f = Math.ceil(Math.sqrt(w.numel() / MAX_HEATMAP));
  const [o, i] = w.shape;
  const oo = Math.ceil(o / f);
  const ii = Math.ceil(i / f);
  const src = toF32(w);
  const out = new Float32Array(oo * ii);
  const cnt = new Float32Array(oo * ii);
  for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) {
    const k = Math.floor(r / f) * ii + Math.floor(c / f);
    out[k] += src[r * i + c];
    cnt[k]++;
  }
  for (let k = 0; k < out.length; k++) out[k] /= cnt[k] || 1;
  return { values: out, shape: [oo, ii] };
}

/** show.weights(layerOrModel): conv filter grids (RGB when the layer sees 3 channels), Linear heatmaps, histograms. */
export function weights(src: Module, opts: { bins?: number } = {}): Figure<WeightsPayload> {
  const mods = [...src.namedModules()].filter(([, m]) => m instanceof Conv2d || m instanceof Conv1d || m instanceof Linear);
  if (mods.length === 0) throw new Error(`show.weights: ${src.constructor.name} has no Conv or Linear layers`);
  const layers: WeightsPayload['layers'] = [];
  const histograms: WeightsPayload['histograms'] = [];
  for (const [n, m] of mods) {
    const name = n || src.constructor.name;
    const w = (m as Conv2d | Linear).weight;
    const vals = toF32(w);
    const isConv = m instanceof Conv2d;
    const shown = isConv ? gridOf(w) : m instanceof Conv1d ? gridOf(w.reshape(w.shape[0], -1)) : shrink(w);
    layers.push({ ...gridLayer(name, m.constructor.name, shown, 'shared'), kind: isConv ? 'conv' : 'linear', shape: [...w.shape], rgb: isConv && w.shape[1] === 3 });
    const h = histogram(vals, opts.bins ?? 30);
    histograms.push({ name, edges: h.edges, counts: h.counts });
  }
  const payload: WeightsPayload = { v: PROTOCOL_VERSION, title: 'Weights', layers, histograms };
  return new Figure(MIME.weights, payload, `Weights: ${layers.map((l) => `${l.name} ${fmtShape(l.shape)}`).join(', ')}`);
}

// Sample payloads for the browser tests, the screenshots and the benchmark. Deterministic (no Math.random).
import {
  histogram, packArray, type DistributionsPayload, type FeatureMapsPayload, type GradFlowPayload, type GradFlowWatchPayload,
  type LivePayload, type ProgressPayload, type SummaryPayload, type TensorPayload, type WeightsPayload,
} from '../../src/protocol';

/** A deterministic pseudo-random stream in [0, 1). */
export function rng(seed = 1): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * C feature maps of H×W: blobs and stripes that look like ReLU activations. Channel 0 is a horizontal ramp
 * (0 at x = 0 → 1 at x = W−1), so per-channel normalisation paints it from viridis(0) to viridis(1).
 */
export function featureMaps(c = 64, hh = 28, w = 28, layers = 2): FeatureMapsPayload {
  const r = rng(7);
  const make = (C: number, H: number, W: number, signed: boolean) => {
    const d = new Float32Array(C * H * W);
    for (let k = 0; k < C; k++) {
      const cx = r() * W, cy = r() * H, f = 0.15 + r() * 0.5, a = r() * Math.PI;
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
        const i = (k * H + y) * W + x;
        if (k === 0) { d[i] = x / (W - 1); continue; }
        const g = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 18);
        const v = Math.sin(f * (x * Math.cos(a) + y * Math.sin(a))) * 0.6 + g * 1.5 - 0.3;
        d[i] = signed ? v : Math.max(0, v);
      }
    }
    return d;
  };
  const L: FeatureMapsPayload['layers'] = [
    { name: 'features.1', type: 'ReLU', data: packArray(make(c, hh, w, false), [c, hh, w]), colormap: 'sequential', normalize: 'channel' },
  ];
  if (layers > 1) {
    L.push({ name: 'features.3', type: 'Conv2d', data: packArray(make(16, 12, 12, true), [16, 12, 12]), colormap: 'diverging', normalize: 'shared' });
  }
  return { v: 1, title: 'Activations after features.1', layers: L, selected: 0 };
}

export const gradFlow = (): GradFlowPayload => ({
  v: 1, vanishThreshold: 1e-6, explodeThreshold: 1e3,
  layers: [
    { name: 'conv1.weight', meanAbs: 2.1e-3, maxAbs: 4.3e-2, status: 'ok' },
    { name: 'conv1.bias', meanAbs: 8.0e-4, maxAbs: 3.1e-3, status: 'ok' },
    { name: 'conv2.weight', meanAbs: 3.2e-8, maxAbs: 4.0e-7, status: 'vanishing' },
    { name: 'conv2.bias', meanAbs: 1.1e-4, maxAbs: 6.0e-4, status: 'ok' },
    { name: 'fc1.weight', meanAbs: 3.4e3, maxAbs: 9.9e4, status: 'exploding' },
    { name: 'fc2.weight', meanAbs: 5.0e-3, maxAbs: 2.2e-2, status: 'ok' },
    { name: 'emb.weight', meanAbs: null, maxAbs: null, status: 'none' },
  ],
});

export function watch(steps = 20): GradFlowWatchPayload {
  const layers = ['conv1', 'conv2', 'conv3', 'fc1', 'fc2'];
  const v = new Float32Array(layers.length * steps);
  layers.forEach((_, i) => { for (let s = 0; s < steps; s++) v[i * steps + s] = -1 - i * 1.2 - s * 0.05 * i; });
  v[steps + 3] = -Infinity;
  return { v: 1, layers, steps: Array.from({ length: steps }, (_, s) => s * 10), norms: packArray(v, [layers.length, steps]) };
}

export function distributions(): DistributionsPayload {
  const r = rng(3);
  const names = ['layer1', 'layer2', 'layer3', 'layer4', 'layer5'];
  return { v: 1, kind: 'activations', layers: names.map((name, k) => {
    const vals = Array.from({ length: 2000 }, () => Math.tanh((r() + r() + r() - 1.5) * (2.5 - k * 0.45)));
    const m = vals.reduce((a, b) => a + b, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / vals.length);
    const h = histogram(vals, 40, [-1, 1]);
    return { name, edges: h.edges, counts: h.counts, mean: m, std: sd };
  }) };
}

export function live(n = 50, finished = false): LivePayload {
  const x = Array.from({ length: n }, (_, i) => i + 1);
  return { v: 1, title: 'Training', xLabel: 'epoch', finished, series: [
    { name: 'train loss', x, y: x.map((i) => 2.3 * Math.exp(-i / 12) + 0.1) },
    { name: 'val loss', x, y: x.map((i) => 2.3 * Math.exp(-i / 14) + 0.18) },
    { name: 'val acc', x, y: x.map((i) => 0.98 - 0.88 * Math.exp(-i / 10)), axis: 'y2' },
  ] };
}

export const progress = (done = 37, finished = false): ProgressPayload => ({
  v: 1, label: 'epoch 3/10', total: 100, done, elapsed: done * 0.31, eta: finished ? 0 : (100 - done) * 0.31,
  metrics: { loss: 0.4123 - done * 0.001, acc: 0.81 + done * 0.001 }, finished,
});

export function weights(): WeightsPayload {
  const r = rng(11);
  // Oriented colour edges, like trained first-layer filters; filter 0 is pure red (R = 1, G = B = 0).
  const conv1 = new Float32Array(16 * 3 * 5 * 5);
  for (let o = 1; o < 16; o++) {
    const a = (o * Math.PI) / 8, tint = [r(), r(), r()];
    for (let c = 0; c < 3; c++) for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) {
      conv1[((o * 3 + c) * 5 + y) * 5 + x] = Math.tanh(((x - 2) * Math.cos(a) + (y - 2) * Math.sin(a)) * 1.2) * (tint[c] - 0.5);
    }
  }
  for (let i = 0; i < 25; i++) conv1[i] = 1;
  const conv2 = new Float32Array(32 * 16 * 3 * 3).map(() => (r() * 2 - 1) * 0.2);
  const fc = new Float32Array(10 * 64).map(() => (r() * 2 - 1) * 0.1);
  const h = (name: string, d: Float32Array) => ({ name, ...histogram(d, 30) });
  return {
    v: 1,
    layers: [
      { name: 'conv1', type: 'Conv2d', kind: 'conv', shape: [16, 3, 5, 5], data: packArray(conv1, [16, 3, 5, 5]), colormap: 'diverging', normalize: 'channel', rgb: true },
      { name: 'conv2', type: 'Conv2d', kind: 'conv', shape: [32, 16, 3, 3], data: packArray(conv2, [32, 16, 3, 3]), colormap: 'diverging', normalize: 'channel' },
      { name: 'fc', type: 'Linear', kind: 'linear', shape: [10, 64], data: packArray(fc, [10, 64]), colormap: 'diverging', normalize: 'shared' },
    ],
    histograms: [h('conv1', conv1), h('conv2', conv2), h('fc', fc)],
  };
}

export function tensorHeatmap(): TensorPayload {
  const d = Float32Array.from({ length: 12 * 16 }, (_, i) => Math.sin(i / 7) * ((i % 16) - 8));
  return { v: 1, shape: [12, 16], dtype: 'float32', view: 'heatmap', requiresGrad: true,
    stats: { min: -7.9, max: 6.9, mean: 0.02, std: 3.1, nan: 0, inf: 0 }, text: 'tensor([[0.0000, …]])', data: packArray(d, [12, 16]) };
}

export function tensorImage(): TensorPayload {
  const H = 16, W = 16, d = new Float32Array(3 * H * W);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    d[y * W + x] = x < 8 ? 1 : 0; // left half red
    d[2 * H * W + y * W + x] = x >= 8 ? 1 : 0; // right half blue
  }
  return { v: 1, shape: [3, H, W], dtype: 'float32', view: 'image', stats: { min: 0, max: 1, mean: 0.33, std: 0.47, nan: 0, inf: 0 },
    text: 'tensor(…)', data: packArray(d, [3, H, W]) };
}

export const tensorTable = (): TensorPayload => ({
  v: 1, shape: [2, 3], dtype: 'float32', view: 'table', stats: { min: -1.5, max: 2, mean: 0.25, std: 1.2, nan: 1, inf: 0 },
  text: 'tensor([[ 1.0000, -1.5000,     nan],\n        [ 2.0000,  0.0000,  0.5000]])',
  data: packArray(Float32Array.from([1, -1.5, NaN, 2, 0, 0.5]), [2, 3]),
});

export const summary = (): SummaryPayload => ({
  v: 1, model: 'LeNet5',
  rows: [
    { name: '', type: 'LeNet5', depth: 0, inputShape: [1, 1, 28, 28], outputShape: [1, 10], params: 61706, trainable: 61706, macs: 416520, formulas: [], warnings: [] },
    { name: 'conv1', type: 'Conv2d', depth: 1, inputShape: [1, 1, 28, 28], outputShape: [1, 6, 24, 24], params: 156, trainable: 156, macs: 86400,
      formulas: ['H_out = ⌊(28 − 5 + 2·0)/1⌋ + 1 = 24', 'params = 6·1·5·5 + 6 = 156'], warnings: [] },
    { name: 'pool1', type: 'MaxPool2d', depth: 1, inputShape: [1, 6, 24, 24], outputShape: [1, 6, 12, 12], params: 0, trainable: 0, macs: 0,
      formulas: ['H_out = ⌊(24 − 2)/2⌋ + 1 = 12'], warnings: [] },
    { name: 'conv2', type: 'Conv2d', depth: 1, inputShape: [1, 6, 12, 12], outputShape: [1, 16, 8, 8], params: 2416, trainable: 2416, macs: 153600,
      formulas: ['H_out = ⌊(12 − 5)/1⌋ + 1 = 8', 'params = 16·6·5·5 + 16 = 2416'], warnings: [] },
    { name: 'fc1', type: 'Linear', depth: 1, inputShape: [1, 256], outputShape: [1, 120], params: 30840, trainable: 30840, macs: 30720,
      formulas: ['params = 256·120 + 120 = 30840'], warnings: ['<b>not bold</b> large fan-in'] },
    { name: 'fc2', type: 'Linear', depth: 1, inputShape: [1, 120], outputShape: [1, 10], params: 1210, trainable: 1210, macs: 1200,
      formulas: ['params = 120·10 + 10 = 1210'], warnings: [] },
  ],
  totals: { params: 61706, trainable: 61706, nonTrainable: 0, macs: 416520, activationBytes: 55_000 },
});

export { lecture as graph } from './stepper-samples';

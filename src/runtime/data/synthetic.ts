/**
 * Synthetic data sets that need no download: two moons, spirals, Gaussian blobs, and procedurally drawn 28×28
 * digits (stroke templates under random affine jitter, thickness and noise) that a LeNet-5 learns to > 95%.
 * All use the seeded RNG, so manualSeed(n) makes them reproducible.
 */
import { TensorDataset } from './dataset';
import { alloc } from '../ops/raw';
import * as rng from '../random';
import type { Tensor } from '../tensor';

function floatTensor(vals: ArrayLike<number>, shape: number[]): Tensor {
  const t = alloc(shape, 'float32');
  t.storage().view().set(vals);
  return t;
}

function intTensor(vals: ArrayLike<number>, n: number): Tensor {
  const t = alloc([n], 'int32');
  t.storage().view().set(vals);
  return t;
}

/** Two interleaving half circles (scikit-learn's make_moons). */
export function moons(n = 200, opts: { noise?: number } = {}): TensorDataset {
  const noise = rng.normal(2 * n, 0, opts.noise ?? 0.1);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  const nOut = Math.ceil(n / 2);
  for (let i = 0; i < n; i++) {
    const outer = i < nOut;
    const t = Math.PI * (outer ? i / Math.max(1, nOut - 1) : (i - nOut) / Math.max(1, n - nOut - 1));
    x[2 * i] = (outer ? Math.cos(t) : 1 - Math.cos(t)) + noise[2 * i];
    x[2 * i + 1] = (outer ? Math.sin(t) : 0.5 - Math.sin(t)) + noise[2 * i + 1];
    y[i] = outer ? 0 : 1;
  }
  return new TensorDataset(floatTensor(x, [n, 2]), intTensor(y, n));
}

/** `classes` interleaved spiral arms (the CS231n toy set). */
export function spirals(n = 300, opts: { classes?: number; noise?: number; turns?: number } = {}): TensorDataset {
  const k = opts.classes ?? 3;
  const per = Math.floor(n / k);
  const total = per * k;
  const jitter = rng.normal(total, 0, opts.noise ?? 0.2);
  const x = new Float32Array(2 * total);
  const y = new Int32Array(total);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < per; j++) {
      const i = c * per + j;
      const r = j / per;
      const t = (c * 2 * Math.PI) / k + r * (opts.turns ?? 1) * 4 + jitter[i];
      x[2 * i] = r * Math.sin(t);
      x[2 * i + 1] = r * Math.cos(t);
      y[i] = c;
    }
  }
  return new TensorDataset(floatTensor(x, [total, 2]), intTensor(y, total));
}

/** Isotropic Gaussian blobs around random centres in [-box, box]^dims. */
export function blobs(n = 300, opts: { centers?: number; dims?: number; std?: number; box?: number } = {}): TensorDataset {
  const k = opts.centers ?? 3;
  const d = opts.dims ?? 2;
  const box = opts.box ?? 10;
  const centers = rng.uniform(k * d, -box, box);
  const noise = rng.normal(n * d, 0, opts.std ?? 1);
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    y[i] = c;
    for (let j = 0; j < d; j++) x[i * d + j] = centers[c * d + j] + noise[i * d + j];
  }
  return new TensorDataset(floatTensor(x, [n, d]), intTensor(y, n));
}

type Pt = [number, number];

function ellipse(cx: number, cy: number, rx: number, ry: number, from = 0, to = 2 * Math.PI, steps = 14): Pt[] {
  const pts: Pt[] = [];
  for (let i = 0; i <= steps; i++) {
    const a = from + ((to - from) * i) / steps;
    pts.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
  }
  return pts;
}

/** Stroke templates in a unit box (x right, y down); each digit is a list of polylines. */
const DIGITS: Pt[][][] = [
  [ellipse(0.5, 0.5, 0.3, 0.4)],
  [[[0.35, 0.25], [0.52, 0.1], [0.52, 0.9]], [[0.35, 0.9], [0.68, 0.9]]],
  [[[0.2, 0.3], [0.32, 0.13], [0.6, 0.1], [0.78, 0.25], [0.75, 0.45], [0.2, 0.9], [0.82, 0.9]]],
  [[[0.2, 0.15], [0.75, 0.15], [0.45, 0.45], [0.72, 0.58], [0.78, 0.78], [0.55, 0.92], [0.2, 0.85]]],
  [[[0.65, 0.9], [0.65, 0.1], [0.15, 0.65], [0.85, 0.65]]],
  [[[0.8, 0.1], [0.27, 0.1], [0.22, 0.45], [0.6, 0.4], [0.8, 0.6], [0.75, 0.82], [0.5, 0.92], [0.2, 0.85]]],
  [[[0.7, 0.1], [0.35, 0.35], [0.22, 0.65]], ellipse(0.5, 0.7, 0.28, 0.2)],
  [[[0.15, 0.1], [0.85, 0.1], [0.4, 0.9]]],
  [ellipse(0.5, 0.28, 0.22, 0.18), ellipse(0.5, 0.7, 0.27, 0.21)],
  [ellipse(0.5, 0.32, 0.25, 0.21), [[0.75, 0.32], [0.62, 0.9]]],
];

function segDist(px: number, py: number, a: Pt, b: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / len2)) : 0;
  const ex = a[0] + t * dx - px;
  const ey = a[1] + t * dy - py;
  return Math.sqrt(ex * ex + ey * ey);
}

/** Draws one digit into out[off .. off + 784) with the given random parameters (r: 8 numbers in [0, 1)). */
function drawDigit(digit: number, r: ArrayLike<number>, out: Float32Array, off: number): void {
  const size = 28;
  const scale = 18 + 5 * r[0];
  const angle = (r[1] - 0.5) * 0.5; // ±14°
  const shear = (r[2] - 0.5) * 0.4;
  const tx = 14 + (r[3] - 0.5) * 4;
  const ty = 14 + (r[4] - 0.5) * 4;
  const thick = 1.1 + 1.3 * r[5];
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const map = ([u, v]: Pt): Pt => {
    const x = (u - 0.5 + shear * (v - 0.5)) * scale * 0.8;
    const y = (v - 0.5) * scale;
    return [tx + cos * x - sin * y, ty + sin * x + cos * y];
  };
  const segs: Array<[Pt, Pt]> = [];
  for (const line of DIGITS[digit]) {
    const pts = line.map(map);
    for (let i = 0; i + 1 < pts.length; i++) segs.push([pts[i], pts[i + 1]]);
  }
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let d = Infinity;
      for (const [a, b] of segs) d = Math.min(d, segDist(x + 0.5, y + 0.5, a, b));
      out[off + y * size + x] = Math.max(0, Math.min(1, thick - d + 0.5));
    }
  }
}

/**
 * n procedurally drawn digits: x [n, 1, 28, 28] in [0, 1] (MNIST-like: white strokes on black), y [n] int32
 * labels 0-9 in round-robin order, shuffled by the seeded RNG.
 */
export function digits(n = 1000, opts: { noise?: number } = {}): TensorDataset {
  const px = 28 * 28;
  const x = new Float32Array(n * px);
  const y = new Int32Array(n);
  const params = rng.uniform(n * 8, 0, 1);
  const perm = rng.permutation(n);
  const noise = rng.normal(n * px, 0, opts.noise ?? 0.05);
  for (let i = 0; i < n; i++) {
    const label = perm[i] % 10;
    y[i] = label;
    drawDigit(label, params.subarray(i * 8, i * 8 + 8), x, i * px);
  }
  for (let i = 0; i < x.length; i++) x[i] = Math.max(0, Math.min(1, x[i] + noise[i]));
  return new TensorDataset(floatTensor(x, [n, 1, 28, 28]), intTensor(y, n));
}

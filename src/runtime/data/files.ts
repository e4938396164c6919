/**
 * Readers for local data files (nothing is fetched from the network): MNIST IDX (raw or gzip) and CIFAR-10
 * binary batches. And batch transforms: normalize, random crop with padding, horizontal flip.
 */
import { takeOptions } from '../ops/options';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { TensorDataset } from './dataset';
import { alloc } from '../ops/raw';
import type { Tensor } from '../tensor';
import * as rng from '../random';
import { checkSize } from '../ops/size-checks';

function readMaybeGzip(path: string, op: string): Buffer {
  if (typeof path !== 'string') throw new TypeError(`${op}: expected a file path (string), got ${typeof path}`);
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new Error(`${op}: cannot read ${path}: ${(e as Error).message}`);
  }
  if (!(buf.length > 2 && buf[0] === 0x1f && buf[1] === 0x8b)) return buf;
  try {
    return gunzipSync(buf);
  } catch (e) {
    throw new Error(`${op}: ${path} looks gzip-compressed but cannot be decompressed: ${(e as Error).message}`);
  }
}

/** Parses an IDX file (MNIST format): returns its dims and the raw unsigned bytes. */
export function readIdx(path: string): { shape: number[]; data: Uint8Array } {
  const buf = readMaybeGzip(path, 'readIdx');
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw new Error(`readIdx: ${path} is not an IDX file (bad magic number)`);
  if (buf[2] !== 0x08) throw new Error(`readIdx: ${path}: only unsigned-byte IDX data is supported (type 0x${buf[2].toString(16)})`);
  const ndim = buf[3];
  if (buf.length < 4 + 4 * ndim) throw new Error(`readIdx: ${path} is truncated: its header announces ${ndim} dimensions but the file has ${buf.length} bytes`);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(buf.readUInt32BE(4 + 4 * i));
  const start = 4 + 4 * ndim;
  const n = shape.reduce((a, b) => a * b, 1);
  if (buf.length < start + n) throw new Error(`readIdx: ${path} is truncated: expected ${n} bytes of data for shape [${shape.join(', ')}], found ${buf.length - start}`);
  return { shape, data: new Uint8Array(buf.buffer, buf.byteOffset + start, n) };
}

/** MNIST from local IDX files: x [N, 1, 28, 28] in [0, 1], y [N] int32. */
export function mnist(imagesPath: string, labelsPath: string): TensorDataset {
  const img = readIdx(imagesPath);
  const lab = readIdx(labelsPath);
  if (img.shape.length !== 3) throw new Error(`mnist: ${imagesPath} should hold [N, rows, cols] images, got [${img.shape.join(', ')}]`);
  if (lab.shape.length !== 1 || lab.shape[0] !== img.shape[0]) {
    throw new Error(`mnist: ${img.shape[0]} images but labels of shape [${lab.shape.join(', ')}]`);
  }
  const [n, h, w] = img.shape;
  checkSize('mnist', [n, 1, h, w], 'float32');
  const x = alloc([n, 1, h, w], 'float32');
  const xv = x.storage().view();
  for (let i = 0; i < img.data.length; i++) xv[i] = img.data[i] / 255;
  const y = alloc([n], 'int32');
  y.storage().view().set(lab.data);
  return new TensorDataset(x, y);
}

/** CIFAR-10 binary batches (data_batch_*.bin / test_batch.bin): x [N, 3, 32, 32] in [0, 1], y [N] int32. */
export function cifar10(...paths: string[]): TensorDataset {
  const rec = 1 + 3 * 32 * 32;
  if (paths.length === 0) throw new Error('cifar10: expected at least one batch file (data_batch_1.bin, …, test_batch.bin)');
  const bufs = paths.map((p) => {
    const b = readMaybeGzip(p, 'cifar10');
    if (b.length % rec !== 0) throw new Error(`cifar10: ${p} has ${b.length} bytes, not a multiple of the ${rec}-byte record`);
    return b;
  });
  const n = bufs.reduce((a, b) => a + b.length / rec, 0);
  checkSize('cifar10', [n, 3, 32, 32], 'float32');
  bufs.forEach((b, k) => {
    for (let off = 0; off < b.length; off += rec) {
      if (b[off] > 9) throw new Error(`cifar10: ${paths[k]}: record ${off / rec} has label ${b[off]}; CIFAR-10 labels are 0..9 (is this a CIFAR-10 binary batch?)`);
    }
  });
  const x = alloc([n, 3, 32, 32], 'float32');
  const y = alloc([n], 'int32');
  const xv = x.storage().view();
  const yv = y.storage().view();
  let i = 0;
  for (const b of bufs) {
    for (let off = 0; off < b.length; off += rec, i++) {
      yv[i] = b[off];
      for (let k = 0; k < rec - 1; k++) xv[i * (rec - 1) + k] = b[off + 1 + k] / 255;
    }
  }
  return new TensorDataset(x, y);
}

function batchOf(x: Tensor, op: string): { n: number; c: number; h: number; w: number; unbatched: boolean } {
  if (x.ndim === 3) return { n: 1, c: x.shape[0], h: x.shape[1], w: x.shape[2], unbatched: true };
  if (x.ndim === 4) return { n: x.shape[0], c: x.shape[1], h: x.shape[2], w: x.shape[3], unbatched: false };
  throw new Error(`${op}: expected an image [C, H, W] or a batch [N, C, H, W], got [${x.shape.join(', ')}]`);
}

/** (x − mean[c]) / std[c] per channel. */
export function normalize(x: Tensor, mean: number[] | { mean: number[]; std: number[] }, std?: number[]): Tensor {
  if (!Array.isArray(mean)) {
    const o = takeOptions('normalize', mean, ['mean', 'std']);
    [mean, std] = [o.mean, o.std];
  }
  if (!Array.isArray(mean) || !Array.isArray(std)) throw new Error('normalize: expected mean and std arrays: normalize(x, mean, std)');
  const { c } = batchOf(x, 'normalize');
  if (mean.length !== c || std.length !== c) throw new Error(`normalize: expected ${c} means and stds, got ${mean.length} and ${std.length}`);
  const shape = x.ndim === 4 ? [1, c, 1, 1] : [c, 1, 1];
  const m = alloc(shape, x.dtype, x.backend);
  m.storage().view().set(mean);
  const s = alloc(shape, x.dtype, x.backend);
  s.storage().view().set(std);
  return x.sub(m).div(s);
}

/** Pads each image by `padding` zeros and crops a random size×size window (per sample). */
export function randomCrop(x: Tensor, size: number | [number, number], options: { padding?: number } = {}): Tensor {
  const opts = takeOptions('randomCrop', options, ['padding']);
  if (Array.isArray(size)) {
    if (size[0] !== size[1]) throw new Error(`randomCrop: only square crops are supported, got size [${size.join(', ')}]`);
    size = size[0];
  }
  if (!Number.isInteger(size) || size < 1) throw new Error(`randomCrop: size must be a positive integer, got ${size}`);
  const { n, c, h, w } = batchOf(x, 'randomCrop');
  const p = opts.padding ?? 0;
  if (!Number.isInteger(p) || p < 0) throw new Error(`randomCrop: padding must be a non-negative integer (one value for all sides), got ${JSON.stringify(p)}`);
  if (size > h + 2 * p || size > w + 2 * p) throw new Error(`randomCrop: crop size ${size} is larger than the padded image ${h + 2 * p}×${w + 2 * p}`);
  const src = x.dataSync();
  const out = alloc(x.ndim === 4 ? [n, c, size, size] : [c, size, size], x.dtype, x.backend);
  const ov = out.storage().view();
  const offs = rng.randint(2 * n, 0, 1 + h + 2 * p - size);
  for (let i = 0; i < n; i++) {
    const oy = offs[2 * i] - p;
    const ox = Math.min(offs[2 * i + 1], w + 2 * p - size) - p;
    for (let ch = 0; ch < c; ch++) {
      for (let y = 0; y < size; y++) {
        for (let xx = 0; xx < size; xx++) {
          const sy = y + oy;
          const sx = xx + ox;
          ov[((i * c + ch) * size + y) * size + xx] = sy >= 0 && sy < h && sx >= 0 && sx < w ? src[((i * c + ch) * h + sy) * w + sx] : 0;
        }
      }
    }
  }
  return out;
}

/** Flips each image left-right with probability p (per sample). */
export function randomHorizontalFlip(x: Tensor, pOrOpts: number | { p?: number } = 0.5): Tensor {
  const p = typeof pOrOpts === 'number' ? pOrOpts : takeOptions('randomHorizontalFlip', pOrOpts, ['p']).p ?? 0.5;
  if (!(p >= 0 && p <= 1)) throw new Error(`randomHorizontalFlip: p must be a probability in [0, 1], got ${p}`);
  const { n, c, h, w } = batchOf(x, 'randomHorizontalFlip');
  const src = x.dataSync();
  const out = alloc(x.shape, x.dtype, x.backend);
  const ov = out.storage().view();
  const flips = rng.uniform(n, 0, 1);
  for (let i = 0; i < n; i++) {
    const flip = flips[i] < p;
    for (let ch = 0; ch < c; ch++) {
      for (let y = 0; y < h; y++) {
        const row = ((i * c + ch) * h + y) * w;
        for (let xx = 0; xx < w; xx++) ov[row + xx] = src[row + (flip ? w - 1 - xx : xx)];
      }
    }
  }
  return out;
}

/** Chains batch transforms: compose(t1, t2)(x) = t2(t1(x)). */
export function compose(...fns: Array<(x: Tensor) => Tensor>): (x: Tensor) => Tensor {
  return (x) => fns.reduce((acc, f) => f(acc), x);
}

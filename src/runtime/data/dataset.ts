/** Datasets and the DataLoader: TensorDataset, Subset, randomSplit, DataLoader (batchSize, shuffle, dropLast). */
import { Tensor } from '../tensor';
import { stack } from '../ops/views';
import { indexSelect } from '../ops/views';
import * as rng from '../random';
import { alloc } from '../ops/raw';
import { checkInterrupt } from '../interrupt';
import { takeOptions, type Aliased } from '../ops/options';

export interface Dataset<T = unknown> {
  length: number;
  get(i: number): T;
}

/** Samples are the i-th rows of each tensor (all tensors share dim 0). */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: Tensor[];
  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new Error('TensorDataset: expected at least one tensor');
    const n = tensors[0].shape[0];
    tensors.forEach((t, i) => {
      if (t.ndim === 0 || t.shape[0] !== n) {
        throw new Error(`TensorDataset: size mismatch between tensors: tensor 0 has ${n} rows, tensor ${i} has shape [${t.shape.join(', ')}]`);
      }
    });
    this.tensors = tensors;
  }
  get length(): number {
    return this.tensors[0].shape[0];
  }
  get(i: number): Tensor[] {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new RangeError(`TensorDataset: index ${i} out of range for ${this.length} samples`);
    return this.tensors.map((t) => t.select(0, i));
  }
  /** Batched fast path used by the DataLoader: one gather per tensor instead of per-sample stacking. */
  getBatch(indices: number[]): Tensor[] {
    return this.tensors.map((t) => indexSelect(t, 0, indices));
  }
}

export class Subset<T> implements Dataset<T> {
  constructor(readonly dataset: Dataset<T>, readonly indices: number[]) {}
  get length(): number {
    return this.indices.length;
  }
  get(i: number): T {
    if (i < 0 || i >= this.indices.length) throw new RangeError(`Subset: index ${i} out of range for ${this.indices.length} samples`);
    return this.dataset.get(this.indices[i]);
  }
  getBatch?(indices: number[]): T {
    const ds = this.dataset as Dataset<T> & { getBatch?: (ix: number[]) => T };
    if (!ds.getBatch) throw new Error('Subset: underlying dataset has no batched access');
    return ds.getBatch(indices.map((i) => this.indices[i]));
  }
}

/** Random split by lengths (counts) or fractions summing to 1, using the seeded RNG. */
export function randomSplit<T>(dataset: Dataset<T>, lengths: number[]): Array<Subset<T>> {
  const n = dataset.length;
  let counts = lengths;
  if (lengths.every((l) => l > 0 && l < 1) && Math.abs(lengths.reduce((a, b) => a + b, 0) - 1) < 1e-9) {
    counts = lengths.map((f) => Math.floor(f * n));
    let rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]++;
  }
  if (counts.reduce((a, b) => a + b, 0) !== n) {
    throw new Error(`randomSplit: sum of input lengths (${counts.reduce((a, b) => a + b, 0)}) does not equal the length of the input dataset (${n})`);
  }
  const perm = Array.from(rng.permutation(n));
  let off = 0;
  return counts.map((c) => {
    const s = new Subset(dataset, perm.slice(off, off + c));
    off += c;
    return s;
  });
}

interface DataLoaderOptionsBase<T> {
  batchSize?: number;
  shuffle?: boolean;
  dropLast?: boolean;
  /** Per-sample transform applied before collation. */
  collate?: (samples: T[]) => unknown;
}

const DATALOADER_ALIASES = { batch_size: 'batchSize', drop_last: 'dropLast', collate_fn: 'collate', collateFn: 'collate' } as const;
/** batchSize, shuffle, dropLast, collate, also under PyTorch's names batch_size, drop_last, collate_fn. */
export type DataLoaderOptions<T> = Aliased<DataLoaderOptionsBase<T>, typeof DATALOADER_ALIASES>;

function defaultCollate(samples: unknown[]): unknown {
  const first = samples[0];
  if (first instanceof Tensor) return stack(samples as Tensor[], 0);
  if (typeof first === 'number') {
    const t = alloc([samples.length], Number.isInteger(first) ? 'int32' : 'float32');
    t.storage().view().set(samples as number[]);
    return t;
  }
  if (Array.isArray(first)) return first.map((_, k) => defaultCollate(samples.map((s) => (s as unknown[])[k])));
  throw new Error(`DataLoader: cannot collate samples of type ${typeof first}`);
}

/** Adapts what PyTorch users pass as a dataset to {length, get(i)}; anything else is a clear error. */
export function asDataset(d: unknown): Dataset<unknown> {
  if (Array.isArray(d)) return { length: d.length, get: (i: number) => d[i] };
  if (d && typeof d === 'object') {
    const o = d as Record<string, unknown>;
    if (typeof o.get === 'function' && typeof o.length === 'number') return o as unknown as Dataset<unknown>;
    if (typeof o.__len__ === 'function' && typeof o.__getitem__ === 'function') {
      return {
        get length() {
          const n = (o.__len__ as () => unknown).call(o);
          if (!Number.isInteger(n) || (n as number) < 0) throw new Error(`DataLoader: __len__() must return a non-negative integer, got ${String(n)}`);
          return n as number;
        },
        get: (i: number) => (o.__getitem__ as (i: number) => unknown).call(o, i),
      };
    }
    if (typeof o.__getitem__ === 'function' || typeof o.get === 'function') {
      throw new Error('DataLoader: the dataset has get/__getitem__ but no length: give it a `length` property (or a __len__() method)');
    }
  }
  throw new Error(
    `DataLoader: expected a dataset: an object with \`length\` and \`get(i)\`, an array of samples, or an object with __len__() and __getitem__(i); got ${d === null ? 'null' : typeof d}`,
  );
}

/** Iterates over batches; `for (const [x, y] of loader)`. Shuffling uses the seeded RNG (manualSeed). */
export class DataLoader<T = Tensor[]> implements Iterable<T> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly dataset: Dataset<unknown>;
  private readonly opts: DataLoaderOptions<unknown>;
  /**
   * dataset: anything with `length` and `get(i)`, an array of samples, or a PyTorch-style object with
   * `__len__()` and `__getitem__(i)`. new DataLoader(ds, 32) is batchSize 32 (PyTorch's positional order).
   */
  constructor(dataset: unknown, batchSizeOrOpts: number | DataLoaderOptions<unknown> = {}, maybeOpts: DataLoaderOptions<unknown> = {}) {
    this.dataset = asDataset(dataset);
    const raw = typeof batchSizeOrOpts === 'number' ? { ...maybeOpts, batchSize: batchSizeOrOpts } : batchSizeOrOpts;
    const opts = takeOptions('DataLoader', raw, ['batchSize', 'shuffle', 'dropLast', 'collate', 'generator'], DATALOADER_ALIASES);
    if ((opts as { generator?: unknown }).generator !== undefined) {
      throw new Error('DataLoader: the generator option is not supported; shuffling uses the global seeded RNG (manualSeed)');
    }
    this.opts = opts;
    this.batchSize = opts.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new Error(`DataLoader: batchSize should be a positive integer, got ${this.batchSize}`);
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
  }
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }
  *[Symbol.iterator](): Iterator<T> {
    const n = this.dataset.length;
    const order = this.shuffle ? Array.from(rng.permutation(n)) : Array.from({ length: n }, (_, i) => i);
    const ds = this.dataset as Dataset<unknown> & { getBatch?: (ix: number[]) => unknown };
    for (let s = 0; s < n; s += this.batchSize) {
      checkInterrupt();
      const idx = order.slice(s, s + this.batchSize);
      if (idx.length < this.batchSize && this.dropLast) break;
      if (ds.getBatch && !this.opts.collate) yield ds.getBatch(idx) as T;
      else {
        const samples = idx.map((i) => this.dataset.get(i));
        yield (this.opts.collate ?? defaultCollate)(samples) as T;
      }
    }
  }
}

/**
 * PyTorch parity fixtures: types, loading and tensor construction.
 * Fixtures are written by scripts/gen-torch-fixtures.py (format documented in scripts/torchfix/common.py).
 * Tests never run Python; they read test/fixtures/torch/<family>.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type FixtureDType = 'float32' | 'float64' | 'int32' | 'bool';
export type Num = number | 'nan' | 'inf' | '-inf';

export interface FixtureTensor {
  data: Num[];
  shape: number[];
  dtype: FixtureDType;
}

export interface FixtureInput extends FixtureTensor {
  name: string;
  requiresGrad: boolean;
}

export interface FixtureCase {
  name: string;
  op: string;
  kwargs: Record<string, any>;
  inputs: FixtureInput[];
  outputs: FixtureTensor[];
  /** Upstream gradient per output; null where the output is not differentiable. */
  seeds: (FixtureTensor | null)[];
  /** d(sum_i <output_i, seed_i>)/d(input) for every input with requiresGrad. */
  grads: Record<string, FixtureTensor>;
  /** Inputs mutated in place by the op (e.g. batch-norm running stats), read back after the call. */
  extra: Record<string, FixtureTensor>;
  note?: string;
}

export interface FixtureFile {
  family: string;
  format: number;
  torch: string;
  cases: FixtureCase[];
}

export const FIXTURE_DIR = path.resolve(__dirname, '..', 'fixtures', 'torch');

/** Op families checked by the parity harness (phase-2 files such as zoo.json are not op fixtures). */
export const OP_FAMILIES = [
  'views', 'math', 'reductions', 'linalg', 'conv', 'pool', 'norm', 'activations', 'losses',
];

export function loadFamily(family: string): FixtureFile {
  const file = path.join(FIXTURE_DIR, `${family}.json`);
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as FixtureFile;
  if (doc.format !== 1) throw new Error(`${file}: unsupported fixture format ${doc.format}`);
  return doc;
}

export function toNumber(v: Num): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

/** Flat row-major data + shape → nested arrays (a bare number for shape []). */
export function nest(t: FixtureTensor): any {
  const flat: any[] = t.data.map((v) => (t.dtype === 'bool' ? toNumber(v) !== 0 : toNumber(v)));
  if (t.shape.length === 0) return flat[0];
  let pos = 0;
  const build = (dim: number): any[] => {
    const out: any[] = [];
    for (let i = 0; i < t.shape[dim]; i++) out.push(dim === t.shape.length - 1 ? flat[pos++] : build(dim + 1));
    return out;
  };
  return build(0);
}

/** Build a runtime tensor from a fixture tensor with the public `tensor(data, {dtype, requiresGrad})`. */
export function makeTensor(rt: any, t: FixtureTensor, requiresGrad = false): any {
  if (t.shape.some((d) => d === 0)) throw new Error('zero-size fixture tensors are not supported');
  return rt.tensor(nest(t), { dtype: t.dtype, requiresGrad });
}

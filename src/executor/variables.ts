/**
 * The 'variables' request: what each top-level variable of the session holds, for the Variables view. Tensors
 * and modules are recognised by shape (duck typing) so the executor does not depend on the runtime's classes;
 * tensor statistics read at most SAMPLE values (a strided sample of big tensors).
 */
import { inspect } from 'node:util';
import type { TensorVariable, VariableInfo } from '../protocol/variables';

const SAMPLE = 65536;
const BINS = 16;
const ELEMENT_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 4, float64: 8 };

interface TensorLike {
  shape: number[];
  dtype: string;
  requiresGrad: boolean;
  isMeta?: boolean;
  numel(): number;
  dataSync(): ArrayLike<number>;
}

interface ModuleLike {
  parameters(): { requiresGrad: boolean; numel(): number }[];
  constructor: { name: string };
}

function isTensor(v: unknown): v is TensorLike {
  const t = v as TensorLike;
  return typeof v === 'object' && v !== null && Array.isArray(t.shape) && typeof t.dtype === 'string'
    && typeof t.numel === 'function' && typeof t.dataSync === 'function';
}

function isModule(v: unknown): v is ModuleLike {
  return (typeof v === 'function' || typeof v === 'object') && v !== null && typeof (v as ModuleLike).parameters === 'function'
    && typeof (v as { forward?: unknown }).forward === 'function';
}

export function tensorStats(values: ArrayLike<number>): TensorVariable['stats'] {
  const n = values.length;
  if (!n) return null;
  const step = Math.max(1, Math.floor(n / SAMPLE));
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i += step) {
    const x = Number(values[i]);
    if (!Number.isFinite(x)) continue;
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
    count++;
  }
  if (!count) return null;
  const histogram = new Array<number>(BINS).fill(0);
  const width = (max - min) / BINS;
  for (let i = 0; i < n; i += step) {
    const x = Number(values[i]);
    if (!Number.isFinite(x)) continue;
    histogram[width > 0 ? Math.min(BINS - 1, Math.floor((x - min) / width)) : 0]++;
  }
  return { min, max, mean: sum / count, histogram };
}

function describeTensor(name: string, t: TensorLike): TensorVariable {
  const numel = t.numel();
  let stats: TensorVariable['stats'] = null;
  if (!t.isMeta) {
    try {
      stats = tensorStats(t.dataSync());
    } catch {
      stats = null; // disposed or unreadable storage
    }
  }
  return { name, kind: 'tensor', shape: [...t.shape], dtype: t.dtype, bytes: numel * (ELEMENT_BYTES[t.dtype] ?? 4),
    requiresGrad: !!t.requiresGrad, stats };
}

export function describeVariable(name: string, v: unknown): VariableInfo {
  if (isTensor(v)) return describeTensor(name, v);
  if (isModule(v)) {
    const params = v.parameters();
    const total = params.reduce((s, p) => s + p.numel(), 0);
    const trainable = params.reduce((s, p) => s + (p.requiresGrad ? p.numel() : 0), 0);
    return { name, kind: 'module', type: v.constructor?.name ?? 'Module', parameters: total, trainable };
  }
  const type = v === null ? 'null' : typeof v === 'object' ? (v as object).constructor?.name ?? 'Object' : typeof v;
  const kind = typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? typeof v : 'other';
  const summary = inspect(v, { depth: 0, breakLength: Infinity, maxStringLength: 80 }).slice(0, 120);
  return { name, kind, type, summary } as VariableInfo;
}

/** Every declared name still bound on the global object, in declaration order; functions and classes left out. */
export function describeVariables(names: Iterable<string>, scope: Record<string, unknown>): VariableInfo[] {
  const out: VariableInfo[] = [];
  for (const name of names) {
    if (!(name in scope)) continue;
    const v = scope[name];
    if (typeof v === 'function' && !isModule(v)) continue;
    try {
      out.push(describeVariable(name, v));
    } catch (e) {
      out.push({ name, kind: 'other', type: 'unknown', summary: `(cannot describe: ${(e as Error)?.message ?? e})` });
    }
  }
  return out;
}

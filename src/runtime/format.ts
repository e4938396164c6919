/** PyTorch-like printing: tensor([[ 1.0000, -2.0000], [...]], requiresGrad=true). */
import type { Tensor } from './tensor';

const THRESHOLD = 1000;
const EDGE = 3;

interface Fmt {
  width: number;
  fmt: (v: number) => string;
}

function chooseFormat(vals: ArrayLike<number>, dtype: string): Fmt {
  if (dtype === 'bool') return { width: 5, fmt: (v) => (v ? 'True' : 'False') };
  if (dtype === 'int32') {
    let w = 1;
    for (let i = 0; i < vals.length; i++) w = Math.max(w, String(vals[i]).length);
    return { width: w, fmt: (v) => String(v) };
  }
  let allInt = true;
  let maxAbs = 0;
  let minAbs = Infinity;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) allInt = false;
    const a = Math.abs(v);
    maxAbs = Math.max(maxAbs, a);
    if (a > 0) minAbs = Math.min(minAbs, a);
  }
  const special = (v: number): string | null => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : null);
  let fmt: (v: number) => string;
  if (allInt && maxAbs < 1e8) fmt = (v) => special(v) ?? `${v.toFixed(0)}.`;
  else if (maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Infinity) || (minAbs !== Infinity && maxAbs / minAbs > 1000)) {
    fmt = (v) => special(v) ?? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
  } else fmt = (v) => special(v) ?? v.toFixed(4);
  let width = 1;
  for (let i = 0; i < vals.length; i++) width = Math.max(width, fmt(vals[i]).length);
  return { width, fmt };
}

function render(data: ArrayLike<number>, shape: number[], f: Fmt, summarize: boolean, indent: number): string {
  const strides: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i];
  }
  const rec = (d: number, off: number): string => {
    const n = shape[d];
    const idx: Array<number | null> = [];
    if (summarize && n > 2 * EDGE) {
      for (let i = 0; i < EDGE; i++) idx.push(i);
      idx.push(null);
      for (let i = n - EDGE; i < n; i++) idx.push(i);
    } else for (let i = 0; i < n; i++) idx.push(i);
    if (d === shape.length - 1) {
      return '[' + idx.map((i) => (i === null ? '...' : f.fmt(data[off + i]).padStart(f.width))).join(', ') + ']';
    }
    const sep = ',' + '\n'.repeat(shape.length - d - 1) + ' '.repeat(indent + d + 1);
    return '[' + idx.map((i) => (i === null ? '...' : rec(d + 1, off + i * strides[d]))).join(sep) + ']';
  };
  return rec(0, 0);
}

export function formatTensor(t: Tensor): string {
  const suffix: string[] = [];
  if (t.dtype === 'int32' || t.dtype === 'float64') suffix.push(`dtype=${t.dtype}`);
  if (t.gradFn) suffix.push(`gradFn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffix.push('requiresGrad=true');
  if (t.isMeta) return `tensor(..., shape=[${t.shape.join(', ')}], device='meta'${suffix.length ? ', ' + suffix.join(', ') : ''})`;
  const data = t.dataSync();
  let body: string;
  if (t.ndim === 0) body = chooseFormat(data, t.dtype).fmt(data[0]);
  else if (t.numel() === 0) body = '[]';
  else {
    const summarize = t.numel() > THRESHOLD;
    body = render(data, t.shape, chooseFormat(data, t.dtype), summarize, 'tensor('.length - 1);
  }
  if (t.numel() === 0 && t.ndim > 1) suffix.unshift(`size=[${t.shape.join(', ')}]`);
  return `tensor(${body}${suffix.length ? ', ' + suffix.join(', ') : ''})`;
}

// Tensor: a stats line, then a table (small), heatmap (2-D), image ([1|3, H, W]) or the PyTorch-like text.
import { unpackArray, type TensorPayload } from '../../src/protocol';
import { gridView } from '../canvasGrid';
import { h, titleEl } from '../dom';
import { fmtNum, fmtShape } from '../format';
import { pickColormap, sourceFromNCHW, sourceMinMax, type Range } from '../imageGrid';
import type { View } from '../view';

/** The stats line as label/value pairs; NaN/Inf counts are flagged when non-zero. */
export function statsItems(p: TensorPayload): Array<{ label: string; value: string; flag?: boolean }> {
  const s = p.stats;
  return [
    { label: 'shape', value: fmtShape(p.shape) },
    { label: 'dtype', value: p.dtype + (p.requiresGrad ? ' · requires grad' : '') },
    { label: 'min', value: fmtNum(s.min) }, { label: 'max', value: fmtNum(s.max) },
    { label: 'mean', value: fmtNum(s.mean) }, { label: 'std', value: fmtNum(s.std) },
    { label: 'NaN', value: String(s.nan), flag: s.nan > 0 }, { label: 'Inf', value: String(s.inf), flag: s.inf > 0 },
  ];
}

function statsLine(p: TensorPayload): HTMLElement {
  const line = h('div', { class: 'lw-stats' });
  for (const it of statsItems(p)) {
    line.append(h('span', { class: it.flag ? 'lw-bad' : undefined }, `${it.label} `, h('b', {}, it.value), it.flag ? ' ⚠' : ''));
  }
  return line;
}

/** Rows × columns of a table view; a long 1-D tensor wraps every 16 values (row labels are then offsets). */
export function tableShape(shape: number[]): { rows: number; cols: number; wrapped: boolean } {
  if (shape.length === 2) return { rows: shape[0], cols: shape[1], wrapped: false };
  const n = shape.length === 0 ? 1 : shape[0];
  return n > 16 ? { rows: Math.ceil(n / 16), cols: 16, wrapped: true } : { rows: 1, cols: n, wrapped: false };
}

function table(values: ArrayLike<number>, shape: number[]): HTMLElement {
  const { rows, cols, wrapped } = tableShape(shape);
  const t = h('table', { class: 'lw-table lw-values' });
  const head = h('tr', {}, h('th', {}, ''));
  for (let c = 0; c < cols; c++) head.append(h('th', {}, String(c)));
  t.append(h('thead', {}, head));
  const body = h('tbody', {});
  for (let r = 0; r < rows; r++) {
    const tr = h('tr', {}, h('th', {}, String(wrapped ? r * cols : r)));
    for (let c = 0; c < cols && r * cols + c < values.length; c++) tr.append(h('td', {}, fmtNum(values[r * cols + c])));
    body.append(tr);
  }
  t.append(body);
  return t;
}

/** Image range: [0, 1] when the values already lie there, else their min → max. */
export function imageRange(values: ArrayLike<number>): Range {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  return lo >= 0 && hi <= 1 ? [0, 1] : [lo, hi];
}

function picture(p: TensorPayload, values: Float32Array | Int32Array, maxWidth: number): HTMLElement {
  const s = p.shape;
  if (p.view === 'image') {
    const rgb = s[0] === 3;
    const src = sourceFromNCHW(values, [1, s[0], s[1], s[2]], 0, rgb);
    const r = imageRange(values);
    return gridView({ source: src, ranges: [r], cmap: 'gray', maxWidth, target: 256, tileName: () => 'image',
      where: (_t, y, x) => `pixel (${y}, ${x})`, ariaLabel: `image ${fmtShape(s)}`,
      rangeText: rgb ? undefined : `${fmtNum(r[0])} → ${fmtNum(r[1])}` });
  }
  const src = sourceFromNCHW(values, [1, 1, s[0], s[1]]);
  const [lo, hi] = sourceMinMax(src);
  const cmap = pickColormap('sequential', lo);
  const m = Math.max(Math.abs(lo), Math.abs(hi));
  const range: Range = cmap === 'coolwarm' ? [-m, m] : [lo, hi];
  return gridView({ source: src, ranges: [range], cmap, maxWidth, target: 320, tileName: () => 'value',
    where: (_t, y, x) => `[${y}, ${x}]`, ariaLabel: `heatmap ${fmtShape(s)}`,
    rangeText: `${fmtNum(range[0])} → ${fmtNum(range[1])}` });
}

function body(p: TensorPayload, maxWidth: number): HTMLElement {
  const text = () => h('pre', { class: 'lw-pre' }, p.text);
  if (!p.data || p.view === 'stats') return text();
  const values = unpackArray(p.data);
  if (p.view === 'table' && p.shape.length <= 2) return table(values, p.shape);
  if (p.view === 'heatmap' && p.shape.length === 2) return picture(p, values, maxWidth);
  if (p.view === 'image' && p.shape.length === 3 && (p.shape[0] === 1 || p.shape[0] === 3)) return picture(p, values, maxWidth);
  return text();
}

export function tensorView(root: HTMLElement, payload: TensorPayload): View {
  const draw = (p: TensorPayload) => {
    const parts: HTMLElement[] = [];
    if (p.title) parts.push(titleEl(p.title, 'Tensor'));
    parts.push(statsLine(p), body(p, Math.max(240, (root.clientWidth || 760) - 16)));
    if (p.data && p.view !== 'stats' && p.view !== 'table') {
      parts.push(h('details', {}, h('summary', {}, 'values'), h('pre', { class: 'lw-pre' }, p.text)));
    }
    root.replaceChildren(...parts);
  };
  draw(payload);
  return { update: (p) => draw(p as TensorPayload), dispose: () => root.replaceChildren() };
}

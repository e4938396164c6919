/**
 * text/html fallbacks of the table-like figures (model summary, small tensors, progress): plain tables without
 * scripts, styles inline so sanitisers that strip <style> keep them readable.
 */
import { unpackArray, type ProgressPayload, type SummaryPayload, type TensorPayload } from '../../protocol';

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const TABLE = 'style="border-collapse:collapse;font-family:monospace;font-size:12px"';
const TD = 'style="padding:2px 8px;border-bottom:1px solid #ddd;text-align:right"';
const TDL = 'style="padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;white-space:pre"';
const TH = 'style="padding:2px 8px;border-bottom:2px solid #888;text-align:left"';

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const shape = (s: number[] | null) => (s ? `[${s.join(', ')}]` : '--');

function table(head: string[], rows: string[][], leftCols = 1, caption = ''): string {
  const cap = caption ? `<caption style="text-align:left;font-weight:bold;padding:4px 0">${escapeHtml(caption)}</caption>` : '';
  const th = head.map((h) => `<th ${TH}>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td ${i < leftCols ? TDL : TD}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<table ${TABLE}>${cap}<thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

/** torchinfo's columns (Layer (type), Output Shape, Param #) plus the MACs, and the totals below. */
export function summaryHtml(p: SummaryPayload): string {
  const rows = p.rows.filter((r) => r.depth > 0).map((r) => [
    `${'  '.repeat(Math.max(0, r.depth - 1))}${r.name.split('.').pop()} (${r.type})${r.warnings.length ? ' ⚠' : ''}`,
    shape(r.inputShape), shape(r.outputShape), r.params ? thousands(r.params) : '--', r.macs ? thousands(r.macs) : '--',
  ]);
  const t = p.totals;
  const totals = [
    `Total params: ${thousands(t.params)}`, `Trainable params: ${thousands(t.trainable)}`,
    `Non-trainable params: ${thousands(t.nonTrainable)}`, `Total mult-adds: ${thousands(t.macs)}`,
    `Activations (forward): ${(t.activationBytes / 2 ** 20).toFixed(2)} MB`,
  ];
  return `<div>${table(['Layer (type)', 'Input Shape', 'Output Shape', 'Param #', 'Mult-Adds'], rows, 1, p.title ?? p.model)}` +
    `<pre style="margin:4px 0">${escapeHtml(totals.join('\n'))}</pre></div>`;
}

const cell = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(4) : v.toFixed(4));

/** A small tensor (≤ 64 values, ≤ 2-D) as a table; null for the other views. */
export function tensorTableHtml(p: TensorPayload): string | null {
  if (p.view !== 'table' || !p.data) return null;
  const v = unpackArray(p.data);
  const [r, c] = p.shape.length === 2 ? p.shape : p.shape.length === 1 ? [1, p.shape[0]] : [1, 1];
  const rows = Array.from({ length: r }, (_, i) => [String(i), ...Array.from({ length: c }, (_, j) => cell(v[i * c + j]))]);
  const caption = `tensor [${p.shape.join(', ')}] ${p.dtype}${p.requiresGrad ? ', requires grad' : ''}`;
  return table(['', ...Array.from({ length: c }, (_, j) => String(j))], rows, 0, caption);
}

export function progressHtml(p: ProgressPayload, text: string): string {
  const pct = p.total > 0 ? Math.min(100, Math.round((100 * p.done) / p.total)) : 0;
  return `<div style="font-family:monospace;font-size:12px"><div style="width:240px;height:8px;background:#e4e4e4;display:inline-block">` +
    `<div style="width:${pct}%;height:8px;background:#1a85ff"></div></div> ${escapeHtml(text)}</div>`;
}

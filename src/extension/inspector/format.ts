/** Pure text for the Layers tree: descriptions, Markdown tooltips with the arithmetic, the Markdown summary table. */
import { fmtShape, thousands } from '../../runtime/shape';
import { describeLocation, parseConstructedAt } from './location';
import type { InspectModel, InspectRow, Totals } from './types';

/** Thousands separators; `?` for a number that is not known (NaN in drafts). */
export const num = (n: number): string => (Number.isFinite(n) ? thousands(n) : '?');

export const shapeText = (s: readonly number[] | null | undefined): string => (s ? fmtShape(s) : '?');

/** 4089184256 → "4.09 G"; 1728 → "1,728". */
export function macsText(macs: number): string {
  if (!Number.isFinite(macs)) return '?';
  if (macs >= 1e9) return `${thousands(macs)} (${(macs / 1e9).toFixed(2)} G)`;
  if (macs >= 1e6) return `${thousands(macs)} (${(macs / 1e6).toFixed(2)} M)`;
  return thousands(macs);
}

export const bytesText = (b: number): string => (!Number.isFinite(b) ? '?' : b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(2)} MB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KB` : `${b} B`);

export const paramsText = (n: number): string => `${num(n)} param${n === 1 ? '' : 's'}`;

/** A leaf's description: "[1, 64, 55, 55] · 23,296 params" (shape "?" when unknown). */
export function leafDescription(row: InspectRow): string {
  if (row.error) return `✗ ${row.error}`;
  return `${shapeText(row.outputShape)} · ${paramsText(row.paramsTotal)}${row.warnings.length ? ' ⚠' : ''}`;
}

/** A container's description: "→ [1, 256, 6, 6] · 2,469,696 params". */
export function containerDescription(row: InspectRow): string {
  return `→ ${shapeText(row.outputShape)} · ${paramsText(row.paramsTotal)}${row.warnings.length ? ' ⚠' : ''}`;
}

const SOURCE_TEXT = { forward: 'the last forward pass', summary: 'the last summary() call', declared: 'the declared inputShape' } as const;

export function shapeOrigin(model: InspectModel): string {
  if (!model.source || !model.inputShape) return `shapes unknown: run ${model.name} once, call summary(${model.name}, [...]), or set ${model.name}.inputShape = [...]`;
  return `input ${model.inputShape.map(fmtShape).join(', ')} from ${SOURCE_TEXT[model.source]}`;
}

export function totalsLines(t: Totals): Array<[string, string]> {
  return [
    ['Parameters', num(t.params)],
    ['Trainable', num(t.trainable)],
    ['Non-trainable', num(t.nonTrainable)],
    ['MACs', t.macs ? macsText(t.macs) : '?'],
    ['Activations', t.activationBytes ? bytesText(t.activationBytes) : '?'],
  ];
}

const fence = (lines: string[]): string => ['```text', ...lines, '```'].join('\n');

/** The layer tooltip: what it is, shapes in and out, the arithmetic with numbers plugged in, warnings, origin. */
export function layerTooltip(row: InspectRow, model: InspectModel): string {
  const parts = [`**${model.name}${row.name ? '.' + row.name : ''}** — \`${row.type}\``];
  parts.push(`${shapeText(row.inputShape)} → ${shapeText(row.outputShape)}`);
  if (row.formulas.length) parts.push(fence(row.formulas));
  const stats = [`params: ${num(row.paramsTotal)}${row.paramsTotal !== row.trainable && row.isLeaf ? ` (trainable ${num(row.trainable)})` : ''}`];
  if (row.macs) stats.push(`MACs: ${macsText(row.macs)}`);
  parts.push(stats.join(' · '));
  for (const w of row.warnings) parts.push(`⚠ **Stride does not fit:** ${w}`);
  if (row.error) parts.push(`✗ ${row.error}`);
  if (!row.outputShape) parts.push(`_${shapeOrigin(model)}_`);
  const where = describeLocation(parseConstructedAt(row.constructedAt));
  if (where) parts.push(`constructed at ${where} (click to reveal)`);
  return parts.join('\n\n');
}

export function modelTooltip(model: InspectModel): string {
  const rows = totalsLines(model.totals).map(([k, v]) => `| ${k} | ${v} |`);
  const parts = [`**${model.name}** — \`${model.type}\``, shapeOrigin(model), ['| | |', '|---|---:|', ...rows].join('\n')];
  if (model.error) parts.push(`⚠ ${model.error}`);
  return parts.join('\n\n');
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** A Markdown summary table (Layer (type) | Input | Output | Param # | MACs) with totals, for the clipboard. */
export function summaryMarkdown(model: InspectModel): string {
  const head = ['| Layer (type) | Input shape | Output shape | Param # | MACs |', '|---|---|---|---:|---:|'];
  const body = model.rows.filter((r) => r.depth > 0).map((r) => {
    const name = `${'&nbsp;&nbsp;'.repeat(Math.max(0, r.depth - 1))}${r.name.split('.').pop()} (${r.type})${r.warnings.length ? ' ⚠' : ''}`;
    const params = r.isLeaf || r.params ? num(r.params) : '--';
    return `| ${cell(name)} | ${shapeText(r.inputShape)} | ${shapeText(r.outputShape)} | ${params} | ${r.macs ? num(r.macs) : ''} |`;
  });
  const totals = totalsLines(model.totals).map(([k, v]) => `- ${k}: ${v}`);
  return [`**${model.name}** (${model.type}) — ${shapeOrigin(model)}`, '', ...head, ...body, '', ...totals, ''].join('\n');
}

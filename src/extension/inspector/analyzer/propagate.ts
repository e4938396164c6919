/** Propagates a draft model's input shape through its layers → summary-like rows and one inline hint per layer. */
import type * as TS from 'typescript';
import { fmtShape, numel, thousands } from '../../../runtime/shape';
import type { InspectModel, InspectRow } from '../types';
import type { DraftLayer } from './layers';
import type { DraftHint, DraftSource } from './index';

export interface SourceInfo {
  sf: TS.SourceFile;
  src: DraftSource;
}

const num = (n: number): string => (Number.isFinite(n) ? thousands(n) : '?');
const shape = (s: number[] | null): string => (s ? fmtShape(s) : '?');

/** "→ [1, 64, 224, 224] · 1,792 params", "→ ? · ? params", "→ ✗ Conv2d(64, …) expects 64 input channels, got 3". */
export function hintLabel(out: number[] | null, params: number, error?: string, hasParams = true): string {
  if (error) return `→ ✗ ${error}`;
  return `→ ${shape(out)}${hasParams || !Number.isFinite(params) || params ? ` · ${num(params)} params` : ''}`;
}

function location(info: SourceInfo | undefined, pos: number): string | null {
  if (!info) return null;
  const { line, character } = info.sf.getLineAndCharacterOfPosition(pos);
  if (info.src.cellIndex !== undefined) return `Cell ${info.src.cellIndex + 1}:${line + 1}:${character + 1}`;
  return info.src.file ? `${info.src.file}:${line + 1}:${character + 1}` : null;
}

interface Walk {
  rows: InspectRow[];
  infos: Map<string, SourceInfo>;
  hints: Map<string, DraftHint>;
  macs: number;
  actElems: number;
}

function addHint(w: Walk, layer: DraftLayer, row: InspectRow): void {
  if (!layer.at) return;
  const id = `${layer.at.key}@${layer.at.end}`;
  const state = row.error ? 'error' : row.warnings.length ? 'warning' : row.outputShape ? 'known' : 'unknown';
  const prev = w.hints.get(id);
  if (prev && prev.state !== 'unknown' && state === 'unknown') return; // a model that knows more already said it
  const hasParams = layer.params !== 0 || ['Conv2d', 'Conv1d', 'Linear'].includes(layer.type);
  const tip = [`**${row.type}** ${shape(row.inputShape)} → ${shape(row.outputShape)}`];
  const formulas = row.formulas.length ? row.formulas : layer.paramFormulas;
  if (formulas.length) tip.push(['```text', ...formulas, '```'].join('\n'));
  tip.push(...row.warnings.map((x) => `⚠ **Stride does not fit:** ${x}`));
  if (row.error) tip.push(`✗ ${row.error}`);
  if (!row.outputShape && !row.error) tip.push('_`?`: not known before running (no literal input shape or a non-literal argument)_');
  w.hints.set(id, { key: layer.at.key, offset: layer.at.end, label: hintLabel(row.outputShape, layer.params, row.error, hasParams), tooltip: tip.join('\n\n'), state });
}

function walk(w: Walk, layer: DraftLayer, input: number[] | null, name: string, depth: number): number[] | null {
  const isLeaf = layer.type !== 'Sequential';
  const row: InspectRow = {
    name, type: layer.type, depth, inputShape: input, outputShape: null, params: isLeaf ? layer.params : 0, trainable: isLeaf ? layer.params : 0,
    macs: 0, formulas: [], warnings: [], paramsTotal: layer.params, isLeaf, constructedAt: layer.at ? location(w.infos.get(layer.at.key), layer.at.pos) : null,
  };
  w.rows.push(row);
  if (isLeaf) {
    const step = layer.apply(input);
    Object.assign(row, { outputShape: step.out, formulas: step.formulas.length ? step.formulas : layer.paramFormulas, warnings: step.warnings, macs: step.macs });
    if (step.error) row.error = step.error;
    w.macs += step.macs;
    w.actElems += step.out && Number.isFinite(step.macs) ? numel(step.out) : NaN; // zoo models are opaque inside
  } else {
    let cur = input;
    layer.children.forEach((c, i) => (cur = walk(w, c, cur, name ? `${name}.${i}` : String(i), depth + 1)));
    row.outputShape = cur;
  }
  addHint(w, layer, row);
  return row.outputShape;
}

export function modelFromDraft(name: string, layer: DraftLayer, input: number[] | null, infos: Map<string, SourceInfo>, hints: Map<string, DraftHint>): InspectModel {
  const w: Walk = { rows: [], infos, hints, macs: 0, actElems: 0 };
  walk(w, layer, input, '', 0);
  const p = layer.params;
  return {
    name, type: layer.type, source: input ? 'declared' : null, inputShape: input ? [input] : null, rows: w.rows,
    totals: { params: p, trainable: p, nonTrainable: Number.isFinite(p) ? 0 : NaN, macs: w.macs, activationBytes: w.actElems * 4 },
  };
}

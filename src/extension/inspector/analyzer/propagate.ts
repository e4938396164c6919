/**
 * A drafted model's rows: summary() of the meta-built model (traceSummary keeps the rows up to a layer that does
 * not fit or is unknown), the construction sites as `constructedAt`, `?` with the reason where a value is unknown,
 * and one inline hint per layer expression.
 */
import type * as TS from 'typescript';
import { fmtShape, thousands } from '../../../runtime/shape';
import type { InspectModel, InspectRow } from '../types';
import type { Module, RT } from './runtime';
import { Failure, placeholderReason, UnknownSignal } from './values';
import type { DraftHint, DraftSource } from './index';

export interface SourceInfo {
  sf: TS.SourceFile;
  src: DraftSource;
}

/** Where each layer expression was written. */
export interface Site {
  key: string;
  pos: number;
  end: number;
}

const num = (n: number): string => (Number.isFinite(n) ? thousands(n) : '?');
const shape = (s: number[] | null): string => (s ? fmtShape(s) : '?');

/** "→ [1, 64, 224, 224] · 1,792 params", "→ ? · ? params", "→ ✗ conv2d: expected input …". */
export function hintLabel(out: number[] | null, params: number, error?: string, hasParams = true): string {
  if (error) return `→ ✗ ${error}`;
  return `→ ${shape(out)}${hasParams || !Number.isFinite(params) || params ? ` · ${num(params)} params` : ''}`;
}

export function location(info: SourceInfo | undefined, pos: number): string | null {
  if (!info) return null;
  const { line, character } = info.sf.getLineAndCharacterOfPosition(pos);
  if (info.src.cellIndex !== undefined) return `Cell ${info.src.cellIndex + 1}:${line + 1}:${character + 1}`;
  return info.src.file ? `${info.src.file}:${line + 1}:${character + 1}` : null;
}

export interface Drafting {
  rt: RT;
  infos: Map<string, SourceInfo>;
  sites: Map<Module | Failure, Site>;
  hints: Map<string, DraftHint>;
}

const NO_INPUT =
  'no input shape known before running: set `model.inputShape = [...]`, call `summary(model, [...])` or `model(randn([...]))`';

function addHint(d: Drafting, m: Module | Failure, row: InspectRow | null, why: string | null, hasParams: boolean): void {
  const at = d.sites.get(m);
  if (!at) return;
  const id = `${at.key}@${at.end}`;
  if (m instanceof Failure) {
    d.hints.set(id, { key: at.key, offset: at.end, label: hintLabel(null, NaN, m.message), tooltip: `✗ ${m.message}`, state: 'error' });
    return;
  }
  if (!row) return;
  const state = row.error ? 'error' : row.warnings.length ? 'warning' : row.outputShape ? 'known' : 'unknown';
  const prev = d.hints.get(id);
  if (prev && prev.state !== 'unknown' && state === 'unknown') return; // a model that knows more already said it
  const tip = [`**${row.type}** ${shape(row.inputShape)} → ${shape(row.outputShape)}`];
  if (row.formulas.length) tip.push(['```text', ...row.formulas, '```'].join('\n'));
  tip.push(...row.warnings.map((x) => `⚠ **Stride does not fit:** ${x}`));
  if (row.error) tip.push(`✗ ${row.error}`);
  if (!row.outputShape && !row.error) tip.push(`_\`?\`: ${why ?? NO_INPUT}_`);
  d.hints.set(id, {
    key: at.key,
    offset: at.end,
    label: hintLabel(row.outputShape, row.paramsTotal, row.error, hasParams),
    tooltip: tip.join('\n\n'),
    state,
  });
}

/** The Draft model of the top-level binding `name` holding `model`, with `input` when one is declared. */
export function draftModel(
  d: Drafting,
  name: string,
  model: Module,
  input: number[][] | null,
  dtype?: 'float32' | 'float64' | 'int32',
): InspectModel {
  const mods = model.modules();
  const { result, failure } = d.rt.traceSummary(model, input, { dtype });
  const unknownMods = new Map(mods.flatMap((m) => (placeholderReason(m) ? [[m, placeholderReason(m)!] as const] : [])));
  const failedUnknown = failure?.error instanceof UnknownSignal ? failure.error.reason : null;
  const why = failure ? (failedUnknown ?? `the layer before failed: ${(failure.error as Error)?.message}`) : input ? null : NO_INPUT;
  const rows: InspectRow[] = result.rows.map((r, i) => {
    const m = mods[i];
    const at = d.sites.get(m);
    const row: InspectRow = { ...r, constructedAt: at ? location(d.infos.get(at.key), at.pos) : null };
    if (unknownMods.has(m)) Object.assign(row, { params: NaN, trainable: NaN, paramsTotal: NaN });
    else if (m.modules().some((c) => unknownMods.has(c))) Object.assign(row, { paramsTotal: NaN });
    if (failure && m === failure.module) {
      row.inputShape = failure.input;
      if (!failedUnknown) row.error = (failure.error as Error)?.message ?? String(failure.error);
    }
    return row;
  });
  const hasUnknown = unknownMods.size > 0;
  [...mods.keys()].reverse().forEach((i) => {
    // leaves first: a container's hint never hides its layer's
    const m = mods[i];
    const own = placeholderReason(m) ?? (failure && m === failure.module && failedUnknown ? failedUnknown : why);
    addHint(d, m, rows[i], own, hasUnknown && rows[i].paramsTotal !== 0 ? true : m.parameters().length > 0 || !!placeholderReason(m));
  });
  const totals = hasUnknown ? { ...result.totals, params: NaN, trainable: NaN, nonTrainable: NaN } : result.totals;
  const out: InspectModel = {
    name,
    type: model.constructor.name || 'Module',
    source: input ? 'declared' : null,
    inputShape: input,
    rows,
    totals,
  };
  if (failure) out.error = failedUnknown ? `? ${failedUnknown}` : `${failure.where}: ${(failure.error as Error)?.message}`;
  return out;
}

/** Hints for constructions that failed outright (the runtime refused the arguments). */
export function failureHints(d: Drafting): void {
  for (const k of d.sites.keys()) if (k instanceof Failure) addHint(d, k, null, null, false);
}

/**
 * nbformat 4 notebooks: types (unknown fields preserved), reading, atomic writing (temp file + rename, so a crash
 * never leaves a half-written notebook) and conversion of executor events into nbformat outputs.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { MimeBundle } from '../protocol';
import { CELL_ID_PATTERN, KERNELSPEC, LANGUAGE_INFO } from '../protocol/notebook';

export type MultilineString = string | string[];
type Extra = { [key: string]: unknown };

export interface StreamOutput extends Extra {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: MultilineString;
}
export interface DisplayDataOutput extends Extra {
  output_type: 'display_data';
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput extends Extra {
  output_type: 'execute_result';
  execution_count: number | null;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput extends Extra {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
export type NotebookOutput = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CodeCell extends Extra {
  cell_type: 'code';
  id?: string;
  source: MultilineString;
  metadata: Record<string, unknown>;
  outputs: NotebookOutput[];
  execution_count: number | null;
}
export interface TextCell extends Extra {
  cell_type: 'markdown' | 'raw';
  id?: string;
  source: MultilineString;
  metadata: Record<string, unknown>;
}
export type NotebookCell = CodeCell | TextCell;

export interface NotebookJson extends Extra {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

export function sourceText(s: MultilineString | undefined): string {
  return Array.isArray(s) ? s.join('') : (s ?? '');
}

/** nbformat's multiline string form: lines keeping their '\n'. */
export function toLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

export function parseNotebook(text: string, where = 'notebook'): NotebookJson {
  let nb: NotebookJson;
  try {
    nb = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new Error(`${where} is not valid JSON: ${(e as Error).message}`);
  }
  if (!nb || typeof nb !== 'object' || !Array.isArray(nb.cells)) throw new Error(`${where} has no "cells" array`);
  if (nb.nbformat !== 4) throw new Error(`${where} is nbformat ${nb.nbformat}; only nbformat 4 is supported`);
  nb.metadata ??= {};
  for (const c of nb.cells) {
    c.metadata ??= {};
    if (c.cell_type === 'code') {
      c.outputs ??= [];
      c.execution_count ??= null;
    }
  }
  return nb;
}

export async function readNotebook(file: string): Promise<NotebookJson> {
  return parseNotebook(await fs.readFile(file, 'utf8'), file);
}

/**
 * Makes a notebook nbformat 4.5 as Jupyter writes it: a unique id on every cell (valid ones kept, others
 * replaced), nbformat_minor ≥ 5, the Layerwise kernelspec when none is set and a full language_info for
 * TypeScript. Returns the same object.
 */
export function toNbformat45(nb: NotebookJson): NotebookJson {
  const seen = new Set<string>();
  const fresh = (): string => {
    let id: string;
    do id = randomBytes(4).toString('hex'); while (seen.has(id));
    return id;
  };
  for (const c of nb.cells) {
    const ok = typeof c.id === 'string' && CELL_ID_PATTERN.test(c.id) && !seen.has(c.id);
    c.id = ok ? c.id! : fresh();
    seen.add(c.id);
  }
  if (nb.nbformat_minor < 5) nb.nbformat_minor = 5;
  nb.metadata.kernelspec ??= { ...KERNELSPEC };
  const info = nb.metadata.language_info as { name?: string } | undefined;
  if (!info || !info.name || info.name.toLowerCase() === 'typescript') nb.metadata.language_info = { ...LANGUAGE_INFO, ...info };
  return nb;
}

/** Jupyter's layout: one-space indentation, trailing newline. */
export function serializeNotebook(nb: NotebookJson): string {
  return `${JSON.stringify(nb, null, 1)}\n`;
}

/** Writes to a temp file in the same folder, flushes it, then renames over the target (as nbformat 4.5). */
export async function writeNotebook(file: string, nb: NotebookJson): Promise<void> {
  toNbformat45(nb);
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(serializeNotebook(nb), 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * A MIME bundle as nbformat `data`: text-like payloads as line arrays, JSON payloads as objects; text/plain is
 * always there (every front end can show it).
 */
export function bundleToData(bundle: MimeBundle): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (typeof bundle['text/plain'] !== 'string') bundle = { ...bundle, 'text/plain': '' };
  for (const [mime, value] of Object.entries(bundle)) {
    const textual = mime.startsWith('text/') || mime === 'image/svg+xml' || mime === 'application/javascript';
    data[mime] = typeof value === 'string' && textual ? toLines(value) : value;
  }
  return data;
}

export function errorOutput(error: { name: string; message: string; stack: string }): ErrorOutput {
  return { output_type: 'error', ename: error.name, evalue: error.message, traceback: error.stack.split('\n') };
}

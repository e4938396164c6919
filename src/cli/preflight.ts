/**
 * Checks `layerwise run` makes before any cell runs, so a run never ends by losing its work: the notebook is one
 * this executor can run (TypeScript/JavaScript), and every output folder exists (created) and is writable.
 */
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { sourceText, type NotebookJson } from './notebook';

export const TS_LANGS = new Set(['typescript', 'javascript', 'ts', 'js', 'tslab', 'jslab']);

/** The notebook's language as its metadata states it (language_info, then kernelspec), lower-cased; undefined if none. */
export function notebookLanguage(nb: NotebookJson): string | undefined {
  const info = nb.metadata.language_info as { name?: unknown } | undefined;
  const spec = nb.metadata.kernelspec as { language?: unknown; name?: unknown } | undefined;
  const lang = [info?.name, spec?.language].find((v) => typeof v === 'string' && v.trim());
  return typeof lang === 'string' ? lang.trim().toLowerCase() : undefined;
}

/** Why this notebook cannot be run here, or undefined when it can. */
export function foreignNotebook(nb: NotebookJson, file: string, runnable: number): string | undefined {
  const lang = notebookLanguage(nb);
  const spec = nb.metadata.kernelspec as { name?: unknown } | undefined;
  const kernel = typeof spec?.name === 'string' ? ` (kernel '${spec.name}')` : '';
  if (lang && !TS_LANGS.has(lang)) {
    return `${file} is a ${lang} notebook${kernel}; layerwise runs TypeScript and JavaScript notebooks. Nothing was run or written.`;
  }
  const code = nb.cells.filter((c) => c.cell_type === 'code' && sourceText(c.source).trim()).length;
  if (code > 0 && runnable === 0) {
    return `${file}: none of its ${code} code cells is TypeScript or JavaScript; nothing to run. Nothing was written.`;
  }
  return undefined;
}

/** Creates the folder of each output file and checks it can be written; returns a message when it cannot. */
export async function prepareOutputs(files: Array<string | undefined>): Promise<string | undefined> {
  for (const f of files) {
    if (!f) continue;
    const target = path.resolve(f);
    const dir = path.dirname(target);
    try {
      await fs.mkdir(dir, { recursive: true });
      await fs.access(dir, constants.W_OK);
    } catch (e) {
      return `cannot write ${f}: ${(e as NodeJS.ErrnoException).code === 'EACCES' ? `the folder ${dir} is not writable` : (e as Error).message}. Nothing was run.`;
    }
    const st = await fs.stat(target).catch(() => null);
    if (st?.isDirectory()) return `cannot write ${f}: it is a folder. Nothing was run.`;
  }
  return undefined;
}

/** Whether two paths name the same file (the notebook written in place). */
export async function sameFile(a: string, b: string): Promise<boolean> {
  const real = async (p: string): Promise<string> => fs.realpath(p).catch(() => path.resolve(p));
  return (await real(a)) === (await real(b));
}

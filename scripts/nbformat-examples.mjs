#!/usr/bin/env node
// Makes notebooks nbformat 4.5 as Jupyter writes them, touching metadata only (sources and outputs are kept):
// a cell id on every cell (existing valid ids kept; missing ones derived from the file name and cell index, so a
// rerun gives the same ids), nbformat_minor 5, the Layerwise kernelspec and a full TypeScript language_info
// (the same values as src/protocol/notebook.ts). Usage: node scripts/nbformat-examples.mjs [files…]
// (default: examples/*.ipynb). make-examples.mjs calls normalizeNotebook on what it writes.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const KERNELSPEC = { name: 'layerwise', display_name: 'Layerwise (TypeScript)', language: 'typescript' };
const LANGUAGE_INFO = { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript',
  codemirror_mode: { name: 'javascript', typescript: true }, pygments_lexer: 'typescript' };
const ID = /^[a-zA-Z0-9-_]{1,64}$/;

export function normalizeNotebook(nb, name) {
  const seen = new Set();
  nb.cells = nb.cells.map((c, i) => {
    let id = typeof c.id === 'string' && ID.test(c.id) && !seen.has(c.id) ? c.id : null;
    for (let k = 0; !id || seen.has(id); k++) id = createHash('sha1').update(`${name}#${i}#${k}`).digest('hex').slice(0, 8);
    seen.add(id);
    const { cell_type, ...rest } = c;
    return { cell_type, id, ...rest };
  });
  nb.nbformat = 4;
  nb.nbformat_minor = Math.max(5, nb.nbformat_minor ?? 0);
  nb.metadata ??= {};
  nb.metadata.kernelspec ??= { ...KERNELSPEC };
  if (!nb.metadata.language_info?.name || nb.metadata.language_info.name === 'typescript') {
    nb.metadata.language_info = { ...LANGUAGE_INFO, ...nb.metadata.language_info };
  }
  return nb;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const files = process.argv.slice(2).length ? process.argv.slice(2)
    : readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ipynb') && !f.includes('.executed.')).map((f) => join(root, 'examples', f));
  for (const f of files) {
    const nb = normalizeNotebook(JSON.parse(readFileSync(f, 'utf8')), basename(f, '.ipynb'));
    writeFileSync(f, JSON.stringify(nb, null, 1) + '\n');
    console.log(`${f}: ${nb.cells.length} cells with ids`);
  }
}

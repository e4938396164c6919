#!/usr/bin/env node
// npm run gallery: runs every example notebook headlessly and writes one standalone HTML page per notebook (the CLI's
// --html report) plus an index page, by topic and by lecture, into gallery/ (or --out DIR). Works offline.
//   node scripts/gallery.mjs [--out DIR] [name.ipynb ...]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const out = resolve(outIdx >= 0 ? args[outIdx + 1] : join(root, 'gallery'));
const only = args.filter((a, i) => a.endsWith('.ipynb') && !(outIdx >= 0 && i === outIdx + 1));
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ipynb') && !f.includes('.executed.')).sort();
/** The notebooks to (re)run; the index always lists every example. */
const toRun = examples.filter((f) => !only.length || only.includes(f));

/** The lectures (seeds of ../shared/reference/lecture-items.md): id prefix → title. */
export const LECTURES = [
  { prefix: 'Z', title: 'Zimmermann — Elementary layers and their issues', where: 'CTU Prague' },
  { prefix: 'R', title: 'Ryu — Chapter 3: Convolutional Neural Networks', where: 'Mathematical Foundations of Deep Neural Networks, SNU, Fall 2022' },
  { prefix: 'F', title: 'Fleuret — 5. Losses, optimization, and initialization', where: 'EE-559 Deep learning, EPFL' },
  { prefix: 'P', title: 'Prince — Residual networks', where: 'Understanding Deep Learning, ch. 11' },
  { prefix: 'S', title: 'Raschka — Lecture 10: Feature normalization and weight initialization', where: 'STAT 453, UW–Madison, Spring 2020' },
];

const ORDER = ['getting-started.ipynb', 'activations.ipynb', 'initialization.ipynb', 'batchnorm.ipynb', 'residual.ipynb',
  'conv-arithmetic.ipynb', 'pooling.ipynb', 'architectures.ipynb', 'cross-entropy.ipynb', 'optimizers.ipynb', 'regularization.ipynb',
  'autodiff.ipynb'];

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const src = (c) => (Array.isArray(c.source) ? c.source.join('') : c.source ?? '');
/** Inline markdown of the first cell, enough for the index: **bold**, *italic*, `code`. */
const inline = (s) => esc(s).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>').replace(/\*(.+?)\*/g, '<i>$1</i>').replace(/`(.+?)`/g, '<code>$1</code>');

/** Title, "Follows" sentence and item ids from a notebook's first markdown cell. */
export function describe(nbPath) {
  const nb = JSON.parse(readFileSync(nbPath, 'utf8'));
  const first = src(nb.cells.find((c) => c.cell_type === 'markdown') ?? { source: '' });
  const title = (/^#\s+(.+)$/m.exec(first) ?? [])[1] ?? nbPath;
  const follows = (/\*\*Follows\*\*\s*([\s\S]+?)(?:\n\n|$)/.exec(first) ?? [])[1]?.replace(/\s+/g, ' ').trim() ?? '';
  const itemsLine = (/\*\*Lecture items shown here:\*\*([\s\S]+?)(?:\n\n|$)/.exec(first) ?? [])[1] ?? '';
  const items = itemsLine.replace(/\([^)]*\)/g, '').split(',').map((s) => s.replace(/\./g, '').trim()).filter(Boolean);
  const intro = follows ? '' : first.replace(/^#.*$/m, '').trim().split('\n\n')[0].replace(/\s+/g, ' ');
  return { title, follows, items, intro };
}

const CSS = `
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: #222; background: #fff; }
main { max-width: 980px; margin: 0 auto; padding: 28px 24px 60px; }
h1 { font-size: 26px; margin: 0 0 6px; } h2 { font-size: 19px; margin: 34px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.lead { color: #555; margin: 0 0 10px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr)); gap: 14px; }
.card { border: 1px solid #d8d8d8; border-radius: 8px; padding: 12px 14px; }
.card a.t { font-weight: 600; font-size: 16px; color: #0b57d0; text-decoration: none; } .card a.t:hover { text-decoration: underline; }
.card p { margin: 6px 0 0; font-size: 13px; color: #444; }
.ids { font: 12px/1.6 ui-monospace, monospace; color: #555; }
.lecture { margin: 14px 0 4px; font-weight: 600; } .where { font-weight: 400; color: #666; font-size: 13px; }
ul.by { margin: 4px 0 0; padding-left: 20px; } ul.by li { margin: 2px 0; }
.missing { color: #8a5a00; font-size: 13px; }
footer { margin-top: 40px; color: #777; font-size: 12px; }
code { font-family: ui-monospace, monospace; font-size: 12.5px; background: #f3f3f3; padding: 0 3px; border-radius: 3px; }
`;

export function indexPage(entries, allIds) {
  const byLecture = LECTURES.map((l) => {
    const rows = entries.map((e) => ({ e, ids: e.items.filter((id) => id.startsWith(l.prefix)) })).filter((r) => r.ids.length);
    const lectureIds = allIds.filter((id) => id.startsWith(l.prefix));
    const shown = new Set(rows.flatMap((r) => r.ids));
    const notShown = lectureIds.filter((id) => !shown.has(id));
    return `<div class="lecture">${esc(l.title)} <span class="where">— ${esc(l.where)}</span></div><ul class="by">` +
      rows.map((r) => `<li><a href="${esc(r.e.page)}">${esc(r.e.title)}</a> <span class="ids">${esc(r.ids.join(' '))}</span></li>`).join('') + '</ul>' +
      (lectureIds.length ? `<div class="missing">${shown.size} of ${lectureIds.length} items shown${notShown.length ? `; not shown: <span class="ids">${esc(notShown.join(' '))}</span>` : ''}</div>` : '');
  }).join('\n');
  const cards = entries.map((e) => `<div class="card"><a class="t" href="${esc(e.page)}">${esc(e.title)}</a>` +
    `<p>${inline(e.follows || e.intro)}</p>` + (e.items.length ? `<p class="ids">${esc(e.items.join(' '))}</p>` : '') +
    `<p><a href="${esc(e.notebook)}">executed notebook (.ipynb)</a></p></div>`).join('\n');
  const shownCount = new Set(entries.flatMap((e) => e.items)).size;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Layerwise lecture gallery</title><style>${CSS}</style></head><body><main>
<h1>Layerwise lecture gallery</h1>
<p class="lead">The deep-learning lectures' worked numbers, formulas and experiments, reproduced in TypeScript notebooks and run by
Layerwise's WASM runtime. Each page states a lecture's claim, runs the code and prints the number or figure next to it.
${allIds.length ? `${shownCount} of the ${allIds.length} checkable lecture items are shown.` : ''}</p>
<h2>By topic</h2><div class="cards">${cards}</div>
<h2>By lecture</h2>${byLecture}
<footer>Generated by <code>npm run gallery</code> from <code>examples/*.ipynb</code>; every page works offline.</footer>
</main></body></html>\n`;
}

/** Item ids of lecture-items.md, when the shared reference is present (for the "not shown" lists). */
function allItemIds() {
  for (const p of [join(root, '..', 'shared', 'reference', 'lecture-items.md'), join(root, '..', '..', 'shared', 'reference', 'lecture-items.md')]) {
    try {
      return [...readFileSync(p, 'utf8').matchAll(/^\| ([A-Z]\d+[a-z]?) \|/gm)].map((m) => m[1]);
    } catch { /* not in this checkout */ }
  }
  return [];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(out, { recursive: true });
  const entries = [];
  const failed = [];
  for (const f of examples) {
    const name = f.replace(/\.ipynb$/, '');
    entries.push({ ...describe(join(root, 'examples', f)), page: `${name}.html`, notebook: f });
    if (!toRun.includes(f)) continue;
    const t0 = Date.now();
    try {
      execFileSync(process.execPath, [join(root, 'bin/layerwise.js'), 'run', join(root, 'examples', f), '--out', join(out, f), '--html', join(out, `${name}.html`)],
        { stdio: ['ignore', 'ignore', 'pipe'] });
      console.log(`gallery: ${name}.html (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (err) {
      // the CLI still writes the page up to the failing cell, with the error shown there; keep going, fail at the end
      failed.push(name);
      console.error(`gallery: ${name} FAILED: ${String(err.stderr ?? err.message).split('\n').find((l) => /ERROR|Error/.test(l)) ?? err.message}`);
    }
  }
  // the order of a course: getting started, then the topics as the lectures build on each other; others last
  const rank = (e) => { const i = ORDER.indexOf(e.notebook); return i < 0 ? ORDER.length : i; };
  entries.sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title));
  writeFileSync(join(out, 'index.html'), indexPage(entries, allItemIds()));
  console.log(`gallery: wrote ${join(out, 'index.html')} (${entries.length} notebooks, ${toRun.length} run now)`);
  if (failed.length) {
    console.error(`gallery: ${failed.length} notebook(s) failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

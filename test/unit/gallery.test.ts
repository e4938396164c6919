// scripts/gallery.mjs: what the index page says about each notebook (title, lecture, item ids) and about each lecture
// (which notebooks show its items, which items are not shown). Running the notebooks is examples.test.ts's job.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const script = resolve(__dirname, '../../scripts/gallery.mjs');
type Entry = { title: string; follows: string; items: string[]; intro: string; page: string; notebook: string };
let gallery: { describe(p: string): Omit<Entry, 'page' | 'notebook'>; indexPage(e: Entry[], ids: string[]): string };

describe('gallery index', () => {
  before(async () => {
    gallery = await import(script);
  });

  const nb = (first: string) => {
    const p = join(mkdtempSync(join(tmpdir(), 'lw-gallery-')), 'x.ipynb');
    writeFileSync(p, JSON.stringify({ cells: [{ cell_type: 'markdown', source: first.split(/(?<=\n)/) }, { cell_type: 'code', source: '1' }] }));
    return p;
  };

  it('reads the title, the lecture followed and item ids that wrap over several lines', () => {
    const d = gallery.describe(nb('# Pooling & more\n\n**Follows** Ryu, *Ch. 3*, slides\n"Pooling".\n\n**Lecture items shown here:** R6, R7,\nZ2, F29 (with a hook, see there), F30.'));
    assert.equal(d.title, 'Pooling & more');
    assert.equal(d.follows, 'Ryu, *Ch. 3*, slides "Pooling".');
    assert.deepEqual(d.items, ['R6', 'R7', 'Z2', 'F29', 'F30']);
  });

  it('lists notebooks by lecture, with the items not shown, and escapes every text', () => {
    const entries: Entry[] = [
      { title: 'A <b>', follows: 'Ryu, *Ch. 3*', items: ['R1', 'Z1'], intro: '', page: 'a.html', notebook: 'a.ipynb' },
      { title: 'B', follows: '', items: ['R2'], intro: 'intro', page: 'b.html', notebook: 'b.ipynb' },
    ];
    const html = gallery.indexPage(entries, ['Z1', 'Z2', 'R1', 'R2', 'R3']);
    assert.match(html, /3 of the 5 checkable lecture items are shown/);
    assert.match(html, /A &lt;b&gt;/);
    assert.match(html, /Ryu, <i>Ch\. 3<\/i>/);
    assert.match(html, /1 of 2 items shown; not shown: <span class="ids">Z2<\/span>/);
    assert.match(html, /2 of 3 items shown; not shown: <span class="ids">R3<\/span>/);
    const ryu = html.slice(html.indexOf('Ryu — Chapter 3'));
    assert.ok(ryu.indexOf('href="a.html"') >= 0 && ryu.indexOf('href="b.html"') >= 0);
    assert.doesNotMatch(html, /<script|https?:\/\//, 'the index needs no script and no network');
  });
});

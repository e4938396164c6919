// Every example notebook executes headlessly through the CLI (the same executor VS Code uses), and each lesson prints
// the lecture numbers it promises (docs: /work/shared/reference/lecture-items.md ids in each notebook's first cell).
// Needs the built bundles (npm test builds first).
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LECTURE_NUMBERS } from './examples-numbers';
import { root, runExample } from './example-runs';

const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ipynb') && !f.includes('.executed.'));

interface Output { output_type: string; text?: string | string[]; data?: Record<string, unknown> }
const textOf = (o: Output): string => {
  const t = o.text ?? (o.data?.['text/plain'] as string | string[] | undefined) ?? '';
  return Array.isArray(t) ? t.join('') : t;
};

describe('example notebooks run headlessly', function () {
  this.timeout(300_000);
  const results = new Map<string, Output[][]>();

  before(function () {
    if (!existsSync(join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run npm run build first');
  });

  it('every notebook has a table of lecture numbers, and every table a notebook', () => {
    assert.deepEqual(Object.keys(LECTURE_NUMBERS).sort(), [...examples].sort());
  });

  for (const nb of examples) {
    it(`${nb} executes every cell without error and prints its lecture numbers`, () => {
      const dest = runExample(nb);
      const cells = JSON.parse(readFileSync(dest, 'utf8')).cells.filter((c: { cell_type: string }) => c.cell_type === 'code');
      const outputs: Output[][] = cells.map((c: { outputs: Output[] }) => c.outputs);
      for (const o of outputs.flat()) assert.notEqual(o.output_type, 'error', `${nb}: ${JSON.stringify(o).slice(0, 400)}`);
      results.set(nb, outputs);
      const all = outputs.flat().map(textOf).join('\n');
      const missing = (LECTURE_NUMBERS[nb] ?? []).filter((e) => (typeof e === 'string' ? !all.includes(e) : !e.test(all)));
      assert.deepEqual(missing, [], `${nb}: lecture numbers missing from the executed outputs`);
    });
  }
});

describe('lesson notebooks name their lecture and items', () => {
  const items = new Map<string, string>();
  for (const nb of examples) {
    const first = JSON.parse(readFileSync(join(root, 'examples', nb), 'utf8')).cells[0];
    const src = Array.isArray(first.source) ? first.source.join('') : first.source;
    if (nb === 'getting-started.ipynb') continue;
    it(`${nb} opens with the lecture it follows and the item ids it shows`, () => {
      assert.match(src, /\*\*Follows\*\*/, `${nb}: first cell should say which lecture and slides it follows`);
      const m = /\*\*Lecture items shown here:\*\*([\s\S]+?)(?:\n\n|$)/.exec(src);
      assert.ok(m, `${nb}: first cell should list the lecture-items ids it shows`);
      for (const id of m[1].replace(/\([^)]*\)/g, '').split(',').map((s) => s.replace(/\./g, '').trim()).filter(Boolean)) {
        assert.match(id, /^[ZRFPS]\d+[ab]?$/, `${nb}: "${id}" is not a lecture-items id`);
        assert.ok(!items.has(id), `item ${id} is shown by both ${items.get(id)} and ${nb}`);
        items.set(id, nb);
      }
    });
  }
});

// Semantic type checking of notebook cells (src/extension/diagnostics): every shipped example and e2e notebook
// checks clean, real errors are reported in the right cell at the right place, cells see earlier cells.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { NotebookChecker } from '../../src/extension/diagnostics/checker';

const ROOT = join(__dirname, '../..');
const checker = new NotebookChecker(ts, { typesDir: join(ROOT, 'dist/types'), libDir: join(ROOT, 'node_modules/typescript/lib') });

function codeCells(file: string): (string | null)[] {
  const nb = JSON.parse(readFileSync(file, 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
  return nb.cells.map((c) => (c.cell_type === 'code' ? (Array.isArray(c.source) ? c.source.join('') : c.source) : null));
}

function check(cells: (string | null)[]) {
  return checker.check(ROOT, 'test', cells);
}

describe('notebook type checking', function () {
  this.timeout(120000);
  const isTypeScript = (file: string) => JSON.parse(readFileSync(file, 'utf8')).metadata?.kernelspec?.language === 'typescript';
  const notebooks = [
    ...readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.ipynb') && !f.includes('.executed.')).map((f) => join(ROOT, 'examples', f)),
    ...readdirSync(join(ROOT, 'test/e2e/fixtures')).filter((f) => f.endsWith('.ipynb')).map((f) => join(ROOT, 'test/e2e/fixtures', f)),
  ].filter(isTypeScript); // python.ipynb (the e2e's foreign notebook) is not ours to check
  for (const file of notebooks) {
    const name = file.slice(ROOT.length + 1);
    it(`${name} type-checks clean`, () => {
      const cells = codeCells(file);
      const r = checker.check(join(file, '..'), file, cells);
      const shown = r.diagnostics.map((d) => `cell ${d.cell + 1} TS${d.code} «${cells[d.cell]!.slice(d.start, d.end)}»`);
      assert.deepEqual(shown, [], r.diagnostics.map((d) => d.message).join('\n'));
      assert.deepEqual(r.skipped, []);
    });
  }

  it('reports a type error in its cell, at its place', () => {
    const r = check(['const a = 1;', null, "const n: number = 'five';"]);
    assert.equal(r.diagnostics.length, 1);
    const d = r.diagnostics[0];
    assert.equal(d.cell, 2);
    assert.equal(d.code, 2322);
    assert.equal("const n: number = 'five';".slice(d.start, d.end), 'n');
    assert.equal(d.severity, 'error');
  });

  it('checks calls against the runtime declarations', () => {
    const r = check(["const conv = new nn.Conv2d('one', 8, 3);", 'const w = conv.weightz;']);
    assert.deepEqual(r.diagnostics.map((d) => [d.cell, d.code]), [[0, 2345], [1, 2551]]);
  });

  it('later cells see earlier declarations; a re-declaration in a later cell shadows; top-level await works', () => {
    const r = check([
      'const model = new nn.Linear(4, 2);\nlet x = randn([3, 4]);',
      'const y = model(x);\nawait new Promise((r) => setTimeout(r, 1));\ny.shape',
      "const model = 'a string now';\nmodel.toUpperCase()",
    ]);
    assert.deepEqual(r.diagnostics, []);
  });

  it('hoists imports, tolerates the same import in two cells, and resolves layerwise', () => {
    const r = check(["import { nn } from 'layerwise';\nconst a = new nn.ReLU();", "import { nn } from 'layerwise';\nimport * as fs from 'node:fs';\nconst b = new nn.Tanh();"]);
    assert.deepEqual(r.diagnostics, []);
  });

  it('a cell used before its declaring cell is an error; a cell that does not parse stops checking there', () => {
    assert.deepEqual(check(['const a = b + 1;', 'const b = 2;']).diagnostics.map((d) => [d.cell, d.code]), [[0, 2304]]);
    const r = check(['const a: string = 1;', 'const b = (', 'const c: number = a;']);
    assert.deepEqual(r.diagnostics.map((d) => d.cell), [0]);
    assert.deepEqual(r.skipped, [1, 2]);
  });
});

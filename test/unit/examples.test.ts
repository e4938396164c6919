// Every example notebook executes headlessly through the CLI (the same executor VS Code uses), and the
// lectures' numbers come out right. Needs the built bundles (npm test builds first).
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  for (const nb of examples) {
    it(`${nb} executes every cell without error`, () => {
      const dest = runExample(nb);
      const cells = JSON.parse(readFileSync(dest, 'utf8')).cells.filter((c: { cell_type: string }) => c.cell_type === 'code');
      const outputs = cells.map((c: { outputs: Output[] }) => c.outputs);
      for (const o of outputs.flat()) assert.notEqual(o.output_type, 'error', `${nb}: ${JSON.stringify(o).slice(0, 400)}`);
      results.set(nb, outputs);
    });
  }

  it("reproduces the lectures' numbers", function () {
    if (results.size < examples.length) this.skip();
    const all = (nb: string): string => results.get(nb)!.flat().map(textOf).join('\n');
    assert.match(all('cross-entropy.ipynb'), /2\.514/);
    assert.match(all('pooling.ipynb'), /6\.,\s+8\.[\s\S]*3\.,\s+4\./);
    assert.match(all('pooling.ipynb'), /3\.2500,\s+5\.2500/);
    assert.match(all('conv-arithmetic.ipynb'), /61,100,840|61100840/);
    assert.match(all('conv-arithmetic.ipynb'), /143,667,240|143667240/);
    assert.match(all('getting-started.ipynb'), /held-out accuracy: (9[5-9]|100)\./);
  });
});

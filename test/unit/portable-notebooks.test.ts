// Notebooks that travel: every committed example and every notebook the CLI writes is valid nbformat 4.5 (checked
// against the vendored JSON schema with ajv, no Python), every rich output of an executed example carries a static
// fallback and text/plain, each executed example stays under 1 MB, and a ResNet-18 figures notebook under 5 MB.
// Needs the built bundles (npm test builds first).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { root, runExample } from './example-runs';

const schema = JSON.parse(readFileSync(join(root, 'test/fixtures/nbformat/nbformat.v4.5.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ipynb') && !f.includes('.executed.'));
const STATIC = ['image/png', 'image/svg+xml', 'text/html'];

interface Nb { cells: Array<{ id?: string; cell_type: string; outputs?: Array<{ output_type: string; data?: Record<string, unknown> }> }>; metadata: any }

function assertValid(file: string): Nb {
  const nb = JSON.parse(readFileSync(file, 'utf8'));
  const ok = validate(nb);
  assert.ok(ok, `${file}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  const ids = nb.cells.map((c: { id: string }) => c.id);
  assert.equal(new Set(ids).size, ids.length, `${file}: cell ids are unique`);
  return nb;
}

/** Every display/result output with a rich (application/vnd.*) MIME type lacks which static MIME types. */
function missingFallbacks(nb: Nb): string[] {
  const problems: string[] = [];
  nb.cells.forEach((c, i) => (c.outputs ?? []).forEach((o) => {
    if (!o.data) return;
    if (typeof o.data['text/plain'] !== 'string' && !Array.isArray(o.data['text/plain'])) problems.push(`cell ${i}: no text/plain`);
    const rich = Object.keys(o.data).filter((m) => m.startsWith('application/vnd.'));
    if (!rich.length) return;
    const tensor = o.data['application/vnd.layerwise.tensor+json'] as { view?: string } | undefined;
    // a tensor in its statistics view prints like PyTorch; its text/plain is the static form
    if (tensor && tensor.view === 'stats' && rich.length === 1) return;
    if (!STATIC.some((m) => o.data![m] !== undefined)) problems.push(`cell ${i}: ${rich.join(', ')} without a static fallback`);
  }));
  return problems;
}

describe('notebooks travel', function () {
  this.timeout(900_000);

  it('the vendored nbformat 4.5 schema rejects a cell without an id (the check can fail)', () => {
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'markdown', metadata: {}, source: 'x' }] };
    assert.equal(validate(nb), false);
    assert.equal(validate({ ...nb, cells: [{ ...nb.cells[0], id: 'a1' }] }), true);
  });

  for (const name of examples) {
    it(`committed ${name} is nbformat 4.5 with cell ids and Jupyter's language_info`, () => {
      const nb = assertValid(join(root, 'examples', name));
      assert.equal(nb.metadata.kernelspec?.name, 'layerwise');
      assert.equal(nb.metadata.language_info?.mimetype, 'text/typescript');
    });
  }

  for (const name of examples) {
    it(`executed ${name}: valid, a static fallback for every rich output, under 1 MB`, () => {
      const file = runExample(name);
      const nb = assertValid(file);
      assert.deepEqual(missingFallbacks(nb), []);
      const size = statSync(file).size;
      assert.ok(size < 1_000_000, `${name} executed is ${size} bytes`);
    });
  }

  it('ResNet-18 featureMaps + weights + gradFlow + a 50-step live chart saves under 5 MB', () => {
    const file = runExample('resnet18-figures.ipynb', join(root, 'test/fixtures/notebooks/resnet18-figures.ipynb'));
    const nb = assertValid(file);
    assert.deepEqual(missingFallbacks(nb), []);
    const figures = nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data && Object.keys(o.data).some((m) => m.startsWith('application/vnd.layerwise.')));
    assert.equal(figures.length, 4);
    for (const o of figures) {
      const rich = Object.entries(o.data!).filter(([m]) => m.startsWith('application/vnd.layerwise.'));
      for (const [m, v] of rich) assert.ok(JSON.stringify(v).length <= 1_000_000, `${m} payload within 1 MB`);
      // each static form within the 200 KB fallback budget (+5% for the JSON line-array wrapping of SVG/HTML)
      for (const m of STATIC.filter((k) => o.data![k] !== undefined)) {
        const n = JSON.stringify(o.data![m]).length;
        assert.ok(n <= 210_000, `${m} fallback of ${rich[0][0]} is ${n} characters`);
      }
    }
    const size = statSync(file).size;
    assert.ok(size < 5_000_000, `the notebook is ${size} bytes`);
  });
});

/**
 * Issue #10: PyTorch's keyword spellings type-check. Every snake_case (and extra, e.g. `T_max`) option the argument
 * normaliser accepts at run time is in the option types too, and a required positional may be given by keyword
 * (`new nn.Conv2d(1, 6, {kernel_size: 5})`, PyTorch's `nn.Conv2d(1, 6, kernel_size=5)`). The cells in
 * test/fixtures/typing/pytorch-spellings.cells.ts are type-checked as notebook cells against dist/types.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { NotebookChecker } from '../../src/extension/diagnostics/checker';
import * as lw from '../../src/runtime';

const ROOT = join(__dirname, '../..');
const checker = new NotebookChecker(ts, { typesDir: join(ROOT, 'dist/types'), libDir: join(ROOT, 'node_modules/typescript/lib') });
const cells = readFileSync(join(ROOT, 'test/fixtures/typing/pytorch-spellings.cells.ts'), 'utf8').split('// ---\n');

describe('PyTorch keyword spellings type-check (issue #10)', function () {
  this.timeout(120000);
  it('every cell of the PyTorch-spelling fixture checks clean', () => {
    const r = checker.check(ROOT, 'spellings', cells);
    const shown = r.diagnostics.map((d) => `cell ${d.cell + 1} TS${d.code} «${cells[d.cell].slice(d.start, d.end)}»: ${d.message}`);
    assert.deepEqual(shown, []);
    assert.deepEqual(r.skipped, []);
  });

  it('still rejects a misspelt option and a missing required argument', () => {
    const r = checker.check(ROOT, 'bad', ["const c = new nn.Conv2d(1, 6, { kernel_sise: 5 });", 'const d = new nn.Conv2d(1, 6);', "const s = new optim.SGD([], { lr: 0.1, weight_decai: 1 });"]);
    assert.deepEqual(r.diagnostics.map((d) => d.cell), [0, 1, 2]);
  });

  it('the same spellings run: the keyword form of a required argument, T_max, and a missing one is a clear error', () => {
    const conv = new lw.nn.Conv2d(1, 6, { kernel_size: 5 });
    assert.deepEqual([...conv.weight.shape], [6, 1, 5, 5]);
    assert.deepEqual([...new lw.nn.Linear(4, { out_features: 3 }).weight.shape], [3, 4]);
    assert.throws(() => new lw.nn.Conv2d(1, 6, {}), /Conv2d: kernelSize is required/);
    const opt = new lw.optim.SGD([lw.zeros(2).requiresGrad_()], { lr: 0.1 });
    const cos = new lw.optim.lrScheduler.CosineAnnealingLR(opt, { T_max: 10, eta_min: 0.01 });
    cos.step();
    // backward's and DataLoader's PyTorch spellings are honoured, not ignored
    const z = lw.zeros([2], { requires_grad: true });
    const y = z.sum().mul(2);
    y.backward(undefined, { retain_graph: true });
    y.backward();
    assert.deepEqual(Array.from(z.grad!.dataSync()), [4, 4]);
    assert.throws(() => y.backward(undefined, { retain_grap: true } as never), /backward: unknown option 'retain_grap'/);
    const dl = new lw.data.DataLoader(new lw.data.TensorDataset(lw.randn(5, 2)), { batch_size: 2, drop_last: true });
    assert.equal([...dl].length, 2);
    assert.ok(Math.abs(opt.paramGroups[0].lr - (0.01 + (0.09 * (1 + Math.cos(Math.PI / 10))) / 2)) < 1e-12);
  });
});

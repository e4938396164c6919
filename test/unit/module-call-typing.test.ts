/**
 * `model(x)` is typed from the module's own `forward` (src/runtime/nn/module.ts): Tensor for nn layers, Sequential,
 * zoo models and losses; the forward's own result for user subclasses (tuples too, typed or not); `any` only for a
 * value typed as the base `nn.Module`. Checked with the notebook cells' checker against dist/types (the editor's view).
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as ts from 'typescript';
import { NotebookChecker } from '../../src/extension/diagnostics/checker';

const ROOT = join(__dirname, '../..');
const checker = new NotebookChecker(ts, { typesDir: join(ROOT, 'dist/types'), libDir: join(ROOT, 'node_modules/typescript/lib') });

/** [cell, code, text] of each diagnostic. */
function diags(cells: string[]): [number, number, string][] {
  const r = checker.check(ROOT, 'module-call-typing', cells);
  return r.diagnostics.map((d) => [d.cell, d.code, cells[d.cell].slice(d.start, d.end)]);
}

describe('model(x) typing', function () {
  this.timeout(120000);
  const x = 'const x = randn([2, 4]);';

  it('Sequential, layers, zoo models and losses return Tensor (not any)', () => {
    assert.deepEqual(diags([
      x,
      'const net = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU());\nconst y = net(x);\ny.backward();\nconst t: Tensor = y;',
      'const r = models.resnet18({ numClasses: 3 });\nconst z = r(randn([1, 3, 32, 32]));\nz.sum().backward();',
      'const l = models.lenet5();\nconst loss = new nn.CrossEntropyLoss()(l(randn([1, 1, 28, 28])), tensor([1], { dtype: "int32" }));\nloss.backward();',
    ]), []);
    // the results are Tensors, so misuse is caught
    assert.deepEqual(diags([x, 'const net = new nn.Sequential(new nn.Linear(4, 3));\nconst s: string = net(x);']), [[1, 2322, 's']]);
    assert.deepEqual(diags([x, 'const r = models.resnet18();\nr(x).backwardz();']), [[1, 2551, 'backwardz']]);
    assert.deepEqual(diags([x, "new nn.Linear(4, 2)('x');"]), [[1, 2345, "'x'"]]);
  });

  it('a user subclass gets its forward\'s parameters and result: typed, untyped and tuple-returning', () => {
    assert.deepEqual(diags([
      x,
      'class Net extends nn.Module {\n  fc = new nn.Linear(4, 2);\n  forward(x: Tensor) { return this.fc(x).relu(); }\n}\nconst net = new Net();\nconst y = net(x);\ny.backward();',
      'class Loose extends nn.Module {\n  fc = new nn.Linear(4, 2);\n  forward(x) { return this.fc(x); }\n}\nconst o = new Loose()(x);\no.backward();',
      'class Two extends nn.Module {\n  a = new nn.Linear(4, 2);\n  b = new nn.Linear(4, 3);\n  forward(x) { return [this.a(x), this.b(x)]; }\n}\nconst [p, q] = new Two()(x);\np.add(q.sum()).sum().backward();',
      'class Pair extends nn.Module {\n  forward(a: Tensor, b: Tensor): [Tensor, number] { return [a.add(b), 1]; }\n}\nconst [s, k] = new Pair()(x, x);\ns.backward();\nconst kk: number = k;',
    ]), []);
    assert.deepEqual(
      diags([x, 'class Net extends nn.Module {\n  forward(x: Tensor) { return x.relu(); }\n}\nconst net = new Net();\nnet(x, x);\nconst n: number = net(x);']),
      [[1, 2554, 'x'], [1, 2322, 'n']],
    );
  });

  it('a value typed as the base nn.Module keeps the open signature (helpers taking any module still type-check)', () => {
    assert.deepEqual(diags([
      x,
      'function run(m: nn.Module, ...args: Tensor[]) { return m(...args); }\nconst out = run(new nn.Linear(4, 2), x);\nout.backward();',
      'const mods: nn.Module[] = [new nn.Linear(4, 4), new nn.ReLU()];\nlet h = x;\nfor (const m of mods) h = m(h);\nh.sum().backward();',
    ]), []);
  });
});

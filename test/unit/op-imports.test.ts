/**
 * Visible dependencies: runtime internals (ops/, nn/, optim/, autograd/) call imported functions, never the Tensor
 * methods that ops/methods.ts and ops/methods-more.ts install on the prototype (a load-order dependency the import
 * graph cannot show). Checked two ways: statically (every property access in those folders that resolves to a
 * method declared by those files is a failure, outside an allow-list that must shrink) and at run time (a fresh
 * process loads ops, nn, F, optim without src/runtime/index.ts and trains a small net with every optimizer).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as ts from 'typescript';
import * as L from '../../src/runtime';

const root = path.join(__dirname, '../..');
const SWEPT = ['src/runtime/ops/', 'src/runtime/nn/', 'src/runtime/optim/', 'src/runtime/autograd/'];
const DEFINERS = ['src/runtime/ops/methods.ts', 'src/runtime/ops/methods-more.ts'];
/** Files still calling installed methods, with the count (owned by other branches when this test was written). */
const ALLOWED: Record<string, number> = { 'src/runtime/ops/nn/ce-fused.ts': 1, 'src/runtime/ops/einsum.ts': 1 };

function methodUses(): Map<string, string[]> {
  const cfg = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.runtime.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)),
    },
  )!;
  const prog = ts.createProgram(cfg.fileNames, cfg.options);
  const ch = prog.getTypeChecker();
  const uses = new Map<string, string[]>();
  for (const sf of prog.getSourceFiles()) {
    const rel = path.relative(root, sf.fileName).split(path.sep).join('/');
    if (!SWEPT.some((d) => rel.startsWith(d)) || DEFINERS.includes(rel)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node)) {
        const decl = ch.getSymbolAtLocation(node.name)?.declarations?.[0];
        const from = decl && path.relative(root, decl.getSourceFile().fileName).split(path.sep).join('/');
        if (decl && from && ts.isInterfaceDeclaration(decl.parent) && DEFINERS.includes(from)) {
          const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
          uses.set(rel, [...(uses.get(rel) ?? []), `${rel}:${line} .${node.name.text}`]);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return uses;
}

describe('visible dependencies: runtime internals import the functions they call', () => {
  it('no installed Tensor method is called in ops/, nn/, optim/, autograd/ (outside a shrinking allow-list)', function () {
    this.timeout(120000);
    const uses = methodUses();
    const bad = [...uses].filter(([f]) => !(f in ALLOWED)).flatMap(([, u]) => u);
    assert.deepEqual(bad, [], `import the function instead (e.g. add(x, y), add_(p, d) from ops/inplace-ops):\n${bad.join('\n')}`);
    for (const [f, n] of Object.entries(ALLOWED)) {
      assert.equal(uses.get(f)?.length ?? 0, n, `${f}: update ALLOWED (remove the file once it is swept)`);
    }
  });

  for (const backend of ['reference', 'wasm']) {
    it(`ops, nn, F, losses, init, clipping and every optimizer run without ops/methods.ts (${backend})`, function () {
      this.timeout(120000);
      const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', path.join(__dirname, 'op-imports-fresh.ts'), backend], {
        cwd: root,
        encoding: 'utf8',
      });
      const r = JSON.parse(out.trim().split('\n').pop()!) as {
        installed: string[];
        stillNotInstalled: string[];
        optimizers: string[];
        losses: boolean[];
      };
      assert.deepEqual(r.installed, [], 'the fresh process must not have the methods installed');
      assert.deepEqual(r.stillNotInstalled, [], 'nothing installed them on the way');
      assert.ok(r.optimizers.length >= 10, `optimizers: ${r.optimizers.join(', ')}`);
      assert.ok(r.losses.every(Boolean), 'finite losses');
    });
  }

  it('a .grad is dense: clipGradNorm_ works on a Linear weight on the reference backend (its grad came from a transpose)', () => {
    L.setBackend('reference');
    try {
      const lin = new L.nn.Linear(8, 3);
      L.sum(L.mul(lin.forward(L.randn([2, 8])) as L.Tensor, 100)).backward();
      assert.ok(lin.weight.grad!.isContiguous());
      L.nn.utils.clipGradNorm_(lin.parameters(), 0.01);
      assert.ok(Math.abs(L.norm(L.stack(lin.parameters().map((p) => L.norm(p.grad!)))).item() - 0.01) < 1e-4);
    } finally {
      L.setBackend('wasm');
    }
  });
});

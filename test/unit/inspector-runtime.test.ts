// Layer inspector, runtime side (src/runtime/inspect.ts): which shapes a model is summarised with, hooks, and the
// 'modules' request answered by a real executor process (cells → globals → rows with constructedAt).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import * as lw from '../../src/runtime';
import { installInspector, inspectModules, uninstallInspector, type ModulesResponse } from '../../src/runtime/inspect';
import { ExecutorClient } from '../../src/executor/client';
import { buildDevExecutor, collect, REPO_ROOT } from '../../src/executor/dev-build';

const { nn } = lw;

describe('inspector: runtime handlers (in process)', () => {
  before(() => assert.ok(installInspector({ force: true })));
  after(() => uninstallInspector());

  it('is not installed in plain Node (no executor config) unless forced', () => {
    uninstallInspector();
    assert.equal(installInspector(), !!process.env.LAYERWISE_EXECUTOR_CONFIG);
    assert.ok(installInspector({ force: true }));
    assert.equal(typeof (globalThis as { __layerwise_requests?: Record<string, unknown> }).__layerwise_requests?.modules, 'function');
  });

  it('finds Module-valued variables and takes shapes from the last forward pass', () => {
    const scope: Record<string, unknown> = { x: 1, net: new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU()), notAModel: 'a' };
    let r: ModulesResponse = inspectModules({}, scope);
    assert.deepEqual(r.models.map((m) => [m.name, m.type, m.source]), [['net', 'Sequential', null]]);
    assert.equal(r.models[0].rows[1].outputShape, null);
    assert.equal(r.models[0].totals.params, 15);
    (scope.net as lw.nn.Module)(lw.randn([5, 4]));
    r = inspectModules({}, scope);
    assert.equal(r.models[0].source, 'forward');
    assert.deepEqual(r.models[0].inputShape, [[5, 4]]);
    assert.deepEqual(r.models[0].rows[1].outputShape, [5, 3]);
    assert.ok(r.models[0].rows[1].constructedAt?.includes('inspector-runtime.test.ts'), r.models[0].rows[1].constructedAt ?? 'null');
  });

  it('falls back to the last summary() call, then to a declared inputShape', () => {
    const a = nn.meta(() => new nn.Sequential(new nn.Conv2d(3, 8, 3)));
    const b = nn.meta(() => new nn.Sequential(new nn.Conv2d(3, 8, 3)));
    b.inputShape = [1, 3, 10, 10];
    lw.summary(a, [2, 3, 16, 16]);
    const r = inspectModules({}, { a, b });
    assert.deepEqual(r.models.map((m) => [m.source, m.rows[1].outputShape]), [['summary', [2, 8, 14, 14]], ['declared', [1, 8, 8, 8]]]);
  });

  it("the inspector's own meta pass neither fires user hooks nor counts as the last forward", () => {
    const net = new nn.Sequential(new nn.Linear(2, 2));
    let fired = 0;
    net.registerForwardHook(() => void fired++);
    net.inputShape = [3, 2];
    inspectModules({}, { net });
    assert.equal(fired, 0);
    assert.equal(inspectModules({}, { net }).models[0].source, 'declared');
    net(lw.randn([1, 2]));
    assert.equal(fired, 1);
  });

  it('a declared shape the model cannot take: structural rows plus the error', () => {
    const net = nn.meta(() => new nn.Sequential(new nn.Linear(4, 3)));
    net.inputShape = [2, 5];
    const m = inspectModules({}, { net }).models[0];
    assert.match(m.error ?? '', /summary: layer '0' \(Linear\)/);
    assert.equal(m.totals.params, 15);
    assert.equal(m.rows[1].outputShape, null);
  });
});

describe('inspector: the modules request in an executor process', function () {
  this.timeout(120_000);
  let client: ExecutorClient;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lw-insp-'));
    const entry = path.join(dir, 'runtime-entry.ts');
    writeFileSync(entry, `export * from ${JSON.stringify(path.join(REPO_ROOT, 'src/runtime/index'))};\n` +
      `import { installInspector } from ${JSON.stringify(path.join(REPO_ROOT, 'src/runtime/inspect'))};\ninstallInspector();\n`);
    // named runtime.js: Module's constructedAt skips frames of the runtime bundle by that name
    const runtimePath = path.join(dir, 'rt', 'runtime.js');
    await build({ entryPoints: [entry], outfile: runtimePath, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
    client = new ExecutorClient({ cwd: dir, executorPath: await buildDevExecutor(), runtimePath,
      env: { LAYERWISE_KERNELS_DIR: path.join(REPO_ROOT, 'dist', 'kernels') } });
  });
  after(() => {
    client?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the cells\' models with rows, totals and the cell line each module was built on', async () => {
    const c1 = await collect(client, 'const net = new nn.Sequential(\n  new nn.Conv2d(3, 8, 3, { stride: 3 }),\n  new nn.ReLU());\nnet(randn([2, 3, 7, 7]));', 'Cell 1');
    assert.equal(c1.status, 'ok', JSON.stringify(c1.error));
    const r = (await client.request('modules')) as ModulesResponse;
    const net = r.models.find((m) => m.name === 'net')!;
    assert.equal(net.source, 'forward');
    assert.deepEqual(net.rows.map((x) => x.constructedAt), ['Cell 1:1:13', 'Cell 1:2:3', 'Cell 1:3:3']);
    assert.deepEqual(net.rows[1].outputShape, [2, 8, 2, 2]);
    assert.equal(net.rows[1].warnings.length, 2);
    const bundle = (await client.request('moduleSummary', { name: 'net' })) as Record<string, unknown>;
    assert.ok(String(bundle['text/plain']).includes('Total params: 224'));
  });

  it('benchmark: ResNet-50 tree update (printed, not asserted)', async () => {
    await collect(client, 'const r50 = nn.meta(() => models.resnet50());\nr50.inputShape = [1, 3, 224, 224];', 'Cell 2');
    const times: string[] = [];
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      const r = (await client.request('modules', i === 3 ? undefined : { names: ['r50'] })) as ModulesResponse;
      times.push(`${(performance.now() - t0).toFixed(0)} ms (handler ${r.elapsedMs} ms${i ? ', cached' : ', first'})`);
      assert.equal(r.models.find((m) => m.name === 'r50')!.totals.params, 25_557_032);
    }
    await collect(client, 'r50.inputShape = [2, 3, 160, 160];', 'Cell 3');
    const t0 = performance.now();
    await client.request('modules');
    times.push(`${(performance.now() - t0).toFixed(0)} ms after a new input shape (warm)`);
    console.log(`      ResNet-50 modules request: ${times.join('; ')}`);
  });
});

import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecutorClient } from '../../src/executor/client';
import { buildDevExecutor, collect, FAKE_RUNTIME, resultBundle, resultText, streamText } from '../../src/executor/dev-build';

describe('executor: cells', function () {
  let client: ExecutorClient;
  let dir: string;

  before(async function () {
    const executor = await buildDevExecutor();
    dir = mkdtempSync(path.join(os.tmpdir(), 'lw-exec-'));
    client = new ExecutorClient({ cwd: dir, executorPath: executor, runtimePath: FAKE_RUNTIME });
  });
  after(() => {
    client?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps state across cells and shows the last expression', async () => {
    assert.equal((await collect(client, 'const a: number = 20')).status, 'ok');
    const r = await collect(client, 'a + 22');
    assert.equal(r.status, 'ok');
    assert.equal(resultText(r), '42');
  });

  it('allows re-running declarations of const, let, class and function', async () => {
    const cell = 'const model = { n: 1 }\nlet step = 0\nclass Net { k = 2 }\nfunction make() { return new Net() }';
    assert.equal((await collect(client, cell)).status, 'ok');
    assert.equal((await collect(client, cell.replace('n: 1', 'n: 5'))).status, 'ok');
    assert.equal(resultText(await collect(client, 'model.n + make().k + step')), '7');
  });

  it('supports top-level await', async () => {
    await collect(client, 'const v = await new Promise<number>((r) => setTimeout(() => r(7), 20))');
    assert.equal(resultText(await collect(client, 'v * 6')), '42');
  });

  it('suppresses the result after a trailing semicolon and for declarations', async () => {
    assert.equal(resultText(await collect(client, '1 + 1;')), undefined);
    assert.equal(resultText(await collect(client, '1 + 1; // comment')), undefined);
    assert.equal(resultText(await collect(client, 'const q = 3')), undefined);
    assert.equal(resultText(await collect(client, 'undefined')), undefined);
    assert.equal(resultText(await collect(client, "'s'")), "'s'");
  });

  it('exposes the runtime as globals and as the layerwise module', async () => {
    const r = await collect(client, "import { nn } from 'layerwise'\nconst lw = require('layerwise')\n" +
      'new nn.Linear(2, 3).outFeatures + lw.tensor([1, 2]).sum() + tensor([4]).sum()');
    assert.equal(resultText(r), '10');
  });

  it('uses the display protocol of values and JSON for plain objects', async () => {
    const t = await collect(client, 'tensor([1, 2])');
    const bundle = resultBundle(t)!;
    assert.ok(bundle['application/vnd.layerwise.tensor+json']);
    assert.equal(bundle['text/plain'], 'tensor([1, 2])');
    const o = await collect(client, '({ a: 1, b: [true, null] })');
    const ob = resultBundle(o)!;
    assert.deepEqual(ob['application/json'], { a: 1, b: [true, null] });
  });

  it('emits display and in-place updates', async () => {
    const r = await collect(client, "const h = display('first', { displayId: 'd1' })\nupdateDisplay('d1', 'second')\nh.update(3);");
    assert.deepEqual(r.events.map((e) => [e.type, e.displayId]), [['display', 'd1'], ['update', 'd1'], ['update', 'd1']]);
    assert.equal((r.events[2].bundle as Record<string, unknown>)['text/plain'], '3');
  });

  it('throttles progress updates and always sends the final one', async () => {
    const r = await collect(client, "const p = progress(2000, { label: 'train' })\n" +
      'for (let i = 0; i < 2000; i++) p.tick({ loss: 1 / (i + 1) })\np.done();');
    const ups = r.events.filter((e) => e.type === 'update');
    assert.equal(r.events[0].type, 'display');
    assert.ok(ups.length >= 1 && ups.length < 2000);
    const last = (ups[ups.length - 1].bundle as Record<string, { done: number; finished: boolean }>);
    assert.equal(last['application/vnd.layerwise.progress+json'].done, 2000);
    assert.equal(last['application/vnd.layerwise.progress+json'].finished, true);
    assert.match(String(last['text/plain']), /^train: 2000\/2000/);
  });

  it('sends a throttled progress state that is still pending when the cell ends', async () => {
    const r = await collect(client, 'const q2 = progress(10)\nq2.update(1)\nq2.update(2)\nq2.update(3);');
    const ups = r.events.filter((e) => e.type === 'update');
    const last = ups[ups.length - 1].bundle as Record<string, { done: number }>;
    assert.equal(last['application/vnd.layerwise.progress+json'].done, 3);
  });

  it('streams console output while the cell runs, in order with displays', async () => {
    const flag = path.join(dir, 'go.flag');
    const code = `console.log('a'); display('mid');\n` +
      `while (!require('node:fs').existsSync(${JSON.stringify(flag)})) await new Promise((r) => setTimeout(r, 10));\n` +
      `console.error('b'); console.log('c')`;
    const r = await collect(client, code, 'stream', (e) => {
      if (e.type === 'stream' && e.text === 'a\n') writeFileSync(flag, '');
    });
    assert.equal(r.status, 'ok');
    assert.ok(existsSync(flag));
    assert.deepEqual(r.events.map((e) => (e.type === 'stream' ? `${e.name}:${e.text}` : e.type)),
      ['stdout:a\n', 'display', 'stderr:b\n', 'stdout:c\n']);
    assert.equal(streamText(r), 'a\nc\n');
  });

  it('reports compile errors at the cell line and column', async () => {
    const r = await collect(client, 'const ok = 1\nlet x = ;', 'cell-7');
    assert.equal(r.status, 'error');
    assert.equal(r.error?.name, 'SyntaxError');
    assert.match(r.error!.stack, /cell-7:2:9/);
  });

  it('reports runtime errors at the cell line and column, without executor frames', async () => {
    await collect(client, 'function boom(): never {\n  throw new Error("kaput")\n}', 'defs');
    const r = await collect(client, 'const n = 1\n\nboom()', 'use');
    assert.equal(r.status, 'error');
    assert.equal(r.error?.message, 'kaput');
    assert.match(r.error!.stack, /defs:2:9/);
    assert.match(r.error!.stack, /use:3:1/);
    assert.doesNotMatch(r.error!.stack, /executor\.js|node:internal|lw-cell|lw-step/);
    const t = await collect(client, 'const obj: any = {}\nconst z = 1 +   obj.a.b', 'type-err');
    assert.match(t.error!.stack, /type-err:2:/);
  });

  it('answers generic requests through handlers registered in the context', async () => {
    await collect(client, 'globalThis.__layerwise_requests = { modules: (a: unknown) => ({ got: a }) };');
    assert.deepEqual(await client.request('modules', { x: 1 }), { got: { x: 1 } });
    await assert.rejects(client.request('nope'), /no handler/);
    const vars = (await client.request('variables')) as Array<{ name: string }>;
    assert.ok(vars.some((v) => v.name === 'model'));
  });

  it('restart gives a fresh process', async () => {
    await collect(client, 'globalThis.kept = 1;');
    await client.restart();
    assert.ok(client.alive);
    assert.equal(resultText(await collect(client, 'typeof kept')), "'undefined'");
  });
});

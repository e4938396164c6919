import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecutorClient } from '../../src/executor/client';
import { buildDevExecutor, collect, FAKE_RUNTIME, realRuntimePath, resultText, streamText } from '../../src/executor/dev-build';

/** Runs `code`, calling interrupt() as soon as the cell prints 'started'. */
async function runAndInterrupt(client: ExecutorClient, code: string) {
  return collect(client, code, 'loop', (e) => {
    if (e.type === 'stream' && String(e.text).includes('started')) client.interrupt();
  });
}

describe('executor: interrupt, death, modules', function () {
  let client: ExecutorClient;
  let dir: string;
  let executor: string;

  before(async function () {
    executor = await buildDevExecutor();
    dir = mkdtempSync(path.join(os.tmpdir(), 'lw-proc-'));
    client = new ExecutorClient({ cwd: dir, executorPath: executor, runtimePath: FAKE_RUNTIME });
  });
  after(() => {
    client?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('interrupts a synchronous infinite loop and keeps every variable', async () => {
    await collect(client, 'const before = 41');
    const r = await runAndInterrupt(client, "let spins = 0\nconsole.log('started')\nwhile (true) { spins++ }");
    assert.equal(r.status, 'interrupted');
    assert.equal(resultText(await collect(client, 'before + 1')), '42');
    assert.equal(resultText(await collect(client, 'spins > 0')), 'true');
  });

  it('interrupts a synchronous loop that follows a top-level await', async () => {
    const r = await runAndInterrupt(client, "await null\nconsole.log('started')\nlet s2 = 0\nwhile (true) { s2++ }");
    assert.equal(r.status, 'interrupted');
    assert.equal(resultText(await collect(client, 's2 > 0')), 'true');
  });

  it('interrupts an async loop, including awaits inside functions, and keeps state', async () => {
    const r = await runAndInterrupt(client, 'let ticks = 0\nasync function train() {\n' +
      "  console.log('started')\n  for (;;) { ticks++; await new Promise((r) => setTimeout(r, 5)) }\n}\nawait train()");
    assert.equal(r.status, 'interrupted');
    const t = Number(resultText(await collect(client, 'ticks')));
    assert.ok(t > 0);
    await new Promise((res) => setTimeout(res, 50));
    assert.equal(Number(resultText(await collect(client, 'ticks'))), t, 'the loop stopped');
    assert.equal(resultText(await collect(client, 'before')), '41');
  });

  it('interrupts synchronous code in a nested async function that checks progress()', async () => {
    const r = await runAndInterrupt(client, 'let batches = 0\nasync function fit() {\n' +
      "  await new Promise((r) => setTimeout(r, 1))\n  console.log('started')\n" +
      "  const bar = progress(1e12, { label: 'fit' })\n  for (;;) { batches++; bar.tick() }\n}\nawait fit()");
    assert.equal(r.status, 'interrupted');
    assert.equal(resultText(await collect(client, 'batches > 0 && before === 41')), 'true');
  });

  it('restart while a cell runs ends it as died and the next cell runs in a fresh process', async () => {
    const r = await collect(client, "console.log('started')\nwhile (true) {}", 'busy', (e) => {
      if (e.type === 'stream') void client.restart();
    });
    assert.equal(r.status, 'died');
    assert.match(r.error!.message, /restarted/);
    assert.equal(resultText(await collect(client, 'typeof batches')), "'undefined'");
    await collect(client, 'const before = 41');
  });

  it('reports process.exit in a cell as died and starts a new process on the next run', async () => {
    const deaths: Array<{ code: number | null }> = [];
    const sub = client.onDidDie((info) => deaths.push(info));
    const r = await collect(client, 'process.exit(3)');
    sub.dispose();
    assert.equal(r.status, 'died');
    assert.match(r.error!.message, /exited with code 3/);
    assert.match(r.error!.message, /next run starts a new process/);
    assert.deepEqual(deaths.map((d) => d.code), [3]);
    assert.equal(client.alive, false);
    assert.equal(resultText(await collect(client, "typeof before + ' ' + (1 + 1)")), "'undefined 2'");
  });

  it('reports an error thrown by a timer in the running cell (as Jupyter) and keeps the process', async () => {
    const before = client.backgroundErrors.length;
    const r = await collect(client, "const keepMe = 7\nsetTimeout(() => { throw new Error('async boom') }, 5)\n" +
      'await new Promise((r) => setTimeout(r, 300))', 'async-cell');
    assert.equal(r.status, 'ok');
    assert.match(streamText(r, 'stderr'), /Uncaught Error thrown by a timer or callback:\nError: async boom/);
    assert.match(streamText(r, 'stderr'), /async-cell:2:/);
    assert.equal(client.backgroundErrors.length, before + 1);
    assert.equal(client.backgroundErrors[before].duringCell, true);
    assert.equal(resultText(await collect(client, 'keepMe + 2')), '9');
  });

  it('imports Node built-ins, CommonJS and ESM packages from the notebook folder', async () => {
    const nm = path.join(dir, 'node_modules');
    mkdirSync(path.join(nm, 'cjs-pkg'), { recursive: true });
    writeFileSync(path.join(nm, 'cjs-pkg', 'package.json'), '{"name":"cjs-pkg","main":"main.js"}');
    writeFileSync(path.join(nm, 'cjs-pkg', 'main.js'), "exports.hello = (n) => 'hello ' + n; exports.lw = require('layerwise').version;");
    mkdirSync(path.join(nm, 'esm-pkg'), { recursive: true });
    writeFileSync(path.join(nm, 'esm-pkg', 'package.json'),
      '{"name":"esm-pkg","type":"module","exports":{".":{"import":"./index.js"}}}');
    writeFileSync(path.join(nm, 'esm-pkg', 'index.js'), "export const hi = 'hi'; export default function twice(x) { return 2 * x }");
    writeFileSync(path.join(dir, 'local.mjs'), "import { version } from 'layerwise'; export const local = version === 'fake' ? 5 : 0;");
    writeFileSync(path.join(dir, 'helper.ts'), 'export const typed: number = 6;');
    const r = await collect(client, "import { hello, lw } from 'cjs-pkg'\nimport twice, { hi } from 'esm-pkg'\n" +
      "import * as os from 'node:os'\nimport { join } from 'path'\nconst { local } = await import('./local.mjs');\n" +
      "import { typed } from './helper'\n" +
      "[hello(1), lw, twice(21), hi, typeof os.cpus, join('a', 'b'), local, require('cjs-pkg').hello(2), typed].join('|')");
    assert.equal(r.status, 'ok', r.error?.stack);
    assert.equal(resultText(r), `'hello 1|fake|42|hi|function|${path.join('a', 'b')}|5|hello 2|6'`);
  });

  it('runs against the real runtime when dist/runtime.js is built', async function () {
    const real = realRuntimePath();
    if (!real) this.skip();
    const c = new ExecutorClient({ cwd: dir, executorPath: executor, runtimePath: real });
    try {
      const r = await collect(c, "import * as lw from 'layerwise'\n" +
        "Object.keys(lw).filter((k) => k !== 'default' && !(k in globalThis) && k !== '__esModule').length");
      assert.equal(r.status, 'ok', r.error?.stack);
      assert.equal(resultText(r), '0');
    } finally {
      c.dispose();
    }
  });
});

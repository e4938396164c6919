import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecutorClient } from '../../src/executor/client';
import { buildDevExecutor, collect, FAKE_RUNTIME, resultText } from '../../src/executor/dev-build';

// Where the esbuild binary is missing, cells are transpiled by TypeScript's transpileModule instead.
describe('executor: TypeScript transpiler fallback', function () {
  let client: ExecutorClient;
  let dir: string;

  before(async () => {
    const executor = await buildDevExecutor();
    dir = mkdtempSync(path.join(os.tmpdir(), 'lw-tsc-'));
    client = new ExecutorClient({ cwd: dir, executorPath: executor, runtimePath: FAKE_RUNTIME,
      env: { LAYERWISE_TRANSPILER: 'typescript' } });
  });
  after(() => {
    client?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs cells with state, redeclaration, top-level await, imports and the last value', async () => {
    const cell = "import { nn } from 'layerwise'\nconst layer: InstanceType<typeof nn.Linear> = new nn.Linear(3, 4)\n" +
      'const w = await Promise.resolve(layer.outFeatures)';
    assert.equal((await collect(client, cell)).status, 'ok');
    assert.equal((await collect(client, cell)).status, 'ok');
    assert.equal(resultText(await collect(client, 'w * 10')), '40');
    assert.equal(resultText(await collect(client, 'w * 10;')), undefined);
  });

  it('maps compile and runtime errors to the cell', async () => {
    const c = await collect(client, 'const a = 1\nconst b = (;', 'tc');
    assert.equal(c.status, 'error');
    assert.match(c.error!.stack, /tc:2:12/);
    const r = await collect(client, 'const n: any = null\n\nn.field', 'tr');
    assert.equal(r.status, 'error');
    assert.match(r.error!.stack, /tr:3:3/);
  });
});

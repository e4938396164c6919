// Executor lifecycle under faults (issue #11): late errors reach the next cell, a death while idle is never
// silent (event + notice in the next cell), output past the per-cell limit is dropped with a note.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecutorClient, type DeathInfo } from '../../src/executor/client';
import { StreamLimiter } from '../../src/executor/output-limit';
import type { ExecEvent } from '../../src/executor/messages';
import { buildDevExecutor, collect, FAKE_RUNTIME, resultText, streamText } from '../../src/executor/dev-build';

describe('faults: executor lifecycle', function () {
  let client: ExecutorClient;
  let dir: string;

  before(async () => {
    const executor = await buildDevExecutor();
    dir = mkdtempSync(path.join(os.tmpdir(), 'lw-fexec-'));
    client = new ExecutorClient({ cwd: dir, executorPath: executor, runtimePath: FAKE_RUNTIME, maxOutputBytes: 4096 });
  });
  after(() => {
    client?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('an error thrown by a timer after its cell ended is shown in the next cell; variables are kept', async () => {
    const seen: string[] = [];
    const sub = client.onBackgroundError((e) => seen.push(`${e.kind}:${e.duringCell}:${e.error.message}`));
    await collect(client, "const v = 5\nsetTimeout(() => { throw new Error('after the cell') }, 20)\n1", 'first');
    await new Promise((r) => setTimeout(r, 200));
    sub.dispose();
    assert.deepEqual(seen, ['uncaught:false:after the cell']);
    const next = await collect(client, 'v * 2');
    assert.match(streamText(next, 'stderr'), /Uncaught Error thrown by a timer or callback after the previous cell had finished:\nError: after the cell/);
    assert.equal(resultText(next), '10');
  });

  it('drain() waits for pending timers so their errors are known', async () => {
    const n = client.backgroundErrors.length;
    await collect(client, "setTimeout(() => Promise.reject(new Error('late rejection')), 100); 0");
    assert.equal(await client.drain(5000), true);
    assert.equal(client.backgroundErrors.length, n + 1);
    assert.equal(client.backgroundErrors[n].kind, 'unhandled-rejection');
  });

  it('a death while idle fires onDidDie (whileIdle) and the next run starts with a visible notice', async () => {
    const deaths: DeathInfo[] = [];
    const sub = client.onDidDie((d) => deaths.push(d));
    await collect(client, 'const lost = 1\nsetTimeout(() => process.exit(4), 20); 0');
    await new Promise((r) => setTimeout(r, 300));
    sub.dispose();
    assert.equal(deaths.length, 1);
    assert.equal(deaths[0].whileIdle, true);
    assert.match(deaths[0].message, /Kernel restarted: the previous executor process exited with code 4 while idle, so every variable of the earlier cells is lost/);
    const next = await collect(client, 'typeof lost');
    assert.match(streamText(next, 'stderr'), /Kernel restarted: .*exited with code 4/);
    assert.equal(resultText(next), "'undefined'");
    assert.doesNotMatch(streamText(await collect(client, '1'), 'stderr'), /Kernel restarted/, 'said once');
  });

  it('output past the per-cell limit is dropped with a note, the tail is kept, and the next cell starts afresh', async () => {
    const r = await collect(client, "for (let i = 0; i < 5000; i++) console.log('row ' + i)");
    const out = r.events.filter((e) => e.type === 'stream').map((e) => String(e.text)).join('');
    assert.ok(out.length < 6000, `${out.length}`);
    assert.match(out, /^row 0\n/);
    assert.match(out, /\[layerwise: output truncated: [\d.]+ kB \(\d+ lines\) dropped after the first 4.0 kB of this cell's output; the last 409 bytes follow/);
    assert.match(out, /row 4999\n$/);
    assert.equal(streamText(await collect(client, "console.log('small')")), 'small\n');
  });

  it('StreamLimiter counts exactly what it drops and keeps order', () => {
    const sent: ExecEvent[] = [];
    const lim = new StreamLimiter((e) => sent.push(e), 10, 4);
    lim.write('stdout', 'abcdefgh\n'); // 9 bytes, kept
    lim.write('stderr', 'XY\n'); // 1 kept ('X'), 2 dropped
    lim.write('stdout', '1\n2\n3\n'); // dropped; tail keeps the last 4 bytes
    lim.endCell();
    const texts = sent.map((e) => (e.type === 'stream' ? `${e.name}:${e.text}` : e.type));
    assert.deepEqual(texts.slice(0, 2), ['stdout:abcdefgh\n', 'stderr:X']);
    assert.match(texts[2], /output truncated: 4 bytes \(2 lines\) dropped after the first 10 bytes of this cell's output; the last 4 bytes follow/);
    assert.deepEqual(texts.slice(3), ['stdout:2\n3\n']);
  });
});

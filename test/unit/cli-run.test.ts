import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from '../../src/cli/command';
import { parseNotebook, writeNotebook, type CodeCell, type NotebookJson } from '../../src/cli/notebook';
import { buildDevCli, buildDevExecutor, FAKE_RUNTIME, realRuntimePath, REPO_ROOT } from '../../src/executor/dev-build';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'notebooks');

function runCli(cli: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

const text = (v: unknown) => (Array.isArray(v) ? v.join('') : String(v));

describe('cli: layerwise run', function () {
  let dir: string;
  let cli: string;
  let executor: string;
  const common = () => ['--executor', executor, '--runtime', FAKE_RUNTIME];

  before(async () => {
    cli = await buildDevCli();
    executor = await buildDevExecutor();
    dir = mkdtempSync(path.join(os.tmpdir(), 'lw-cli-'));
    for (const f of ['basic.ipynb', 'failing.ipynb', 'timeout.ipynb']) copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('parses arguments', () => {
    assert.deepEqual(parseArgs(['run', 'a/b.ipynb']),
      { kind: 'run', args: { notebook: 'a/b.ipynb', out: path.join('a', 'b.executed.ipynb'), html: undefined,
        timeoutS: undefined, runtime: undefined, executor: undefined } });
    const p = parseArgs(['run', 'n.ipynb', '--out=o.ipynb', '--timeout', '2.5', '--html', 'r.html']);
    assert.ok(p.kind === 'run' && p.args.out === 'o.ipynb' && p.args.timeoutS === 2.5 && p.args.html === 'r.html');
    assert.equal(parseArgs(['run']).kind, 'error');
    assert.equal(parseArgs(['run', 'n.ipynb', '--timeout', '-1']).kind, 'error');
    assert.equal(parseArgs(['--help']).kind, 'help');
  });

  it('executes a notebook and writes nbformat outputs, an HTML report and exit code 0', async () => {
    const out = path.join(dir, 'basic.out.ipynb');
    const html = path.join(dir, 'basic.html');
    const r = await runCli(cli, ['run', path.join(dir, 'basic.ipynb'), '--out', out, '--html', html, ...common()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.match(/\[\d\/4\] In\[\d\] \(cell \d\) ok/g)?.length, 4);
    const nb = parseNotebook(readFileSync(out, 'utf8'));
    assert.deepEqual(nb.metadata.custom_field, { kept: true }, 'unknown fields are preserved');
    const cells = nb.cells as CodeCell[];
    assert.deepEqual(cells[1].metadata, { tags: ['t-c1'] });
    assert.equal(cells[1].execution_count, 1);
    assert.deepEqual(cells[1].outputs, [{ output_type: 'stream', name: 'stdout', text: ['features 4\n', 'done\n'] }]);
    const [status, prog] = cells[2].outputs as Array<{ output_type: string; data: Record<string, unknown> }>;
    assert.equal(status.output_type, 'display_data');
    assert.equal(text(status.data['text/plain']), "'loaded'", 'in-place update stored as final state');
    const payload = prog.data['application/vnd.layerwise.progress+json'] as { done: number; finished: boolean };
    assert.deepEqual([payload.done, payload.finished], [3, true]);
    assert.deepEqual([cells[3].execution_count, cells[3].outputs], [null, []], 'empty cell not run');
    const res = cells[4].outputs[0] as { output_type: string; execution_count: number; data: Record<string, unknown> };
    assert.deepEqual([res.output_type, res.execution_count], ['execute_result', 3]);
    assert.ok(res.data['application/vnd.layerwise.tensor+json']);
    assert.deepEqual((cells[5].outputs[0] as { data: Record<string, unknown> }).data['application/json'], { layer: 2, ok: true });
    assert.match(readFileSync(html, 'utf8'), /<html/i);
  });

  it('stops at the first failing cell, writes what ran and exits non-zero', async () => {
    const out = path.join(dir, 'failing.out.ipynb');
    const r = await runCli(cli, ['run', path.join(dir, 'failing.ipynb'), '--out', out, ...common()]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /\[2\/3\] In\[2\] \(cell 2\) ERROR Error: bad cell 2/);
    assert.match(r.stderr, /In\[2\]:2:7/);
    const cells = parseNotebook(readFileSync(out, 'utf8')).cells as CodeCell[];
    assert.deepEqual(cells[0].outputs, [{ output_type: 'stream', name: 'stdout', text: ['before\n'] }]);
    const err = cells[1].outputs[0] as { output_type: string; ename: string; evalue: string; traceback: string[] };
    assert.deepEqual([err.output_type, err.ename, err.evalue], ['error', 'Error', 'bad cell 2']);
    assert.ok(err.traceback.some((l) => l.includes('In[2]:2:7')));
    assert.deepEqual([cells[2].execution_count, cells[2].outputs], [null, []]);
  });

  it('runs the fixture against the real runtime when dist/runtime.js is built', async function () {
    const real = realRuntimePath();
    if (!real) this.skip();
    const out = path.join(dir, 'basic.real.ipynb');
    const r = await runCli(cli, ['run', path.join(dir, 'basic.ipynb'), '--out', out, '--executor', executor, '--runtime', real]);
    assert.equal(r.code, 0, r.stderr);
    const cells = parseNotebook(readFileSync(out, 'utf8')).cells as CodeCell[];
    const res = cells[4].outputs[0] as { output_type: string; data: Record<string, unknown> };
    assert.equal(res.output_type, 'execute_result');
    assert.ok(res.data['application/vnd.layerwise.tensor+json'] && res.data['text/plain']);
  });

  it('interrupts a cell that runs past --timeout and fails the run', async () => {
    const out = path.join(dir, 'timeout.out.ipynb');
    const r = await runCli(cli, ['run', path.join(dir, 'timeout.ipynb'), '--out', out, '--timeout', '1', ...common()]);
    assert.equal(r.code, 1);
    const cells = parseNotebook(readFileSync(out, 'utf8')).cells as CodeCell[];
    const err = cells[0].outputs.find((o) => o.output_type === 'error') as { ename: string; evalue: string };
    assert.deepEqual([err.ename, err.evalue], ['TimeoutError', 'Cell execution timed out after 1 s']);
    assert.deepEqual(cells[1].outputs, []);
  });

  it('writes notebooks atomically, leaving no temp files', async () => {
    const target = path.join(dir, 'atomic.ipynb');
    const nb: NotebookJson = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };
    await writeNotebook(target, nb);
    await writeNotebook(target, { ...nb, metadata: { second: true } });
    const written = parseNotebook(readFileSync(target, 'utf8')).metadata;
    assert.equal(written.second, true);
    assert.equal((written.kernelspec as { name: string }).name, 'layerwise', 'written as a Layerwise notebook (nbformat 4.5 metadata)');
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('atomic')), ['atomic.ipynb']);
  });
});

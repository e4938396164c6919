// Fault injection for the executor and the CLI (issue #11): signals during synchronous loops leave no orphan
// process, errors of timers are reported (non-zero exit), huge output is bounded, --out never loses work,
// output folders are prepared before any cell runs, foreign-language notebooks are refused.
import { strict as assert } from 'node:assert';
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildDevCli, buildDevExecutor, FAKE_RUNTIME } from '../../src/executor/dev-build';

type Cell = string | { md: string } | { src: string; outputs?: unknown[]; lang?: string };

function notebook(cells: Cell[], metadata: Record<string, unknown> = {}): string {
  return JSON.stringify({
    nbformat: 4, nbformat_minor: 5, metadata,
    cells: cells.map((c) => typeof c === 'string' ? { cell_type: 'code', source: c, metadata: {}, outputs: [], execution_count: null }
      : 'md' in c ? { cell_type: 'markdown', source: c.md, metadata: {} }
        : { cell_type: 'code', source: c.src, metadata: c.lang ? { vscode: { languageId: c.lang } } : {}, outputs: c.outputs ?? [], execution_count: c.outputs?.length ? 1 : null }),
  });
}

const text = (v: unknown): string => (Array.isArray(v) ? v.join('') : String(v ?? ''));
const OLD = { output_type: 'stream', name: 'stdout', text: ['kept from an earlier run\n'] };

/** The pids whose parent is `ppid` (Linux /proc). */
function childrenOf(ppid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[1]) === ppid ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
}

/** Alive and not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, what: string, ms = 20000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('faults: CLI and executor', function () {
  let dir: string;
  let cli: string;
  let executor: string;
  const common = (): string[] => ['--executor', executor, '--runtime', FAKE_RUNTIME];
  const run = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
  const write = (name: string, cells: Cell[], metadata?: Record<string, unknown>): string => {
    const f = path.join(dir, name);
    writeFileSync(f, notebook(cells, metadata));
    return f;
  };
  const read = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as { cells: Array<{ outputs?: Array<Record<string, unknown>>; execution_count?: number | null }> };

  before(async () => {
    cli = await buildDevCli();
    executor = await buildDevExecutor();
    dir = mkdtempSync(path.join(os.tmpdir(), 'lw-faults-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const sig of ['SIGHUP', 'SIGTERM', 'SIGKILL'] as const) {
    it(`${sig} to the CLI during a synchronous loop leaves no orphan executor${sig === 'SIGKILL' ? '' : ' and saves what ran'}`, async () => {
      const nb = write(`loop-${sig}.ipynb`, ["console.log('first')", "console.log('spinning')\nwhile (true) {}", "console.log('never')"]);
      const out = path.join(dir, `loop-${sig}.out.ipynb`);
      const child = spawn(process.execPath, [cli, 'run', nb, '--out', out, ...common()], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      await waitFor(() => /In\[1\].* ok/.test(stdout), 'first cell done');
      let executors: number[] = [];
      await waitFor(() => (executors = childrenOf(child.pid!)).length > 0, 'executor started');
      await new Promise((r) => setTimeout(r, 300)); // the second cell is spinning now
      child.kill(sig);
      const code = await exited;
      await waitFor(() => executors.every((p) => !alive(p)), `executor ${executors} gone after ${sig}`);
      if (sig === 'SIGKILL') return;
      assert.equal(code, sig === 'SIGHUP' ? 129 : 143);
      const saved = read(out);
      assert.equal(text(saved.cells[0].outputs![0].text), 'first\n');
      assert.match(JSON.stringify(saved.cells[1].outputs), new RegExp(`received ${sig}`));
    });
  }

  it('an error thrown by a timer after the last cell is reported: in the notebook and a non-zero exit', async () => {
    const nb = write('late.ipynb', ["console.log('a')", "setTimeout(() => { throw new Error('late boom') }, 50)\n'scheduled'"]);
    const out = path.join(dir, 'late.out.ipynb');
    const r = await run(['run', nb, '--out', out, ...common()]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /1 error was thrown by timers, callbacks or unhandled promises \(1 after the last cell\)/);
    assert.match(r.stderr, /late boom/);
    const cells = read(out).cells;
    assert.match(JSON.stringify(cells[1].outputs), /Error after the last cell had finished \(thrown by a timer or callback\):.*late boom/);
  });

  it('an unhandled rejection between cells shows in the next cell and fails the run', async () => {
    const nb = write('reject.ipynb', ["Promise.reject(new Error('nobody awaits me')); 1", "await new Promise((r) => setTimeout(r, 100))\n'second'"]);
    const out = path.join(dir, 'reject.out.ipynb');
    const r = await run(['run', nb, '--out', out, ...common()]);
    assert.equal(r.code, 1);
    assert.match(JSON.stringify(read(out).cells.map((c) => c.outputs)), /nobody awaits me/);
  });

  it('huge output is truncated with a note saying how much was dropped, in the notebook and the HTML', async () => {
    const nb = write('huge.ipynb', ["for (let i = 0; i < 200000; i++) console.log('line ' + i)\n'done'"]);
    const out = path.join(dir, 'huge.out.ipynb');
    const html = path.join(dir, 'huge.html');
    const r = await run(['run', nb, '--out', out, '--html', html, '--max-output', '0.5', ...common()]);
    assert.equal(r.code, 0, r.stderr);
    const outs = read(out).cells[0].outputs!;
    const all = outs.filter((o) => o.output_type === 'stream').map((o) => text(o.text)).join('');
    assert.ok(all.length < 700 * 1024, `kept ${all.length} characters`);
    assert.match(all, /^line 0\n/);
    assert.match(all, /\[layerwise: output truncated: [\d.]+ MB \(\d+ lines\) dropped after the first 512.0 kB/);
    assert.match(all, /line 199999\n/, 'the tail is kept');
    const h = readFileSync(html, 'utf8');
    assert.ok(h.length < 2 * 1024 * 1024);
    assert.match(h, /output truncated/);
  });

  it('--out equal to the input keeps the outputs of cells that did not run', async () => {
    const nb = write('inplace.ipynb', [{ src: "console.log('ran')" }, { src: "throw new Error('stop')" }, { src: "console.log('x')", outputs: [OLD] }]);
    const r = await run(['run', nb, '--out', nb, ...common()]);
    assert.equal(r.code, 1);
    const cells = read(nb).cells;
    assert.equal(text(cells[0].outputs![0].text), 'ran\n');
    assert.equal(cells[1].outputs![0].output_type, 'error');
    assert.deepEqual(cells[2].outputs, [OLD], 'the cell after the failure keeps its outputs');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp file left');
  });

  it('--out into a missing folder creates it before running; an unwritable one is refused before any cell runs', async () => {
    const nb = write('folders.ipynb', ["require('fs').writeFileSync('ran.txt', 'yes'); 1"]);
    const out = path.join(dir, 'new', 'deeper', 'x.ipynb');
    const r = await run(['run', nb, '--out', out, ...common()]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(out));
    rmSync(path.join(dir, 'ran.txt'));
    if (process.getuid?.() !== 0) {
      const locked = path.join(dir, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      const r2 = await run(['run', nb, '--out', path.join(locked, 'sub', 'x.ipynb'), ...common()]);
      assert.equal(r2.code, 2);
      assert.match(r2.stderr, /cannot write .*Nothing was run/);
      assert.equal(existsSync(path.join(dir, 'ran.txt')), false, 'no cell ran');
    }
    const r3 = await run(['run', nb, '--out', dir, ...common()]);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /it is a folder/);
  });

  it('a notebook of another language is refused with a clear message and a non-zero exit, its file untouched', async () => {
    const py = write('python.ipynb', [{ src: 'print(1)', outputs: [OLD] }], { kernelspec: { name: 'python3', language: 'python' }, language_info: { name: 'python' } });
    const before = readFileSync(py, 'utf8');
    const r = await run(['run', py, '--out', py, ...common()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /python\.ipynb is a python notebook \(kernel 'python3'\); layerwise runs TypeScript and JavaScript notebooks/);
    assert.equal(readFileSync(py, 'utf8'), before);
    const mixed = write('cells-python.ipynb', [{ src: 'print(1)', lang: 'python' }]);
    const r2 = await run(['run', mixed, ...common()]);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /none of its 1 code cells is TypeScript or JavaScript/);
  });

  it('bad option values are refused', async () => {
    const r = await run(['run', 'x.ipynb', '--max-output', '-1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--max-output must be a non-negative number/);
  });
});

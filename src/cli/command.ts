/**
 * `layerwise run <notebook.ipynb> [--out executed.ipynb] [--html report.html] [--timeout s]`: executes the code
 * cells in order with the notebook executor, writes the executed notebook (atomically), optionally an HTML
 * report, prints one line per cell and exits non-zero at the first failing cell.
 */
import * as path from 'node:path';
import { ExecutorClient } from '../executor/client';
import { readNotebook, writeNotebook, type NotebookJson } from './notebook';
import { writeFallbackReport } from './report-fallback';
import { runNotebook, type CellReport } from './run';

export const USAGE = `usage: layerwise run <notebook.ipynb> [options]

  --out <file>       where to write the executed notebook (default: <name>.executed.ipynb next to it)
  --html <file>      also write a standalone HTML report
  --timeout <s>      per-cell timeout in seconds (default: none)
  --runtime <file>   runtime bundle to preload (default: runtime.js next to the CLI)
  --executor <file>  executor bundle (default: executor.js next to the CLI)
`;

export const EXIT = { ok: 0, cellFailed: 1, usage: 2, interrupted: 130 } as const;

export interface RunArgs {
  notebook: string;
  out: string;
  html?: string;
  timeoutS?: number;
  runtime?: string;
  executor?: string;
}

export type Parsed = { kind: 'run'; args: RunArgs } | { kind: 'help' } | { kind: 'error'; message: string };

const VALUE_FLAGS = { '--out': 'out', '--html': 'html', '--timeout': 'timeoutS', '--runtime': 'runtime', '--executor': 'executor' } as const;

export function parseArgs(argv: string[]): Parsed {
  if (!argv.length || argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  if (argv[0] !== 'run') return { kind: 'error', message: `unknown command '${argv[0]}'` };
  const values: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag in VALUE_FLAGS) {
      const v = inline ?? argv[++i];
      if (v === undefined) return { kind: 'error', message: `${flag} needs a value` };
      values[VALUE_FLAGS[flag as keyof typeof VALUE_FLAGS]] = v;
    } else if (argv[i].startsWith('-')) return { kind: 'error', message: `unknown option '${argv[i]}'` };
    else positional.push(argv[i]);
  }
  if (positional.length !== 1) return { kind: 'error', message: 'expected exactly one notebook' };
  const notebook = positional[0];
  const timeoutS = values.timeoutS === undefined ? undefined : Number(values.timeoutS);
  if (timeoutS !== undefined && !(timeoutS > 0)) return { kind: 'error', message: `--timeout must be a positive number of seconds` };
  const out = values.out ?? path.join(path.dirname(notebook), `${path.basename(notebook, '.ipynb')}.executed.ipynb`);
  return { kind: 'run', args: { notebook, out, html: values.html, timeoutS, runtime: values.runtime, executor: values.executor } };
}

type HtmlWriter = (nb: NotebookJson, outPath: string) => Promise<void>;

/** The full report writer (src/cli/html.ts) when it is there, else the minimal fallback. */
function htmlWriter(): HtmlWriter {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require('./html') as { writeHtmlReport?: HtmlWriter };
    if (typeof m.writeHtmlReport === 'function') return m.writeHtmlReport;
  } catch {
    /* not available: fall back */
  }
  return writeFallbackReport;
}

function cellLine(r: CellReport, total: number): string {
  const what = r.result.status === 'ok' ? 'ok' : `${r.result.status.toUpperCase()}${r.result.error ? ` ${r.result.error.name}: ${r.result.error.message.split('\n')[0]}` : ''}`;
  return `layerwise: [${r.executionCount}/${total}] ${r.label} (cell ${r.index + 1}) ${what} (${r.result.durationMs} ms)`;
}

export async function runCommand(args: RunArgs, log = (s: string) => process.stdout.write(`${s}\n`),
  logErr = (s: string) => process.stderr.write(`${s}\n`)): Promise<number> {
  let nb: NotebookJson;
  try {
    nb = await readNotebook(args.notebook);
  } catch (e) {
    logErr(`layerwise: ${(e as Error).message}`);
    return EXIT.usage;
  }
  const client = new ExecutorClient({
    cwd: path.dirname(path.resolve(args.notebook)),
    executorPath: args.executor && path.resolve(args.executor),
    runtimePath: args.runtime && path.resolve(args.runtime),
  });
  let sigints = 0;
  const onSigint = () => {
    if (++sigints > 1) client.dispose();
    else client.interrupt();
  };
  process.on('SIGINT', onSigint);
  let total = 0;
  try {
    const summary = await runNotebook(nb, client, {
      timeoutMs: args.timeoutS && args.timeoutS * 1000,
      onCellStart: (c) => (total = c.total),
      onCellDone: (r) => log(cellLine(r, total)),
    });
    await writeNotebook(args.out, nb);
    log(`layerwise: wrote ${args.out} (${summary.executed}/${summary.total} code cells executed)`);
    if (args.html) {
      await htmlWriter()(nb, args.html);
      log(`layerwise: wrote ${args.html}`);
    }
    if (summary.failed) {
      const err = summary.failed.result.error;
      if (err) logErr(err.stack);
      return sigints ? EXIT.interrupted : EXIT.cellFailed;
    }
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSigint);
    client.dispose();
  }
}

export async function cli(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`layerwise: ${parsed.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  return runCommand(parsed.args);
}

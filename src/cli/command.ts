/**
 * `layerwise run <notebook.ipynb> [--out executed.ipynb] [--html report.html] [--timeout s]`: executes the code
 * cells in order with the notebook executor, writes the executed notebook (atomically), optionally an HTML
 * report, prints one line per cell and exits non-zero at the first failing cell.
 */
import * as path from 'node:path';
import { ExecutorClient } from '../executor/client';
import { readNotebook, toLines, writeNotebook, type NotebookJson } from './notebook';
import { foreignNotebook, prepareOutputs, sameFile } from './preflight';
import { writeFallbackReport } from './report-fallback';
import { runnableCells, runNotebook, type CellReport } from './run';

export const USAGE = `usage: layerwise run <notebook.ipynb> [options]

  --out <file>       where to write the executed notebook (default: <name>.executed.ipynb next to it)
  --html <file>      also write a standalone HTML report
  --timeout <s>      per-cell timeout in seconds (default: none)
  --max-output <MB>  stream output kept per cell; the rest is dropped with a note (default: 5, 0 = no limit)
  --drain <s>        after the last cell, wait up to this long for pending timers so their errors are
                     reported (default: 2)
  --runtime <file>   runtime bundle to preload (default: runtime.js next to the CLI)
  --executor <file>  executor bundle (default: executor.js next to the CLI)
`;

export const EXIT = { ok: 0, cellFailed: 1, usage: 2, interrupted: 130 } as const;
/** Exit codes when the CLI is stopped by a signal (128 + its number, as shells report it). */
const SIGNAL_EXIT = { SIGHUP: 129, SIGTERM: 143 } as const;

export interface RunArgs {
  notebook: string;
  out: string;
  html?: string;
  timeoutS?: number;
  maxOutputMB?: number;
  drainS?: number;
  runtime?: string;
  executor?: string;
}

export type Parsed = { kind: 'run'; args: RunArgs } | { kind: 'help' } | { kind: 'error'; message: string };

const VALUE_FLAGS = {
  '--out': 'out', '--html': 'html', '--timeout': 'timeoutS', '--runtime': 'runtime', '--executor': 'executor',
  '--max-output': 'maxOutputMB', '--drain': 'drainS',
} as const;

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
  const args: RunArgs = { notebook, out, html: values.html, timeoutS, runtime: values.runtime, executor: values.executor };
  for (const [key, flag] of [['maxOutputMB', '--max-output'], ['drainS', '--drain']] as const) {
    if (values[key] === undefined) continue;
    const v = Number(values[key]);
    if (!(v >= 0) || !Number.isFinite(v)) return { kind: 'error', message: `${flag} must be a non-negative number, got '${values[key]}'` };
    args[key] = v;
  }
  return { kind: 'run', args };
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
  // Everything that could make the run end without its results is checked before the first cell runs.
  const refused = foreignNotebook(nb, args.notebook, runnableCells(nb).length) ?? await prepareOutputs([args.out, args.html]);
  if (refused) {
    logErr(`layerwise: ${refused}`);
    return EXIT.usage;
  }
  const inPlace = await sameFile(args.notebook, args.out);
  const client = new ExecutorClient({
    cwd: path.dirname(path.resolve(args.notebook)),
    executorPath: args.executor && path.resolve(args.executor),
    runtimePath: args.runtime && path.resolve(args.runtime),
    maxOutputBytes: args.maxOutputMB === undefined ? undefined : Math.round(args.maxOutputMB * 1024 * 1024),
  });
  let sigints = 0;
  let stoppedBy: keyof typeof SIGNAL_EXIT | undefined;
  const onSigint = () => {
    if (++sigints > 1) client.dispose();
    else client.interrupt();
  };
  // Hang-up (terminal closed) or termination: stop the executor, then still write what ran (atomically).
  const onStop = (sig: keyof typeof SIGNAL_EXIT) => () => {
    if (stoppedBy) process.exit(SIGNAL_EXIT[sig]); // a second signal: leave now
    stoppedBy = sig;
    client.dispose(`Stopped: layerwise run received ${sig}.`);
  };
  const stops = (Object.keys(SIGNAL_EXIT) as Array<keyof typeof SIGNAL_EXIT>).map((sig) => [sig, onStop(sig)] as const);
  process.on('SIGINT', onSigint);
  for (const [sig, h] of stops) process.on(sig, h);
  let total = 0;
  try {
    const summary = await runNotebook(nb, client, {
      timeoutMs: args.timeoutS && args.timeoutS * 1000,
      keepNotRun: inPlace,
      onCellStart: (c) => (total = c.total),
      onCellDone: (r) => log(cellLine(r, total)),
    });
    const late = summary.failed || stoppedBy ? 0 : await reportLateErrors(nb, summary.lastIndex, client, (args.drainS ?? 2) * 1000);
    await writeNotebook(args.out, nb);
    log(`layerwise: wrote ${args.out} (${summary.executed}/${summary.total} code cells executed)`);
    if (args.html) {
      await htmlWriter()(nb, args.html);
      log(`layerwise: wrote ${args.html}`);
    }
    if (stoppedBy) {
      logErr(`layerwise: stopped by ${stoppedBy}; the cells that ran are saved in ${args.out}`);
      return SIGNAL_EXIT[stoppedBy];
    }
    if (summary.failed) {
      const err = summary.failed.result.error;
      if (err) logErr(err.stack);
      return sigints ? EXIT.interrupted : EXIT.cellFailed;
    }
    const background = client.backgroundErrors.length;
    if (background > 0) {
      logErr(`layerwise: ${background} error${background === 1 ? ' was' : 's were'} thrown by timers, callbacks or unhandled promises ` +
        `(${late} after the last cell); see the cells' stderr in ${args.out}`);
      for (const e of client.backgroundErrors) logErr(e.error.stack);
      return EXIT.cellFailed;
    }
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSigint);
    for (const [sig, h] of stops) process.off(sig, h);
    client.dispose();
  }
}

/** Lets timers pending after the last cell run; their errors go to the last cell's stderr. Returns how many. */
async function reportLateErrors(nb: NotebookJson, lastIndex: number | undefined, client: ExecutorClient, drainMs: number): Promise<number> {
  const late: string[] = [];
  const sub = client.onBackgroundError((e) => late.push(`Error after the last cell had finished (${e.kind === 'uncaught' ? 'thrown by a timer or callback' : 'an unhandled promise rejection'}):\n${e.error.stack}\n`));
  try {
    if (drainMs > 0) await client.drain(drainMs);
  } finally {
    sub.dispose();
  }
  const cell = lastIndex === undefined ? undefined : nb.cells[lastIndex];
  if (late.length && cell?.cell_type === 'code') cell.outputs.push({ output_type: 'stream', name: 'stderr', text: toLines(late.join('')) });
  return late.length;
}

export async function cli(argv: string[]): Promise<number> {
  // A closed terminal (SIGHUP) or pipe must not crash the run before it saves: writes to it are dropped.
  for (const s of [process.stdout, process.stderr]) s.on('error', () => undefined);
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

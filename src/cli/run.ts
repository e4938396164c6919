/**
 * Executes a notebook's code cells in order with an ExecutorClient, recording nbformat outputs in place.
 * Stops at the first failing cell; in-place display updates are stored as their final state.
 */
import type { ExecEvent, ExecuteResult, ExecutorClient } from '../executor/client';
import {
  bundleToData, errorOutput, sourceText, toLines, type CodeCell, type DisplayDataOutput, type ExecuteResultOutput,
  type NotebookJson, type StreamOutput,
} from './notebook';
import { TS_LANGS } from './preflight';

export interface CellReport {
  index: number;
  executionCount: number;
  label: string;
  result: ExecuteResult;
}

export interface RunOptions {
  /** Per-cell timeout in milliseconds (interrupt, then restart if the cell does not stop). */
  timeoutMs?: number;
  onCellStart?: (info: { index: number; executionCount: number; label: string; total: number }) => void;
  onCellDone?: (report: CellReport) => void;
  /** Keep the outputs of code cells this run does not execute (the notebook is written in place). */
  keepNotRun?: boolean;
}

export interface RunSummary {
  ok: boolean;
  executed: number;
  total: number;
  failed?: CellReport;
  /** Index (in nb.cells) of the last cell that ran. */
  lastIndex?: number;
}

/** Code cells this executor runs: non-empty, and not tagged with another language (e.g. a python cell). */
export function runnableCells(nb: NotebookJson): number[] {
  const lang = (nb.metadata.language_info as { name?: string } | undefined)?.name;
  return nb.cells.flatMap((c, i) => {
    if (c.cell_type !== 'code' || !sourceText(c.source).trim()) return [];
    const cellLang = (c.metadata.vscode as { languageId?: string } | undefined)?.languageId ?? lang;
    return cellLang && !TS_LANGS.has(cellLang.toLowerCase()) ? [] : [i];
  });
}

/**
 * Records the events of one cell as nbformat outputs. Stream text is collected as chunks and split into lines once
 * (finish()), so recording is linear in the output size (joining and re-splitting per event was quadratic).
 */
export class OutputRecorder {
  /** display id → every output showing it (in any cell of this run). */
  private readonly displays = new Map<string, Array<DisplayDataOutput | ExecuteResultOutput>>();
  /** Stream outputs still being written → their text chunks. */
  private readonly open = new Map<StreamOutput, string[]>();

  record(cell: CodeCell, e: ExecEvent): void {
    const outs = cell.outputs;
    if (e.type === 'stream') {
      const last = outs[outs.length - 1];
      const chunks = last && last.output_type === 'stream' && last.name === e.name ? this.open.get(last) : undefined;
      if (chunks) chunks.push(e.text);
      else {
        const out: StreamOutput = { output_type: 'stream', name: e.name, text: [] };
        outs.push(out);
        this.open.set(out, [e.text]);
      }
    } else if (e.type === 'display') {
      const out: DisplayDataOutput = { output_type: 'display_data', data: bundleToData(e.bundle), metadata: {} };
      outs.push(out);
      if (e.displayId) this.displays.set(e.displayId, [...(this.displays.get(e.displayId) ?? []), out]);
    } else if (e.type === 'update') {
      for (const out of this.displays.get(e.displayId) ?? []) out.data = bundleToData(e.bundle);
    } else if (e.type === 'result') {
      outs.push({ output_type: 'execute_result', execution_count: cell.execution_count, data: bundleToData(e.bundle), metadata: {} });
    }
  }

  /** Turns the collected stream chunks into nbformat line arrays (call when a cell has ended). */
  finish(): void {
    for (const [out, chunks] of this.open) out.text = toLines(chunks.join(''));
    this.open.clear();
  }
}

async function executeWithTimeout(client: ExecutorClient, code: string, cellId: string,
  onEvent: (e: ExecEvent) => void, timeoutMs?: number): Promise<ExecuteResult> {
  const running = client.execute(code, { cellId, onEvent });
  if (!timeoutMs) return running;
  let timedOut = false;
  let escalate: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    client.interrupt();
    escalate = setTimeout(() => void client.restart(), 5000);
  }, timeoutMs);
  const result = await running.finally(() => {
    clearTimeout(timer);
    if (escalate) clearTimeout(escalate);
  });
  if (!timedOut || result.status === 'ok') return result;
  const message = `Cell execution timed out after ${timeoutMs / 1000} s`;
  return { ...result, status: 'error', error: { name: 'TimeoutError', message, stack: `TimeoutError: ${message}` } };
}

/** Outputs of code cells this run did not execute are cleared so the file only shows what this run did. */
function clearNotRun(nb: NotebookJson, ran: Set<number>): void {
  nb.cells.forEach((c, i) => {
    if (c.cell_type === 'code' && !ran.has(i)) {
      c.outputs = [];
      c.execution_count = null;
    }
  });
}

export async function runNotebook(nb: NotebookJson, client: ExecutorClient, opts: RunOptions = {}): Promise<RunSummary> {
  const indices = runnableCells(nb);
  const ran = new Set<number>();
  try {
    return await runCells(nb, client, indices, ran, opts);
  } finally {
    if (!opts.keepNotRun) clearNotRun(nb, ran);
  }
}

async function runCells(nb: NotebookJson, client: ExecutorClient, indices: number[], ran: Set<number>,
  opts: RunOptions): Promise<RunSummary> {
  const recorder = new OutputRecorder();
  let count = 0;
  for (const index of indices) {
    const cell = nb.cells[index] as CodeCell;
    const executionCount = ++count;
    const label = `In[${executionCount}]`;
    ran.add(index);
    cell.outputs = [];
    cell.execution_count = executionCount;
    opts.onCellStart?.({ index, executionCount, label, total: indices.length });
    const result = await executeWithTimeout(client, sourceText(cell.source), label,
      (e) => recorder.record(cell, e), opts.timeoutMs).finally(() => recorder.finish());
    if (result.status !== 'ok') {
      const fallback = { name: result.status, message: `cell ${result.status}`, stack: `cell ${result.status}` };
      cell.outputs.push(errorOutput(result.error ?? fallback));
    }
    const report = { index, executionCount, label, result };
    opts.onCellDone?.(report);
    if (result.status !== 'ok') return { ok: false, executed: count, total: indices.length, failed: report, lastIndex: index };
  }
  return { ok: true, executed: count, total: indices.length, lastIndex: indices[indices.length - 1] };
}

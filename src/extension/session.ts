import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExecutorClient, type ExecuteResult } from '../executor/client';
import { formatCellError } from '../executor/errorformat';
import { isVariableList, type VariableInfo } from '../protocol/variables';
import { CellWriter } from './cellWriter';
import { deathNotice } from './notices';

export interface SessionEnv {
  executorPath: string;
  runtimePath: string;
  log: (msg: string) => void;
  /** Paths whose stack frames are Layerwise internals (the extension folder). */
  internalPaths?: string[];
}

/** Automatic restarts after deaths with no successful cell in between (a kernel that dies on start stops here). */
const MAX_AUTO_RESTARTS = 2;

type Failure = { name: string; message: string; stack: string };

/**
 * The kernel of one notebook: its ExecutorClient (which starts the process on first use and a new one after a
 * death), the execution counter, and a queue so cells run one at a time in submission order. `generation`
 * changes on interrupt and restart; queued cells of an older generation are skipped, and a failing cell skips
 * the rest of its batch (as Jupyter does on Run All).
 */
export class KernelSession {
  private readonly client: ExecutorClient;
  private readonly deathSub: { dispose(): void };
  private order = 0;
  private generation = 0;
  private busy = false;
  private tail: Promise<void> = Promise.resolve();
  private autoRestarts = 0;
  private vars: VariableInfo[] = [];

  constructor(
    notebook: vscode.NotebookDocument,
    private readonly env: SessionEnv,
    /** Called after every cell that ran (not after skipped ones). */
    private readonly cellEnded: () => void = () => undefined,
    /** Called when the kernel died (its variables are gone). */
    private readonly stateLost: () => void = () => undefined,
  ) {
    const { executorPath, runtimePath } = env;
    this.client = new ExecutorClient({ cwd: notebookCwd(notebook), executorPath, runtimePath });
    this.deathSub = this.client.onDidDie((info) => this.died(notebook, info));
    this.notebookDir = notebookCwd(notebook);
  }

  private readonly notebookDir: string;

  /** The kernel's variables after the last cell (the Variables view; the names a death loses). */
  get variables(): readonly VariableInfo[] {
    return this.vars;
  }

  /** Queues the cells; resolves when they have all run or been skipped. */
  run(controller: vscode.NotebookController, cells: readonly vscode.NotebookCell[]): Promise<void> {
    const execs = cells.flatMap((cell) => this.createExecution(controller, cell));
    const gen = this.generation;
    this.tail = this.tail
      .then(() => this.runBatch(execs, gen))
      .catch((err) => this.env.log(`run failed: ${err?.stack ?? err}`));
    return this.tail;
  }

  /** The executor client while its process is up (for requests such as the Layers view's), else undefined. */
  get liveClient(): ExecutorClient | undefined {
    return this.client.alive ? this.client : undefined;
  }

  /** Stops the running cell (variables are kept) and drops the queued ones. */
  interrupt(): void {
    this.generation++;
    this.client.interrupt();
  }

  /** Starts the process ahead of the first cell (restart() of a client with no process just starts one). */
  warmUp(): void {
    if (this.client.alive) return;
    this.client.restart().catch((err) => this.env.log(`kernel start failed: ${err?.stack ?? err}`));
  }

  /** Drops the queue, replaces the process with a fresh one; the counter starts again at 1. */
  async restart(): Promise<void> {
    this.generation++;
    this.order = 0;
    this.vars = [];
    await this.client.restart();
  }

  dispose(): void {
    this.generation++;
    this.deathSub.dispose();
    this.client.dispose();
  }

  /**
   * A death (while a cell runs, or while idle, say a crashing timer or an out-of-memory kill) is announced with
   * the variables it took; the kernel is started again at once so its state is honest (counter back to [1]).
   */
  private died(notebook: vscode.NotebookDocument, info: { code: number | null; signal: string | null; stderrTail: string }): void {
    const how = info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
    this.env.log(`kernel of ${notebook.uri.toString()} ${how}\n${info.stderrTail}`);
    this.order = 0;
    const lost = this.vars.map((v) => v.name);
    this.vars = [];
    const restarted = this.autoRestarts < MAX_AUTO_RESTARTS && !notebook.isClosed;
    if (restarted) {
      this.autoRestarts++;
      this.warmUp();
    }
    const name = path.basename(notebook.uri.path);
    this.stateLost();
    void vscode.window.showWarningMessage(deathNotice({ notebook: name, how, busy: this.busy, lost, restarted }));
  }

  /** Asks the executor for its variables (after each cell); a failure leaves the list empty. */
  private async refreshVariables(): Promise<void> {
    const client = this.liveClient;
    if (!client) return void (this.vars = []);
    try {
      const list = await client.request('variables');
      this.vars = isVariableList(list) ? list : [];
    } catch (err) {
      this.env.log(`variables request failed: ${err}`);
      this.vars = [];
    }
  }

  /** User frames only, paths relative to the notebook, the message wrapped (errorformat.ts). */
  private present(error: Failure): Failure {
    const internal = [this.env.executorPath, this.env.runtimePath, ...(this.env.internalPaths ?? [])];
    return formatCellError(error, { internal, notebookDir: this.notebookDir, home: os.homedir() });
  }

  /** None for a cell that already has an execution (queued or running): it is not queued twice. */
  private createExecution(controller: vscode.NotebookController, cell: vscode.NotebookCell): vscode.NotebookCellExecution[] {
    try {
      return [controller.createNotebookCellExecution(cell)];
    } catch (err) {
      this.env.log(`cell ${cell.index + 1} not queued: ${err}`);
      return [];
    }
  }

  private async runBatch(execs: vscode.NotebookCellExecution[], gen: number): Promise<void> {
    let stop = false;
    for (const exec of execs) {
      if (stop || gen !== this.generation) skip(exec);
      else stop = (await this.runCell(exec)) !== 'ok';
    }
  }

  private async runCell(exec: vscode.NotebookCellExecution): Promise<ExecuteResult['status']> {
    exec.executionOrder = ++this.order;
    exec.start(Date.now());
    await exec.clearOutput();
    const writer = new CellWriter(exec, this.env.log);
    this.busy = true;
    const result = await this.execute(exec.cell, writer).finally(() => (this.busy = false));
    if (result.status === 'interrupted') writer.error(interruptedError(result.error));
    else if (result.status !== 'ok') writer.error(this.present(result.error ?? unknownFailure(result.status)));
    await writer.flush();
    exec.end(result.status === 'ok', Date.now());
    if (result.status === 'ok') this.autoRestarts = 0;
    await this.refreshVariables();
    this.cellEnded();
    return result.status;
  }

  private async execute(cell: vscode.NotebookCell, writer: CellWriter): Promise<ExecuteResult> {
    try {
      return await this.client.execute(cell.document.getText(), { cellId: cellId(cell), onEvent: (e) => writer.onEvent(e) });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      this.env.log(`execute failed: ${e.stack}`);
      return { status: 'died', error: { name: e.name, message: e.message, stack: e.stack ?? e.message }, durationMs: 0 };
    }
  }
}

/** A queued cell that will not run: it keeps its previous outputs and shows no success/failure mark. */
function skip(exec: vscode.NotebookCellExecution): void {
  exec.start();
  exec.end(undefined);
}

/** Names the cell in stack traces, e.g. `Cell 3:2:5`. */
function cellId(cell: vscode.NotebookCell): string {
  return `Cell ${cell.index + 1}`;
}

/** Our message first, then the cell frames the executor reported (where the loop was stopped). */
function interruptedError(error: Failure | undefined): Failure {
  const message = 'Execution interrupted. Variables defined so far are kept.';
  const frames = (error?.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return { name: 'Interrupted', message, stack: [`Interrupted: ${message}`, ...frames].join('\n') };
}

function unknownFailure(status: string): Failure {
  const message = status === 'died' ? 'The Layerwise kernel process died; the next run starts a new one.' : 'The cell failed.';
  return { name: 'Error', message, stack: message };
}

/** The notebook's folder for saved notebooks, else the first workspace folder, else the home directory. */
function notebookCwd(notebook: vscode.NotebookDocument): string {
  if (notebook.uri.scheme === 'file') return vscode.Uri.joinPath(notebook.uri, '..').fsPath;
  const folder = vscode.workspace.getWorkspaceFolder(notebook.uri) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : os.homedir();
}

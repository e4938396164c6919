import * as vscode from 'vscode';
import { declaredLanguage, hasLayerwiseKernelspec, markAsLayerwise } from './affinity';
import { CONTROLLER_ID, CONTROLLER_LABEL, KERNELSPEC, LANGUAGE, LANGUAGE_INFO, NOTEBOOK_TYPE } from './constants';
import type { ExecutorClient } from '../executor/client';
import { noticeForeignNotebook } from './notices';
import { KernelSession, type SessionEnv } from './session';

export const UNTRUSTED_MESSAGE =
  'Layerwise does not run cells in an untrusted workspace. Trust this workspace (Manage Workspace Trust) to run them.';

/**
 * The "Layerwise (TypeScript)" controller for Jupyter notebooks: one KernelSession (and executor process) per
 * notebook; preferred only for notebooks whose kernelspec is Layerwise's (see updateAffinity).
 */
export class LayerwiseController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly sessions = new Map<string, KernelSession>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly toldForeign = new Set<string>();
  private readonly cellEnded = new vscode.EventEmitter<{ notebook: vscode.NotebookDocument }>();
  /** Fires after each cell this controller ran (for views that read the session's state, like Layers). */
  readonly onDidExecuteCell = this.cellEnded.event;
  private readonly kernelChanged = new vscode.EventEmitter<{ notebook: vscode.NotebookDocument }>();
  /** Fires when a notebook's kernel lost its state (restart, death): views reading the session refresh. */
  readonly onDidChangeKernel = this.kernelChanged.event;

  constructor(private readonly env: SessionEnv) {
    const c = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, CONTROLLER_LABEL);
    c.supportedLanguages = [LANGUAGE];
    c.supportsExecutionOrder = true;
    c.description = 'TypeScript cells on the Layerwise tensor runtime';
    c.executeHandler = (cells, notebook, ctrl) => this.execute(cells, notebook, ctrl);
    c.interruptHandler = (notebook) => this.sessions.get(key(notebook))?.interrupt();
    this.controller = c;
    this.subscriptions.push(
      c,
      this.cellEnded,
      this.kernelChanged,
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.updateAffinity(nb)),
      vscode.workspace.onDidChangeNotebookDocument((e) => e.metadata && this.updateAffinity(e.notebook)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.closeSession(nb)),
      c.onDidChangeSelectedNotebooks(({ notebook, selected }) => this.onSelected(notebook, selected)),
    );
    vscode.workspace.notebookDocuments.forEach((nb) => this.updateAffinity(nb));
  }

  session(notebook: vscode.NotebookDocument): KernelSession | undefined {
    return this.sessions.get(key(notebook));
  }

  /** The running executor client of a notebook's session, for requests (e.g. 'modules'); undefined if none. */
  getClient(notebook: vscode.NotebookDocument): ExecutorClient | undefined {
    return this.sessions.get(key(notebook))?.liveClient;
  }

  async restart(notebook: vscode.NotebookDocument): Promise<void> {
    await this.sessionFor(notebook).restart();
    this.kernelChanged.fire({ notebook });
  }

  dispose(): void {
    this.sessions.forEach((s) => s.dispose());
    this.sessions.clear();
    this.subscriptions.forEach((d) => d.dispose());
  }

  private async execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument, ctrl: vscode.NotebookController): Promise<void> {
    if (!vscode.workspace.isTrusted) return refuseUntrusted(ctrl, cells);
    // VS Code runs a notebook with its only kernel even when it is not the notebook's own (a Python notebook
    // in a VS Code without the Jupyter extension): cells in another language get a clear error, never silence.
    const foreign = cells.filter((c) => c.document.languageId !== LANGUAGE);
    if (foreign.length) await refuse(ctrl, foreign, foreignMessage(foreign[0].document.languageId));
    const ours = cells.filter((c) => c.document.languageId === LANGUAGE);
    if (!ours.length) return;
    this.recordKernelspec(notebook);
    return this.sessionFor(notebook).run(ctrl, ours);
  }

  /**
   * TypeScript cells ran here in a notebook that names no kernel language (a new notebook): write the Layerwise
   * kernelspec, so the file says so. A notebook of another kernel (Python, Deno…) keeps its own.
   */
  private recordKernelspec(notebook: vscode.NotebookDocument): void {
    const lang = declaredLanguage(notebook);
    if (lang && lang !== LANGUAGE) return;
    if (!notebook.getCells().every((c) => c.kind !== vscode.NotebookCellKind.Code || c.document.languageId === LANGUAGE)) return;
    markAsLayerwise(notebook, { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO }).then(undefined, (err) =>
      this.env.log(`could not record the kernelspec: ${err}`),
    );
  }

  private sessionFor(notebook: vscode.NotebookDocument): KernelSession {
    let s = this.sessions.get(key(notebook));
    if (!s) {
      s = new KernelSession(notebook, this.env, () => this.cellEnded.fire({ notebook }), () => this.kernelChanged.fire({ notebook }));
      this.sessions.set(key(notebook), s);
    }
    return s;
  }

  /**
   * Deselected (the user picked another kernel): stop the process. Selection itself starts nothing: VS Code
   * auto-selects the only controller of a notebook type on open, even for a Python notebook.
   */
  private onSelected(notebook: vscode.NotebookDocument, selected: boolean): void {
    if (!selected) this.closeSession(notebook);
  }

  private closeSession(notebook: vscode.NotebookDocument): void {
    this.sessions.get(key(notebook))?.dispose();
    this.sessions.delete(key(notebook));
  }

  /**
   * Preferred (and its kernel started, as Jupyter does on open) only for notebooks whose kernelspec is Layerwise's;
   * every other notebook (another TypeScript kernel's, a Python one) gets the default affinity: offered in the
   * kernel picker, never preferred over the notebook's own kernel, and no process is started for it.
   */
  private updateAffinity(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    const ours = hasLayerwiseKernelspec(notebook);
    const { Preferred, Default } = vscode.NotebookControllerAffinity;
    this.controller.updateNotebookAffinity(notebook, ours ? Preferred : Default);
    if (ours && vscode.workspace.isTrusted) this.sessionFor(notebook).warmUp();
    const lang = declaredLanguage(notebook);
    if (!ours && lang && lang !== LANGUAGE) noticeForeignNotebook(notebook, languageName(lang), this.toldForeign);
  }
}

function key(notebook: vscode.NotebookDocument): string {
  return notebook.uri.toString();
}

function refuseUntrusted(ctrl: vscode.NotebookController, cells: readonly vscode.NotebookCell[]): Promise<void> {
  void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
  return refuse(ctrl, cells, { name: 'UntrustedWorkspace', message: UNTRUSTED_MESSAGE });
}

function languageName(lang: string): string {
  return lang === 'python' ? 'Python' : lang;
}

export function foreignMessage(languageId: string): { name: string; message: string } {
  return { name: 'NotALayerwiseCell', message: `Layerwise runs TypeScript cells; this cell is ${languageId}. ` +
    "Pick this notebook's own kernel with 'Select Kernel' (top right of the notebook)." };
}

/** Ends each cell's execution at once with an error output (cells that already run are left alone). */
async function refuse(ctrl: vscode.NotebookController, cells: readonly vscode.NotebookCell[], error: { name: string; message: string }): Promise<void> {
  for (const cell of cells) {
    let exec: vscode.NotebookCellExecution;
    try {
      exec = ctrl.createNotebookCellExecution(cell);
    } catch {
      continue; // already has an execution
    }
    exec.start(Date.now());
    const item = vscode.NotebookCellOutputItem.error(error);
    await exec.replaceOutput(new vscode.NotebookCellOutput([item]));
    exec.end(false, Date.now());
  }
}

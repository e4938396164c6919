import * as vscode from 'vscode';
import { isLayerwiseNotebook, markAsLayerwise } from './affinity';
import { CONTROLLER_ID, CONTROLLER_LABEL, KERNELSPEC, LANGUAGE, LANGUAGE_INFO, NOTEBOOK_TYPE } from './constants';
import type { ExecutorClient } from '../executor/client';
import { KernelSession, type SessionEnv } from './session';

export const UNTRUSTED_MESSAGE =
  'Layerwise does not run cells in an untrusted workspace. Trust this workspace (Manage Workspace Trust) to run them.';

/**
 * The "Layerwise (TypeScript)" controller for Jupyter notebooks: one KernelSession (and executor process) per
 * notebook, preferred for notebooks whose metadata names Layerwise or TypeScript.
 */
export class LayerwiseController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly sessions = new Map<string, KernelSession>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly cellEnded = new vscode.EventEmitter<{ notebook: vscode.NotebookDocument }>();
  /** Fires after each cell this controller ran (for views that read the session's state, like Layers). */
  readonly onDidExecuteCell = this.cellEnded.event;

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

  restart(notebook: vscode.NotebookDocument): Promise<void> {
    return this.sessionFor(notebook).restart();
  }

  dispose(): void {
    this.sessions.forEach((s) => s.dispose());
    this.sessions.clear();
    this.subscriptions.forEach((d) => d.dispose());
  }

  private execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument, ctrl: vscode.NotebookController): Promise<void> {
    if (!vscode.workspace.isTrusted) return refuseUntrusted(ctrl, cells);
    this.recordKernelspec(notebook, cells);
    return this.sessionFor(notebook).run(ctrl, cells);
  }

  /** TypeScript cells run here in a notebook without a Layerwise kernelspec: write it, so the file says so. */
  private recordKernelspec(notebook: vscode.NotebookDocument, cells: readonly vscode.NotebookCell[]): void {
    if (!cells.every((c) => c.document.languageId === LANGUAGE)) return;
    markAsLayerwise(notebook, { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO }).then(undefined, (err) =>
      this.env.log(`could not record the kernelspec: ${err}`),
    );
  }

  private sessionFor(notebook: vscode.NotebookDocument): KernelSession {
    let s = this.sessions.get(key(notebook));
    if (!s) {
      s = new KernelSession(notebook, this.env, () => this.cellEnded.fire({ notebook }));
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

  /** Prefers this controller for Layerwise/TypeScript notebooks and starts their kernel, as Jupyter does on open. */
  private updateAffinity(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE || !isLayerwiseNotebook(notebook)) return;
    this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
    if (vscode.workspace.isTrusted) this.sessionFor(notebook).warmUp();
  }
}

function key(notebook: vscode.NotebookDocument): string {
  return notebook.uri.toString();
}

async function refuseUntrusted(ctrl: vscode.NotebookController, cells: readonly vscode.NotebookCell[]): Promise<void> {
  void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
  for (const cell of cells) {
    let exec: vscode.NotebookCellExecution;
    try {
      exec = ctrl.createNotebookCellExecution(cell);
    } catch {
      continue; // already has an execution
    }
    exec.start(Date.now());
    const item = vscode.NotebookCellOutputItem.error({ name: 'UntrustedWorkspace', message: UNTRUSTED_MESSAGE });
    await exec.replaceOutput(new vscode.NotebookCellOutput([item]));
    exec.end(false, Date.now());
  }
}

/** The Live section's data: asks the notebook's executor for its modules after every cell run. */
import * as vscode from 'vscode';
import type { LiveInfo } from './sections';
import type { ModulesResponse, SourceLocation } from './types';

export interface RequestClient {
  request(kind: string, args?: unknown): Promise<unknown>;
}

export interface InspectorDeps {
  /** The executor client of a notebook's kernel session, when one is running. */
  getClient(notebook: vscode.NotebookDocument): RequestClient | undefined;
  /** Fires after each cell execution; optional (derived from notebook change events when absent). */
  onDidExecuteCell?: vscode.Event<{ notebook: vscode.NotebookDocument }>;
  /** Optional: fires when a notebook's kernel restarts or dies, so the Live section drops its old models at once. */
  onDidChangeKernel?: vscode.Event<{ notebook: vscode.NotebookDocument }>;
}

/** Cell executions ending, from notebook document changes (each carries the cell's new executionSummary). */
export function executionEnded(): vscode.Event<{ notebook: vscode.NotebookDocument }> {
  return (listener, thisArgs, disposables) =>
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      if (e.cellChanges.some((c) => c.executionSummary?.timing?.endTime !== undefined)) listener.call(thisArgs, { notebook: e.notebook });
    }, undefined, disposables);
}

export class LiveModels {
  private readonly byNotebook = new Map<string, LiveInfo>();
  /** cell document URIs by notebook and "Cell N" index, captured when the answer came (indices may move later). */
  private readonly cells = new Map<string, vscode.Uri[]>();
  private readonly changed = new vscode.EventEmitter<vscode.NotebookDocument>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: InspectorDeps) {}

  get(notebook: vscode.NotebookDocument | undefined): LiveInfo {
    if (!notebook) return { note: 'Open a Layerwise notebook to see its models' };
    return this.byNotebook.get(notebook.uri.toString()) ?? {};
  }

  async refresh(notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    const client = this.deps.getClient(notebook);
    let next: LiveInfo;
    if (!client) next = { note: 'No kernel running: run a cell that defines a model' };
    else {
      try {
        next = { response: (await client.request('modules')) as ModulesResponse };
        this.cells.set(key, notebook.getCells().map((c) => c.document.uri));
      } catch (err) {
        const msg = (err as Error)?.message ?? String(err);
        next = { note: /no handler/.test(msg) ? 'This runtime does not answer the Layers view (modules request)' : `Could not read the models: ${msg}` };
      }
    }
    this.byNotebook.set(key, next);
    this.changed.fire(notebook);
  }

  /** The cell a live location points at, as it was when the models were read. */
  cellUri(notebook: vscode.NotebookDocument, loc: SourceLocation): vscode.Uri | undefined {
    if (loc.cellIndex === undefined) return undefined;
    return this.cells.get(notebook.uri.toString())?.[loc.cellIndex] ?? notebook.cellAt(loc.cellIndex)?.document.uri;
  }

  forget(notebook: vscode.NotebookDocument): void {
    this.byNotebook.delete(notebook.uri.toString());
    this.cells.delete(notebook.uri.toString());
  }

  dispose(): void {
    this.changed.dispose();
  }
}

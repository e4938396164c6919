/**
 * Type errors of notebook cells as squiggles and Problems entries. VS Code's TypeScript service sees each cell as
 * its own file and reports only syntax errors for cells; here the cells of a notebook are checked as one program
 * (checker.ts) a short while after each edit, and the errors are published per cell document.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type * as TS from 'typescript';
import { LANGUAGE, NOTEBOOK_TYPE } from '../constants';
import { findLibDir, NotebookChecker, type CellDiagnostic } from './checker';
import { LayerDiagnostics } from './layers';

const DEBOUNCE_MS = 250;
export const DIAGNOSTIC_SOURCE = 'Layerwise (ts)';

export function registerCellDiagnostics(ctx: vscode.ExtensionContext, log: (msg: string) => void): void {
  const collection = vscode.languages.createDiagnosticCollection('layerwise-cells');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const layers = new LayerDiagnostics();
  let checker: NotebookChecker | undefined;
  let ts: typeof TS | undefined;

  const getChecker = (): NotebookChecker => {
    if (checker) return checker;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ts = require('typescript') as typeof TS;
    const dist = vscode.Uri.joinPath(ctx.extensionUri, 'dist').fsPath;
    const libDir = findLibDir(ts, [path.join(dist, 'typescript'), path.join(ctx.extensionUri.fsPath, 'node_modules/typescript/lib')]);
    checker = new NotebookChecker(ts, { typesDir: path.join(dist, 'types'), libDir });
    return checker;
  };

  const check = (nb: vscode.NotebookDocument): void => {
    timers.delete(nb.uri.toString());
    if (nb.isClosed) return;
    const cells = nb.getCells();
    const texts = cells.map((c) => (c.kind === vscode.NotebookCellKind.Code && c.document.languageId === LANGUAGE ? c.document.getText() : null));
    const started = Date.now();
    try {
      const result = getChecker().check(notebookDir(nb), nb.uri.toString(), texts);
      const byCell = new Map<number, vscode.Diagnostic[]>();
      for (const d of result.diagnostics) byCell.set(d.cell, [...(byCell.get(d.cell) ?? []), toDiagnostic(cells[d.cell].document, d)]);
      cells.forEach((c, i) => collection.set(c.document.uri, byCell.get(i) ?? []));
      const found = layers.update(ts!, cells.filter((_, i) => texts[i] !== null && !result.skipped.includes(i)));
      log(`type-checked ${nb.uri.path.split('/').pop()} in ${Date.now() - started} ms: ${result.diagnostics.length} type problem(s), ${found} layer finding(s)`);
    } catch (err) {
      log(`type check failed: ${(err as Error)?.stack ?? err}`);
    }
  };

  const schedule = (nb: vscode.NotebookDocument | undefined): void => {
    if (!nb || nb.notebookType !== NOTEBOOK_TYPE || !hasTypeScriptCell(nb)) return;
    const key = nb.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => check(nb), DEBOUNCE_MS));
  };

  const forget = (nb: vscode.NotebookDocument): void => {
    clearTimeout(timers.get(nb.uri.toString()));
    timers.delete(nb.uri.toString());
    nb.getCells().forEach((c) => collection.delete(c.document.uri));
    layers.clear(nb.getCells().map((c) => c.document.uri));
    checker?.forget(notebookDir(nb), nb.uri.toString());
  };

  ctx.subscriptions.push(
    collection,
    layers,
    vscode.languages.registerCodeActionsProvider({ scheme: 'vscode-notebook-cell', language: LANGUAGE }, layers, LayerDiagnostics.metadata),
    vscode.workspace.onDidOpenNotebookDocument(schedule),
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      e.contentChanges.forEach((c) => c.removedCells.forEach((cell) => (collection.delete(cell.document.uri), layers.clear([cell.document.uri]))));
      // cells added, removed or moved, or a cell's language changed (not output or metadata edits)
      if (e.contentChanges.length || e.cellChanges.some((c) => c.document)) schedule(e.notebook);
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme === 'vscode-notebook-cell' && e.contentChanges.length) schedule(notebookOf(e.document));
    }),
    vscode.workspace.onDidCloseNotebookDocument(forget),
    { dispose: () => (timers.forEach((t) => clearTimeout(t)), checker?.dispose()) },
  );
  vscode.workspace.notebookDocuments.forEach(schedule);
}

function hasTypeScriptCell(nb: vscode.NotebookDocument): boolean {
  return nb.getCells().some((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === LANGUAGE);
}

function notebookOf(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === doc));
}

function notebookDir(nb: vscode.NotebookDocument): string {
  if (nb.uri.scheme === 'file') return path.dirname(nb.uri.fsPath);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : path.sep;
}

function toDiagnostic(doc: vscode.TextDocument, d: CellDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(doc.positionAt(d.start), doc.positionAt(d.end));
  const severity = d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diag = new vscode.Diagnostic(range, d.message, severity);
  diag.source = DIAGNOSTIC_SOURCE;
  diag.code = d.code;
  return diag;
}

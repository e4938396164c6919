/**
 * Layer findings (layerFindings.ts) published as diagnostics on the cells, and their quick fixes. Runs with the
 * type check (same debounce), over the analyser the Draft section and the inline hints use.
 */
import * as vscode from 'vscode';
import type * as TS from 'typescript';
import { analyze } from '../inspector/analyzer';
import { layerFindings, type LayerFix } from './layerFindings';

export const LAYER_SOURCE = 'Layerwise (layers)';

export class LayerDiagnostics implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  private readonly collection = vscode.languages.createDiagnosticCollection('layerwise-layers');
  /** Fixes by diagnostic (uri, range, message): code action requests carry copies of the diagnostics. */
  private readonly fixes = new Map<string, LayerFix[]>();

  update(ts: typeof TS, cells: readonly vscode.NotebookCell[]): number {
    const docs = cells.map((c) => c.document);
    const sources = cells.map((c) => ({ key: c.document.uri.toString(), text: c.document.getText(), cellIndex: c.index }));
    const findings = layerFindings(ts, analyze(sources).hints, new Map(sources.map((s) => [s.key, s.text])));
    const byDoc = new Map<string, vscode.Diagnostic[]>();
    for (const f of findings) {
      const doc = docs.find((d) => d.uri.toString() === f.key);
      if (!doc) continue;
      const range = new vscode.Range(doc.positionAt(f.start), doc.positionAt(f.end));
      const d = new vscode.Diagnostic(range, f.message, f.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = LAYER_SOURCE;
      d.code = f.code;
      byDoc.set(f.key, [...(byDoc.get(f.key) ?? []), d]);
      this.fixes.set(fixKey(doc.uri, d), f.fixes);
    }
    docs.forEach((doc) => this.collection.set(doc.uri, byDoc.get(doc.uri.toString()) ?? []));
    return findings.length;
  }

  clear(uris: readonly vscode.Uri[]): void {
    uris.forEach((u) => this.collection.delete(u));
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics.filter((d) => d.source === LAYER_SOURCE).flatMap((d) =>
      (this.fixes.get(fixKey(doc.uri, d)) ?? []).map((fix) => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(fix.start), doc.positionAt(fix.end)), fix.text);
        action.diagnostics = [d];
        action.isPreferred = true;
        return action;
      }));
  }

  dispose(): void {
    this.collection.dispose();
  }
}

function fixKey(uri: vscode.Uri, d: vscode.Diagnostic): string {
  const r = d.range;
  return `${uri.toString()}|${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${d.message}`;
}

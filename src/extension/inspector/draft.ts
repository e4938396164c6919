/**
 * The Draft section's data and the inline hints' source: runs the static analyser over the active notebook's
 * code cells (or the active .ts file) as the user types, debounced, cached per document versions.
 */
import * as vscode from 'vscode';
import { analyze, type DraftResult, type DraftSource } from './analyzer';

const LANGS = new Set(['typescript', 'javascript', 'typescriptreact']);
const DEBOUNCE_MS = 150;

type Context = { kind: 'notebook'; notebook: vscode.NotebookDocument } | { kind: 'file'; doc: vscode.TextDocument };

function notebookOf(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (doc.uri.scheme !== 'vscode-notebook-cell') return undefined;
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === doc));
}

function contextOf(doc: vscode.TextDocument): Context | undefined {
  const nb = notebookOf(doc);
  if (nb) return { kind: 'notebook', notebook: nb };
  return LANGS.has(doc.languageId) && doc.uri.scheme !== 'vscode-notebook-cell' ? { kind: 'file', doc } : undefined;
}

function sources(ctx: Context): { key: string; sig: string; list: DraftSource[] } {
  if (ctx.kind === 'file') {
    const d = ctx.doc;
    return { key: d.uri.toString(), sig: `${d.version}`, list: [{ key: d.uri.toString(), text: d.getText(), file: d.uri.scheme === 'file' ? d.uri.fsPath : undefined }] };
  }
  const cells = ctx.notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && LANGS.has(c.document.languageId));
  return {
    key: ctx.notebook.uri.toString(),
    sig: cells.map((c) => `${c.document.uri.toString()}@${c.document.version}`).join('|'),
    list: cells.map((c) => ({ key: c.document.uri.toString(), text: c.document.getText(), cellIndex: c.index })),
  };
}

export class DraftModels implements vscode.Disposable {
  private readonly cache = new Map<string, { sig: string; result: DraftResult }>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subs: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly onDidChange = this.changed.event;

  constructor() {
    this.subs.push(
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && this.isCurrent(e.document) && this.schedule()),
      vscode.workspace.onDidChangeNotebookDocument((e) => e.contentChanges.length && this.schedule()),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.cache.delete(nb.uri.toString())),
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())),
    );
  }

  /** The document the Draft section follows: the active notebook, else the active TS/JS editor. */
  current(): { result: DraftResult; where: string } | undefined {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    const ctx: Context | undefined = nb ? { kind: 'notebook', notebook: nb } : vscode.window.activeTextEditor && contextOf(vscode.window.activeTextEditor.document);
    if (!ctx) return undefined;
    const uri = ctx.kind === 'notebook' ? ctx.notebook.uri : ctx.doc.uri;
    return { result: this.compute(ctx), where: uri.path.split('/').pop() ?? uri.toString() };
  }

  /** The analysis covering a document (a cell → its whole notebook, so declarations in other cells count). */
  resultFor(doc: vscode.TextDocument): DraftResult | undefined {
    const ctx = contextOf(doc);
    return ctx ? this.compute(ctx) : undefined;
  }

  private compute(ctx: Context): DraftResult {
    const s = sources(ctx);
    const hit = this.cache.get(s.key);
    if (hit && hit.sig === s.sig) return hit.result;
    let result: DraftResult;
    try {
      result = analyze(s.list);
    } catch {
      result = { models: [], hints: [] }; // the analyser does not throw; a missing compiler must not break the view
    }
    this.cache.set(s.key, { sig: s.sig, result });
    return result;
  }

  private isCurrent(doc: vscode.TextDocument): boolean {
    return doc.uri.scheme === 'vscode-notebook-cell' || LANGS.has(doc.languageId);
  }

  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire();
    }, DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subs.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}

export class DraftHints implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(private readonly drafts: DraftModels) {
    drafts.onDidChange(() => this.changed.fire());
  }

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const result = this.drafts.resultFor(doc);
    const key = doc.uri.toString();
    return (result?.hints ?? []).filter((h) => h.key === key).flatMap((h) => {
      const pos = doc.positionAt(h.offset);
      if (!range.contains(pos)) return [];
      const hint = new vscode.InlayHint(pos, h.label);
      hint.paddingLeft = true;
      hint.tooltip = new vscode.MarkdownString(h.tooltip);
      return [hint];
    });
  }
}

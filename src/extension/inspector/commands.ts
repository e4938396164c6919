/** Layers view commands: refresh, copy a model's summary as Markdown, insert a summary into the notebook, reveal. */
import * as vscode from 'vscode';
import type { DraftModels } from './draft';
import { summaryMarkdown } from './format';
import type { InspectorDeps, LiveModels } from './live';
import type { InspectModel, InspectorNode, SourceLocation } from './types';
import { REVEAL_COMMAND, type LayersTree } from './view';

export const COMMANDS = {
  refresh: 'layerwise.inspector.refresh',
  copySummary: 'layerwise.inspector.copySummary',
  insertSummary: 'layerwise.inspector.insertSummary',
  reveal: REVEAL_COMMAND,
} as const;

interface Ctx {
  deps: InspectorDeps;
  live: LiveModels;
  drafts: DraftModels;
  tree: LayersTree;
}

type Picked = { model: InspectModel; section: 'live' | 'draft' };

function modelOf(c: Ctx, name: string, section: 'live' | 'draft'): InspectModel | undefined {
  const list = section === 'live' ? c.live.get(c.tree.notebook).response?.models : c.drafts.current()?.result.models;
  return list?.find((m) => m.name === name);
}

/** The model a command applies to: the clicked row, else a quick pick over Live and Draft models. */
async function pick(c: Ctx, node: InspectorNode | undefined): Promise<Picked | undefined> {
  if (node?.model) {
    const section = node.id.startsWith('draft/') ? 'draft' : 'live';
    const model = modelOf(c, node.model, section);
    return model && { model, section };
  }
  const items = c.tree.models().map(({ node: n, section }) => ({ label: n.model!, description: `${section} · ${n.description ?? ''}`, section }));
  if (!items.length) return void vscode.window.showInformationMessage('Layerwise: no models in the Layers view yet.');
  const choice = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: 'Which model?' });
  const model = choice && modelOf(c, choice.label, choice.section);
  return model && { model, section: choice.section };
}

async function copySummary(c: Ctx, node?: InspectorNode): Promise<void> {
  const p = await pick(c, node);
  if (!p) return;
  await vscode.env.clipboard.writeText(summaryMarkdown(p.model));
  void vscode.window.showInformationMessage(`Layerwise: copied the summary of ${p.model.name} as a Markdown table.`);
}

function outputFromBundle(bundle: Record<string, unknown>): vscode.NotebookCellOutput {
  const items = Object.entries(bundle).map(([mime, v]) => (typeof v === 'string' ? vscode.NotebookCellOutputItem.text(v, mime) : vscode.NotebookCellOutputItem.json(v, mime)));
  return new vscode.NotebookCellOutput(items, { outputType: 'execute_result' });
}

/** Live: a `summary(model, shape)` code cell with the kernel's summary output; Draft: a Markdown cell with the table. */
async function insertSummary(c: Ctx, node?: InspectorNode): Promise<void> {
  const editor = vscode.window.activeNotebookEditor ?? (c.tree.notebook && (await vscode.window.showNotebookDocument(c.tree.notebook)));
  if (!editor) return void vscode.window.showInformationMessage('Layerwise: open a notebook to insert a summary into.');
  const p = await pick(c, node);
  if (!p) return;
  const { model } = p;
  let cell: vscode.NotebookCellData;
  const client = p.section === 'live' ? c.deps.getClient(editor.notebook) : undefined;
  if (client && model.inputShape) {
    try {
      const bundle = (await client.request('moduleSummary', { name: model.name })) as Record<string, unknown>;
      const shape = model.inputShape.length === 1 ? JSON.stringify(model.inputShape[0]) : JSON.stringify(model.inputShape);
      cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, `summary(${model.name}, ${shape.replace(/,/g, ', ')})`, 'typescript');
      cell.outputs = [outputFromBundle(bundle)];
    } catch (err) {
      return void vscode.window.showWarningMessage(`Layerwise: could not summarise ${model.name}: ${(err as Error).message}`);
    }
  } else {
    cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, summaryMarkdown(model), 'markdown');
  }
  const at = editor.selections[0]?.end ?? editor.notebook.cellCount;
  const edit = new vscode.WorkspaceEdit();
  edit.set(editor.notebook.uri, [vscode.NotebookEdit.insertCells(at, [cell])]);
  await vscode.workspace.applyEdit(edit);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Puts the cursor at `pos` in a notebook cell: select the cell, enter its editor, set the selection. After a click
 * in the tree the notebook applies the cell selection after the command's first steps and takes focus back to its
 * cell list (command mode), so entering the cell's editor is repeated until the cell's text editor is the active one.
 * (showTextDocument on the cell document is no substitute: code-server opens the cell in a tab of its own.)
 */
async function revealInCell(nb: vscode.NotebookDocument, cell: vscode.NotebookCell, pos: vscode.Position): Promise<void> {
  const range = new vscode.NotebookRange(cell.index, cell.index + 1);
  const editor = await vscode.window.showNotebookDocument(nb, { selections: [range], preserveFocus: false });
  editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
  const uri = cell.document.uri.toString();
  const inCell = (): boolean => vscode.window.activeTextEditor?.document.uri.toString() === uri;
  for (let i = 0; i < 20 && !inCell(); i++) {
    // The click leaves focus in the tree: move it to the notebook, then into the cell's editor.
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup').then(undefined, () => undefined);
    await vscode.commands.executeCommand('notebook.cell.edit').then(undefined, () => undefined);
    await sleep(100);
  }
  const text = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
  if (!text) return;
  text.selection = new vscode.Selection(pos, pos);
  text.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function reveal(c: Ctx, arg: { location: SourceLocation; notebook?: string; section: 'live' | 'draft' }): Promise<void> {
  const loc = arg?.location;
  if (!loc) return;
  const pos = new vscode.Position(Math.max(0, loc.line - 1), Math.max(0, loc.column - 1));
  if (loc.file) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(loc.file));
    return void (await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) }));
  }
  const nb = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === arg.notebook) ?? vscode.window.activeNotebookEditor?.notebook;
  if (!nb) return;
  const uri = arg.section === 'live' ? c.live.cellUri(nb, loc) : nb.cellAt(loc.cellIndex ?? 0)?.document.uri;
  const cell = nb.getCells().find((x) => x.document.uri.toString() === uri?.toString());
  if (!cell) return void vscode.window.showInformationMessage(`Layerwise: cell ${(loc.cellIndex ?? 0) + 1} is no longer in the notebook.`);
  await revealInCell(nb, cell, pos);
}

export function registerInspectorCommands(c: Ctx): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.refresh, async () => {
      if (c.tree.notebook) await c.live.refresh(c.tree.notebook);
      c.drafts.schedule();
      c.tree.refresh();
    }),
    vscode.commands.registerCommand(COMMANDS.copySummary, (node?: InspectorNode) => copySummary(c, node)),
    vscode.commands.registerCommand(COMMANDS.insertSummary, (node?: InspectorNode) => insertSummary(c, node)),
    vscode.commands.registerCommand(COMMANDS.reveal, (arg) => reveal(c, arg)),
  ];
}

/**
 * The Variables view: the active notebook's kernel variables (tensors with shape, dtype, memory, requires-grad
 * and a histogram on hover; models with their parameter count, linking to the Layers view; numbers, strings and
 * the rest), refreshed after each cell and when the kernel loses its state. The list comes from the session,
 * which asks the executor after every cell (the 'variables' request, src/executor/variables.ts).
 * A tree view rather than VS Code's notebook variables API, which is still proposed in the 1.90+ engine.
 */
import * as vscode from 'vscode';
import type { VariableInfo } from '../../protocol/variables';
import { LAYERS_VIEW } from '../constants';
import type { LayerwiseController } from '../controller';
import { describe, tooltip } from './format';

export const VARIABLES_VIEW = 'layerwise.variables';

const ICONS: Record<VariableInfo['kind'], string> = {
  tensor: 'symbol-array', module: 'symbol-class', number: 'symbol-number', string: 'symbol-string',
  boolean: 'symbol-boolean', other: 'symbol-variable',
};

class VariablesTree implements vscode.TreeDataProvider<VariableInfo> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly kernel: LayerwiseController) {}

  refresh(): void {
    this.changed.fire();
  }

  getChildren(element?: VariableInfo): VariableInfo[] {
    if (element) return [];
    const nb = vscode.window.activeNotebookEditor?.notebook;
    return nb ? [...(this.kernel.session(nb)?.variables ?? [])] : [];
  }

  getTreeItem(v: VariableInfo): vscode.TreeItem {
    const item = new vscode.TreeItem(v.name, vscode.TreeItemCollapsibleState.None);
    item.description = describe(v);
    item.tooltip = new vscode.MarkdownString(tooltip(v));
    item.iconPath = new vscode.ThemeIcon(ICONS[v.kind] ?? 'symbol-variable');
    item.contextValue = `layerwise.variable.${v.kind}`;
    if (v.kind === 'module') item.command = { command: `${LAYERS_VIEW}.focus`, title: 'Show in Layers' };
    return item;
  }
}

export function registerVariablesView(ctx: vscode.ExtensionContext, kernel: LayerwiseController): void {
  const tree = new VariablesTree(kernel);
  const view = vscode.window.createTreeView(VARIABLES_VIEW, { treeDataProvider: tree });
  const update = () => {
    tree.refresh();
    const nb = vscode.window.activeNotebookEditor?.notebook;
    const session = nb && kernel.session(nb);
    view.message = !nb ? 'Open a notebook to see its variables.'
      : !session?.liveClient ? 'Run a cell to start the kernel.'
      : session.variables.length ? undefined : 'No variables yet.';
  };
  update();
  ctx.subscriptions.push(
    view,
    kernel.onDidExecuteCell(update),
    kernel.onDidChangeKernel(update),
    vscode.window.onDidChangeActiveNotebookEditor(update),
  );
}

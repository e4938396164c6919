/**
 * The layer inspector: the "Layers" tree (Live: the session's models after each run; Draft: the static analysis
 * of what is being typed), inline shape hints, and its commands. The only entry point is registerLayerInspector.
 */
import * as vscode from 'vscode';
import { LAYERS_VIEW } from '../constants';
import { COMMANDS, registerInspectorCommands } from './commands';
import { DraftHints, DraftModels } from './draft';
import { executionEnded, LiveModels, type InspectorDeps } from './live';
import { LayersTree } from './view';

export type { InspectorDeps } from './live';
export { COMMANDS as INSPECTOR_COMMANDS };

const HINT_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'vscode-notebook-cell', language: 'typescript' },
  { scheme: 'vscode-notebook-cell', language: 'javascript' },
  { scheme: 'file', language: 'typescript' },
  { scheme: 'untitled', language: 'typescript' },
];

export function registerLayerInspector(context: vscode.ExtensionContext, deps: InspectorDeps): void {
  const live = new LiveModels(deps);
  const drafts = new DraftModels();
  const tree = new LayersTree(live, drafts);
  const view = vscode.window.createTreeView(LAYERS_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const follow = (nb: vscode.NotebookDocument | undefined): void => {
    if (!nb || nb === tree.notebook) return;
    tree.notebook = nb;
    void live.refresh(nb);
  };
  follow(vscode.window.activeNotebookEditor?.notebook);
  const executed = deps.onDidExecuteCell ?? executionEnded();
  context.subscriptions.push(
    view, live, drafts,
    live.onDidChange(() => tree.refresh()),
    drafts.onDidChange(() => tree.refresh()),
    executed(({ notebook }) => {
      tree.notebook = notebook;
      void live.refresh(notebook);
    }),
    ...(deps.onDidChangeKernel ? [deps.onDidChangeKernel(({ notebook }) => void live.refresh(notebook))] : []),
    vscode.window.onDidChangeActiveNotebookEditor((e) => (follow(e?.notebook), tree.refresh())),
    vscode.window.onDidChangeActiveTextEditor(() => tree.refresh()),
    vscode.workspace.onDidCloseNotebookDocument((nb) => {
      live.forget(nb);
      if (tree.notebook === nb) tree.notebook = undefined;
      tree.refresh();
    }),
    vscode.languages.registerInlayHintsProvider(HINT_SELECTOR, new DraftHints(drafts)),
    ...registerInspectorCommands({ deps, live, drafts, tree }),
  );
}

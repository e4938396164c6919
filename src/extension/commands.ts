import * as vscode from 'vscode';
import { COMMANDS, CONTROLLER_ID, KERNELSPEC, LANGUAGE, LANGUAGE_INFO, NOTEBOOK_TYPE } from './constants';
import { UNTRUSTED_MESSAGE, type LayerwiseController } from './controller';
import { confirmRestart } from './notices';

const STARTER = [
  '// A Layerwise notebook: TypeScript cells on a PyTorch-shaped tensor + autograd runtime.',
  "const greeting = 'Hello from Layerwise';",
  'console.log(greeting);',
].join('\n');

export function registerCommands(ctx: vscode.ExtensionContext, kernel: LayerwiseController): void {
  ctx.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.newNotebook, () => newNotebook(ctx)),
    vscode.commands.registerCommand(COMMANDS.restartKernel, (arg?: unknown) => restart(kernel, arg)),
    vscode.commands.registerCommand(COMMANDS.interruptKernel, (arg?: unknown) => interrupt(kernel, arg)),
  );
}

/** An untitled .ipynb with the Layerwise kernelspec, a starter cell, and the Layerwise kernel selected. */
async function newNotebook(ctx: vscode.ExtensionContext): Promise<void> {
  const data = new vscode.NotebookData([new vscode.NotebookCellData(vscode.NotebookCellKind.Code, STARTER, LANGUAGE)]);
  data.metadata = { metadata: { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO }, nbformat: 4, nbformat_minor: 5 };
  const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  await vscode.window.showNotebookDocument(doc);
  // Applies to the active notebook editor, the one just shown. Affinity already prefers us; this makes it explicit.
  await vscode.commands
    .executeCommand('notebook.selectKernel', { id: CONTROLLER_ID, extension: ctx.extension.id })
    .then(undefined, () => undefined);
}

/**
 * The notebook a toolbar/palette invocation refers to. Toolbar buttons pass the NotebookDocument (or, in older
 * versions, `{ notebookEditor: { notebookUri } }`); the palette passes nothing.
 */
function targetNotebook(arg: unknown): vscode.NotebookDocument | undefined {
  if (arg && typeof arg === 'object' && 'notebookType' in arg) return arg as vscode.NotebookDocument;
  const uri = (arg as { notebookEditor?: { notebookUri?: vscode.Uri } } | undefined)?.notebookEditor?.notebookUri;
  if (uri) return vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === uri.toString());
  const nb = vscode.window.activeNotebookEditor?.notebook;
  return nb?.notebookType === NOTEBOOK_TYPE ? nb : undefined;
}

async function restart(kernel: LayerwiseController, arg: unknown): Promise<void> {
  const notebook = targetNotebook(arg);
  if (!notebook) return void vscode.window.showInformationMessage('Layerwise: open a notebook to restart its kernel.');
  if (!vscode.workspace.isTrusted) return void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
  const session = kernel.session(notebook);
  if (session?.liveClient && !(await confirmRestart(session.variables.map((v) => v.name)))) return;
  await kernel.restart(notebook);
  void vscode.window.showInformationMessage('Layerwise: kernel restarted. Variables are cleared.');
}

function interrupt(kernel: LayerwiseController, arg: unknown): void {
  const notebook = targetNotebook(arg);
  const session = notebook && kernel.session(notebook);
  if (!session) return void vscode.window.showInformationMessage('Layerwise: no running kernel for this notebook.');
  session.interrupt();
}

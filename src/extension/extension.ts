/**
 * Activation: wires the notebook controller, the commands and the Layers view. No logic lives here, and the
 * tensor runtime is never loaded into the extension host: cells run in an executor process per notebook.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { LayerwiseController } from './controller';
import { registerCellDiagnostics } from './diagnostics';
import { registerLayerInspector } from './inspector';
import { registerRendererLog } from './renderer-log';
import { registerVariablesView } from './variables/view';

export function activate(ctx: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('Layerwise');
  const dist = vscode.Uri.joinPath(ctx.extensionUri, 'dist');
  const kernel = new LayerwiseController({
    executorPath: vscode.Uri.joinPath(dist, 'executor.js').fsPath,
    runtimePath: vscode.Uri.joinPath(dist, 'runtime.js').fsPath,
    log: (msg) => channel.appendLine(msg),
    internalPaths: [dist.fsPath + '/'],
  });
  ctx.subscriptions.push(channel, kernel);
  registerCommands(ctx, kernel);
  // The Layers view: asks the kernel's executor for its models after each cell (getClient, onDidExecuteCell).
  registerLayerInspector(ctx, kernel);
  // Outputs a webview could not draw are logged to the channel (renderer messaging).
  registerRendererLog(ctx, (line) => channel.appendLine(line));
  // Type errors in cells, the notebook checked as one program (diagnostics/).
  // The kernel's variables after each cell (variables/).
  registerVariablesView(ctx, kernel);
  registerCellDiagnostics(ctx, (msg) => channel.appendLine(msg));
}

export function deactivate(): void {}

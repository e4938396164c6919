/**
 * The host side of renderer messaging: outputs the webview could not draw are written to the "Layerwise" output
 * channel (the cell shows the error box; the channel keeps the record). See src/protocol/renderer-messages.ts.
 */
import * as vscode from 'vscode';
import { describeRendererMessage, isRendererMessage, RENDERER_ID } from '../protocol/renderer-messages';

export function registerRendererLog(ctx: vscode.ExtensionContext, log: (line: string) => void): vscode.NotebookRendererMessaging {
  const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  ctx.subscriptions.push(
    messaging.onDidReceiveMessage(({ message }) => {
      if (isRendererMessage(message) && message.type === 'renderError') log(describeRendererMessage(message));
    }),
  );
  return messaging;
}

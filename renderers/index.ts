/**
 * The VS Code notebook renderer entry (webview side), typed by the published `vscode-notebook-renderer` API
 * (@types/vscode-notebook-renderer), so a change of VS Code's renderer contract fails the build. VS Code calls
 * `activate` once per webview, then `renderOutputItem` for each output (and again for the same output id when a
 * display is updated in place) and `disposeOutputItem` when outputs go away. Heavy work lives in render.ts.
 *
 * Messaging (`requiresMessaging: "optional"` in package.json): when an output cannot be drawn, the error box is
 * shown in the cell AND reported to the extension with `postMessage`, which writes it to the "Layerwise" output
 * channel (webview errors are otherwise invisible). The extension may ask `{ type: 'stats' }` and is answered
 * `{ type: 'stats', outputs, failed }`; both directions are optional, so the renderer works without a host
 * listener (the HTML report, nbconvert previews, a VS Code without messaging).
 */
import type { ActivationFunction, OutputItem, RendererContext } from 'vscode-notebook-renderer';
import { renderOutput, type Mounted } from './render';
import { isHostMessage, type RendererMessage } from '../src/protocol/renderer-messages';

function readPayload(item: OutputItem): unknown {
  try {
    return item.json();
  } catch (err) {
    return { __unreadable: `the output is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
}

function errorText(element: HTMLElement): string {
  // The error box's second line is the reason (the first is its title, then the MIME type and payload details).
  return element.querySelector('.lw-error > :nth-child(2)')?.textContent?.trim() ?? 'the output could not be drawn';
}

export const activate: ActivationFunction = (context: RendererContext<unknown>) => {
  const outputs = new Map<string, Mounted>();
  // An in-place display update may arrive under a new output id but in the same element: keep that view.
  const byElement = new WeakMap<HTMLElement, Mounted>();
  const post = (message: RendererMessage) => context.postMessage?.(message);
  // Plotly needs concrete colours, so charts are redrawn when VS Code switches theme (body class changes).
  const observer = new MutationObserver(() => outputs.forEach((m) => m.view.retheme?.()));
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  context.onDidReceiveMessage?.((message: unknown) => {
    if (!isHostMessage(message)) return;
    const failed = [...outputs.values()].filter((m) => m.failed).length;
    post({ type: 'stats', outputs: outputs.size, failed });
  });
  return {
    renderOutputItem(item, element) {
      const prev = outputs.get(item.id) ?? byElement.get(element);
      for (const [k, m] of outputs) if (m === prev && k !== item.id) outputs.delete(k);
      const mounted = renderOutput(element, item.mime, readPayload(item), prev);
      outputs.set(item.id, mounted);
      byElement.set(element, mounted);
      if (mounted.failed) post({ type: 'renderError', mime: item.mime, outputId: item.id, message: errorText(element) });
    },
    disposeOutputItem(id) {
      const ids = id === undefined ? [...outputs.keys()] : [id];
      for (const k of ids) {
        const m = outputs.get(k);
        m?.view.dispose();
        if (m) byElement.delete(m.element);
        outputs.delete(k);
      }
    },
  };
};

/**
 * Messages between the notebook renderer (webview) and the extension host, sent with the renderer API's
 * `postMessage` / `onDidReceiveMessage` and the host's `vscode.notebooks.createRendererMessaging`. Pure types and
 * guards, shared by both sides so the contract is checked at build time.
 */

/** Renderer → host. */
export type RendererMessage =
  /** An output could not be drawn; the cell shows an error box, the host logs this to the "Layerwise" channel. */
  | { type: 'renderError'; mime: string; outputId: string; message: string }
  /** The answer to a `stats` request: outputs mounted in this webview and how many show an error box. */
  | { type: 'stats'; outputs: number; failed: number };

/** Host → renderer. */
export type HostMessage = { type: 'stats' };

export const RENDERER_ID = 'layerwise-renderer';

const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;

export function isHostMessage(m: unknown): m is HostMessage {
  return isObject(m) && m.type === 'stats';
}

export function isRendererMessage(m: unknown): m is RendererMessage {
  if (!isObject(m)) return false;
  if (m.type === 'renderError') return typeof m.mime === 'string' && typeof m.outputId === 'string' && typeof m.message === 'string';
  if (m.type === 'stats') return typeof m.outputs === 'number' && typeof m.failed === 'number';
  return false;
}

/** The log line the host writes for a render error. */
export function describeRendererMessage(m: RendererMessage): string {
  return m.type === 'renderError'
    ? `renderer: cannot draw ${m.mime} (output ${m.outputId}): ${m.message}`
    : `renderer: ${m.outputs} outputs mounted, ${m.failed} failed`;
}

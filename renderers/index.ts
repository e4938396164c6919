/**
 * The VS Code notebook renderer entry (webview side). VS Code calls `activate` once per webview, then
 * `renderOutputItem` for each output (and again for the same output id when a display is updated in place) and
 * `disposeOutputItem` when outputs go away. Heavy work lives in render.ts and the views.
 */
import { renderOutput, type Mounted } from './render';

/** The parts of the `vscode-notebook-renderer` API we use (that package is not installed). */
export interface OutputItem {
  readonly id: string;
  readonly mime: string;
  readonly metadata?: unknown;
  text(): string;
  json(): any;
  data(): Uint8Array;
}

export interface RendererContext<T = unknown> {
  getState(): T | undefined;
  setState(value: T): void;
  readonly workspace?: { readonly isTrusted: boolean };
}

export interface RendererApi {
  renderOutputItem(outputItem: OutputItem, element: HTMLElement, signal?: AbortSignal): void | Promise<void>;
  disposeOutputItem?(id?: string): void;
}

export type ActivationFunction<T = unknown> = (context: RendererContext<T>) => RendererApi | undefined | Promise<RendererApi | undefined>;

function readPayload(item: OutputItem): unknown {
  try {
    return item.json();
  } catch (err) {
    return { __unreadable: `the output is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
}

export const activate: ActivationFunction = () => {
  const outputs = new Map<string, Mounted>();
  // An in-place display update may arrive under a new output id but in the same element: keep that view.
  const byElement = new WeakMap<HTMLElement, Mounted>();
  // Plotly needs concrete colours, so charts are redrawn when VS Code switches theme (body class changes).
  const observer = new MutationObserver(() => outputs.forEach((m) => m.view.retheme?.()));
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  return {
    renderOutputItem(item, element) {
      const prev = outputs.get(item.id) ?? byElement.get(element);
      for (const [k, m] of outputs) if (m === prev && k !== item.id) outputs.delete(k);
      const mounted = renderOutput(element, item.mime, readPayload(item), prev);
      outputs.set(item.id, mounted);
      byElement.set(element, mounted);
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

// Dispatch: MIME type → view. Shared by the VS Code renderer entry (index.ts) and the HTML report (report.ts).
import { MIME } from '../src/protocol';
import { ensureStyle, errorBox, h } from './dom';
import { validatePayload } from './validate';
import type { View, ViewFactory } from './view';
import { distributionsView, gradFlowView, gradFlowWatchView, liveView, plotlyView } from './views/charts';
import { featureMapsView } from './views/featureMaps';
import { graphView } from './views/graph';
import { progressView } from './views/progress';
import { summaryView } from './views/summary';
import { tensorView } from './views/tensor';
import { weightsView } from './views/weights';

export const VIEWS: Record<string, ViewFactory> = {
  [MIME.tensor]: tensorView,
  [MIME.featureMaps]: featureMapsView,
  [MIME.weights]: weightsView,
  [MIME.gradFlow]: gradFlowView,
  [MIME.gradFlowWatch]: gradFlowWatchView,
  [MIME.distributions]: distributionsView,
  [MIME.live]: liveView,
  [MIME.progress]: progressView,
  [MIME.summary]: summaryView,
  [MIME.graph]: graphView,
  [MIME.plotly]: plotlyView,
};

/** MIME types this renderer draws. */
export const RENDERED_MIMES = Object.keys(VIEWS);

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A mounted output: the view plus what it was built for, so a newer payload can update it in place. */
export interface Mounted {
  mime: string;
  element: HTMLElement;
  view: View;
  /** An error box is shown; the next payload builds a fresh view. */
  failed?: boolean;
}

function failed(element: HTMLElement, mime: string, reason: string, payload?: unknown): Mounted {
  element.replaceChildren(h('div', { class: 'lw-root', 'data-mime': mime }, errorBox(reason, mime, payload)));
  return { mime, element, failed: true, view: { update() {}, dispose: () => element.replaceChildren() } };
}

/** The payload's `note` (what was summarised to fit the size budget and how to ask for more) under the view. */
function showNote(root: HTMLElement, payload: unknown): void {
  const note = (payload as { note?: unknown } | null)?.note;
  let el = root.querySelector<HTMLElement>(':scope > .lw-note');
  if (typeof note !== 'string' || !note) return void el?.remove();
  if (!el) root.append((el = h('div', { class: 'lw-note' })));
  el.textContent = note;
}

/**
 * Draws `payload` into `element`, or updates `prev` in place when it is the same kind of output in the same
 * element. Never leaves the element blank: anything unreadable becomes an error box.
 */
export function renderOutput(element: HTMLElement, mime: string, payload: unknown, prev?: Mounted): Mounted {
  ensureStyle(element.ownerDocument);
  const problem = validatePayload(mime, payload);
  const reuse = prev && !prev.failed && prev.mime === mime && prev.element === element && element.firstElementChild?.classList.contains('lw-root');
  if (reuse && !problem) {
    try {
      prev.view.update(payload);
      showNote(element.firstElementChild as HTMLElement, payload);
      return prev;
    } catch (err) {
      prev.view.dispose();
      return failed(element, mime, message(err), payload);
    }
  }
  prev?.view.dispose();
  if (problem) return failed(element, mime, problem, payload);
  const root = h('div', { class: 'lw-root', 'data-mime': mime });
  element.replaceChildren(root);
  try {
    const view = VIEWS[mime](root, payload);
    showNote(root, payload);
    return { mime, element, view };
  } catch (err) {
    return failed(element, mime, message(err), payload);
  }
}

/**
 * Entry of the standalone HTML report (bundled into one IIFE by src/cli/html.ts): draws every
 * <script type="application/json" data-lw-mime="…"> with the same views as the notebook renderer, into the
 * element just before it. Plotly, when the report needs it, is inlined as a page-global.
 */
import { pageThemeCss } from './pageTheme';
import { renderOutput, type Mounted } from './render';

const mounted: Mounted[] = [];

export function renderAll(doc: Document = document): number {
  let n = 0;
  doc.querySelectorAll<HTMLScriptElement>('script[data-lw-mime]').forEach((script) => {
    const target = script.previousElementSibling as HTMLElement | null;
    if (!target) return;
    let payload: unknown;
    try {
      payload = JSON.parse(script.textContent ?? '');
    } catch {
      payload = undefined;
    }
    mounted.push(renderOutput(target, script.dataset.lwMime ?? '', payload));
    n++;
  });
  return n;
}

/** Theme variables for the page, unless the page already set its own (a <style id="layerwise-theme">). */
function ensureTheme(doc: Document): void {
  if (doc.getElementById('layerwise-theme')) return;
  const style = doc.createElement('style');
  style.id = 'layerwise-theme';
  style.textContent = pageThemeCss();
  doc.head.prepend(style);
}

(globalThis as { LayerwiseReport?: unknown }).LayerwiseReport = { renderAll, renderOutput };
ensureTheme(document);
// Charts take concrete colours, so redraw them when the page switches between light and dark.
globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => mounted.forEach((m) => m.view.retheme?.()));
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => renderAll());
else renderAll();

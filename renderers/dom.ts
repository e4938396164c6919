// Small DOM helpers. Payload strings only ever go through textContent or attributes, never innerHTML.
import { STYLE } from './style';

type Attrs = Record<string, string | number | boolean | undefined>;

/** createElement with attributes and text/children; `class` and aria-* are plain attributes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Attrs = {}, ...children: Array<Node | string | null | undefined>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c != null) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** Adds the renderer stylesheet once per document. */
export function ensureStyle(doc: Document = document): void {
  if (doc.getElementById('layerwise-renderer-style')) return;
  const style = doc.createElement('style');
  style.id = 'layerwise-renderer-style';
  style.textContent = STYLE;
  doc.head.append(style);
}

/** A visible error box: a headline, the reason and (optionally) a short excerpt of what was received. */
export function errorBox(reason: string, mime?: string, payload?: unknown): HTMLElement {
  const box = h('div', { class: 'lw-error', role: 'alert' },
    h('div', { class: 'lw-error-title' }, 'Layerwise cannot draw this output'),
    h('div', {}, reason));
  if (mime) box.append(h('div', { class: 'lw-muted' }, `MIME type: ${mime}`));
  if (payload !== undefined) {
    let text: string;
    try {
      text = JSON.stringify(payload, (_k, v) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…` : v));
    } catch {
      text = String(payload);
    }
    box.append(h('details', {}, h('summary', {}, 'received payload'), h('pre', { class: 'lw-pre' }, (text ?? 'undefined').slice(0, 2000))));
  }
  return box;
}

/** A labelled <select>; calls onChange with the chosen index. */
export function selectControl(label: string, options: string[], selected: number, onChange: (i: number) => void): HTMLElement {
  const sel = h('select', { 'aria-label': label });
  options.forEach((o, i) => sel.append(h('option', { value: i, selected: i === selected }, o)));
  sel.addEventListener('change', () => onChange(sel.selectedIndex));
  return h('label', { class: 'lw-control' }, h('span', {}, `${label}:`), sel);
}

export function titleEl(text: string | undefined, fallback: string): HTMLElement {
  return h('div', { class: 'lw-title' }, text ?? fallback);
}

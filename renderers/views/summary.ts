// Summary: a torchinfo-like table (layer, shapes, params, MACs) with totals; each row's arithmetic is a tooltip
// and can be expanded inline with the ƒ button.
import type { SummaryPayload } from '../../src/protocol';
import { h, titleEl } from '../dom';
import { fmtBytes, fmtCompact, fmtInt, fmtShape } from '../format';
import type { View } from '../view';

type Row = SummaryPayload['rows'][number];
const COLS = ['Layer (type)', 'Input shape', 'Output shape', 'Param #', 'MACs'];

/** Totals block lines, torchinfo style. Pure. */
export function totalsLines(t: SummaryPayload['totals']): Array<[string, string]> {
  return [
    ['Total params', fmtInt(t.params)],
    ['Trainable params', fmtInt(t.trainable)],
    ['Non-trainable params', fmtInt(t.nonTrainable)],
    ['Total mult-adds', fmtCompact(t.macs)],
    ['Activation memory', fmtBytes(t.activationBytes)],
  ];
}

let uid = 0;

function rowEls(r: Row, id: string): HTMLElement[] {
  const name = h('td', {});
  name.style.paddingLeft = `${0.5 + 1.2 * r.depth}em`;
  name.append(h('span', {}, r.name || '(model)'), h('span', { class: 'lw-muted' }, ` (${r.type})`));
  for (const w of r.warnings ?? []) name.append(h('span', { class: 'lw-warn' }, ` ⚠ ${w}`));
  const tr = h('tr', { title: (r.formulas ?? []).join('\n') || undefined },
    name, h('td', {}, fmtShape(r.inputShape)), h('td', {}, fmtShape(r.outputShape)),
    h('td', {}, fmtInt(r.params)), h('td', {}, r.macs ? fmtCompact(r.macs) : '–'));
  if (!r.formulas?.length) return [tr];
  const detail = h('tr', { class: 'lw-formulas', id, hidden: true },
    h('td', { colspan: COLS.length }, r.formulas.join('\n')));
  const btn = h('button', { class: 'lw-fx', 'aria-expanded': 'false', 'aria-controls': id,
    'aria-label': `Show arithmetic for ${r.name || r.type}` }, 'ƒ');
  btn.addEventListener('click', () => {
    detail.hidden = !detail.hidden;
    btn.setAttribute('aria-expanded', String(!detail.hidden));
  });
  name.append(btn);
  return [tr, detail];
}

export function summaryView(root: HTMLElement, payload: SummaryPayload): View {
  const draw = (p: SummaryPayload) => {
    const table = h('table', { class: 'lw-table' },
      h('thead', {}, h('tr', {}, ...COLS.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...p.rows.flatMap((r, i) => rowEls(r, `lw-f-${++uid}-${i}`))));
    const totals = h('div', { class: 'lw-totals' });
    for (const [k, v] of totalsLines(p.totals)) totals.append(h('span', {}, k), h('span', { class: 'lw-mono' }, v));
    root.replaceChildren(titleEl(p.title, `${p.model} summary`), table, totals);
  };
  draw(payload);
  return { update: (p) => draw(p as SummaryPayload), dispose: () => root.replaceChildren() };
}

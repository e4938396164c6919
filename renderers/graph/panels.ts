// The stepper's text panels: the chain-rule term of the current step and the list of leaf gradients.
import type { GraphPayload } from '../../src/protocol';
import { h } from '../dom';
import { lastStepFor, stepsOf, type StepMode, type StepState } from './model';

export interface PanelContext {
  p: GraphPayload;
  mode: StepMode;
  /** Index into p.forward. */
  wrt: number;
  labelOf: (id: string) => string;
}

/** Fills the term box: the current step's term and detail lines, or how to start. */
export function paintTerm(term: HTMLElement, detail: HTMLElement, c: PanelContext, state: StepState, verb: string): void {
  const cur = state.current;
  if (cur) {
    term.textContent = cur.term;
    // the line telling where paths meet ("+=" in reverse mode, a sum in forward mode) is emphasised
    detail.replaceChildren(...cur.detail.map((d) => h('div', { class: `lw-term-detail${/meet/.test(d) ? ' lw-acc' : ''}` }, d)));
    return;
  }
  const out = c.labelOf(c.p.output);
  term.textContent = c.mode === 'reverse'
    ? `Backprop from ${out}: press ${verb} (or →) to apply the chain rule one term at a time.`
    : `Forward mode: tangents flow from ${c.labelOf(c.p.forward[c.wrt]?.wrt ?? '')} to ${out}; press ${verb} (or →).`;
  detail.replaceChildren(h('div', { class: 'lw-term-detail' }, `${c.p.nodes.length} nodes, ${c.p.edges.length} edges, ${state.total} steps.`));
}

/** Fills the leaf panel: every leaf's gradient so far (reverse) or the forward result, and its final value. */
export function paintLeaves(panel: HTMLElement, c: PanelContext, state: StepState): void {
  const steps = stepsOf(c.p, c.mode, c.wrt);
  const out = c.labelOf(c.p.output);
  const wrt = c.p.forward[c.wrt]?.wrt;
  const reverse = c.mode === 'reverse';
  const items = c.p.leaves.map((l) => {
    let now = '–';
    if (reverse) now = state.shown.get(l.id)?.text ?? '–';
    else if (l.id === wrt) now = state.shown.get(c.p.output)?.text ?? '–';
    const done = reverse ? state.k >= lastStepFor(steps, l.id) && state.shown.has(l.id) : l.id === wrt && state.shown.has(c.p.output);
    const changed = reverse && state.current?.target === l.id && state.current.node !== l.id;
    const cls = ['lw-leaf-item', done ? 'lw-done' : '', changed ? 'lw-changed' : ''].join(' ').trim();
    return h('li', { class: cls, 'data-leaf': l.id }, h('div', { class: 'lw-leaf-name' }, `∂${out}/∂${l.label}`),
      h('div', { class: 'lw-leaf-val' }, `${reverse ? 'so far' : 'forward'}: ${now}`),
      h('div', { class: 'lw-leaf-val lw-leaf-final' }, `final: ${l.grad?.text ?? '–'}`));
  });
  const legend = reverse
    ? 'Solid outline: the node whose backward rule runs. Dashed: the input receiving the term (the number on the edge).'
    : 'Solid outline: the node whose tangent is computed from the highlighted inputs.';
  panel.replaceChildren(h('div', { class: 'lw-title' }, 'Leaf gradients'), h('ul', { class: 'lw-leaf-list' }, ...items),
    h('div', { class: 'lw-muted lw-legend' }, legend));
}

// The backprop stepper arrives in a later phase; until then, say so clearly instead of drawing nothing.
import type { GraphPayload } from '../../src/protocol';
import { h } from '../dom';
import type { View } from '../view';

export function graphView(root: HTMLElement, payload: GraphPayload): View {
  const draw = (p: GraphPayload) => {
    root.replaceChildren(h('div', { class: 'lw-info', role: 'note' },
      h('div', { class: 'lw-title' }, p.title ?? 'Computation graph'),
      h('div', {}, `The backprop stepper is not yet supported in this version of Layerwise. This graph has ${p.nodes.length} nodes, ${p.edges.length} edges and ${(p.steps ?? []).length} steps.`)));
  };
  draw(payload);
  return { update: (p) => draw(p as GraphPayload), dispose: () => root.replaceChildren() };
}

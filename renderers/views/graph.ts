// The backprop stepper: the recorded graph laid out with dagre, stepped node by node in reverse mode (or forward
// mode for a chosen leaf) with the chain-rule term of each step; everything comes from the saved payload.
import type { GraphPayload } from '../../src/protocol';
import { h, titleEl } from '../dom';
import type { View } from '../view';
import { drawGraph, type GraphDrawing } from '../graph/draw';
import { layoutGraph, type Measure } from '../graph/layout';
import { checkGraph, derivName, keyStep, stateAt, stepsOf, type StepMode, type StepState } from '../graph/model';
import { paintLeaves, paintTerm, type PanelContext } from '../graph/panels';
import { ensureGraphStyle } from '../graph/style';

function measurer(root: HTMLElement): Measure {
  const ctx = document.createElement('canvas').getContext('2d');
  const family = getComputedStyle(root).getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
  if (!ctx) return (t) => t.length * 7.3;
  ctx.font = `600 12px ${family}`;
  return (t) => ctx.measureText(t).width;
}

function button(text: string, label: string, onClick: () => void, cls?: string): HTMLButtonElement {
  const b = h('button', { type: 'button', 'aria-label': label, class: cls }, text);
  b.addEventListener('click', onClick);
  return b;
}

class Stepper {
  p!: GraphPayload;
  mode: StepMode = 'reverse';
  wrt = 0;
  k = 0;
  private drawing: GraphDrawing | null = null;
  private readonly modeSel = h('select', { 'aria-label': 'Mode' });
  private readonly wrtSel = h('select', { 'aria-label': 'With respect to' });
  private readonly wrtLabel = h('label', { class: 'lw-control' }, h('span', {}, 'with respect to:'), this.wrtSel);
  private readonly reset = button('Reset', 'Reset', () => this.go(0));
  private readonly prev = button('◀ Undo', 'Previous step', () => this.go(this.k - 1));
  private readonly next = button('Step backward ▶', 'Step backward', () => this.go(this.k + 1), 'lw-primary');
  private readonly end = button('Run to end', 'Run to end', () => this.go(Infinity));
  private readonly count = h('span', { class: 'lw-step-count' });
  private readonly term = h('div', { class: 'lw-term' });
  private readonly detail = h('div', {});
  private readonly graphWrap = h('div', { class: 'lw-graph-wrap' });
  private readonly panel = h('div', { class: 'lw-leaf-panel' });
  private readonly body = h('div', { class: 'lw-stepper-body' });
  private readonly note = h('div', { class: 'lw-muted' });
  readonly el = h('div', { class: 'lw-stepper', tabindex: 0, role: 'group',
    'aria-label': 'Backprop stepper: left and right arrow keys step back and forth, Home resets, End runs to the end' },
  h('div', { class: 'lw-controls' }, h('label', { class: 'lw-control' }, h('span', {}, 'Mode:'), this.modeSel), this.wrtLabel,
    this.reset, this.prev, this.next, this.end, this.count),
  h('div', { class: 'lw-term-box', 'aria-live': 'polite' }, this.term, this.detail), this.body, this.note);

  constructor(private readonly root: HTMLElement) {
    this.modeSel.addEventListener('change', () => this.choose(this.modeSel.value as StepMode, this.wrt));
    this.wrtSel.addEventListener('change', () => this.choose(this.mode, this.wrtSel.selectedIndex));
    this.el.addEventListener('keydown', (ev) => {
      if ((ev.target as HTMLElement).tagName === 'SELECT') return;
      const k = keyStep(ev.key, this.k, this.steps().length);
      if (k === null) return;
      ev.preventDefault();
      this.go(k);
    });
  }

  private steps() {
    return stepsOf(this.p, this.mode, this.wrt);
  }

  private labelOf = (id: string): string => this.p.nodes.find((n) => n.id === id)?.label ?? id;

  private ctx(): PanelContext {
    return { p: this.p, mode: this.mode, wrt: this.wrt, labelOf: this.labelOf };
  }

  load(p: GraphPayload): void {
    const problem = checkGraph(p);
    if (problem) throw new Error(`cannot step this graph: ${problem}`);
    this.p = p;
    this.modeSel.replaceChildren(h('option', { value: 'reverse' }, 'reverse (backprop)'),
      h('option', { value: 'forward', disabled: p.forward.length === 0 }, 'forward (tangents)'));
    this.wrtSel.replaceChildren(...p.forward.map((f) => h('option', {}, this.labelOf(f.wrt))));
    this.note.textContent = p.forwardNote ?? '';
    this.root.replaceChildren(titleEl(p.title, 'Computation graph'), this.el);
    this.choose('reverse', 0);
  }

  private choose(mode: StepMode, wrt: number): void {
    [this.mode, this.wrt, this.k] = [mode, wrt, 0];
    this.modeSel.value = mode;
    this.wrtLabel.style.display = mode === 'forward' ? '' : 'none';
    this.layout();
    this.paint();
  }

  private layout(): void {
    const avail = Math.max(320, (this.root.clientWidth || 900) - 280);
    const out = this.labelOf(this.p.output);
    const finals = (id: string) => [this.p.nodes.find((n) => n.id === id)?.grad?.text ?? '',
      ...this.p.forward.map((f) => f.steps.find((s) => s.target === id)?.acc.text ?? '')].map((t) => `∂${out}/∂${this.labelOf(id)} = ${t}`);
    const layout = layoutGraph(this.p, avail, measurer(this.root), finals);
    this.drawing = drawGraph(this.p, layout, `Computation graph of ${out}: ${this.p.nodes.length} nodes, ${this.p.edges.length} edges`);
    this.graphWrap.replaceChildren(this.drawing.svg);
    // the leaf panel sits beside the graph when both fit, else above it
    const stacked = layout.width > avail;
    this.body.classList.toggle('lw-stacked', stacked);
    this.body.replaceChildren(...(stacked ? [this.panel, this.graphWrap] : [this.graphWrap, this.panel]));
  }

  go(k: number): void {
    this.k = Math.max(0, Math.min(this.steps().length, k));
    this.paint();
  }

  /** The line on a node: its gradient so far (reverse) or tangent (forward; 0 where no path from the leaf leads). */
  private gradLine(id: string, state: StepState): string {
    const wrt = this.p.forward[this.wrt]?.wrt;
    const v = state.shown.get(id);
    const none = this.mode === 'forward' && !this.steps().some((s) => s.target === id) ? '0' : '?';
    return `${derivName(this.p, this.mode, this.labelOf(id), wrt ? this.labelOf(wrt) : '?')} = ${v ? v.text : none}`;
  }

  private paint(): void {
    const state = stateAt(this.steps(), this.k);
    const cur = state.current;
    const verb = this.mode === 'reverse' ? 'Step backward' : 'Step forward';
    this.next.textContent = `${verb} ▶`;
    this.next.setAttribute('aria-label', verb);
    this.next.disabled = this.end.disabled = state.k >= state.total;
    this.prev.disabled = this.reset.disabled = state.k === 0;
    this.count.textContent = `step ${state.k} / ${state.total}`;
    Object.assign(this.el.dataset, { step: String(state.k), currentNode: cur?.node ?? '', currentTarget: cur?.target ?? '' });
    paintTerm(this.term, this.detail, this.ctx(), state, verb);
    const edgeLabel = cur && cur.contribution.scalar !== undefined && this.mode === 'reverse' && cur.edges.length === 1 ? cur.contribution.text : null;
    this.drawing?.apply(state, (id) => this.gradLine(id, state), edgeLabel);
    paintLeaves(this.panel, this.ctx(), state);
  }
}

export function graphView(root: HTMLElement, payload: GraphPayload): View {
  ensureGraphStyle(root.ownerDocument);
  const s = new Stepper(root);
  s.load(payload);
  return { update: (p) => s.load(p as GraphPayload), dispose: () => root.replaceChildren() };
}

/** show.gradFlow (+ .watch), show.activations, show.gradients: per-layer statistics of the user's own model. */
import { Tensor } from '../tensor';
import { Module, type Parameter } from '../nn/module';
import { noGrad } from '../autograd/mode';
import { MIME, PROTOCOL_VERSION, packArray, histogram, classifyGrad, VANISH_THRESHOLD, EXPLODE_THRESHOLD } from '../../protocol';
import type { DistributionsPayload, GradFlowPayload, GradFlowWatchPayload } from '../../protocol/figures';
import { Figure, LiveFigure } from './figure';
import { deadFraction, deadLabel } from './dead';
import { checkOptions, noMoreArgs } from './options';

function absStats(t: Tensor): { meanAbs: number; maxAbs: number; norm: number } {
  const v = t.dataSync();
  let s = 0;
  let m = 0;
  let sq = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    s += a;
    sq += a * a;
    if (a > m || Number.isNaN(a)) m = a;
  }
  return { meanAbs: v.length ? s / v.length : 0, maxAbs: m, norm: Math.sqrt(sq) };
}

/** Weight parameters (not biases/BN shifts) in forward order: the layers of the gradient-flow plot. */
function weightParams(model: Module): Array<[string, Parameter]> {
  const all = [...model.namedParameters()];
  const weights = all.filter(([n, p]) => n.endsWith('weight') && p.ndim > 1);
  return weights.length ? weights : all;
}

export interface GradFlowOptions {
  vanish?: number;
  explode?: number;
}

/** After a backward pass: per-layer mean|grad| and max|grad| (log scale), vanishing/exploding layers flagged. */
export function gradFlow(model: Module, opts: GradFlowOptions = {}, ...rest: unknown[]): Figure<GradFlowPayload> {
  checkOptions('show.gradFlow', opts, ['vanish', 'explode']);
  noMoreArgs('show.gradFlow', 2, rest);
  const vanish = opts.vanish ?? VANISH_THRESHOLD;
  const explode = opts.explode ?? EXPLODE_THRESHOLD;
  const layers: GradFlowPayload['layers'] = weightParams(model).map(([name, p]) => {
    if (!p.grad) return { name, meanAbs: null, maxAbs: null, status: 'none' };
    const s = absStats(p.grad);
    const dead = p.ndim > 1 ? deadFraction(p.grad, 0) : 0;
    // every unit's gradient exactly zero: dead units (e.g. ReLUs that never fire), not a vanishing gradient
    const status = s.maxAbs === 0 ? 'dead' : classifyGrad(s.meanAbs, s.maxAbs, vanish, explode);
    return { name, meanAbs: s.meanAbs, maxAbs: s.maxAbs, status, ...(dead ? { dead } : {}) };
  });
  if (layers.every((l) => l.status === 'none')) {
    throw new Error('show.gradFlow: no parameter has a gradient yet — call loss.backward() first');
  }
  const payload: GradFlowPayload = { v: PROTOCOL_VERSION, title: 'Gradient flow', layers, vanishThreshold: vanish, explodeThreshold: explode };
  const flagged = layers.filter((l) => l.status === 'vanishing' || l.status === 'exploding' || l.status === 'dead' || l.dead);
  const text = `Gradient flow over ${layers.length} layers` + (flagged.length
    ? `; ${flagged.map((l) => `${l.name}: ${l.status === 'ok' ? deadLabel(l.dead) + ' units' : l.status}${l.status === 'dead' ? ' (every unit gets exactly zero gradient)' : ''}`).join(', ')}` : '; all healthy');
  return new Figure(MIME.gradFlow, payload, text);
}

/** A live layers × steps heatmap of log10 gradient norms, recorded every `every` backward passes. */
export class GradFlowWatch extends LiveFigure<GradFlowWatchPayload> {
  private readonly names: string[];
  private readonly columns: number[][] = [];
  private readonly steps: number[] = [];
  private forwardCount = 0;
  private current: number[] | null = null;
  private readonly handles: Array<{ remove(): void }> = [];

  constructor(model: Module, private readonly every = 1, private readonly maxSteps = 400) {
    super(MIME.gradFlowWatch, { v: PROTOCOL_VERSION, title: 'Gradient norms', layers: [], steps: [], norms: packArray(new Float32Array(0), [0, 0]) }, 'Gradient norms: no steps yet');
    const params = weightParams(model);
    this.names = params.map(([n]) => n);
    // each forward of the model opens a step; the parameter hooks of the following backward fill it
    this.handles.push(model.registerForwardHook(() => {
      this.forwardCount++;
      if (model.training && (this.forwardCount - 1) % this.every === 0) this.open(this.forwardCount - 1);
    }));
    params.forEach(([, p], i) => this.handles.push(p.registerHook((g) => {
      if (this.current) this.current[i] = Math.log10(absStats(g).norm);
    })));
  }

  private open(step: number): void {
    if (this.current) this.commit();
    this.current = new Array(this.names.length).fill(Number.NEGATIVE_INFINITY);
    this.steps.push(step);
  }

  private commit(): void {
    if (!this.current) return;
    this.columns.push(this.current);
    this.current = null;
    if (this.columns.length > this.maxSteps) {
      this.columns.shift();
      this.steps.shift();
    }
    this.redraw(false);
  }

  private redraw(force: boolean): void {
    const n = this.columns.length;
    const data = new Float32Array(this.names.length * n);
    this.columns.forEach((col, j) => col.forEach((v, i) => (data[i * n + j] = v)));
    this.update({ ...this.payload, layers: this.names, steps: this.steps.slice(0, n), norms: packArray(data, [this.names.length, n]) },
      `Gradient norms: ${this.names.length} layers × ${n} recorded steps`, force);
  }

  /** Stop recording and draw the final state. */
  stop(): this {
    this.commit();
    this.handles.forEach((h) => h.remove());
    this.redraw(true);
    return this;
  }
}

/** One histogram panel per named tensor; activations and gradients also report their share of dead units. */
export function distributions(kind: DistributionsPayload['kind'], entries: Array<[string, Tensor]>, title?: string): Figure<DistributionsPayload> {
  const layers = entries.map(([name, t]) => {
    const dead = kind === 'weights' || t.ndim < 2 ? 0 : deadFraction(t, kind === 'activations' ? 1 : 0);
    const v = t.detach().dataSync();
    const h = histogram(v, 40);
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i];
    const mean = s / Math.max(1, v.length);
    let q = 0;
    for (let i = 0; i < v.length; i++) q += (v[i] - mean) ** 2;
    return { name, edges: h.edges, counts: h.counts, mean, std: Math.sqrt(q / Math.max(1, v.length - 1)), ...(dead ? { dead } : {}) };
  });
  const heading = title ?? { activations: 'Activation distributions', gradients: 'Gradient distributions', weights: 'Weight distributions' }[kind];
  const payload: DistributionsPayload = { v: PROTOCOL_VERSION, title: heading, kind, layers };
  return new Figure(MIME.distributions, payload, `${heading}: ${layers.map((l) => `${l.name} μ=${l.mean.toPrecision(3)} σ=${l.std.toPrecision(3)}${l.dead ? ` ${deadLabel(l.dead)}` : ''}`).join('; ')}`);
}

/** Per-layer activation histograms from one forward pass (Glorot & Bengio's comparison of initialisations). */
export function activations(model: Module, input: Tensor, opts: { layers?: 'activations' | 'all' } = {}, ...rest: unknown[]): Figure<DistributionsPayload> {
  checkOptions('show.activations', opts, ['layers']);
  noMoreArgs('show.activations', 3, rest);
  if (opts.layers !== undefined && opts.layers !== 'activations' && opts.layers !== 'all') {
    throw new Error(`show.activations: layers must be 'activations' or 'all', got ${JSON.stringify(opts.layers)}`);
  }
  const captured: Array<[string, Tensor]> = [];
  const isAct = (m: Module): boolean => /ReLU|Tanh|Sigmoid|GELU|ELU|Softplus|Maxout/.test(m.constructor.name);
  const handles = [...model.namedModules()]
    .filter(([n, m]) => n !== '' && m.children().length === 0 && (opts.layers === 'all' || isAct(m)))
    .map(([n, m]) => m.registerForwardHook((_m, _i, out) => {
      // "3" says nothing in a Sequential: title the panel "3 · Tanh" (the name PyTorch prints, plus the layer type)
      if (out instanceof Tensor) captured.push([/^[\d.]+$/.test(n) ? `${n} · ${m.constructor.name}` : n, out]);
    }));
  try {
    noGrad(() => model(input));
  } finally {
    handles.forEach((h) => h.remove());
  }
  if (captured.length === 0) throw new Error('show.activations: no activation layers (ReLU, Tanh, Sigmoid, ...) ran; pass {layers: "all"}');
  return distributions('activations', captured);
}

/** Per-layer histograms of the current weight gradients (after backward). */
export function gradients(model: Module, ...rest: unknown[]): Figure<DistributionsPayload> {
  noMoreArgs('show.gradients', 1, rest);
  const entries = weightParams(model).filter(([, p]) => p.grad).map(([n, p]) => [n, p.grad as Tensor] as [string, Tensor]);
  if (entries.length === 0) throw new Error('show.gradients: no parameter has a gradient yet — call loss.backward() first');
  return distributions('gradients', entries);
}

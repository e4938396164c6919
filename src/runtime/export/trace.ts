/**
 * The export tracer: runs one forward pass (eval mode, graph recorded with traced values) with a forward hook on
 * every module, and reads the runtime's own autograd graph back as a list of steps in execution order:
 *   - a *module step* for every call of a layer with a known export lowering (Conv2d, Linear, BatchNorm2d, …),
 *     with its inputs and its output — the ops inside it are not looked at;
 *   - an *op step* for every recorded op outside such layers (the functional add/relu/cat/flatten of a custom
 *     forward), with the op's name and attributes as the autograd node recorded them.
 * Parameters become named references (their state-dict names), tensors with no graph history constants.
 * ONNX and PyTorch export both lower these steps; neither re-implements the model.
 */
import { Tensor } from '../tensor';
import { Node } from '../autograd/node';
import { enableGrad, noGrad, withTracedValues } from '../autograd/mode';
import { clone, gelu } from '../ops/basic';
import { Module, Parameter } from '../nn/module';
import { Embedding, Flatten, Identity, Linear } from '../nn/linear';
import { Conv1d, Conv2d } from '../nn/conv';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool1d, MaxPool2d } from '../nn/pooling';
import { ELU, GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh } from '../nn/activation';
import { BatchNorm1d, BatchNorm2d, GroupNorm, InstanceNorm2d, LayerNorm } from '../nn/normalization';
import { Dropout, Dropout2d } from '../nn/dropout';
import { ReLU6 } from '../models/common';
import { fmtShape } from '../shape';

/** Layer classes exported as one unit (their exact class: a subclass with its own forward is traced through). */
export const LEAF_CLASSES: ReadonlyArray<abstract new (...a: never) => Module> = [ // constructors of any call form
  Linear, Conv1d, Conv2d, MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, ReLU, LeakyReLU,
  ELU, GELU, Sigmoid, Tanh, Softmax, LogSoftmax, Identity, Softplus, Embedding,
  BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d, Dropout, Dropout2d, ReLU6,
];
const LEAF_SET = new Set<unknown>(LEAF_CLASSES);
export const isLeafModule = (m: Module): boolean => LEAF_SET.has(m.constructor);

export type Ref =
  | { kind: 'input'; index: number; tensor: Tensor }
  | { kind: 'value'; step: Step }
  | { kind: 'param'; name: string; tensor: Tensor }
  | { kind: 'const'; tensor: Tensor }
  /** An absent optional operand (a conv without bias). */
  | { kind: 'none' };

interface StepBase {
  /** Execution order (the autograd node id of the step's output). */
  order: number;
  inputs: Ref[];
  /** The output value as computed by Layerwise during the trace. */
  output: Tensor;
  /** Dotted path of the innermost module the step ran in ('' = the model itself). */
  scope: string;
}
export interface ModuleStep extends StepBase {
  kind: 'module';
  module: Module;
  path: string;
}
export interface OpStep extends StepBase {
  kind: 'op';
  op: string;
  attrs: Record<string, unknown>;
}
export type Step = ModuleStep | OpStep;

export interface Trace {
  inputs: Tensor[];
  outputs: Ref[];
  steps: Step[];
  /** Every module by dotted path ('' = the model). */
  modules: Map<string, Module>;
  /** Buffers by tensor → state-dict name with PyTorch's spelling (bn.running_mean). */
  buffers: Map<Tensor, string>;
}

interface Call {
  module: Module;
  path: string;
  lo: number;
  hi: number;
}

/** The next autograd node id, read by creating a throwaway node (ids are the graph's creation order). */
const nodeClock = (): number => new Node('clock', [], [], null, {}, null).id;

const describe = (m: Module, path: string): string => `'${path || '(the model)'}' (${m.constructor.name})`;

/**
 * Traces model(...inputs). `who` prefixes error messages ('onnx.export', 'exportPyTorch'). The model's training
 * flags are restored afterwards; nothing is mutated (eval mode: BatchNorm reads its running statistics).
 */
export function traceModel(model: Module, sample: Tensor[], who: string): Trace {
  if (!(model instanceof Module)) throw new Error(`${who}: expected an nn.Module as the model, got ${typeof model}`);
  sample.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`${who}: sample input ${i} is not a Tensor (got ${typeof t})`);
    if (t.isMeta) throw new Error(`${who}: sample input ${i} is a meta tensor; export needs real values`);
  });
  const modules = new Map(model.namedModules());
  for (const [name, p] of model.namedParameters()) {
    if (p.isMeta) throw new Error(`${who}: parameter '${name}' is a meta tensor (the model was built with nn.meta, no weights)`);
  }
  const pathOf = new Map([...modules].map(([p, m]) => [m, p]));
  const inputs = sample.map((t) => {
    const c = t.detach();
    if (c.dtype === 'float32' || c.dtype === 'float64') c.requiresGrad = true;
    return c;
  });
  const calls: Call[] = [];
  const cuts = new Map<Node, ModuleStep>();
  const modeBefore = [...modules.values()].map((m) => m.training);
  const handles: Array<{ remove(): void }> = [];
  let leafDepth = 0;
  for (const [path, m] of modules) {
    let lo = 0;
    let args: unknown[] = [];
    handles.push(m.registerForwardPreHook((_m, a) => {
      lo = nodeClock();
      args = a;
      if (isLeafModule(m)) leafDepth++;
    }));
    handles.push(m.registerForwardHook((_m, _a, out) => {
      const leaf = isLeafModule(m);
      if (leaf) leafDepth--;
      calls.push({ module: m, path, lo, hi: nodeClock() });
      if (!leaf || leafDepth > 0) return undefined;
      if (!(out instanceof Tensor)) throw new Error(`${who}: ${describe(m, path)} returned ${typeof out}, expected a Tensor`);
      // a layer that returns its input (Identity, Dropout in eval) gets its own node so the call stays visible
      const alias = !out.gradFn || args.some((a) => a === out || (a instanceof Tensor && a.gradFn === out.gradFn));
      const y = alias ? clone(out) : out;
      if (!y.gradFn) return undefined; // no graph history (constant output): treated as a constant
      cuts.set(y.gradFn, { kind: 'module', module: m, path, order: y.gradFn.id, inputs: [], output: y, scope: '',
        ...{ rawArgs: args } } as ModuleStep);
      return y;
    }));
  }
  let result: unknown;
  try {
    model.eval();
    result = withTracedValues(() => enableGrad(() => model(...inputs)));
  } finally {
    for (const h of handles) h.remove();
    [...modules.values()].forEach((m, i) => (m.training = modeBefore[i]));
  }
  const outs = result instanceof Tensor ? [result] : Array.isArray(result) && result.every((r) => r instanceof Tensor) ? result as Tensor[] : null;
  if (!outs) throw new Error(`${who}: the model's forward returned ${describeValue(result)}; export needs a Tensor or an array of Tensors`);

  const paramName = new Map<Tensor, string>();
  for (const [k, p] of model.namedParameters()) paramName.set(p, k);
  const scopeOf = (id: number): string => {
    let best: Call | null = null;
    for (const c of calls) if (c.lo <= id && id < c.hi && (!best || c.lo >= best.lo)) best = c;
    return best?.path ?? '';
  };
  const steps = new Map<Node, Step>();
  const visit = (t: Tensor): Ref => {
    const i = inputs.indexOf(t);
    if (i >= 0) return { kind: 'input', index: i, tensor: t };
    if (t instanceof Parameter || paramName.has(t)) {
      const name = paramName.get(t);
      if (!name) throw new Error(`${who}: a Parameter of shape ${fmtShape(t.shape)} used in the forward is not registered in the model (assign it to a field)`);
      return { kind: 'param', name, tensor: t };
    }
    const node = t.gradFn;
    if (!node) {
      if (t.requiresGrad) throw new Error(`${who}: a tensor of shape ${fmtShape(t.shape)} requires grad but is not a registered Parameter of the model`);
      return { kind: 'const', tensor: t };
    }
    const have = steps.get(node);
    if (have) return { kind: 'value', step: have };
    const cut = cuts.get(node);
    let step: Step;
    if (cut) {
      const args = (cut as ModuleStep & { rawArgs: unknown[] }).rawArgs;
      step = { ...cut, scope: scopeOf(node.id), inputs: [] };
      steps.set(node, step);
      step.inputs = args.map((a, k) => {
        if (!(a instanceof Tensor)) throw new Error(`${who}: ${describe(cut.module, cut.path)} was called with argument ${k} = ${describeValue(a)}; only Tensor arguments can be exported`);
        return visit(a);
      });
    } else {
      if (!node.inputs || !node.output) throw new Error(`${who}: internal error: the op '${node.op}' kept no traced values`);
      step = { kind: 'op', op: node.op, attrs: node.attrs, order: node.id, inputs: [], output: node.output, scope: scopeOf(node.id) };
      steps.set(node, step);
      step.inputs = node.inputs.map((a): Ref => (a ? visit(a) : { kind: 'none' }));
    }
    return { kind: 'value', step };
  };
  const outputs = outs.map(visit);
  const ordered = [...steps.values()].sort((a, b) => a.order - b.order);
  const buffers = new Map<Tensor, string>();
  for (const [k, b] of model.namedBuffers()) {
    const i = k.lastIndexOf('.');
    buffers.set(b, k.slice(0, i + 1) + k.slice(i + 1).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  }
  return { inputs, outputs, steps: ordered, modules, buffers };
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Tensor) return `a Tensor of shape ${fmtShape(v.shape)}`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? `an object (${(v as object).constructor?.name ?? 'Object'})` : `${typeof v} ${String(v)}`;
}

/** Where a step ran, for error messages: "layer 'layer1.0' (BasicBlock)". */
export function whereOf(step: Step, modules: Map<string, Module>): string {
  if (step.kind === 'module') return `layer ${describe(step.module, step.path)}`;
  const m = modules.get(step.scope);
  return m ? `layer ${describe(m, step.scope)}` : 'the model';
}

/** Which GELU ran: the node records 'gelu' for both forms, so it is read off the traced values. */
export function geluIsExact(x: Tensor, y: Tensor): boolean {
  const exact = noGrad(() => gelu(x.detach())).dataSync();
  const got = y.dataSync();
  return exact.every((v, i) => Math.abs(v - got[i]) <= 1e-6 * (1 + Math.abs(v)));
}


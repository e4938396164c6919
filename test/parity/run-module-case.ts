/**
 * Phase 2: run a layers.json / nn_losses.json case against `rt.nn`: construct the module from the fixture's
 * args/options, load the fixed state dict (the case inputs other than x/input/target), forward, compare the output,
 * buffers mutated in training mode, parameter counts and state-dict keys, then backward with the stored seed and
 * compare the input's and every parameter's gradient.
 */
import { compareTensor } from './compare';
import { FixtureCase, makeTensor } from './fixtures';
import { asList, backward, phase } from './run-case';

/** PyTorch ctor keywords that are positional in the TS constructors (src/runtime/nn/*.ts). */
const POSITIONAL: Record<string, string[]> = {
  ELU: ['alpha'], GELU: ['approximate'], Softmax: ['dim'], LogSoftmax: ['dim'], LeakyReLU: ['negativeSlope'],
};
const DATA_INPUTS = new Set(['x', 'input', 'target', 'input1', 'input2']);
/** Tensor-valued loss options are case inputs (weight / pos_weight). */
const TENSOR_OPTIONS: Record<string, string> = { weight: 'weight', pos_weight: 'posWeight' };

function sequential(rt: any, name: string): any {
  const nn = rt.nn;
  if (name === 'layer_Sequential_mlp') return new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
  if (name === 'layer_Sequential_cnn') {
    return new nn.Sequential(new nn.Conv2d(1, 2, 3, { padding: 1 }), new nn.BatchNorm2d(2), new nn.ReLU(),
      new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(8, 3));
  }
  throw new Error(`no Sequential recipe for ${name}`);
}

/** `name` if the runtime has it, else the runtime key equal to its camelCase form (running_mean → runningMean). */
function runtimeKey(keys: string[], name: string): string {
  if (keys.includes(name)) return name;
  const camel = name.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
  return keys.includes(camel) ? camel : name;
}

export function construct(rt: any, c: FixtureCase, t: Record<string, any>): any {
  const cls = c.op.replace(/^nn\./, '');
  if (!rt.nn) throw new Error("runtime does not export 'nn'");
  if (typeof rt.nn[cls] !== 'function') throw new Error(`runtime: nn.${cls} is not exported`);
  if (cls === 'Sequential') return sequential(rt, c.name);
  const options: Record<string, any> = { ...(c.kwargs.options ?? {}) };
  if (/Loss$/.test(cls)) {
    for (const [inputName, opt] of Object.entries(TENSOR_OPTIONS)) if (t[inputName]) options[opt] = t[inputName];
  }
  const args = [...(c.kwargs.args ?? [])];
  for (const k of POSITIONAL[cls] ?? []) {
    if (k in options) {
      args.push(options[k]);
      delete options[k];
    }
  }
  return Object.keys(options).length ? new rt.nn[cls](...args, options) : new rt.nn[cls](...args);
}

export function runModuleCase(rt: any, c: FixtureCase): string[] {
  const t: Record<string, any> = {};
  phase('building inputs', () => {
    for (const inp of c.inputs) t[inp.name] = makeTensor(rt, inp, inp.requiresGrad && DATA_INPUTS.has(inp.name));
  });
  const isLoss = /Loss$/.test(c.op);
  const m = phase('constructing the module', () => construct(rt, c, t));
  const errors: string[] = [];
  if (!isLoss) {
    const keys = [...m.stateDict().keys()];
    // Load under the runtime's own key when it differs only by camelCase (the key mismatch is reported below),
    // so the numeric checks still test the layer's math.
    const sd: Record<string, any> = {};
    for (const inp of c.inputs) if (!DATA_INPUTS.has(inp.name)) sd[runtimeKey(keys, inp.name)] = t[inp.name];
    const want: string[] = (c as any).meta?.stateDict ?? [];
    if (keys.join(',') !== want.join(',')) errors.push(`stateDict keys [${keys}] expected [${want}] (PyTorch order)`);
    phase('loadStateDict', () => m.loadStateDict(sd, { strict: false }));
    const n = m.parameters().reduce((a: number, p: any) => a + p.numel(), 0);
    if (n !== (c as any).meta?.numParams) errors.push(`parameter count ${n} expected ${(c as any).meta?.numParams}`);
    m.train(Boolean(c.kwargs.training));
  }
  const args = isLoss ? (t.input1 ? [t.input1, t.input2, t.target] : [t.input, t.target]) : [t.x];
  const outs = phase('forward', () => asList(m(...args)));
  c.outputs.forEach((e, k) => {
    const msg = compareTensor(`output[${k}]`, outs[k], e);
    if (msg) errors.push(msg);
  });
  const buffers = isLoss ? new Map() : new Map<string, any>(m.namedBuffers());
  for (const [name, e] of Object.entries(c.extra)) {
    const key = runtimeKey([...buffers.keys()], name);
    const msg = compareTensor(`buffer ${key} after forward`, buffers.get(key), e);
    if (msg) errors.push(msg);
  }
  if (Object.keys(c.grads).length > 0) {
    phase('backward', () => backward(rt, c, outs));
    const params = isLoss ? new Map() : new Map<string, any>(m.namedParameters());
    for (const [name, e] of Object.entries(c.grads)) {
      const g = DATA_INPUTS.has(name) ? t[name].grad : params.get(name)?.grad;
      const msg = g ? compareTensor(`grad of '${name}'`, g, e) : `grad of '${name}': missing (null)`;
      if (msg) errors.push(msg);
    }
  }
  return errors;
}

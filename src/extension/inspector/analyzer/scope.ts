/** What cell code can reach in the runtime: the namespaces and allow-lists of functions and methods the Draft calls. */
import type * as TS from 'typescript';
import type { Module, RT } from './runtime';
import type { Env } from './evaluate';

/** Top-level runtime functions reachable from cells: tensor creation and shape-level ops (no I/O, no display). */
export const FUNCTIONS = new Set([
  'tensor',
  'zeros',
  'ones',
  'full',
  'empty',
  'rand',
  'randn',
  'randint',
  'arange',
  'linspace',
  'eye',
  'zerosLike',
  'onesLike',
  'emptyLike',
  'fullLike',
  'randLike',
  'randnLike',
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'neg',
  'exp',
  'log',
  'sqrt',
  'abs',
  'relu',
  'sigmoid',
  'tanh',
  'clamp',
  'maximum',
  'minimum',
  'where',
  'sum',
  'mean',
  'max',
  'min',
  'argmax',
  'matmul',
  'mm',
  'bmm',
  'reshape',
  'permute',
  'transpose',
  'flatten',
  'squeeze',
  'unsqueeze',
  'expand',
  'narrow',
  'select',
  'cat',
  'stack',
  'split',
  'chunk',
  'index',
  'slice',
]);
/** Tensor methods never called by the Draft (data access, autograd, display). */
export const TENSOR_DENY = new Set(['backward', 'toArray', 'item', 'tolist', 'data', 'registerHook', 'retainGrad', 'toString', 'print']);
/** Module methods the Draft may call (structure only). */
export const MODULE_METHODS = new Set(['append', 'at', 'eval', 'train', 'children', 'modules', 'parameters']);

export const NS = Symbol('namespace');
export type Namespace = { [NS]: 'nn' | 'F' | 'models' | 'root' };
export const ns = (name: Namespace[typeof NS]): Namespace => ({ [NS]: name });
export const isNs = (v: unknown): v is Namespace => typeof v === 'object' && v !== null && NS in v;

/** The bindings every cell sees as globals (and `import … from 'layerwise'` gives). */
export function globals(rt: RT): Map<string, unknown> {
  const g = new Map<string, unknown>([
    ['nn', ns('nn')],
    ['F', ns('F')],
    ['models', ns('models')],
    ['layerwise', ns('root')],
    ['torch', ns('root')],
  ]);
  for (const f of FUNCTIONS) if (typeof (rt as Record<string, unknown>)[f] === 'function') g.set(f, (rt as Record<string, unknown>)[f]);
  return g;
}

/** A member of a runtime namespace, if the Draft may use it. */
export function nsMember(rt: RT, n: Namespace, name: string): unknown {
  const kind = n[NS];
  if (kind === 'root')
    return name === 'nn' || name === 'F' || name === 'models'
      ? ns(name)
      : FUNCTIONS.has(name)
        ? (rt as Record<string, unknown>)[name]
        : undefined;
  const obj = (kind === 'nn' ? rt.nn : kind === 'F' ? rt.F : rt.models) as unknown as Record<string, unknown>;
  const v = obj[name];
  if (typeof v !== 'function') return undefined;
  if (kind === 'nn' && !(name === 'meta' || v === rt.nn.Module || v.prototype instanceof rt.nn.Module)) return undefined;
  if (kind === 'models' && /load|pretrained|download/i.test(name)) return undefined;
  return v;
}

export const isModule = (env: Env, v: unknown): v is Module => v instanceof env.prog.rt.nn.Module;
export const isTensor = (env: Env, v: unknown): v is RT['Tensor']['prototype'] => env.prog.rt.isTensor(v);
export const text = (env: Env, n: TS.Node): string => n.getText().slice(0, 60);

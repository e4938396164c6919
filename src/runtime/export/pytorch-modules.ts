/**
 * Python source for Layerwise modules: each exported layer as its torch.nn constructor with PyTorch's argument
 * names, containers as nn.Sequential / nn.ModuleList, any other module as a named Container subclass holding its
 * children, parameters and buffers under the same attribute names (so state-dict keys are identical).
 */
import type { Tensor } from '../tensor';
import { Module, Parameter } from '../nn/module';
import { LayerNorm } from '../nn/normalization';
import { ModuleList, Sequential } from '../nn/container';
import type { SpecLayer } from '../nn/layer';
import { LEAF_CLASSES } from './trace';
import { ReLU6 } from '../models/common';

export const PY_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield']);

/** A Python literal for a JS value (numbers, booleans, null, strings, arrays → tuples). */
export function py(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (v === Infinity) return "float('inf')";
    if (v === -Infinity) return "-float('inf')";
    if (Number.isNaN(v)) return "float('nan')";
    return String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return v.length === 1 ? `(${py(v[0])},)` : `(${v.map(py).join(', ')})`;
  throw new Error(`exportPyTorch: internal error: no Python literal for ${typeof v}`);
}

const kw = (args: Record<string, unknown>): string => Object.entries(args).map(([k, v]) => `${k}=${py(v)}`).join(', ');

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * torch.nn constructor of an exported layer: its normalised constructor arguments (SpecLayer.args, PyTorch's
 * parameters in camelCase, defaults filled in) as keyword arguments under PyTorch's snake_case names.
 */
function torchCtor(m: Module): string {
  if (m instanceof ReLU6) return 'nn.ReLU6()';
  const args = { ...(m as SpecLayer).args } as Record<string, unknown>;
  // LayerNorm's bias argument is torch ≥ 2.1: written only when it differs from older torch's behaviour
  if (m instanceof LayerNorm && args.bias !== false) delete args.bias;
  return `nn.${m.constructor.name}(${kw(Object.fromEntries(Object.entries(args).map(([k, v]) => [snake(k), v])))})`;
}

const TORCH_LAYERS = new Set<unknown>(LEAF_CLASSES);
export const hasTorchLayer = (m: Module): boolean => TORCH_LAYERS.has(m.constructor);

const torchBufferName = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const TORCH_DTYPE: Record<string, string> = { float32: 'torch.float32', float64: 'torch.float64', int32: 'torch.int32', bool: 'torch.bool' };

/** Python expression of a submodule/parameter path from `self`: layer1.0.conv1 → self.layer1[0].conv1. */
export function pyPath(path: string, root = 'self'): string {
  if (!path) return root;
  return path.split('.').reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : /^[A-Za-z_]\w*$/.test(seg) && !PY_KEYWORDS.has(seg) ? `${acc}.${seg}` : `getattr(${acc}, ${py(seg)})`), root);
}

export interface ModuleCode {
  /** Python classes to declare (Container subclasses named after Layerwise classes). */
  classes: Set<string>;
}

const tensorInit = (t: Tensor): string => `torch.zeros(${py(t.shape.length ? t.shape : [])}, dtype=${TORCH_DTYPE[t.dtype]})`;

/** The Python expression constructing module `m` (at `path`, for errors); Container classes it needs go to `code`. */
export function moduleExpr(m: Module, path: string, code: ModuleCode, indent: string): string {
  if (hasTorchLayer(m)) return torchCtor(m);
  const name = m.constructor.name;
  const inner = indent + '    ';
  if (m instanceof Sequential || m instanceof ModuleList) {
    const named = m instanceof Sequential && [...m.namedChildren()].some(([k], i) => k !== String(i)); // Sequential(OrderedDict([...])) in PyTorch
    const kids = [...m.namedChildren()].map(([k, c]) => `${inner}${named ? `(${py(k)}, ` : ''}${moduleExpr(c, path ? `${path}.${k}` : k, code, inner)}${named ? ')' : ''},  # ${path ? `${path}.` : ''}${k}`);
    const open = named ? 'nn.Sequential(collections.OrderedDict([' : m instanceof Sequential ? 'nn.Sequential(' : 'nn.ModuleList([';
    const close = named ? ']))' : m instanceof Sequential ? ')' : '])';
    return kids.length ? `${open}\n${kids.join('\n')}\n${indent}${close}` : `${open}${close}`;
  }
  if (!/^[A-Za-z_]\w*$/.test(name) || PY_KEYWORDS.has(name) || ['Container', 'Model', 'nn', 'torch', 'F'].includes(name)) {
    throw new Error(`exportPyTorch: module '${path}' has class name '${name}', which cannot name a Python class`);
  }
  code.classes.add(name);
  const parts = moduleMembers(m, path, code, inner).map(([k, v]) => `${inner}${k}=${v},`);
  return parts.length ? `${name}(\n${parts.join('\n')}\n${indent})` : `${name}()`;
}

/**
 * The members of a non-layer module as [name, Python expression]: child modules, None fields, parameters, and
 * '_buffers' (a dict name → (tensor, persistent)) under PyTorch's buffer names.
 */
export function moduleMembers(m: Module, path: string, code: ModuleCode, indent: string): Array<[string, string]> {
  const name = m.constructor.name;
  const parts: Array<[string, string]> = [];
  const arrays = new Map<string, string[]>(); // a field holding an array of modules is PyTorch's nn.ModuleList
  for (const [k, c] of m.namedChildren()) {
    const dot = k.indexOf('.');
    if (dot < 0) parts.push([k, moduleExpr(c, path ? `${path}.${k}` : k, code, indent)]);
    else {
      const field = k.slice(0, dot);
      if (!arrays.has(field)) {
        arrays.set(field, []);
        parts.push([field, '']);
      }
      arrays.get(field)!.push(`${indent}    ${moduleExpr(c, path ? `${path}.${k}` : k, code, `${indent}    `)},`);
    }
  }
  for (const p of parts) if (arrays.has(p[0])) p[1] = `nn.ModuleList([\n${arrays.get(p[0])!.join('\n')}\n${indent}])`;
  for (const [k, v] of Object.entries(m)) {
    if (k.startsWith('_') || !/^[A-Za-z_]\w*$/.test(k) || PY_KEYWORDS.has(k)) continue;
    if (v === null) parts.push([k, 'None']);
    else if (v instanceof Parameter) parts.push([k, `nn.Parameter(${tensorInit(v)}, requires_grad=${py(v.requiresGrad)})`]);
  }
  const bufs = [...m._buffers].filter(([, t]) => t);
  if (bufs.length) parts.push(['_buffers', `{${bufs.map(([k, t]) => `${py(torchBufferName(k))}: (${tensorInit(t!)}, ${py(!m._nonPersistent.has(k))})`).join(', ')}}`]);
  return parts;
}

/**
 * Python source for Layerwise modules: each exported layer as its torch.nn constructor with PyTorch's argument
 * names, containers as nn.Sequential / nn.ModuleList, any other module as a named Container subclass holding its
 * children, parameters and buffers under the same attribute names (so state-dict keys are identical).
 */
import type { Tensor } from '../tensor';
import { Module, Parameter } from '../nn/module';
import * as L from '../nn/layers';
import * as N from '../nn/norm';
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
const pair = (v: number | number[] | null | undefined, d: number): number | number[] => (v === undefined || v === null ? d : v);

type Ctor = (m: never) => string;
const CTORS = new Map<unknown, Ctor>([
  [L.Linear, (m: L.Linear) => `nn.Linear(${m.inFeatures}, ${m.outFeatures}, bias=${py(m.bias !== null)})`],
  [L.Conv2d, (m: L.Conv2d) => `nn.Conv2d(${m.inChannels}, ${m.outChannels}, ${kw({ kernel_size: m.kernelSize, stride: m.stride, padding: m.padding, dilation: m.dilation, groups: m.groups, bias: m.bias !== null })})`],
  [L.Conv1d, (m: L.Conv1d) => `nn.Conv1d(${m.inChannels}, ${m.outChannels}, ${kw({ kernel_size: m.kernelSize, stride: m.args.stride ?? 1, padding: m.args.padding ?? 0,
    dilation: m.args.dilation ?? 1, groups: m.args.groups ?? 1, bias: m.bias !== null })})`],
  [L.MaxPool2d, (m: L.MaxPool2d) => `nn.MaxPool2d(${kw({ kernel_size: m.kernelSize, stride: pair(m.args.stride as number, m.kernelSize as number), padding: m.args.padding ?? 0,
    dilation: m.args.dilation ?? 1, ceil_mode: !!m.args.ceilMode })})`],
  [L.MaxPool1d, (m: L.MaxPool1d) => `nn.MaxPool1d(${kw({ kernel_size: m.kernelSize, stride: m.args.stride ?? m.kernelSize, padding: m.args.padding ?? 0, dilation: m.args.dilation ?? 1, ceil_mode: !!m.args.ceilMode })})`],
  [L.AvgPool2d, (m: L.AvgPool2d) => `nn.AvgPool2d(${kw({ kernel_size: m.kernelSize, stride: pair(m.args.stride as number, m.kernelSize as number), padding: m.args.padding ?? 0,
    ceil_mode: !!m.args.ceilMode, count_include_pad: m.args.countIncludePad ?? true, divisor_override: m.args.divisorOverride ?? null })})`],
  [L.AdaptiveAvgPool2d, (m: L.AdaptiveAvgPool2d) => `nn.AdaptiveAvgPool2d(${py(m.outputSize)})`],
  [L.Flatten, (m: L.Flatten) => `nn.Flatten(${m.startDim}, ${m.endDim})`],
  [L.ReLU, () => 'nn.ReLU()'],
  [L.Sigmoid, () => 'nn.Sigmoid()'],
  [L.Tanh, () => 'nn.Tanh()'],
  [L.Identity, () => 'nn.Identity()'],
  [ReLU6, () => 'nn.ReLU6()'],
  [L.LeakyReLU, (m: L.LeakyReLU) => `nn.LeakyReLU(${py(m.negativeSlope)})`],
  [L.ELU, (m: L.ELU) => `nn.ELU(${py(m.alpha)})`],
  [L.GELU, (m: L.GELU) => `nn.GELU(approximate=${py(m.approximate)})`],
  [L.Softplus, (m: L.Softplus) => `nn.Softplus(${kw({ beta: m.args.beta ?? 1, threshold: m.args.threshold ?? 20 })})`],
  [L.Softmax, (m: L.Softmax) => `nn.Softmax(dim=${m.dim})`],
  [L.LogSoftmax, (m: L.LogSoftmax) => `nn.LogSoftmax(dim=${m.dim})`],
  [L.Embedding, (m: L.Embedding) => `nn.Embedding(${m.numEmbeddings}, ${m.embeddingDim}, padding_idx=${py(m.args.paddingIdx ?? null)})`],
  [N.BatchNorm1d, (m: N.BatchNorm1d) => `nn.BatchNorm1d(${m.numFeatures}, ${kw({ eps: m.eps, momentum: m.momentum, affine: m.affine, track_running_stats: m.trackRunningStats })})`],
  [N.BatchNorm2d, (m: N.BatchNorm2d) => `nn.BatchNorm2d(${m.numFeatures}, ${kw({ eps: m.eps, momentum: m.momentum, affine: m.affine, track_running_stats: m.trackRunningStats })})`],
  [N.LayerNorm, (m: N.LayerNorm) => `nn.LayerNorm(${py(m.normalizedShape)}, ${kw({ eps: m.args.eps ?? 1e-5, elementwise_affine: m.weight !== null })}${m.weight && !m.bias ? ', bias=False' : ''})`],
  [N.GroupNorm, (m: N.GroupNorm) => `nn.GroupNorm(${m.numGroups}, ${m.numChannels}, ${kw({ eps: m.args.eps ?? 1e-5, affine: m.weight !== null })})`],
  [N.InstanceNorm2d, (m: N.InstanceNorm2d) => `nn.InstanceNorm2d(${m.numFeatures}, ${kw({ eps: m.args.eps ?? 1e-5, momentum: m.args.momentum ?? 0.1, affine: m.weight !== null,
    track_running_stats: m.runningMean !== null })})`],
  [N.Dropout, (m: N.Dropout) => `nn.Dropout(${py(m.p)})`],
  [N.Dropout2d, (m: N.Dropout2d) => `nn.Dropout2d(${py(m.p)})`],
]);

export const hasTorchLayer = (m: Module): boolean => CTORS.has(m.constructor);

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
  const ctor = CTORS.get(m.constructor);
  if (ctor) return ctor(m as never);
  const name = m.constructor.name;
  const inner = indent + '    ';
  if (m instanceof L.Sequential || m instanceof L.ModuleList) {
    const kids = [...m.namedChildren()].map(([k, c]) => `${inner}${moduleExpr(c, path ? `${path}.${k}` : k, code, inner)},  # ${path ? `${path}.` : ''}${k}`);
    const open = m instanceof L.Sequential ? 'nn.Sequential(' : 'nn.ModuleList([';
    const close = m instanceof L.Sequential ? ')' : '])';
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

/**
 * exportPyTorch(model, dir, { sampleInput, optimizer, loss }): writes
 *   model.py            a self-contained nn.Module (attribute names = Layerwise's, so state-dict keys match) whose
 *                       forward is the traced one, plus a dependency-free safetensors reader;
 *   weights.safetensors the state dict under PyTorch's names;
 *   train.py            the same optimizer and loss, one process or torchrun / DistributedDataParallel.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '../tensor';
import { Module } from '../nn/module';
import { ModuleList, Sequential } from '../nn/container';
import { serializeSafetensors } from '../nn/io';
import { randn } from '../ops/creation';
import { traceModel } from './trace';
import { hasTorchLayer, moduleExpr, moduleMembers, py, PY_KEYWORDS, type ModuleCode } from './pytorch-modules';
import { forwardBody } from './pytorch-forward';
import { lossExpr, optimizerExpr, trainPy } from './pytorch-train';

export interface ExportPyTorchOptions {
  /** A batch like the ones the model takes (traced once to write forward); default: randn(model.inputShape). */
  sampleInput?: Tensor | Tensor[];
  /** The Layerwise optimizer whose class and hyper-parameters train.py uses (default SGD lr 0.01). */
  optimizer?: unknown;
  /** The loss: a loss module (new nn.CrossEntropyLoss()) or an F name ('crossEntropy'); default cross-entropy. */
  loss?: unknown;
  /** Python class name (default: the model's class name; 'Model' for nn.Sequential). */
  className?: string;
}

export interface ExportPyTorchResult {
  dir: string;
  files: Array<{ path: string; bytes: number }>;
  className: string;
}

const OPTION_KEYS = ['sampleInput', 'optimizer', 'loss', 'className'];

const LOADER = `
SAFETENSORS_DTYPES = {'F64': torch.float64, 'F32': torch.float32, 'F16': torch.float16, 'BF16': torch.bfloat16,
                      'I64': torch.int64, 'I32': torch.int32, 'I16': torch.int16, 'I8': torch.int8, 'U8': torch.uint8,
                      'BOOL': torch.bool}


def load_safetensors(path):
    """Reads a .safetensors file into {name: tensor} (uses the safetensors package when installed)."""
    try:
        from safetensors.torch import load_file
        return load_file(path)
    except ImportError:
        pass
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == '__metadata__':
            continue
        begin, end = e['data_offsets']
        dtype = SAFETENSORS_DTYPES[e['dtype']]
        flat = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
        out[name] = flat.reshape(e['shape']).clone()
    return out
`;

const CONTAINER = `

class Container(nn.Module):
    """A Layerwise module that is not a plain layer: its children, parameters and buffers under the same names.
    Its computation is written out in the forward of the exported model."""

    def __init__(self, _buffers=None, **members):
        super().__init__()
        for name, value in members.items():
            setattr(self, name, value)
        for name, (value, persistent) in (_buffers or {}).items():
            self.register_buffer(name, value, persistent=persistent)

    def forward(self, *args):
        raise RuntimeError(f'{type(self).__name__} runs as part of the exported model: call the top-level module')
`;

function sampleFor(model: Module, opts: ExportPyTorchOptions): Tensor[] | null {
  if (opts.sampleInput !== undefined) return Array.isArray(opts.sampleInput) ? opts.sampleInput : [opts.sampleInput];
  if (model.inputShape) return [randn(model.inputShape)];
  return null;
}

/** The text of model.py for `model` (traced on the sample input unless it is a Sequential of plain layers). */
export function modelPy(model: Module, opts: ExportPyTorchOptions = {}): { source: string; className: string } {
  if (!(model instanceof Module)) throw new Error(`exportPyTorch: expected an nn.Module as the model, got ${typeof model}`);
  const className = opts.className ?? (model instanceof Sequential || !/^[A-Za-z_]\w*$/.test(model.constructor.name) ? 'Model' : model.constructor.name);
  if (!/^[A-Za-z_]\w*$/.test(className) || PY_KEYWORDS.has(className) || className === 'Container') throw new Error(`exportPyTorch: className '${className}' is not a usable Python class name`);
  if (model instanceof ModuleList) throw new Error('exportPyTorch: an nn.ModuleList has no forward; export the module that uses it');
  const code: ModuleCode = { classes: new Set() };
  const head = `"""${className}: exported from Layerwise. Attribute names equal Layerwise's parameter names, so
weights.safetensors loads with load_state_dict(strict=True). Generated code: edit freely."""
import collections
import json
import struct

import torch
import torch.nn.functional as F
from torch import nn
`;
  let body: string;
  const sample = sampleFor(model, opts);
  if (!sample) {
    throw new Error('exportPyTorch: pass { sampleInput } (a batch like the ones the model takes) or set model.inputShape: the forward is traced once to write model.py');
  }
  const tr = traceModel(model, sample, 'exportPyTorch');
  const { args, lines } = forwardBody(tr);
  if (hasTorchLayer(model)) { // a single layer: the torch class itself, constructed with the same arguments
    const m = /^(nn\.\w+)\(([\s\S]*)\)$/.exec(moduleExpr(model, '', code, '        '))!;
    body = `class ${className}(${m[1]}):\n    def __init__(self):\n        super().__init__(${m[2]})\n`;
  } else if (model instanceof Sequential) {
    const named = [...model.namedChildren()].some(([k], i) => k !== String(i)); // Sequential(OrderedDict([...]))
    const kids = [...model.namedChildren()].map(([k, c]) => `            ${named ? `(${py(k)}, ` : ''}${moduleExpr(c, k, code, '            ')}${named ? ')' : ''},  # ${k}`);
    // a plain chain of its own children runs as nn.Sequential's forward; anything else gets the traced one
    const chain = tr.steps.length === model.length && tr.steps.every((s, i) => s.kind === 'module' && s.path === (named ? model._names[i] : String(i)) && s.inputs.length === 1 &&
      (i === 0 ? s.inputs[0].kind === 'input' : s.inputs[0].kind === 'value' && s.inputs[0].step === tr.steps[i - 1]));
    body = `class ${className}(nn.Sequential):\n    def __init__(self):\n        super().__init__(${named ? 'collections.OrderedDict([' : ''}\n${kids.join('\n')}\n        ${named ? '])' : ''})\n` +
      (chain ? '' : `\n    def forward(self, ${args.join(', ')}):\n${lines.map((l) => `        ${l}`).join('\n')}\n`);
  } else {
    const members = moduleMembers(model, '', code, '        ').map(([name, e]) => (name === '_buffers'
      ? `        for name, (value, persistent) in ${e}.items():\n            self.register_buffer(name, value, persistent=persistent)`
      : `        self.${name} = ${e}`));
    body = `class ${className}(nn.Module):\n    def __init__(self):\n        super().__init__()\n${members.join('\n')}\n\n` +
      `    def forward(self, ${args.join(', ')}):\n${lines.map((l) => `        ${l}`).join('\n')}\n`;
  }
  const classes = [...code.classes].sort().map((c) => `\n\nclass ${c}(Container):\n    pass\n`).join('');
  const source = `${head}${LOADER}${code.classes.size ? CONTAINER : ''}${classes}\n\n${body}\n\ndef build_model(weights=None):\n` +
    `    """${className}() with the exported weights loaded (strict)."""\n    model = ${className}()\n` +
    `    model.load_state_dict(load_safetensors(weights or __file__.replace('model.py', 'weights.safetensors')), strict=True)\n    return model\n`;
  return { source, className };
}

/** Writes model.py, weights.safetensors and train.py into `dir` (created if needed); returns the files and sizes. */
export function exportPyTorch(model: Module, dir: string, opts: ExportPyTorchOptions = {}): ExportPyTorchResult {
  if (typeof dir !== 'string' || !dir) throw new Error(`exportPyTorch: dir must be a non-empty string, got ${typeof dir}`);
  if (opts === null || typeof opts !== 'object') throw new Error('exportPyTorch: options must be an object');
  for (const k of Object.keys(opts)) if (!OPTION_KEYS.includes(k)) throw new Error(`exportPyTorch: unknown option '${k}'; valid options: ${OPTION_KEYS.join(', ')}`);
  const { source, className } = modelPy(model, opts);
  const optimizer = optimizerExpr(opts.optimizer);
  const loss = lossExpr(opts.loss);
  const classification = /CrossEntropy|NLL/.test(loss);
  mkdirSync(dir, { recursive: true });
  const files: Array<[string, string | Uint8Array]> = [
    ['model.py', source],
    ['weights.safetensors', serializeSafetensors(model.stateDict(), { format: 'pt', producer: 'layerwise' })],
    ['train.py', trainPy(className, optimizer, loss, classification)],
  ];
  const out = files.map(([name, data]) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return { path, bytes: statSync(path).size };
  });
  return { dir, files: out, className };
}

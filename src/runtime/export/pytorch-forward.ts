/**
 * The forward of model.py, written from the trace (trace.ts): one line per step, in execution order — a call of
 * the submodule at the same path for exported layers (self.layer1[0].conv1(x)), the torch function for each
 * functional op of a custom forward. An op without a PyTorch spelling is an error naming the op and the layer.
 */
import type { Tensor } from '../tensor';
import { geluIsExact, whereOf, type OpStep, type Ref, type Step, type Trace } from './trace';
import { py, pyPath, PY_KEYWORDS } from './pytorch-modules';

type Emit = (a: string[], at: Record<string, unknown>, s: OpStep, t: Tensor[]) => string;

const num = (v: unknown, d = 0): number => (typeof v === 'number' ? v : d);
const nums = (v: unknown): number[] => (Array.isArray(v) ? (v as number[]) : [num(v)]);
const TORCH_DTYPE: Record<string, string> = { float32: 'torch.float32', float64: 'torch.float64', int32: 'torch.int32', bool: 'torch.bool' };

const UNARY: Record<string, string> = {
  neg: 'torch.neg', exp: 'torch.exp', log: 'torch.log', sqrt: 'torch.sqrt', rsqrt: 'torch.rsqrt', abs: 'torch.abs', sign: 'torch.sign',
  reciprocal: 'torch.reciprocal', sin: 'torch.sin', cos: 'torch.cos', floor: 'torch.floor', ceil: 'torch.ceil', round: 'torch.round', erf: 'torch.erf',
  log1p: 'torch.log1p', expm1: 'torch.expm1', relu: 'torch.relu', sigmoid: 'torch.sigmoid', tanh: 'torch.tanh', square: 'torch.square',
};
const BINARY: Record<string, string> = { add: 'torch.add', sub: 'torch.sub', mul: 'torch.mul', div: 'torch.div', pow: 'torch.pow', maximum: 'torch.maximum',
  minimum: 'torch.minimum', matmul: 'torch.matmul', mm: 'torch.matmul' };
const SCALAR: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/' };

/** Reshape target with the leading dim read from the input when it is the batch (so other batch sizes work). */
function shapeArgs(x: string, inShape: number[], out: number[]): string {
  const dims = out.map((d, i) => (i === 0 && out.length > 1 && inShape.length > 0 && d === inShape[0] ? `${x}.shape[0]` : String(d)));
  if (out.length === 1) return '-1';
  return dims.join(', ');
}

function ceilMode(x: Tensor, out: Tensor, k: number[], s: number[], p: number[], d: number[]): boolean {
  return [0, 1].some((i) => Math.floor((x.shape[2 + i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i]) + 1 !== out.shape[2 + i]);
}

const OPS: Record<string, Emit> = {
  rsub: (a, at) => `${py(num(at.other))} - ${a[0]}`,
  leakyRelu: (a, at) => `F.leaky_relu(${a[0]}, ${py(num(at.p0, 0.01))})`,
  elu: (a, at) => `F.elu(${a[0]}, ${py(num(at.p0, 1))})`,
  softplus: (a, at) => `F.softplus(${a[0]}, beta=${py(num(at.p0, 1))}, threshold=${py(num(at.p1, 20))})`,
  clamp: (a, at) => `torch.clamp(${a[0]}, ${num(at.p0) === -Infinity ? 'None' : py(num(at.p0))}, ${num(at.p1) === Infinity ? 'None' : py(num(at.p1))})`,
  powScalar: (a, at) => `torch.pow(${a[0]}, ${py(num(at.p0))})`,
  gelu: (a, _at, s, t) => `F.gelu(${a[0]}, approximate=${geluIsExact(t[0], s.output) ? "'none'" : "'tanh'"})`,
  clone: (a) => a[0],
  contiguous: (a) => `${a[0]}.contiguous()`,
  cast: (a, at) => `${a[0]}.to(${TORCH_DTYPE[at.dtype as string]})`,
  reshape: (a, _at, s, t) => `${a[0]}.reshape(${shapeArgs(a[0], t[0].shape, s.output.shape)})`,
  permute: (a, at) => `${a[0]}.permute(${nums(at.dims).join(', ')})`,
  expand: (a, at, _s, t) => `${a[0]}.expand(${nums(at.shape).map((d, i) => (i === 0 && nums(at.shape).length === t[0].ndim && d === t[0].shape[0] ? -1 : d)).join(', ')})`,
  squeeze: (a, at) => (at.dim === undefined || at.dim === null ? `torch.squeeze(${a[0]})` : `torch.squeeze(${a[0]}, ${num(at.dim)})`),
  unsqueeze: (a, at) => `torch.unsqueeze(${a[0]}, ${num(at.dim)})`,
  slice: (a, at) => `${a[0]}[${[...new Array(num(at.dim)).fill(':'), `${num(at.start)}:${num(at.end)}:${num(at.step, 1)}`].join(', ')}]`,
  select: (a, at) => `${a[0]}.select(${num(at.dim)}, ${num(at.index)})`,
  cat: (a, at) => `torch.cat([${a.join(', ')}], ${num(at.dim)})`,
  conv2d: (a, at) => `F.conv2d(${a[0]}, ${a[1]}, ${a[2] || 'None'}, stride=${py(nums(at.stride))}, padding=${py(nums(at.padding))}, dilation=${py(nums(at.dilation))}, groups=${num(at.groups, 1)})`,
  maxPool2d: (a, at, s, t) => `F.max_pool2d(${a[0]}, ${py(nums(at.kernelSize))}, stride=${py(nums(at.stride))}, padding=${py(nums(at.padding))}, dilation=${py(nums(at.dilation))}, ` +
    `ceil_mode=${py(ceilMode(t[0], s.output, nums(at.kernelSize), nums(at.stride), nums(at.padding), nums(at.dilation)))})`,
  avgPool2d: (a, at, s, t) => `F.avg_pool2d(${a[0]}, ${py(nums(at.kernelSize))}, stride=${py(nums(at.stride))}, padding=${py(nums(at.padding))}, ` +
    `ceil_mode=${py(ceilMode(t[0], s.output, nums(at.kernelSize), nums(at.stride), nums(at.padding), [1, 1]))}, count_include_pad=${py(at.countIncludePad !== false)}, ` +
    `divisor_override=${py(at.divisorOverride || null)})`,
  adaptiveAvgPool2d: (a, _at, s) => `F.adaptive_avg_pool2d(${a[0]}, ${py(s.output.shape.slice(-2))})`,
  softmax: (a, at) => `torch.softmax(${a[0]}, ${num(at.dim)})`,
  logSoftmax: (a, at) => `torch.log_softmax(${a[0]}, ${num(at.dim)})`,
  sum: (a, at) => (at.dim === undefined ? `torch.sum(${a[0]})` : `torch.sum(${a[0]}, ${num(at.dim)}, keepdim=${py(!!at.keepdim)})`),
  max: (a, at) => (at.dim === undefined ? `torch.max(${a[0]})` : `torch.max(${a[0]}, ${num(at.dim)}, keepdim=${py(!!at.keepdim)}).values`),
  min: (a, at) => (at.dim === undefined ? `torch.min(${a[0]})` : `torch.min(${a[0]}, ${num(at.dim)}, keepdim=${py(!!at.keepdim)}).values`),
};

export const PYTORCH_OPS = [...Object.keys(UNARY), ...Object.keys(BINARY), ...Object.keys(OPS)].sort();

function opExpr(s: OpStep, args: string[], ts: Tensor[], where: string): string {
  const at = s.attrs;
  if (s.inputs.length === 1 && 'other' in at && SCALAR[s.op]) return `${args[0]} ${SCALAR[s.op]} ${py(num(at.other))}`;
  if (BINARY[s.op] && s.inputs.length === 2) return `${BINARY[s.op]}(${args[0]}, ${args[1]})`;
  if (UNARY[s.op] && s.inputs.length === 1) return `${UNARY[s.op]}(${args[0]})`;
  const f = OPS[s.op];
  if (!f) throw new Error(`exportPyTorch: the op '${s.op}' in ${where} has no PyTorch spelling here. Ops that export: ${PYTORCH_OPS.join(', ')}`);
  return f(args, at, s, ts);
}

/** A variable name for a step's output: the layer path (features_0) or the op (add_3). */
function varName(s: Step, used: Set<string>): string {
  const base = (s.kind === 'module' ? s.path.replace(/\W+/g, '_') : s.op.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)) || 'y';
  let n = /^\d/.test(base) ? `l${base}` : base;
  for (let k = 1; used.has(n); k++) n = `${base}_${k}`;
  used.add(n);
  return n;
}

/** The body of forward(self, x…): lines of Python, and the argument names. */
export function forwardBody(tr: Trace): { args: string[]; lines: string[] } {
  const args = tr.inputs.map((_, i) => (tr.inputs.length === 1 ? 'x' : `x${i}`));
  // Python builtins and keywords stay unshadowed
  const used = new Set<string>(['self', 'torch', 'nn', 'F', 'sum', 'max', 'min', 'abs', 'round', 'pow', 'input', 'len', 'list', 'id', 'type', 'map', 'filter',
    'zip', 'range', 'slice', 'float', 'int', 'bool', 'all', 'any', ...PY_KEYWORDS, ...args]);
  const names = new Map<Step, string>();
  const refExpr = (r: Ref, where: string): string => {
    switch (r.kind) {
      case 'input': return args[r.index];
      case 'value': return names.get(r.step)!;
      case 'param': return pyPath(r.name);
      case 'none': return '';
      case 'const': {
        const b = tr.buffers.get(r.tensor);
        if (b) return pyPath(b);
        if (r.tensor.numel() <= 256) {
          const v = Array.from(r.tensor.dataSync() as ArrayLike<number>);
          return `torch.tensor(${r.tensor.ndim === 0 ? py(v[0]) : `${JSON.stringify(v)}`}, dtype=${TORCH_DTYPE[r.tensor.dtype]}, device=${args[0]}.device)${r.tensor.ndim > 1 ? `.reshape(${r.tensor.shape.join(', ')})` : ''}`;
        }
        throw new Error(`exportPyTorch: ${where} uses a constant tensor of shape [${r.tensor.shape.join(', ')}] created in its forward; register it as a buffer (registerBuffer) so it travels with the weights`);
      }
    }
  };
  const lines: string[] = [];
  const tensorOf = (r: Ref): Tensor => (r.kind === 'value' ? r.step.output : r.kind === 'none' ? (null as unknown as Tensor) : r.tensor);
  for (const s of tr.steps) {
    const where = whereOf(s, tr.modules);
    const a = s.inputs.map((r) => refExpr(r, where));
    const v = varName(s, used);
    names.set(s, v);
    const rhs = s.kind === 'module' ? `${pyPath(s.path)}(${a.join(', ')})` : opExpr(s, a, s.inputs.map(tensorOf), where);
    lines.push(`${v} = ${rhs}`);
  }
  const outs = tr.outputs.map((r) => refExpr(r, 'the model'));
  lines.push(`return ${outs.length === 1 ? outs[0] : `(${outs.join(', ')})`}`);
  return { args, lines };
}

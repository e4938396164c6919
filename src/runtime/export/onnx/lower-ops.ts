/**
 * ONNX lowering of the functional ops a custom forward records outside exported layers (the autograd node's op
 * name and attributes as recorded by the runtime): arithmetic, activations, views, cat, pooling, softmax,
 * reductions, matmul. An op without a lowering is an error naming the op and the layer it ran in.
 */
import type { Tensor } from '../../tensor';
import { geluIsExact, type OpStep } from '../trace';
import type { LowerCtx } from './lower-modules';
import { adaptiveAvg, gelu, softplus } from './lower-modules';

type OpLower = (c: LowerCtx, a: Record<string, unknown>, s: OpStep) => string;

const UNARY: Record<string, string> = {
  neg: 'Neg', exp: 'Exp', log: 'Log', sqrt: 'Sqrt', abs: 'Abs', sign: 'Sign', reciprocal: 'Reciprocal', sin: 'Sin', cos: 'Cos',
  floor: 'Floor', ceil: 'Ceil', round: 'Round', erf: 'Erf', relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', clone: 'Identity', contiguous: 'Identity',
};
const BINARY: Record<string, string> = { add: 'Add', sub: 'Sub', mul: 'Mul', div: 'Div', pow: 'Pow', maximum: 'Max', minimum: 'Min', matmul: 'MatMul', mm: 'MatMul' };
const CAST: Record<string, number> = { float32: 1, int32: 6, bool: 9, float64: 11 };

const num = (v: unknown, d = 0): number => (typeof v === 'number' ? v : d);
const nums = (v: unknown): number[] => (Array.isArray(v) ? (v as number[]) : [num(v)]);
const u = (c: LowerCtx, op: string, ins: string[], attrs: Record<string, unknown> = {}): string => c.g.node(op, ins, attrs as never, c.hint);
const sc = (c: LowerCtx, v: number): string => c.g.scalar(v, c.out.dtype);

/** Target shape of a reshape: the traced one, with the leading dim copied (0) when it is the input's (the batch). */
function reshapeTarget(x: Tensor, out: Tensor): number[] {
  const shape = [...out.shape];
  if (shape.length > 1 && x.ndim > 0 && shape[0] === x.shape[0]) {
    shape[0] = 0;
    // one inferred dim keeps the rest right for other batch sizes when the batch was folded into it
    return shape;
  }
  if (shape.length === 1) return [-1];
  return shape;
}

function reduce(c: LowerCtx, op: string, axes: number[], keepdims: boolean): string {
  if (op === 'ReduceSum' || c.g.opset >= 18) return u(c, op, [c.inputs[0], c.g.ints(axes)], { keepdims: keepdims ? 1 : 0 });
  return u(c, op, [c.inputs[0]], { axes, keepdims: keepdims ? 1 : 0 });
}

function poolOp(op: 'MaxPool' | 'AveragePool', c: LowerCtx, a: Record<string, unknown>): string {
  const x = c.inTensors[0];
  const k = nums(a.kernelSize);
  const st = nums(a.stride);
  const p = nums(a.padding);
  const d = op === 'MaxPool' ? nums(a.dilation) : [1, 1];
  const floorOut = [0, 1].map((i) => Math.floor((x.shape[2 + i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) / st[i]) + 1);
  const ceil = floorOut.some((v, i) => v !== c.out.shape[2 + i]) ? 1 : 0;
  const attrs: Record<string, unknown> = { kernel_shape: k, strides: st, pads: [...p, ...p], ceil_mode: ceil };
  if (op === 'MaxPool') attrs.dilations = d;
  else {
    const div = a.divisorOverride as number | undefined;
    attrs.count_include_pad = div || a.countIncludePad !== false ? 1 : 0;
    if (div) return u(c, 'Mul', [u(c, op, [c.inputs[0]], attrs), sc(c, (k[0] * k[1]) / div)]);
  }
  return u(c, op, [c.inputs[0]], attrs);
}

const OPS: Record<string, OpLower> = {
  rsqrt: (c) => u(c, 'Reciprocal', [u(c, 'Sqrt', [c.inputs[0]])]),
  square: (c) => u(c, 'Mul', [c.inputs[0], c.inputs[0]]),
  log1p: (c) => u(c, 'Log', [u(c, 'Add', [c.inputs[0], sc(c, 1)])]),
  expm1: (c) => u(c, 'Sub', [u(c, 'Exp', [c.inputs[0]]), sc(c, 1)]),
  leakyRelu: (c, a) => u(c, 'LeakyRelu', [c.inputs[0]], { alpha: { float: num(a.p0, 0.01) } }),
  elu: (c, a) => u(c, 'Elu', [c.inputs[0]], { alpha: { float: num(a.p0, 1) } }),
  softplus: (c, a) => softplus(c, c.inputs[0], num(a.p0, 1), num(a.p1, 20)),
  clamp: (c, a) => {
    const [lo, hi] = [num(a.p0), num(a.p1)];
    return u(c, 'Clip', [c.inputs[0], lo === -Infinity ? '' : sc(c, lo), hi === Infinity ? '' : sc(c, hi)]);
  },
  powScalar: (c, a) => u(c, 'Pow', [c.inputs[0], sc(c, num(a.p0))]),
  rsub: (c, a) => u(c, 'Sub', [sc(c, num(a.other)), c.inputs[0]]),
  gelu: (c, _a, s) => {
    // the node records 'gelu' for both forms: which one ran is read off the traced values
    const x = s.inputs[0].kind === 'value' ? s.inputs[0].step.output : (s.inputs[0] as { tensor: Tensor }).tensor;
    return gelu(c, c.inputs[0], geluIsExact(x, s.output) ? 'none' : 'tanh');
  },
  cast: (c, a) => {
    const to = CAST[a.dtype as string];
    if (!to) throw new Error(`onnx.export: cast to ${String(a.dtype)} has no ONNX type`);
    return u(c, 'Cast', [c.inputs[0]], { to });
  },
  reshape: (c) => u(c, 'Reshape', [c.inputs[0], c.g.ints(reshapeTarget(c.inTensors[0], c.out))]),
  permute: (c, a) => u(c, 'Transpose', [c.inputs[0]], { perm: nums(a.dims) }),
  expand: (c, a) => {
    const shape = nums(a.shape);
    const x = c.inTensors[0];
    // -1-free target; a leading dim equal to the input's (the batch) is passed through as 1 (Expand broadcasts)
    const t = shape.map((d, i) => (i === 0 && shape.length === x.ndim && d === x.shape[0] ? 1 : d));
    return u(c, 'Expand', [c.inputs[0], c.g.ints(t)]);
  },
  squeeze: (c, a) => {
    const x = c.inTensors[0];
    const axes = a.dim === undefined || a.dim === null ? x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : [(num(a.dim) + x.ndim) % x.ndim].filter((i) => x.shape[i] === 1);
    return axes.length ? u(c, 'Squeeze', [c.inputs[0], c.g.ints(axes)]) : u(c, 'Identity', [c.inputs[0]]);
  },
  unsqueeze: (c, a) => u(c, 'Unsqueeze', [c.inputs[0], c.g.ints([num(a.dim)])]),
  slice: (c, a) => u(c, 'Slice', [c.inputs[0], c.g.ints([num(a.start)]), c.g.ints([num(a.end)]), c.g.ints([num(a.dim)]), c.g.ints([num(a.step, 1)])]),
  select: (c, a) => u(c, 'Gather', [c.inputs[0], c.g.constant([num(a.index)], 'int64', [], 'index')], { axis: num(a.dim) }),
  cat: (c, a) => u(c, 'Concat', c.inputs, { axis: num(a.dim) }),
  conv2d: (c, a) => u(c, 'Conv', c.inputs.filter((n) => n !== ''), {
    kernel_shape: c.inTensors[1].shape.slice(2), strides: nums(a.stride), pads: [...nums(a.padding), ...nums(a.padding)], dilations: nums(a.dilation), group: num(a.groups, 1),
  }),
  maxPool2d: (c, a) => poolOp('MaxPool', c, a),
  avgPool2d: (c, a) => poolOp('AveragePool', c, a),
  adaptiveAvgPool2d: (c) => adaptiveAvg(c, c.out.shape.slice(-2)),
  softmax: (c, a) => u(c, 'Softmax', [c.inputs[0]], { axis: num(a.dim) }),
  logSoftmax: (c, a) => u(c, 'LogSoftmax', [c.inputs[0]], { axis: num(a.dim) }),
  sum: (c, a) => {
    const x = c.inTensors[0];
    if (a.dim === undefined) return u(c, 'Reshape', [reduce(c, 'ReduceSum', x.shape.map((_, i) => i), true), c.g.ints([])]);
    return reduce(c, 'ReduceSum', [num(a.dim)], !!a.keepdim);
  },
  max: (c, a) => extremum(c, a, 'ReduceMax'),
  min: (c, a) => extremum(c, a, 'ReduceMin'),
};

function extremum(c: LowerCtx, a: Record<string, unknown>, op: string): string {
  const x = c.inTensors[0];
  if (a.dim === undefined) return u(c, 'Reshape', [reduce(c, op, x.shape.map((_, i) => i), true), c.g.ints([])]);
  return reduce(c, op, [num(a.dim)], !!a.keepdim);
}

export const SUPPORTED_OPS = [...Object.keys(UNARY), ...Object.keys(BINARY), ...Object.keys(OPS)].sort();

export function lowerOp(s: OpStep, c: LowerCtx): string {
  const a = s.attrs;
  if (s.inputs.length === 1 && 'other' in a && BINARY[s.op]) return u(c, BINARY[s.op], [c.inputs[0], sc(c, num(a.other))]);
  if (BINARY[s.op] && s.inputs.length === 2) return u(c, BINARY[s.op], c.inputs);
  if (UNARY[s.op] && s.inputs.length === 1) return u(c, UNARY[s.op], c.inputs);
  const f = OPS[s.op];
  if (!f) {
    throw new Error(`onnx.export: the op '${s.op}' in ${c.where} has no ONNX lowering. Ops that export: ${SUPPORTED_OPS.join(', ')}`);
  }
  return f(c, a, s);
}

/**
 * Tensor methods (x.add(y), x.sum(1, {keepdim: true}), x.reshape(2, -1), in-place x.add_(y) ...) installed on
 * Tensor.prototype; TensorMethods is merged into the Tensor type in tensor.ts.
 */
import type { DType } from '../backend/types';
import { Tensor } from '../tensor';
import { runBackward, BackwardOptions } from '../autograd/engine';
import * as B from './basic';
import * as V from './views';
import * as R from './reduce';
import * as L from './linalg';
import { index, IndexSpec } from './indexing';
import { gather } from './index-checks';
import * as I from './inplace-ops';
import { bumpsItself } from './inplace';
import { formatTensor } from '../format';

type Operand = Tensor | number;
type Shape = Array<number | readonly number[]>;
type RO = R.ReduceOptions;

export interface TensorMethods {
  add(b: Operand, opts?: { alpha?: number }): Tensor;
  sub(b: Operand, opts?: { alpha?: number }): Tensor;
  mul(b: Operand): Tensor;
  div(b: Operand): Tensor;
  pow(b: Operand): Tensor;
  maximum(b: Operand): Tensor;
  minimum(b: Operand): Tensor;
  neg(): Tensor; exp(): Tensor; log(): Tensor; sqrt(): Tensor; rsqrt(): Tensor; abs(): Tensor; sign(): Tensor;
  square(): Tensor; reciprocal(): Tensor; sin(): Tensor; cos(): Tensor; floor(): Tensor; ceil(): Tensor; round(): Tensor;
  log1p(): Tensor; expm1(): Tensor; erf(): Tensor;
  relu(): Tensor; sigmoid(): Tensor; tanh(): Tensor;
  clamp(min?: number | null | { min?: number | null; max?: number | null }, max?: number | null): Tensor;
  eq(b: Operand): Tensor; ne(b: Operand): Tensor; lt(b: Operand): Tensor; le(b: Operand): Tensor; gt(b: Operand): Tensor; ge(b: Operand): Tensor;
  isnan(): Tensor;
  sum(dim?: R.Dims | (RO & { dim?: R.Dims }), opts?: RO): Tensor;
  mean(dim?: R.Dims | (RO & { dim?: R.Dims }), opts?: RO): Tensor;
  prod(dim?: number | (RO & { dim?: number }), opts?: RO): Tensor;
  var(dim?: R.Dims | (RO & { dim?: R.Dims; unbiased?: boolean }), opts?: RO & { unbiased?: boolean }): Tensor;
  std(dim?: R.Dims | (RO & { dim?: R.Dims; unbiased?: boolean }), opts?: RO & { unbiased?: boolean }): Tensor;
  max(): Tensor;
  max(dim: number, opts?: RO): R.ValuesIndices;
  min(): Tensor;
  min(dim: number, opts?: RO): R.ValuesIndices;
  argmax(dim?: number | null, opts?: RO): Tensor;
  argmin(dim?: number | null, opts?: RO): Tensor;
  logsumexp(dim: R.Dims, opts?: RO): Tensor;
  norm(p?: number | 'fro', dim?: R.Dims, opts?: RO): Tensor;
  matmul(b: Tensor): Tensor;
  mm(b: Tensor): Tensor;
  bmm(b: Tensor): Tensor;
  reshape(...shape: Shape): Tensor;
  view(...shape: Shape): Tensor;
  permute(...dims: Shape): Tensor;
  transpose(d0: number, d1: number): Tensor;
  t(): Tensor;
  readonly T: Tensor;
  flatten(startDim?: number, endDim?: number): Tensor;
  squeeze(dim?: number): Tensor;
  unsqueeze(dim: number): Tensor;
  expand(...shape: Shape): Tensor;
  expandAs(other: Tensor): Tensor;
  narrow(dim: number, start: number, length: number): Tensor;
  select(dim: number, index: number): Tensor;
  index(...specs: IndexSpec[]): Tensor;
  indexSelect(dim: number, index: Tensor | readonly number[]): Tensor;
  gather(dim: number, index: Tensor): Tensor;
  chunk(chunks: number, dim?: number): Tensor[];
  split(size: number | readonly number[], dim?: number): Tensor[];
  contiguous(): Tensor;
  clone(): Tensor;
  detach(): Tensor;
  /** A detached alias sharing storage (PyTorch's .data). */
  readonly data: Tensor;
  to(dtype: DType): Tensor;
  float(): Tensor; double(): Tensor; int(): Tensor; bool(): Tensor;
  backward(grad?: Tensor | null, opts?: BackwardOptions): void;
  toString(): string;
  // in-place (no autograd recording; allowed on tensors outside the graph or under noGrad)
  add_(b: Operand, opts?: { alpha?: number }): Tensor;
  sub_(b: Operand, opts?: { alpha?: number }): Tensor;
  mul_(b: Operand): Tensor;
  div_(b: Operand): Tensor;
  clamp_(min?: number | null, max?: number | null): Tensor;
  copy_(src: Tensor): Tensor;
  /** Every element set to `value` (a number, a boolean or a 0-d tensor), also through a view. */
  fill_(value: number | boolean | Tensor): Tensor;
  zero_(): Tensor;
  uniform_(lo?: number, hi?: number): Tensor;
  normal_(mean?: number, std?: number): Tensor;
}

/** Each TensorMethods method's implementation, `this` being the tensor: checked against the interface below. */
type MethodKey = { [K in keyof TensorMethods]: TensorMethods[K] extends (...a: never[]) => unknown ? K : never }[keyof TensorMethods];
type Impl<F> = F extends (...a: infer A) => infer R ? (this: Tensor, ...args: A) => R : never;
type MethodImpl = { [K in MethodKey]: Impl<TensorMethods[K]> };

const methods = {
  add(this: Tensor, b: Operand, o?: { alpha?: number }) { return B.add(this, b, o); },
  sub(this: Tensor, b: Operand, o?: { alpha?: number }) { return B.sub(this, b, o); },
  mul(this: Tensor, b: Operand) { return B.mul(this, b); },
  div(this: Tensor, b: Operand) { return B.div(this, b); },
  pow(this: Tensor, b: Operand) { return B.pow(this, b); },
  maximum(this: Tensor, b: Operand) { return B.maximum(this, b); },
  minimum(this: Tensor, b: Operand) { return B.minimum(this, b); },
  clamp(this: Tensor, lo?: number | null | { min?: number | null; max?: number | null }, hi?: number | null) { return B.clamp(this, lo, hi); },
  eq(this: Tensor, b: Operand) { return B.eq(this, b); },
  ne(this: Tensor, b: Operand) { return B.ne(this, b); },
  lt(this: Tensor, b: Operand) { return B.lt(this, b); },
  le(this: Tensor, b: Operand) { return B.le(this, b); },
  gt(this: Tensor, b: Operand) { return B.gt(this, b); },
  ge(this: Tensor, b: Operand) { return B.ge(this, b); },
  sum(this: Tensor, d?: R.Dims | (RO & { dim?: R.Dims }), o?: RO) { return R.sum(this, d, o); },
  mean(this: Tensor, d?: R.Dims | (RO & { dim?: R.Dims }), o?: RO) { return R.mean(this, d, o); },
  prod(this: Tensor, d?: number | (RO & { dim?: number }), o?: RO) { return R.prod(this, d, o); },
  var(this: Tensor, d?: R.Dims | (RO & { dim?: R.Dims; unbiased?: boolean }), o?: RO & { unbiased?: boolean }) { return R.varOf(this, d, o); },
  std(this: Tensor, d?: R.Dims | (RO & { dim?: R.Dims; unbiased?: boolean }), o?: RO & { unbiased?: boolean }) { return R.std(this, d, o); },
  max: function (this: Tensor, d?: number, o?: RO) { return R.max(this, d, o); } as MethodImpl['max'], // overloaded: Tensor or {values, indices}
  min: function (this: Tensor, d?: number, o?: RO) { return R.min(this, d, o); } as MethodImpl['min'],
  argmax(this: Tensor, d?: number | null, o?: RO) { return R.argmax(this, d ?? undefined, o); },
  argmin(this: Tensor, d?: number | null, o?: RO) { return R.argmin(this, d ?? undefined, o); },
  logsumexp(this: Tensor, d: R.Dims, o?: RO) { return R.logsumexp(this, d, o); },
  norm(this: Tensor, p?: number | 'fro', d?: R.Dims, o?: RO) { return R.norm(this, p, d, o); },
  matmul(this: Tensor, b: Tensor) { return L.matmul(this, b); },
  mm(this: Tensor, b: Tensor) { return L.mm(this, b); },
  bmm(this: Tensor, b: Tensor) { return L.bmm(this, b); },
  reshape(this: Tensor, ...s: Shape) { return V.reshape(this, ...s); },
  view(this: Tensor, ...s: Shape) { return V.view(this, ...s); },
  permute(this: Tensor, ...s: Shape) { return V.permute(this, ...s); },
  transpose(this: Tensor, a: number, b: number) { return V.transpose(this, a, b); },
  t(this: Tensor) { return V.t(this); },
  flatten(this: Tensor, s?: number, e?: number) { return V.flatten(this, s, e); },
  squeeze(this: Tensor, d?: number) { return V.squeeze(this, d); },
  unsqueeze(this: Tensor, d: number) { return V.unsqueeze(this, d); },
  expand(this: Tensor, ...s: Shape) { return V.expand(this, ...s); },
  expandAs(this: Tensor, o: Tensor) { return V.expand(this, o.shape); },
  narrow(this: Tensor, d: number, s: number, l: number) { return V.narrow(this, d, s, l); },
  select(this: Tensor, d: number, i: number) { return V.select(this, d, i); },
  index(this: Tensor, ...specs: IndexSpec[]) { return index(this, ...specs); },
  indexSelect(this: Tensor, d: number, i: Tensor | readonly number[]) { return V.indexSelect(this, d, i); },
  gather(this: Tensor, d: number, i: Tensor) { return gather(this, d, i); },
  chunk(this: Tensor, c: number, d?: number) { return V.chunk(this, c, d); },
  split(this: Tensor, s: number | readonly number[], d?: number) { return V.split(this, s, d); },
  contiguous(this: Tensor) { return B.contiguous(this); },
  clone(this: Tensor) { return B.clone(this); },
  detach(this: Tensor) { return B.detach(this); },
  to(this: Tensor, dtype: DType) { return B.cast(this, dtype); },
  float(this: Tensor) { return B.cast(this, 'float32'); },
  double(this: Tensor) { return B.cast(this, 'float64'); },
  int(this: Tensor) { return B.cast(this, 'int32'); },
  bool(this: Tensor) { return B.cast(this, 'bool'); },
  backward(this: Tensor, g?: Tensor | null, o?: BackwardOptions) { runBackward(this, g ?? null, o); },
  toString(this: Tensor) { return formatTensor(this); },
  // in-place: ops/inplace-ops.ts (each bumps the version counter itself)
  add_: bumpsItself(function (this: Tensor, b: Operand, o?: { alpha?: number }) { return I.add_(this, b, o); }),
  sub_: bumpsItself(function (this: Tensor, b: Operand, o?: { alpha?: number }) { return I.sub_(this, b, o); }),
  mul_: bumpsItself(function (this: Tensor, b: Operand) { return I.mul_(this, b); }),
  div_: bumpsItself(function (this: Tensor, b: Operand) { return I.div_(this, b); }),
  clamp_: bumpsItself(function (this: Tensor, lo?: number | null, hi?: number | null) { return I.clamp_(this, lo, hi); }),
  copy_: bumpsItself(function (this: Tensor, src: Tensor) { return I.copy_(this, src); }),
  fill_: bumpsItself(function (this: Tensor, v: number | boolean | Tensor) { return I.fill_(this, v); }),
  zero_: bumpsItself(function (this: Tensor) { return I.zero_(this); }),
  uniform_: bumpsItself(function (this: Tensor, lo?: number, hi?: number) { return I.uniform_(this, lo, hi); }),
  normal_: bumpsItself(function (this: Tensor, m?: number, s?: number) { return I.normal_(this, m, s); }),
} satisfies Partial<MethodImpl>;

const unaryNames = ['neg', 'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'sign', 'square', 'reciprocal', 'sin', 'cos', 'floor', 'ceil',
  'round', 'log1p', 'expm1', 'erf', 'relu', 'sigmoid', 'tanh', 'isnan'] as const;
const unaryMethods = Object.fromEntries(unaryNames.map((name) => {
  const fn = (B as unknown as Record<string, (x: Tensor) => Tensor>)[name];
  return [name, function (this: Tensor) { return fn(this); }];
})) as Pick<MethodImpl, (typeof unaryNames)[number]>;

/** Every method of the Tensor interface is implemented here (the table `satisfies` it): a missing one does not compile. */
const allMethods: MethodImpl = { ...methods, ...unaryMethods };

let installed = false;
export function installTensorMethods(): void {
  if (installed) return;
  installed = true;
  for (const [k, f] of Object.entries(allMethods)) {
    Object.defineProperty(Tensor.prototype, k, { value: f, writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(Tensor.prototype, 'T', { get(this: Tensor) { return V.permute(this, this.shape.map((_, i) => this.ndim - 1 - i)); }, configurable: true });
  Object.defineProperty(Tensor.prototype, 'data', { get(this: Tensor) { return B.detach(this); }, configurable: true });
}
installTensorMethods();

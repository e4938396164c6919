/** Tensor creation: tensor(), zeros/ones/full/empty, random, ranges, eye and the *Like variants. */
import type { DType } from '../backend/types';
import { Tensor } from '../tensor';
import { alloc, fillRaw } from './raw';
import { fmtShape } from '../shape';
import * as rng from '../random';
import { takeOptions, type Aliased } from './options';
import { checkDevice, dtypeOf, type Device } from './device';
import { checkSize } from './size-checks';
import { detach, clone } from './basic';

interface CreateOptionsBase {
  dtype?: DType;
  requiresGrad?: boolean;
  /** Only the CPU ('cpu'); anything else is an error (see device.ts). */
  device?: Device;
}

const CREATE_ALIASES = { requires_grad: 'requiresGrad' } as const;
/** dtype, requiresGrad (or PyTorch's requires_grad), device. */
export type CreateOptions = Aliased<CreateOptionsBase, typeof CREATE_ALIASES>;

/** Validates a creation options object: known keys (PyTorch's requires_grad too), a real dtype, the CPU device. */
export function createOptions(op: string, opts: CreateOptions | undefined): CreateOptions {
  const o = takeOptions(op, opts, ['dtype', 'requiresGrad', 'device'], CREATE_ALIASES);
  if (o.dtype !== undefined) {
    const d = typeof o.dtype === 'string' ? dtypeOf(o.dtype) : undefined;
    if (!d) throw new Error(`${op}: unknown dtype ${JSON.stringify(o.dtype)}; valid dtypes are 'float32', 'float64', 'int32', 'bool' (PyTorch names like 'int64'/'long' map to int32)`);
    o.dtype = d;
  }
  checkDevice(op, o.device);
  return o;
}

export type ShapeArg = number | readonly number[];

/** Accepts zeros([2, 3]), zeros(2, 3) and zeros(2, 3, {dtype}). */
export function parseShapeArgs(args: ReadonlyArray<ShapeArg | CreateOptions | undefined>, op = 'tensor'): { shape: number[]; opts: CreateOptions } {
  const rest = [...args];
  let opts: CreateOptions = {};
  const last = rest[rest.length - 1];
  if (last !== undefined && typeof last === 'object' && !Array.isArray(last)) {
    opts = createOptions(op, last as CreateOptions);
    rest.pop();
  }
  const shape: number[] = [];
  for (const a of rest) {
    if (a === undefined) continue;
    if (Array.isArray(a)) shape.push(...(a as number[]));
    else if (typeof a === 'number') shape.push(a);
    else throw new TypeError(`${op}: invalid shape argument ${JSON.stringify(a) ?? String(a)}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`${op}: invalid shape ${fmtShape(shape)}: sizes must be non-negative integers`);
  }
  return { shape, opts };
}

function finish(t: Tensor, opts: CreateOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad_(true);
  return t;
}

function fromValues(values: ArrayLike<number>, shape: number[], dtype: DType): Tensor {
  const t = alloc(shape, dtype);
  if (t.isMeta) return t;
  const v = t.storage().view();
  if (dtype === 'int32' || dtype === 'bool') {
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      v[i] = dtype === 'bool' ? (x ? 1 : 0) : Math.trunc(x);
    }
  } else v.set(values as ArrayLike<number>);
  return t;
}

function inferShape(data: unknown, op: string): { shape: number[]; flat: number[]; hasBool: boolean; allInt: boolean } {
  const shape: number[] = [];
  let d: unknown = data;
  while (Array.isArray(d)) {
    shape.push(d.length);
    d = d[0];
  }
  const flat: number[] = [];
  let hasBool = false;
  let allInt = true;
  const walk = (x: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof x === 'boolean') {
        hasBool = true;
        flat.push(x ? 1 : 0);
      } else if (typeof x === 'number') {
        if (!Number.isInteger(x)) allInt = false;
        flat.push(x);
      } else throw new Error(`${op}: expected a number at ${path || 'the top level'}, got ${typeof x}`);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      throw new Error(`${op}: ragged nested array: expected length ${shape[depth]} at ${path || 'the top level'} (shape ${fmtShape(shape)})`);
    }
    x.forEach((e, i) => walk(e, depth + 1, `${path}[${i}]`));
  };
  walk(data, 0, '');
  return { shape, flat, hasBool, allInt };
}

/**
 * tensor(data, {dtype, requiresGrad, device}). data: number, boolean, nested arrays, a typed array (1-D), or a
 * Tensor (copied). dtype is inferred as in PyTorch: all-integer numbers give int32 (PyTorch's int64; Layerwise's
 * integer dtype), any fractional number float32, booleans bool. JavaScript cannot tell 1.0 from 1, so write
 * {dtype: 'float32'} for float data of whole numbers; {requiresGrad: true} without a dtype also gives float32
 * (PyTorch cannot make integer tensors require grad either). A Float64Array gives float64, Int32Array int32.
 */
export function tensor(data: unknown, options: CreateOptions = {}): Tensor {
  const opts = createOptions('tensor', options);
  if (data instanceof Tensor) return finish(detach(clone(data)), opts);
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    const arr = data as unknown as ArrayLike<number>;
    const dflt: DType = data instanceof Float64Array ? 'float64' : data instanceof Int32Array ? 'int32' : 'float32';
    return finish(fromValues(arr, [arr.length], opts.dtype ?? dflt), opts);
  }
  const { shape, flat, hasBool, allInt } = inferShape(data, 'tensor');
  if (hasBool && flat.length > 0 && !isAllBool(data)) throw new Error('tensor: mixing booleans and numbers in one tensor is not supported; convert the booleans to numbers');
  const dtype = opts.dtype ?? (hasBool ? 'bool' : allInt && !opts.requiresGrad ? 'int32' : 'float32');
  return finish(fromValues(flat, shape, dtype), opts);
}

function isAllBool(data: unknown): boolean {
  return Array.isArray(data) ? data.every(isAllBool) : typeof data === 'boolean';
}

/**
 * full(shape, value): a boolean value gives bool, a number float32 unless {dtype} (PyTorch gives int64 for an int
 * fill value; JavaScript cannot tell 2.0 from 2, so pass {dtype: 'int32'} for an integer tensor).
 */
export function full(shape: ShapeArg, value: number | boolean, options: CreateOptions = {}): Tensor {
  return fullAs('full', shape, value, createOptions('full', options));
}

function fullAs(op: string, shape: ShapeArg, value: number | boolean, opts: CreateOptions): Tensor {
  const { shape: s } = parseShapeArgs([shape], op);
  const dtype = opts.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  checkSize(op, s, dtype);
  return finish(fillRaw(alloc(s, dtype), Number(value)), opts);
}

export function zeros(...args: Array<ShapeArg | CreateOptions>): Tensor {
  const { shape, opts } = parseShapeArgs(args, 'zeros');
  return fullAs('zeros', shape, 0, opts);
}

export function ones(...args: Array<ShapeArg | CreateOptions>): Tensor {
  const { shape, opts } = parseShapeArgs(args, 'ones');
  return fullAs('ones', shape, 1, opts);
}

/** Uninitialised values (like torch.empty); use only when every element is written before being read. */
export function empty(...args: Array<ShapeArg | CreateOptions>): Tensor {
  const { shape, opts } = parseShapeArgs(args, 'empty');
  checkSize('empty', shape, opts.dtype ?? 'float32');
  return finish(alloc(shape, opts.dtype ?? 'float32'), opts);
}

export function rand(...args: Array<ShapeArg | CreateOptions>): Tensor {
  const { shape, opts } = parseShapeArgs(args, 'rand');
  const n = shape.reduce((a, b) => a * b, 1);
  const dtype = opts.dtype ?? 'float32';
  checkSize('rand', shape, dtype);
  // float32 draws are made in float32 precision so rounding can never produce exactly 1
  return finish(fromValues(rng.uniform(n, 0, 1, dtype === 'float32' ? 'float32' : 'float64'), shape, dtype), opts);
}

export function randn(...args: Array<ShapeArg | CreateOptions>): Tensor {
  const { shape, opts } = parseShapeArgs(args, 'randn');
  const n = shape.reduce((a, b) => a * b, 1);
  checkSize('randn', shape, opts.dtype ?? 'float32');
  return finish(fromValues(rng.normal(n, 0, 1), shape, opts.dtype ?? 'float32'), opts);
}

/** Integers uniformly in [low, high). randint(high, shape) or randint(low, high, shape). */
export function randint(a: number, b: number | ShapeArg, c?: ShapeArg | CreateOptions, d?: CreateOptions): Tensor {
  let low = 0;
  let high: number;
  let shape: ShapeArg;
  let opts: CreateOptions = {};
  if (typeof b === 'number' && c !== undefined && (typeof c === 'number' || Array.isArray(c))) {
    [low, high, shape, opts] = [a, b, c as ShapeArg, d ?? {}];
  } else {
    [high, shape, opts] = [a, b as ShapeArg, (c as CreateOptions) ?? {}];
  }
  opts = createOptions('randint', opts);
  if (!(high > low)) throw new Error(`randint: expected low < high, got low=${low}, high=${high}`);
  const { shape: s } = parseShapeArgs([shape], 'randint');
  const n = s.reduce((x, y) => x * y, 1);
  checkSize('randint', s, opts.dtype ?? 'int32');
  return finish(fromValues(rng.randint(n, low, high), s, opts.dtype ?? 'int32'), opts);
}

/**
 * arange(end), arange(start, end), arange(start, end, step), each optionally followed by {dtype, requiresGrad}.
 * Whole-number arguments give int32 (PyTorch's int64), any fractional one float32. JavaScript has no 4.0 apart
 * from 4, so PyTorch's arange(4.0) is written arange(4, {dtype: 'float32'}).
 */
export function arange(a: number, b?: number | CreateOptions, c?: number | CreateOptions, d?: CreateOptions): Tensor {
  const nums = [a, b, c].filter((v): v is number => typeof v === 'number');
  const last = [b, c, d].find((v) => v !== undefined && typeof v === 'object') as CreateOptions | undefined;
  const opts = createOptions('arange', last);
  for (const v of nums) if (!Number.isFinite(v)) throw new Error(`arange: arguments must be finite numbers, got ${v}`);
  const [start, end, step] = nums.length === 1 ? [0, nums[0], 1] : nums.length === 2 ? [nums[0], nums[1], 1] : [nums[0], nums[1], nums[2]];
  if (step === 0) throw new Error('arange: step must be nonzero');
  if ((end - start) / step < 0) throw new Error(`arange: upper bound and step sign are inconsistent (start=${start}, end=${end}, step=${step})`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  if (!Number.isFinite(n)) throw new RangeError(`arange: cannot make a range from ${start} to ${end} with step ${step}`);
  checkSize('arange', [n], opts.dtype ?? 'float32');
  const vals = new Float64Array(n);
  for (let i = 0; i < n; i++) vals[i] = start + i * step;
  const allInt = Number.isInteger(start) && Number.isInteger(step) && Number.isInteger(end);
  return finish(fromValues(vals, [n], opts.dtype ?? (allInt ? 'int32' : 'float32')), opts);
}

export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  const opts = createOptions('linspace', options);
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`linspace: number of steps must be a non-negative integer, got ${steps}`);
  checkSize('linspace', [steps], opts.dtype ?? 'float32');
  const vals = new Float64Array(steps);
  const h = steps > 1 ? (end - start) / (steps - 1) : 0;
  // PyTorch fills the first half from start and the second half from end, for symmetry
  for (let i = 0; i < steps; i++) vals[i] = i < steps / 2 ? start + i * h : end - (steps - 1 - i) * h;
  return finish(fromValues(vals, [steps], opts.dtype ?? 'float32'), opts);
}

export function eye(n: number, m: number | CreateOptions = n, options: CreateOptions = {}): Tensor {
  if (typeof m === 'object') [m, options] = [n, m];
  const opts = createOptions('eye', options);
  for (const v of [n, m]) if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`eye: sizes must be non-negative integers, got ${String(v)}`);
  checkSize('eye', [n, m], opts.dtype ?? 'float32');
  const t = zeros([n, m], { dtype: opts.dtype });
  if (t.isMeta) return finish(t, opts);
  const v = t.storage().view();
  for (let i = 0; i < Math.min(n, m); i++) v[i * m + i] = 1;
  return finish(t, opts);
}

const likeOpts = (t: Tensor, options: CreateOptions): CreateOptions => {
  const opts = createOptions('*Like', options);
  return { dtype: opts.dtype ?? t.dtype, requiresGrad: opts.requiresGrad };
};

/** *Like tensors live on t's backend (not the current default), so mixing never happens after setBackend(). */
function onBackendOf(t: Tensor, opts: CreateOptions, v: number | null): Tensor {
  const o = likeOpts(t, opts);
  const dtype = o.dtype ?? t.dtype;
  const be = t.isMeta || dtype !== t.dtype ? undefined : t.backend;
  const out = alloc(t.shape, dtype, be);
  if (v !== null) fillRaw(out, v);
  return finish(out, o);
}

export const zerosLike = (t: Tensor, opts: CreateOptions = {}): Tensor => onBackendOf(t, opts, 0);
export const onesLike = (t: Tensor, opts: CreateOptions = {}): Tensor => onBackendOf(t, opts, 1);
export const emptyLike = (t: Tensor, opts: CreateOptions = {}): Tensor => onBackendOf(t, opts, null);
export const fullLike = (t: Tensor, v: number, opts: CreateOptions = {}): Tensor => onBackendOf(t, opts, v);
export const randLike = (t: Tensor, opts: CreateOptions = {}): Tensor => rand(t.shape, likeOpts(t, opts));
export const randnLike = (t: Tensor, opts: CreateOptions = {}): Tensor => randn(t.shape, likeOpts(t, opts));

export function manualSeed(seed: number): void {
  rng.manualSeed(seed);
}

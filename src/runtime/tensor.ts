/**
 * The Tensor: storage + shape/strides/offset view + autograd fields. Math methods are installed by
 * ops/methods.ts (declaration-merged below) so that op modules can import Tensor without cycles.
 */
import type { Backend, DType, Ref, Storage, TypedArray } from './backend/types';
import { contiguousStrides, fmtShape, numel as shapeNumel } from './shape';
import type { Node } from './autograd/node';
import type { TensorMethods } from './ops/methods';
import { isMetaMode } from './backend/registry';
import { metaBackend } from './backend/meta';

let nextTensorId = 1;

export type GradHook = (grad: Tensor) => Tensor | void;

export class Tensor {
  readonly id = nextTensorId++;
  /** null for meta tensors (shape only, under nn.meta / summary). */
  _storage: Storage | null;
  readonly shape: number[];
  readonly _strides: number[];
  readonly _offset: number;
  readonly dtype: DType;
  /** Whether gradients flow to this tensor. Leaves: set by the user; non-leaves: set by autograd. */
  requiresGrad = false;
  grad: Tensor | null = null;
  /** The autograd node that produced this tensor (null for leaves). */
  gradFn: Node | null = null;
  /** Forward-mode tangent, set inside jvp(). */
  _tangent: Tensor | null = null;
  _hooks: GradHook[] | null = null;
  /** Optional display name (parameters get their dotted names; the stepper shows them). */
  name: string | undefined;

  constructor(storage: Storage | null, shape: readonly number[], dtype: DType, strides?: readonly number[], offset = 0) {
    this._storage = storage;
    this.shape = [...shape];
    this._strides = strides ? [...strides] : contiguousStrides(shape);
    this._offset = offset;
    this.dtype = dtype;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  get isMeta(): boolean {
    return this._storage === null || this._storage.backend.name === 'meta';
  }

  /** The backend computing on this tensor; inside withMeta (summary) every op runs on the no-op meta backend. */
  get backend(): Backend {
    return isMetaMode() ? metaBackend : this.storage().backend;
  }

  numel(): number {
    return shapeNumel(this.shape);
  }

  dim(): number {
    return this.shape.length;
  }

  size(dim?: number): number | number[] {
    if (dim === undefined) return [...this.shape];
    const d = dim < 0 ? dim + this.ndim : dim;
    if (d < 0 || d >= this.ndim) throw new RangeError(`size: dimension ${dim} out of range for ${this.ndim}-D tensor`);
    return this.shape[d];
  }

  /** The storage, with clear errors for meta or disposed tensors. */
  storage(allowMeta = true): Storage {
    const s = this._storage;
    if (s === null) {
      throw new Error(`tensor ${fmtShape(this.shape)} is a meta tensor (shape only, built under nn.meta): it has no values`);
    }
    if (s.backend.name === 'meta' && !allowMeta) {
      throw new Error(`tensor ${fmtShape(this.shape)} is a meta tensor (shape only, built under nn.meta): it has no values`);
    }
    if (s.released) throw new Error(`tensor ${fmtShape(this.shape)} was disposed and cannot be used`);
    return s;
  }

  ref(): Ref {
    return { s: this.storage(), off: this._offset };
  }

  isContiguous(): boolean {
    let expected = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this._strides[i] !== expected) return false;
      expected *= this.shape[i];
    }
    return true;
  }

  stride(): number[] {
    return [...this._strides];
  }

  /** A contiguous copy of the values as a typed array (Float32Array, Float64Array or Int32Array). */
  dataSync(): TypedArray {
    const n = this.numel();
    const s = this.storage();
    if (this.isContiguous()) {
      const v = s.view();
      return v.slice(this._offset, this._offset + n) as TypedArray;
    }
    const out = s.backend.alloc(s.type, n);
    try {
      s.backend.copy(this.ref(), this._strides, { s: out, off: 0 }, this.shape);
      return out.view().slice(0, n) as TypedArray;
    } finally {
      out.release();
    }
  }

  /**
   * Values as (nested) JS arrays, as deep as the tensor's rank; bool tensors give booleans. A 0-d tensor gives a
   * number. Typed `any`: the depth is known only at run time, so `t.toArray().map((v) => v.toFixed(3))` and
   * `t.toArray() as number[][]` both check; annotate (`as number[][]`) to have the values checked further.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the nesting depth is the run-time rank
  toArray(): any {
    const data = this.dataSync();
    const isBool = this.dtype === 'bool';
    const conv = (v: number): number | boolean => (isBool ? v !== 0 : v);
    if (this.ndim === 0) return conv(data[0]);
    let pos = 0;
    const build = (d: number): unknown[] => {
      const out: unknown[] = new Array(this.shape[d]);
      for (let i = 0; i < this.shape[d]; i++) out[i] = d === this.ndim - 1 ? conv(data[pos++]) : build(d + 1);
      return out;
    };
    return build(0);
  }

  /** The value of a one-element tensor as a JS number (booleans as 0/1). */
  item(): number {
    if (this.numel() !== 1) {
      throw new Error(`item: a Tensor with ${this.numel()} elements cannot be converted to a number (shape ${fmtShape(this.shape)})`);
    }
    return this.dataSync()[0];
  }

  /** Release the storage now (views sharing it become unusable). Safe to call twice. */
  dispose(): void {
    if (this._storage && !this._storage.released) this._storage.release();
  }

  /** Sets requiresGrad on a leaf; returns this (PyTorch's requires_grad_). */
  requiresGrad_(value = true): this {
    if (!this.isLeaf && !value) {
      throw new Error('requiresGrad_: you can only change requiresGrad flags of leaf tensors (use detach() instead)');
    }
    if (value && this.dtype !== 'float32' && this.dtype !== 'float64') {
      throw new Error(`requiresGrad_: only floating point tensors can require gradients (got ${this.dtype})`);
    }
    this.requiresGrad = value;
    return this;
  }

  /** Register a hook called with the gradient of this tensor; it may return a replacement gradient. */
  registerHook(fn: GradHook): { remove(): void } {
    if (!this.requiresGrad) throw new Error("registerHook: cannot register a hook on a tensor that doesn't require gradient");
    const list = this.gradFn ? (this.gradFn.hooks ??= []) : (this._hooks ??= []);
    list.push(fn);
    return { remove: () => void list.splice(list.indexOf(fn) >>> 0, 1) };
  }

  /** Keep .grad for this non-leaf tensor after backward (PyTorch's retain_grad). */
  retainGrad(): this {
    if (this.gradFn) this.gradFn.retained = this;
    return this;
  }
}

// Methods installed by ops/methods.ts (declaration merging keeps them typed).
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Tensor extends TensorMethods {}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

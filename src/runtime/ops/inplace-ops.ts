/**
 * The in-place tensor ops as functions (x.add_(y) is add_(x, y)): each writes x's storage, bumps its version
 * counter once and returns x. ops/methods.ts installs them as methods (marked so inplace.ts does not bump twice);
 * runtime code (optimizers, init, clipping) imports them, so the import graph shows the dependency.
 */
import type { Tensor } from '../tensor';
import { mode } from '../autograd/mode';
import { bumpVersion } from '../autograd/version';
import * as B from './basic';
import { expand } from './views';
import { broadcastStrides, castRaw, contig, fillRaw, isFloat } from './raw';
import { checkNoInternalOverlap, fillValue, writeStrided } from './strided-write';
import * as rng from '../random';
import { broadcastShapes } from '../shape';

type Operand = Tensor | number;

function checkInPlace(self: Tensor, op: string): void {
  if (mode.gradEnabled && self.requiresGrad) {
    throw new Error(
      self.isLeaf
        ? `${op}: a leaf tensor that requires grad is being used in an in-place operation; wrap it in noGrad(() => ...) or use .data`
        : `${op}: in-place operations on tensors inside the autograd graph are not supported; use the out-of-place form`,
    );
  }
  checkNoInternalOverlap(op, self);
}

/** Write `value` (broadcast to self's shape) into self's storage. */
function assignInPlace(self: Tensor, value: Tensor, op: string): Tensor {
  checkInPlace(self, op);
  let v = value.dtype === self.dtype ? value : castRaw(value, self.dtype);
  if (v.shape.length !== self.shape.length || v.shape.some((d, i) => d !== self.shape[i])) v = expand(B.detach(v), self.shape);
  if (!self.isContiguous())
    writeStrided(self, contig(v).dataSync()); // a view: write through to its base
  else if (self.numel() > 0) self.backend.copy(v.ref(), v._strides, self.ref(), self.shape);
  bumpVersion(self);
  return self;
}

function fromRandom(self: Tensor, vals: Float64Array): Tensor {
  if (mode.gradEnabled && self.requiresGrad && self.isLeaf)
    throw new Error('in-place random init of a leaf that requires grad: wrap it in noGrad(() => ...)');
  checkNoInternalOverlap('in-place random init', self);
  if (!self.isContiguous()) writeStrided(self, vals);
  else self.storage().view().set(vals, self._offset);
  bumpVersion(self);
  return self;
}

function inGradFree<T>(fn: () => T): T {
  const prev = mode.gradEnabled;
  mode.gradEnabled = false;
  try {
    return fn();
  } finally {
    mode.gradEnabled = prev;
  }
}

/**
 * x ∘= b computed straight into x's storage, with no temporary and no copy back (a third of the memory traffic):
 * for a contiguous float x and either a number (the `affine` kernel the out-of-place scalar op runs) or a tensor
 * of x's dtype and backend in other storage that broadcasts to x's shape (the same `binary` kernel). Each element
 * is read before it is written at the same index, so the aliasing is safe; anything else (promotion, `alpha`, a
 * view, b overlapping x) takes the general path. Results equal the out-of-place op's bit for bit (tested).
 */
function intoSelf(op: 'add' | 'sub' | 'mul' | 'div', x: Tensor, b: Operand, alpha: number | undefined): Tensor | null {
  if (alpha !== undefined && alpha !== 1) return null;
  if (!isFloat(x.dtype) || !x.isContiguous() || x.numel() === 0) return null;
  const be = x.backend;
  if (typeof b === 'number') {
    checkInPlace(x, `${op}_`);
    const [scale, shift] = op === 'mul' ? [b, 0] : op === 'div' ? [1 / b, 0] : [1, op === 'add' ? b : -b];
    be.unary('affine', x.ref(), x.ref(), x.numel(), scale, shift);
  } else {
    if (b.dtype !== x.dtype || b.backend !== be || b.storage() === x.storage()) return null;
    const shape = broadcastShapes(x.shape, b.shape, op);
    if (shape.length !== x.ndim || shape.some((d, i) => d !== x.shape[i])) return null;
    checkInPlace(x, `${op}_`);
    be.binary(op, x.ref(), x._strides, b.ref(), broadcastStrides(b, shape), x.ref(), shape);
  }
  bumpVersion(x);
  return x;
}

export const add_ = (x: Tensor, b: Operand, o?: { alpha?: number }): Tensor =>
  intoSelf('add', x, b, o?.alpha) ??
  assignInPlace(
    x,
    inGradFree(() => B.add(x, b, o)),
    'add_',
  );
export const sub_ = (x: Tensor, b: Operand, o?: { alpha?: number }): Tensor =>
  intoSelf('sub', x, b, o?.alpha) ??
  assignInPlace(
    x,
    inGradFree(() => B.sub(x, b, o)),
    'sub_',
  );
export const mul_ = (x: Tensor, b: Operand): Tensor =>
  intoSelf('mul', x, b, undefined) ??
  assignInPlace(
    x,
    inGradFree(() => B.mul(x, b)),
    'mul_',
  );
export const div_ = (x: Tensor, b: Operand): Tensor =>
  intoSelf('div', x, b, undefined) ??
  assignInPlace(
    x,
    inGradFree(() => B.div(x, b)),
    'div_',
  );
export const clamp_ = (x: Tensor, lo?: number | null, hi?: number | null): Tensor =>
  assignInPlace(
    x,
    inGradFree(() => B.clamp(x, lo, hi)),
    'clamp_',
  );
export const copy_ = (x: Tensor, src: Tensor): Tensor => assignInPlace(x, contig(src), 'copy_');
/** Every element set to `value` (a number, a boolean or a 0-d tensor), also through a view. */
export function fill_(x: Tensor, value: number | boolean | Tensor): Tensor {
  checkInPlace(x, 'fill_');
  const v = fillValue('fill_', value);
  if (x.isContiguous()) fillRaw(x, v);
  else writeStrided(x, v);
  bumpVersion(x);
  return x;
}
export const zero_ = (x: Tensor): Tensor => fill_(x, 0);
export const uniform_ = (x: Tensor, lo = 0, hi = 1): Tensor =>
  fromRandom(x, rng.uniform(x.numel(), lo, hi, x.dtype === 'float32' ? 'float32' : 'float64'));
export const normal_ = (x: Tensor, m = 0, s = 1): Tensor => fromRandom(x, rng.normal(x.numel(), m, s));

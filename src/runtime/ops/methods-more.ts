/**
 * Tensor methods beyond ops/methods.ts: advanced-index helpers (maskedFill, maskedSelect, nonzero), devices
 * (.to('cpu'), .cpu(), .device), the version counter, and the version bump of every in-place method.
 */
import type { DType } from '../backend/types';
import { Tensor } from '../tensor';
import { cast } from './basic';
import { maskedFill, maskedSelect } from './indexing';
import { nonzero } from './nonzero';
import { checkDevice, dtypeOf, isDeviceName } from './device';
import { versionOf } from '../autograd/version';
import { installVersionBumps } from './inplace';
import { sort, argsort, topk } from './sorting';
import { repeat, tile, all, any, addcmul, addcdiv, viewAs } from './more';
import type { ValuesIndices } from './reduce';

type Shape = Array<number | readonly number[]>;

declare module '../tensor' {
  interface Tensor {
    maskedFill(mask: Tensor, value: number | Tensor): Tensor;
    maskedFill_(mask: Tensor, value: number | Tensor): Tensor;
    maskedSelect(mask: Tensor): Tensor;
    nonzero(opts?: { asTuple?: boolean }): Tensor | Tensor[];
    /** .to(dtype), .to('cpu'), .to('cpu', dtype), .to(otherTensor), .to({dtype, device}): PyTorch's Tensor.to. */
    to(...args: Array<DType | string | Tensor | { dtype?: DType | string; device?: string; copy?: boolean }>): Tensor;
    cpu(): Tensor;
    cuda(device?: unknown): Tensor;
    /** Always 'cpu' (Layerwise computes on the CPU). */
    readonly device: 'cpu';
    /** PyTorch's _version: bumped by every in-place op on this tensor's storage. */
    readonly _version: number;
    sort(dim?: number | { dim?: number; descending?: boolean; stable?: boolean }, descending?: boolean | { stable?: boolean }): ValuesIndices;
    argsort(dim?: number | { dim?: number; descending?: boolean; stable?: boolean }, descending?: boolean): Tensor;
    topk(k: number | { k: number; dim?: number; largest?: boolean; sorted?: boolean }, dim?: number | object, largest?: boolean | object, sorted?: boolean | object): ValuesIndices;
    repeat(...sizes: Shape): Tensor;
    tile(...dims: Shape): Tensor;
    all(dim?: number | { dim?: number; keepdim?: boolean }, keepdim?: boolean | object): Tensor;
    any(dim?: number | { dim?: number; keepdim?: boolean }, keepdim?: boolean | object): Tensor;
    addcmul(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor;
    addcdiv(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor;
    addcmul_(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor;
    addcdiv_(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor;
    viewAs(other: Tensor): Tensor;
    /** int32 (Layerwise's integer dtype stands for PyTorch's int64). */
    long(): Tensor;
  }
}

function to(this: Tensor, ...args: unknown[]): Tensor {
  let dtype: DType | undefined;
  let copy = false;
  const setDtype = (d: DType): void => {
    if (dtype !== undefined && dtype !== d) throw new Error(`to: dtype given twice (${dtype} and ${d})`);
    dtype = d;
  };
  for (const a of args) {
    if (a instanceof Tensor) setDtype(a.dtype);
    else if (typeof a === 'string') {
      const d = dtypeOf(a);
      if (d) setDtype(d);
      else if (isDeviceName(a)) checkDevice('to', a);
      else throw new Error(`to: '${a}' is neither a dtype (float32, float64, int32, bool, int64/long → int32) nor a device ('cpu')`);
    } else if (a && typeof a === 'object') {
      for (const [k, v] of Object.entries(a)) {
        if (k === 'dtype') setDtype(dtypeOf(String(v)) ?? (() => { throw new Error(`to: unknown dtype '${String(v)}'`); })());
        else if (k === 'device') checkDevice('to', v);
        else if (k === 'copy') copy = Boolean(v);
        else if (k === 'nonBlocking' || k === 'non_blocking') continue; // transfers are synchronous on the CPU: no effect to lose
        else throw new Error(`to: unknown option '${k}'; valid options are 'dtype', 'device', 'copy', 'nonBlocking'`);
      }
    } else if (a !== undefined) throw new Error(`to: unsupported argument ${String(a)}`);
  }
  const out = dtype === undefined ? this : cast(this, dtype);
  return copy && out === this ? this.clone() : out;
}

const methods: Record<string, unknown> = {
  maskedFill(this: Tensor, m: Tensor, v: number | Tensor) { return maskedFill(this, m, v); },
  maskedFill_(this: Tensor, m: Tensor, v: number | Tensor) { return this.copy_(maskedFill(this.detach(), m, v instanceof Tensor ? v.detach() : v)); },
  maskedSelect(this: Tensor, m: Tensor) { return maskedSelect(this, m); },
  nonzero(this: Tensor, o?: { asTuple?: boolean }) { return nonzero(this, o); },
  to,
  cpu(this: Tensor) { return this; },
  sort(this: Tensor, ...a: unknown[]) { return sort(this, ...a); },
  argsort(this: Tensor, ...a: unknown[]) { return argsort(this, ...a); },
  topk(this: Tensor, ...a: unknown[]) { return topk(this, ...a); },
  repeat(this: Tensor, ...s: Shape) { return repeat(this, ...s); },
  tile(this: Tensor, ...s: Shape) { return tile(this, ...s); },
  all(this: Tensor, ...a: unknown[]) { return all(this, ...a); },
  any(this: Tensor, ...a: unknown[]) { return any(this, ...a); },
  addcmul(this: Tensor, a: Tensor, b: Tensor, o?: object) { return addcmul(this, a, b, o); },
  addcdiv(this: Tensor, a: Tensor, b: Tensor, o?: object) { return addcdiv(this, a, b, o); },
  addcmul_(this: Tensor, a: Tensor, b: Tensor, o?: object) { return this.copy_(addcmul(this.detach(), a.detach(), b.detach(), o)); },
  addcdiv_(this: Tensor, a: Tensor, b: Tensor, o?: object) { return this.copy_(addcdiv(this.detach(), a.detach(), b.detach(), o)); },
  viewAs(this: Tensor, o: Tensor) { return viewAs(this, o); },
  long(this: Tensor) { return cast(this, 'int32'); },
  cuda(this: Tensor, device?: unknown) { checkDevice('cuda', device === undefined ? 'cuda' : `cuda:${String(device)}`); return this; },
};

let installed = false;
export function installMoreMethods(): void {
  if (installed) return;
  installed = true;
  for (const [k, f] of Object.entries(methods)) {
    Object.defineProperty(Tensor.prototype, k, { value: f, writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(Tensor.prototype, 'device', { get() { return 'cpu'; }, configurable: true });
  Object.defineProperty(Tensor.prototype, '_version', { get(this: Tensor) { return versionOf(this); }, configurable: true });
  installVersionBumps();
}
installMoreMethods();

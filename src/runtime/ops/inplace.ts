/**
 * Every in-place tensor method (name ending in '_', e.g. add_, mul_, fill_, copy_, uniform_) bumps the version
 * counter of the storage it wrote, so backward can detect values changed after the forward pass (version.ts).
 * Installed over the methods of ops/methods.ts and any later in-place method, in one place.
 */
import { Tensor } from '../tensor';
import { bumpVersion } from '../autograd/version';

const NOT_DATA_WRITES = new Set(['requiresGrad_']);
const wrapped = new WeakSet<object>();

/** Mark an in-place method that bumps the version itself (ops/inplace-ops.ts), so it is not wrapped again. */
export function bumpsItself<F extends object>(fn: F): F {
  wrapped.add(fn);
  return fn;
}

export function installVersionBumps(): void {
  const proto = Tensor.prototype as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (!name.endsWith('_') || NOT_DATA_WRITES.has(name)) continue;
    const desc = Object.getOwnPropertyDescriptor(proto, name);
    const fn = desc?.value;
    if (typeof fn !== 'function' || wrapped.has(fn)) continue;
    const bumping = function (this: Tensor, ...args: unknown[]): unknown {
      const r = (fn as (...a: unknown[]) => unknown).apply(this, args);
      bumpVersion(this);
      return r;
    };
    wrapped.add(bumping);
    Object.defineProperty(proto, name, { ...desc, value: bumping });
  }
}

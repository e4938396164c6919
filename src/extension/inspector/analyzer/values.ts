/** The analyser's values besides plain JS ones and the runtime's meta modules/tensors. */
import type { Module, RT } from './runtime';

/** A value not known before running, with the reason shown in the hover. */
export class Unknown {
  constructor(readonly reason: string) {}
}

/** The runtime refused a construction (e.g. `Conv2d: stride must be ...`): shown as ✗ on that expression. */
export class Failure {
  constructor(readonly message: string) {}
}

/** Thrown inside an interpreted forward() when a value is not known: summary stops there, later shapes are `?`. */
export class UnknownSignal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export const isUnknown = (v: unknown): v is Unknown => v instanceof Unknown;

const placeholders = new WeakMap<object, string>();

/** A module standing for one the Draft cannot build (non-literal arguments, an unknown class): `?` in the tree. */
export function placeholder(rt: RT, type: string, reason: string): Module {
  const C = class extends rt.nn.Module {
    forward(): never {
      throw new UnknownSignal(reason);
    }
  };
  Object.defineProperty(C, 'name', { value: type });
  const m = new C();
  placeholders.set(m, reason);
  return m;
}

/** The reason a module is a placeholder, or undefined for a real one. */
export const placeholderReason = (m: object): string | undefined => placeholders.get(m);

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** A literal shape ([1, 3, 224, 224]) or undefined. */
export function literalShape(v: unknown): number[] | undefined {
  return Array.isArray(v) && v.length > 0 && v.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)
    ? (v as number[])
    : undefined;
}

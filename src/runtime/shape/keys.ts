/** Option-key checking for the shape functions (pure: imports only the argument normaliser). */
import { snakeCase } from '../args';

/** An options object's keys, camelCase or PyTorch's snake_case (`ceil_mode`); an unknown key throws listing the valid ones. */
export function checkKeys<T extends object>(op: string, opts: T | undefined | null, keys: readonly string[]): T {
  if (opts === undefined || opts === null) return {} as T;
  if (typeof opts !== 'object' || Array.isArray(opts)) throw new TypeError(`${op}: expected an options object, got ${JSON.stringify(opts)}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts)) {
    const key = keys.find((c) => c === k || snakeCase(c) === k);
    if (key === undefined) throw new Error(`${op}: unknown option '${k}'; valid options are ${keys.join(', ')}`);
    if (key in out) throw new Error(`${op}: option '${key}' given twice (as '${k}' and its other spelling)`);
    out[key] = v;
  }
  return out as T;
}

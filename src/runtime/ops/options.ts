/**
 * Interim option-object check for the signatures this module's callers own: unknown keys throw and list the
 * valid ones; PyTorch's snake_case spellings are accepted as aliases. (Replaced by src/runtime/args.ts.)
 */
/**
 * An options type plus the PyTorch spellings takeOptions accepts for it, typed from the same alias map:
 * `Aliased<{ batchSize?: number }, { batch_size: 'batchSize' }>` also has `batch_size?: number`.
 */
export type Aliased<O, A extends Readonly<Record<string, string>>> = O & { [K in keyof A]?: A[K] extends keyof O ? O[A[K]] : never };

export function takeOptions<T extends object>(op: string, opts: T | undefined, keys: readonly string[], aliases: Record<string, string> = {}): T {
  if (opts === undefined || opts === null) return {} as T;
  if (typeof opts !== 'object' || Array.isArray(opts)) throw new TypeError(`${op}: expected an options object, got ${JSON.stringify(opts)}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts)) {
    const key = aliases[k] ?? k;
    if (!keys.includes(key)) {
      throw new Error(`${op}: unknown option '${k}'; valid options are ${keys.map((x) => `'${x}'`).join(', ')}`);
    }
    if (key in out) throw new Error(`${op}: option '${key}' given twice (as '${k}' and its other spelling)`);
    out[key] = v;
  }
  return out as T;
}

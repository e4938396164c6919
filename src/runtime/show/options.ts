/** Option objects of the lesson views: an unknown key is a typo the user must hear about, not an ignored wish. */
export function checkOptions<T extends object>(fn: string, opts: T | undefined, valid: readonly string[]): T {
  if (opts == null) return {} as T;
  if (typeof opts !== 'object' || Array.isArray(opts)) throw new Error(`${fn}: options must be an object, got ${Array.isArray(opts) ? 'an array' : typeof opts}`);
  const unknown = Object.keys(opts).filter((k) => !valid.includes(k));
  if (unknown.length) {
    throw new Error(`${fn}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; valid options: ${valid.join(', ')}`);
  }
  return opts;
}

/** Extra arguments a view has no use for (an options object it does not take, a typo'd call): an error, not ignored. */
export function noMoreArgs(fn: string, takes: number, rest: readonly unknown[]): void {
  if (rest.some((v) => v !== undefined)) throw new Error(`${fn}: takes at most ${takes} argument${takes === 1 ? '' : 's'}, got ${takes + rest.length}`);
}

/** A finite [lo, hi] with lo < hi, or a clear error naming the view and the option. */
export function checkRange(fn: string, name: string, r: unknown): [number, number] {
  if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => typeof v === 'number' && Number.isFinite(v)) || r[0] >= r[1]) {
    throw new Error(`${fn}: ${name} must be [lo, hi] with finite lo < hi, got ${JSON.stringify(r)}`);
  }
  return [r[0], r[1]];
}

/** Short, stable number formatting for text fallbacks (6 significant digits, no trailing zeros). */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) return String(Number(v.toPrecision(6)));
  return v.toExponential(4);
}

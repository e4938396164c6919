/**
 * One argument normaliser for every public signature: PyTorch's positional order, an optional trailing options
 * object, PyTorch's snake_case spellings as aliases of the camelCase names, and clear errors for everything else.
 *
 * ```ts
 * const sig = signature('MaxPool2d', {
 *   kernelSize: { kind: kinds.intOrPair, required: true },
 *   stride: { kind: nullable(kinds.intOrPair), default: null },
 *   ceilMode: { kind: kinds.boolean, default: false },   // also accepts ceil_mode
 * });
 * sig.parse([3, 2]);                  // { kernelSize: 3, stride: 2, ceilMode: false }
 * sig.parse([3, { ceil_mode: true }]); // { kernelSize: 3, stride: null, ceilMode: true }
 * ```
 *
 * Errors name the signature and the argument: unknown option (listing the valid ones), given twice (positionally
 * and by option, or under both spellings), required missing (`SGD: lr is required`), wrong type
 * (`Conv2d: stride must be a positive integer or a pair, got "2"`), too many positional arguments.
 */

/** What a value must be: a description for error messages and a test. */
export interface Kind<T> {
  readonly expected: string;
  readonly test: (v: unknown) => boolean;
  /** Phantom field carrying T for the types; never set. */
  readonly __type?: T;
}

export function kind<T>(expected: string, test: (v: unknown) => boolean): Kind<T> {
  return { expected, test };
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isPair = (v: unknown, el: (x: unknown) => boolean): boolean => Array.isArray(v) && v.length === 2 && v.every(el);
const posInt = (v: unknown): boolean => isInt(v) && v > 0;
const nonNegInt = (v: unknown): boolean => isInt(v) && v >= 0;

/** The value kinds the public API uses; compose more with {@link kind}, {@link nullable}, {@link oneOf}, {@link either}. */
export const kinds = {
  number: kind<number>('a finite number', (v) => typeof v === 'number' && Number.isFinite(v)),
  positiveNumber: kind<number>('a positive number', (v) => typeof v === 'number' && Number.isFinite(v) && v > 0),
  nonNegativeNumber: kind<number>('a non-negative number', (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0),
  probability: kind<number>('a probability in [0, 1]', (v) => typeof v === 'number' && v >= 0 && v <= 1),
  integer: kind<number>('an integer', isInt),
  positiveInt: kind<number>('a positive integer', posInt),
  nonNegativeInt: kind<number>('a non-negative integer', nonNegInt),
  boolean: kind<boolean>('a boolean', (v) => typeof v === 'boolean'),
  string: kind<string>('a string', (v) => typeof v === 'string'),
  function: kind<(...a: never[]) => unknown>('a function', (v) => typeof v === 'function'),
  /** kernel size, stride, dilation: `3` or `[3, 3]`. */
  intOrPair: kind<number | [number, number]>('a positive integer or a pair', (v) => posInt(v) || isPair(v, posInt)),
  /** padding: `1` or `[1, 2]`. */
  nonNegIntOrPair: kind<number | [number, number]>('a non-negative integer or a pair', (v) => nonNegInt(v) || isPair(v, nonNegInt)),
  /** an integer dimension (negative counts from the end). */
  dim: kind<number>('an integer dimension', isInt),
  shape: kind<number[]>('a shape (array of non-negative integers)', (v) => Array.isArray(v) && v.every(nonNegInt)),
} as const;

export function nullable<T>(k: Kind<T>): Kind<T | null> {
  return kind<T | null>(`${k.expected} or null`, (v) => v === null || k.test(v));
}

export function oneOf<const V extends readonly (string | number | boolean)[]>(...values: V): Kind<V[number]> {
  return kind<V[number]>(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, (v) => values.includes(v as V[number]));
}

export function either<A, B>(a: Kind<A>, b: Kind<B>): Kind<A | B> {
  return kind<A | B>(`${a.expected} or ${b.expected}`, (v) => a.test(v) || b.test(v));
}

/** One parameter: its kind, its default (omit for "undefined when not given"), whether it is required. */
export interface ParamSpec<T = unknown> {
  readonly kind: Kind<T>;
  readonly default?: T;
  readonly required?: boolean;
  /** Keyword-only (after PyTorch's `*`): not accepted positionally. */
  readonly keywordOnly?: boolean;
  /** Extra spellings besides the automatic snake_case one (e.g. PyTorch's `T_max` for `tMax`). */
  readonly aliases?: readonly string[];
}

export type Params = Readonly<Record<string, ParamSpec<any>>>; // eslint-disable-line @typescript-eslint/no-explicit-any

type KindOf<P> = P extends ParamSpec<infer T> ? T : never;
type Definite<P> = P extends { required: true } ? true : P extends { default: unknown } ? true : false;

/** The normalised object `parse` returns: defaults filled in, aliases folded into the camelCase names. */
export type Parsed<S extends Params> = {
  -readonly [K in keyof S]: Definite<S[K]> extends true ? KindOf<S[K]> : KindOf<S[K]> | undefined;
};

type Snake<S extends string> = S extends `${infer C}${infer R}` ? `${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}${Snake<R>}` : S;

type ExtraAliases<P> = P extends { aliases: readonly (infer A)[] } ? (A extends string ? A : never) : never;

/**
 * The options object: every parameter optional, under its camelCase name, its snake_case spelling, or an extra
 * PyTorch spelling listed in `aliases` (`T_max`), so a cell pasted with PyTorch's keyword names type-checks.
 */
export type OptionsOf<S extends Params> = { [K in keyof S & string]?: KindOf<S[K]> } & {
  [K in keyof S & string as Snake<K> extends K ? never : Snake<K>]?: KindOf<S[K]>;
} & { [K in keyof S & string as ExtraAliases<S[K]>]?: KindOf<S[K]> };

type Prefixes<T extends unknown[]> = T extends [...infer H, unknown] ? Prefixes<H> | T : T;

/**
 * Every PyTorch call form as a union of labelled tuples (hovers show one signature per form): the required
 * positionals `Req`, any prefix of the optional positionals `Opt`, then an optional options object `O`; or a
 * prefix of `Req` and an options object naming the rest (checked at run time: `Conv2d: kernelSize is required`).
 * ```ts
 * constructor(...args: CallForms<[inFeatures: number, outFeatures: number], [bias: boolean], LinearOptions>)
 * ```
 */
export type CallForms<Req extends unknown[], Opt extends unknown[], O> =
  | (Prefixes<Opt> extends infer P ? (P extends unknown[] ? [...Req, ...P, options?: O] : never) : never)
  | (ProperPrefixes<Req> extends infer P ? (P extends unknown[] ? [...P, options: O & object] : never) : never);

/**
 * The proper prefixes of the required positionals: PyTorch's keyword form of a required argument
 * (`nn.Conv2d(1, 6, kernel_size=5)` → `new nn.Conv2d(1, 6, {kernel_size: 5})`); parse() still requires it.
 */
type ProperPrefixes<T extends unknown[]> = T extends [...infer H, unknown] ? Prefixes<H> : never;

/** camelCase → snake_case (`ceilMode` → `ceil_mode`). */
export const snakeCase = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A plain object literal (not an array, tensor, or other class instance): the trailing options object. */
export function isOptionsObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `[${v.map(describeValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const ctor = Object.getPrototypeOf(v)?.constructor?.name;
    return ctor && ctor !== 'Object' ? `a ${ctor}` : (JSON.stringify(v) ?? String(v));
  }
  return String(v);
}

export interface Signature<S extends Params> {
  readonly name: string;
  readonly params: S;
  /** Parameter names accepted positionally, in PyTorch's order. */
  readonly positional: readonly (keyof S & string)[];
  /** Normalise a call's arguments (positionals, then an optional options object). */
  parse(args: readonly unknown[]): Parsed<S>;
  /** Normalise an options object alone (every parameter given by name). */
  parseOptions(options: Record<string, unknown> | undefined): Parsed<S>;
}

/**
 * Describe a signature. Positional order is the declaration order of `params` (minus `keywordOnly` ones).
 * `name` prefixes every error (`Conv2d`, `SGD`, `F.softmax`).
 */
export function signature<const S extends Params>(name: string, params: S): Signature<S> {
  const keys = Object.keys(params) as (keyof S & string)[];
  const positional = keys.filter((k) => !params[k].keywordOnly);
  const spelling = new Map<string, keyof S & string>();
  for (const k of keys) {
    spelling.set(k, k);
    spelling.set(snakeCase(k), k);
    for (const a of params[k].aliases ?? []) spelling.set(a, k);
  }
  const valid = (): string => {
    const snakes = keys.map(snakeCase).filter((s, i) => s !== keys[i]);
    return `${keys.join(', ')}${snakes.length ? ` (or ${snakes.join(', ')})` : ''}`;
  };

  const finish = (given: Map<keyof S & string, unknown>): Parsed<S> => {
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const p = params[k];
      const v = given.get(k);
      if (v === undefined) {
        if (p.required) throw new Error(`${name}: ${k} is required`);
        out[k] = p.default;
        continue;
      }
      if (!p.kind.test(v)) throw new Error(`${name}: ${k} must be ${p.kind.expected}, got ${describeValue(v)}`);
      out[k] = v;
    }
    return out as Parsed<S>;
  };

  const addOptions = (given: Map<keyof S & string, unknown>, from: Map<string, string>, opts: Record<string, unknown>): void => {
    for (const [key, v] of Object.entries(opts)) {
      const k = spelling.get(key);
      if (k === undefined) throw new Error(`${name}: unknown option '${key}'; valid options are ${valid()}`);
      if (v === undefined) continue;
      const before = from.get(k);
      if (before !== undefined) {
        throw new Error(
          before === 'positional'
            ? `${name}: ${k} given twice (positionally and as option '${key}')`
            : `${name}: ${k} given twice (as '${before}' and '${key}')`,
        );
      }
      from.set(k, key);
      given.set(k, v);
    }
  };

  return {
    name,
    params,
    positional,
    parse(args) {
      let n = args.length;
      while (n > 0 && args[n - 1] === undefined) n--;
      const last = n > 0 ? args[n - 1] : undefined;
      const opts = isOptionsObject(last) ? last : undefined;
      const pos = opts ? n - 1 : n;
      if (pos > positional.length) {
        throw new Error(
          `${name}: takes at most ${positional.length} positional argument${positional.length === 1 ? '' : 's'} (${positional.join(', ')}), got ${pos}`,
        );
      }
      const given = new Map<keyof S & string, unknown>();
      const from = new Map<string, string>();
      for (let i = 0; i < pos; i++) {
        if (args[i] === undefined) continue;
        given.set(positional[i], args[i]);
        from.set(positional[i], 'positional');
      }
      if (opts) addOptions(given, from, opts);
      return finish(given);
    },
    parseOptions(options) {
      if (options !== undefined && !isOptionsObject(options)) {
        throw new Error(`${name}: options must be an object, got ${describeValue(options)}`);
      }
      const given = new Map<keyof S & string, unknown>();
      if (options) addOptions(given, new Map(), options);
      return finish(given);
    },
  };
}

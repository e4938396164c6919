/**
 * nn.Module: PyTorch's module semantics in TypeScript. Instances are callable (model(x) runs hooks + forward).
 * Parameters, sub-modules and buffers are discovered from the instance's own fields in declaration order
 * (no __setattr__ magic needed): a Parameter field is a parameter, a Module field a child, an array of Modules
 * (ModuleList) children named 0, 1, ...; buffers are registered with registerBuffer().
 */
import { Tensor } from '../tensor';
import { noGrad } from '../autograd/mode';
import { callWithFullBackwardHook } from '../autograd/backward-hook';
import { checkStateDict } from './state-dict-check';
import { detach, cast } from '../ops/basic';
import { copy_, zero_ } from '../ops/inplace-ops';

export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data._storage, data.shape, data.dtype, data._strides, data._offset);
    this.requiresGrad = requiresGrad;
  }
}

export type ForwardHook = (module: Module, input: unknown[], output: unknown) => unknown;
/** May return replacement inputs: an array of them, or a single value (PyTorch: a non-tuple is the one input). */
export type ForwardPreHook = (module: Module, input: unknown[]) => unknown;
/** May return replacement gradients w.r.t. the module's tensor inputs (PyTorch's grad_input). */
export type BackwardHook = (module: Module, gradInput: Array<Tensor | null>, gradOutput: Array<Tensor | null>) => Array<Tensor | null> | void;

/** The last non-Tensor value a forward hook returned in place of a module's output (for a clear error downstream). */
let lastHookOutput: { value: unknown; hook: string; module: string } | null = null;

/** forward(...a); if it fails on an input that a forward hook returned in place of an output, the error says so. */
function forwardNaming(m: Module, a: unknown[]): unknown {
  try {
    return m.forward(...a);
  } catch (e) {
    const h = lastHookOutput;
    if (!h || !a.some((v) => v === h.value)) throw e;
    const what = typeof h.value === 'string' ? `the string ${JSON.stringify(h.value).slice(0, 40)}` : `a ${typeof h.value} (${String(h.value).slice(0, 40)})`;
    throw new TypeError(`${m.constructor.name}: its input is ${what} that the forward hook '${h.hook}' of ${h.module} returned; ` +
      "a forward hook's return value replaces the module's output (as in PyTorch) — return nothing (undefined) to keep the output. " +
      `(${(e as Error).message})`, { cause: e });
  }
}

/**
 * PyTorch's add_module checks: a string, no '.', not empty, not an existing attribute (unless it is the name of a
 * child being replaced), and an nn.Module.
 */
export function checkModuleName(op: string, owner: object, name: unknown, m: unknown, replacing: boolean): void {
  if (typeof name !== 'string') throw new TypeError(`${op}: module name should be a string. Got ${typeof name}`);
  if (name.includes('.')) throw new Error(`${op}: module name can't contain ".", got: ${name}`);
  if (name === '') throw new Error(`${op}: module name can't be empty string ""`);
  if (!replacing && name in owner) throw new Error(`${op}: attribute '${name}' already exists`);
  if (!(m instanceof Module)) throw new TypeError(`${op}: ${m === null ? 'null' : typeof m} is not a Module subclass (registering '${name}')`);
}

interface HookHandle {
  remove(): void;
}

/** PyTorch spells buffers in snake_case: runningMean → running_mean, numBatchesTracked → num_batches_tracked. */
const torchBufferName = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const RESERVED = new Set(['training', '_buffers', '_nonPersistent', '_forwardHooks', '_forwardPreHooks', '_backwardHooks', 'inputShape', 'constructedAt']);

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Module {
  /**
   * Modules are callable: `model(x)` runs hooks + forward. Typed from the receiver's own `forward` (`this` is the
   * concrete class at each call site): `nn.Linear`, `nn.Sequential` and every zoo model map Tensor → Tensor, a user
   * subclass gets its forward's parameters and inferred result (tuples included), and a value typed only as
   * `Module` keeps the base signature (any arguments, `any` result).
   */
  (...args: Parameters<this['forward']>): ReturnType<this['forward']>;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class Module {
  // Base-class state is assigned in the constructor onto the callable object it returns (field initialisers of a
  // base class would land on the discarded `this`), hence `declare`.
  declare training: boolean;
  /** Declared input shape (e.g. [1, 3, 224, 224]) used by the layer tree when no forward pass has run. */
  declare inputShape: number[] | undefined;
  /** Where the module was constructed ("file:line:col"), for "reveal in editor". */
  declare constructedAt: string | undefined;
  declare _buffers: Map<string, Tensor | null>;
  declare _nonPersistent: Set<string>;
  declare _forwardHooks: ForwardHook[];
  declare _forwardPreHooks: ForwardPreHook[];
  declare _backwardHooks: BackwardHook[];

  constructor() {
    // Return a callable function object with this class's prototype: subclass fields land on it.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const fn: any = function (...args: unknown[]) {
      return (fn as Module).call(...args);
    };
    Object.setPrototypeOf(fn, new.target.prototype);
    delete fn.length; // a function's own `length` would shadow Sequential.length & co.
    Object.defineProperty(fn, 'name', { value: new.target.name, writable: true, configurable: true, enumerable: false });
    const stack = new Error().stack?.split('\n').slice(2) ?? [];
    const site = stack.find((l) => !/[\\/]runtime[\\/]|runtime\.js|node:internal/.test(l));
    const hidden = (k: string, v: unknown): void => void Object.defineProperty(fn, k, { value: v, writable: true, enumerable: false, configurable: true });
    hidden('training', true);
    hidden('inputShape', undefined);
    hidden('constructedAt', site?.trim().replace(/^at\s+/, ''));
    hidden('_buffers', new Map());
    hidden('_nonPersistent', new Set());
    hidden('_forwardHooks', []);
    hidden('_forwardPreHooks', []);
    hidden('_backwardHooks', []);
    return fn;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  abstract forward(...args: any[]): any;

  /** Runs pre-hooks, forward, forward hooks and wires full backward hooks. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(...args: any[]): any {
    for (const h of this._forwardPreHooks) {
      const r: unknown = h(this, args);
      // PyTorch: a non-None return replaces the input; a non-tuple is the single input
      if (r !== undefined && r !== null) args = Array.isArray(r) ? r : [r];
    }
    const runForward = (a: unknown[]): unknown => {
      let out = forwardNaming(this, a);
      for (const h of this._forwardHooks) {
        const r = h(this, a, out);
        // PyTorch: any non-None return (of any type) replaces the output; undefined/null keep it
        if (r !== undefined && r !== null) {
          out = r;
          lastHookOutput = r instanceof Tensor ? null : { value: r, hook: h.name || 'an anonymous function', module: this.constructor.name };
        }
      }
      return out;
    };
    if (this._backwardHooks.length === 0) return runForward(args);
    // the hooks' returned grad_input replaces the input gradients (autograd/backward-hook.ts)
    return callWithFullBackwardHook(this.constructor.name, args, runForward, (gIn, gOut) => {
      let cur = gIn;
      for (const h of this._backwardHooks) {
        const r = h(this, cur, gOut);
        if (r) cur = r;
      }
      return cur;
    });
  }

  registerForwardHook(fn: ForwardHook): HookHandle {
    this._forwardHooks.push(fn);
    return { remove: () => void this._forwardHooks.splice(this._forwardHooks.indexOf(fn) >>> 0, 1) };
  }

  registerForwardPreHook(fn: ForwardPreHook): HookHandle {
    this._forwardPreHooks.push(fn);
    return { remove: () => void this._forwardPreHooks.splice(this._forwardPreHooks.indexOf(fn) >>> 0, 1) };
  }

  registerFullBackwardHook(fn: BackwardHook): HookHandle {
    this._backwardHooks.push(fn);
    return { remove: () => void this._backwardHooks.splice(this._backwardHooks.indexOf(fn) >>> 0, 1) };
  }

  /**
   * PyTorch's add_module: registers `m` as the child `name` (a field, so `this[name]`, parameters() and stateDict()
   * see it as `name.weight`, ...). Names are checked as PyTorch does.
   */
  addModule(name: string, m: Module): void {
    const own = Object.prototype.propertyIsEnumerable.call(this, name) && (this as unknown as Record<string, unknown>)[name] instanceof Module;
    checkModuleName(`${this.constructor.name}.addModule`, this, name, m, own);
    Object.defineProperty(this, name, { value: m, enumerable: true, writable: true, configurable: true });
  }

  /** PyTorch's register_module, an alias of addModule. */
  registerModule(name: string, m: Module): void {
    this.addModule(name, m);
  }

  registerBuffer(name: string, t: Tensor | null, opts: { persistent?: boolean } = {}): void {
    this._buffers.set(name, t);
    if (opts.persistent === false) this._nonPersistent.add(name);
    Object.defineProperty(this, name, {
      get: () => this._buffers.get(name) ?? null,
      set: (v: Tensor | null) => void this._buffers.set(name, v),
      enumerable: false,
      configurable: true,
    });
  }

  /** Own fields in declaration order: [name, value]. */
  private ownEntries(): Array<[string, unknown]> {
    return Object.entries(this).filter(([k]) => !RESERVED.has(k) && !k.startsWith('_'));
  }

  *namedChildren(): Generator<[string, Module]> {
    for (const [k, v] of this.ownEntries()) {
      if (v instanceof Module) yield [k, v];
      else if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (v[i] instanceof Module) yield [`${k}.${i}`, v[i] as Module];
      }
    }
  }

  children(): Module[] {
    return [...this.namedChildren()].map(([, m]) => m);
  }

  *namedModules(prefix = '', seen: Set<Module> = new Set()): Generator<[string, Module]> {
    if (seen.has(this)) return;
    seen.add(this);
    yield [prefix, this];
    for (const [k, m] of this.namedChildren()) yield* m.namedModules(prefix ? `${prefix}.${k}` : k, seen);
  }

  modules(): Module[] {
    return [...this.namedModules()].map(([, m]) => m);
  }

  *namedParameters(prefix = '', recurse = true): Generator<[string, Parameter]> {
    const seen = new Set<Tensor>();
    const mods: Array<[string, Module]> = recurse ? [...this.namedModules(prefix)] : [[prefix, this]];
    for (const [mp, m] of mods) {
      for (const [k, v] of m.ownEntries()) {
        if (v instanceof Parameter && !seen.has(v)) {
          seen.add(v);
          yield [mp ? `${mp}.${k}` : k, v];
        }
      }
    }
  }

  parameters(recurse = true): Parameter[] {
    return [...this.namedParameters('', recurse)].map(([, p]) => p);
  }

  *namedBuffers(prefix = ''): Generator<[string, Tensor]> {
    for (const [mp, m] of this.namedModules(prefix)) {
      for (const [k, v] of m._buffers) if (v) yield [mp ? `${mp}.${k}` : k, v];
    }
  }

  buffers(): Tensor[] {
    return [...this.namedBuffers()].map(([, b]) => b);
  }

  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (setToNone) p.grad = null;
      else if (p.grad) noGrad(() => p.grad && zero_(p.grad));
    }
  }

  requiresGrad_(on = true): this {
    for (const p of this.parameters()) p.requiresGrad = on;
    return this;
  }

  /** Apply fn to every submodule (children first) and self, like PyTorch's apply. */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** Extra text shown inside the parentheses of toString(), e.g. "3, 64, kernelSize=[3, 3]". */
  extraRepr(): string {
    return '';
  }

  toString(): string {
    const kids = [...this.namedChildren()];
    const extra = this.extraRepr();
    if (kids.length === 0) return `${this.constructor.name}(${extra})`;
    const lines = kids.map(([k, m]) => `  (${k}): ${String(m).split('\n').join('\n  ')}`);
    return `${this.constructor.name}(${extra ? extra + '\n' : '\n'}${lines.join('\n')}\n)`;
  }

  /**
   * PyTorch's state_dict: module by module (depth first), its own parameters then its persistent buffers, with
   * buffers under PyTorch's snake_case names (runningMean → running_mean) so keys match torch's exactly.
   */
  stateDict(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [mp, m] of this.namedModules()) {
      const key = (k: string): string => (mp ? `${mp}.${k}` : k);
      for (const [k, v] of m.ownEntries()) if (v instanceof Parameter) out.set(key(k), detach(v));
      for (const [k, v] of m._buffers) if (v && !m._nonPersistent.has(k)) out.set(key(torchBufferName(k)), detach(v));
    }
    return out;
  }

  /** Copies values from a state dict; with strict (default), missing or unexpected keys and shape mismatches throw. */
  loadStateDict(sd: Map<string, Tensor> | Record<string, Tensor>, opts: { strict?: boolean } = {}): { missingKeys: string[]; unexpectedKeys: string[] } {
    const own = this.stateDict();
    const { src, missingKeys, unexpectedKeys } = checkStateDict(this.constructor.name, own, sd, opts?.strict ?? true);
    noGrad(() => {
      for (const [k, dst] of own) {
        const v = src.get(k);
        if (v) copy_(dst, v.dtype === dst.dtype ? v : cast(v, dst.dtype));
      }
    });
    return { missingKeys, unexpectedKeys };
  }
}

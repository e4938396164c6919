/** Containers (torch/nn/modules/container.py): Sequential and ModuleList. */
import { Module, checkModuleName } from './module';
import { registerPlainContainer, runSequential } from './seq-run';
import type { Tensor } from '../tensor';

/** PyTorch's OrderedDict form: a Map, [name, module] pairs, or a plain object (string keys in insertion order). */
export type NamedModules = Map<string, Module> | ReadonlyArray<readonly [string, Module]> | Record<string, Module>;

function namedEntries(kind: string, named: NamedModules): Array<[string, Module]> {
  if (named instanceof Map) return [...named.entries()];
  if (Array.isArray(named)) {
    return named.map((e, i) => {
      if (e instanceof Module)
        throw new TypeError(
          `${kind}: got an array of modules; pass them as separate arguments (new nn.${kind}(a, b)) or as [name, module] pairs`,
        );
      if (!Array.isArray(e) || e.length !== 2) throw new TypeError(`${kind}: entry ${i} of the named form is not a [name, module] pair`);
      return [e[0], e[1]] as [string, Module];
    });
  }
  const keys = Object.keys(named);
  const numeric = keys.find((k) => /^(0|[1-9]\d*)$/.test(k));
  if (numeric !== undefined) {
    throw new TypeError(
      `${kind}: the object key '${numeric}' is an integer, which JavaScript objects move to the front; use a Map (new Map([['${numeric}', m], ...])) to keep the order`,
    );
  }
  return keys.map((k) => [k, (named as Record<string, Module>)[k]]);
}

/** An ordered collection of child modules under names (0, 1, ... unless named), shared by Sequential and ModuleList. */
abstract class ModuleSequence extends Module {
  /** The modules in order (the names are in the same order in `_names`). */
  items: Module[];
  declare _names: string[];
  constructor(args: unknown[], kind: string, allowNamed: boolean) {
    super();
    Object.defineProperty(this, '_names', { value: [], writable: true, enumerable: false, configurable: true });
    this.items = [];
    const a0 = args[0];
    if (allowNamed && args.length === 1 && !(a0 instanceof Module) && a0 !== null && typeof a0 === 'object') {
      for (const [k, m] of namedEntries(kind, a0 as NamedModules)) this.addModule(k, m);
      return;
    }
    args.forEach((l, i) => {
      if (!(l instanceof Module))
        throw new TypeError(
          `${kind}: argument ${i} is not an nn.Module (got ${l === null ? 'null' : Array.isArray(l) ? 'an array' : typeof l})`,
        );
    });
    args.forEach((l, i) => this.addModule(String(i), l as Module));
  }
  override *namedChildren(): Generator<[string, Module]> {
    this.adoptFields();
    for (let i = 0; i < this.items.length; i++) yield [this._names[i] ?? String(i), this.items[i]];
  }
  override get length(): number {
    this.adoptFields();
    return this.items.length;
  }
  /** PyTorch's seq[i] (negative i counts from the end; out of range is an IndexError), or the module named `name`. */
  at(i: number | string): Module {
    this.adoptFields();
    const kind = this.constructor.name;
    if (typeof i === 'string') {
      const k = this._names.indexOf(i);
      if (k < 0) throw new Error(`${kind}: no module named '${i}' (names: ${this._names.join(', ')})`);
      return this.items[k];
    }
    const n = this.items.length;
    const k = i < 0 ? i + n : i;
    if (!Number.isInteger(k) || k < 0 || k >= n)
      throw new RangeError(`${kind}: index ${i} is out of range (IndexError: index ${i} is out of range for ${n} modules)`);
    return this.items[k];
  }
  /** PyTorch's append: adds `m` under the name String(length). */
  append(m: Module): this {
    if (!(m instanceof Module)) throw new TypeError(`${this.constructor.name}.append: ${typeof m} is not an nn.Module`);
    this.adoptFields();
    this.addModule(String(this.items.length), m);
    return this;
  }
  /**
   * PyTorch's add_module: registers `m` under `name` (attribute-accessible, `name.weight` in stateDict()) and runs it
   * after the others; a name already registered is replaced in place, as in PyTorch's OrderedDict.
   */
  override addModule(name: string, m: Module): void {
    this.adoptFields();
    this.register(name, m);
  }
  /**
   * Modules assigned as plain fields (`seq.head = m`, or a subclass's own fields) join the children at the end, as
   * PyTorch's setattr registers them in `_modules` (so they run, train and save); done before every use.
   */
  protected adoptFields(): void {
    const self = this as unknown as Record<string, unknown>;
    for (const k of Object.keys(self)) {
      const v = self[k];
      if (k === 'items' || !(v instanceof Module) || !Object.prototype.propertyIsEnumerable.call(self, k)) continue;
      delete self[k];
      this.register(k, v);
    }
  }
  private register(name: string, m: Module): void {
    const kind = this.constructor.name;
    const k = this._names.indexOf(name);
    checkModuleName(`${kind}.addModule`, this, name, m, k >= 0);
    if (k >= 0) this.items[k] = m;
    else {
      this._names.push(name);
      this.items.push(m);
    }
    this.defineName(name);
  }
  /** `seq.conv1` reads the module named conv1; assigning it replaces that module, as PyTorch's setattr. */
  private defineName(name: string): void {
    Object.defineProperty(this, name, {
      get: () => this.items[this._names.indexOf(name)],
      set: (m: Module) => this.addModule(name, m),
      enumerable: false,
      configurable: true,
    });
  }
  /** PyTorch's extend: appends each module (named String(length) as append does). */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }
  /** PyTorch's insert(index, m): the modules from `index` on move up one place, and their names 0, 1, ... with them. */
  insert(index: number, m: Module): this {
    this.adoptFields();
    const kind = this.constructor.name;
    const n = this.items.length;
    if (!(m instanceof Module)) throw new TypeError(`${kind}.insert: module should be of type nn.Module, got ${typeof m}`);
    if (!Number.isInteger(index) || index < -n || index > n) throw new RangeError(`${kind}.insert: Index out of range: ${index}`);
    const at = index < 0 ? index + n : index;
    const custom = this._names.find((nm, i) => nm !== String(i));
    if (custom !== undefined && at < n) {
      throw new Error(
        `${kind}.insert: needs the names 0, 1, ... but this ${kind} has a module named '${custom}' (PyTorch fails with a KeyError); use addModule(name, m)`,
      );
    }
    this.items.splice(at, 0, m);
    this._names.push(String(n));
    this.defineName(String(n));
    return this;
  }
  /** PyTorch's pop(i): removes and returns the module at i; the rest are renamed 0, 1, ... as PyTorch 1.13 does. */
  pop(i: number): Module {
    const m = this.at(i);
    const k = i < 0 ? i + this.items.length : i;
    const self = this as unknown as Record<string, unknown>;
    this.items.splice(k, 1);
    for (const name of this._names.splice(k, 1)) delete self[name];
    for (const name of this._names) delete self[name];
    this._names = this.items.map((_, j) => String(j));
    this._names.forEach((name) => this.defineName(name));
    return m;
  }
  [Symbol.iterator](): Iterator<Module> {
    this.adoptFields();
    return this.items[Symbol.iterator]();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override call(...args: any[]): any {
    this.adoptFields();
    return super.call(...args);
  }
}

/**
 * Runs its modules in order, PyTorch's `nn.Sequential(...modules)` (children named 0, 1, ...) or its
 * `nn.Sequential(OrderedDict([...]))` form: `new nn.Sequential([['conv1', m1], ['relu1', m2]])` (also an object
 * literal or a Map), whose stateDict keys are `conv1.weight`, ... as in PyTorch.
 *
 * Shape:
 * - Input: the first module's input
 * - Output: the last module's output
 *
 * @example
 * const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
 * net(randn([5, 4])).shape;                         // [5, 2]
 * const named = new nn.Sequential([['fc', new nn.Linear(4, 2)], ['act', new nn.ReLU()]]);
 * named.at('fc');                                  // PyTorch's named.fc
 */
export class Sequential extends ModuleSequence {
  constructor(...layers: Module[]);
  constructor(named: NamedModules);
  constructor(...args: unknown[]) {
    super(args, 'Sequential', true);
  }
  /** Each module's output is the next one's input; typed as a Tensor (PyTorch returns the last module's output). */
  forward(x: Tensor): Tensor {
    return runSequential(this.items, x) as Tensor; // frees intermediates after backward (./seq-run)
  }
}
registerPlainContainer(Sequential);

/**
 * Holds modules in a list (registered as children 0, 1, ...), PyTorch's `nn.ModuleList(modules)`; it has no
 * forward(): iterate over it.
 *
 * Shape: none (not callable).
 *
 * @example
 * const blocks = new nn.ModuleList([new nn.Linear(4, 4), new nn.Linear(4, 4)]);
 * for (const b of blocks) x = b(x);
 */
export class ModuleList extends ModuleSequence {
  constructor(modules: Iterable<Module> = []) {
    super([...modules], 'ModuleList', false);
  }
  forward(): never {
    throw new Error('ModuleList has no forward(); iterate over it and call its modules');
  }
}

/**
 * ModuleDict and ParameterList (torch/nn/modules/container.py), and Sequential slicing (PyTorch's seq[1:3]):
 * children/parameters registered under their keys / indices, so parameters(), stateDict() and the Layers view see
 * them with PyTorch's names.
 */
import type { Tensor } from '../tensor';
import { Module, Parameter } from './module';
import { Sequential } from './container';

const RESERVED = new Set(['training', 'inputShape', 'constructedAt', 'get', 'set', 'has', 'keys', 'values', 'items', 'pop', 'update', 'clear', 'length', 'forward', 'call', 'name']);

function checkKey(op: string, key: string): void {
  if (typeof key !== 'string' || key === '' || key.includes('.') || key.startsWith('_') || RESERVED.has(key)) {
    throw new Error(`${op}: invalid key ${JSON.stringify(key)} (a non-empty string without '.', not starting with '_', and not a method name)`);
  }
}

/** nn.ModuleDict({name: module, ...}): modules by name; moduleDict.get('conv'), .set(k, m), .keys(), .items(). */
export class ModuleDict extends Module {
  constructor(modules: Record<string, Module> | Array<[string, Module]> = {}) {
    super();
    this.update(modules);
  }
  get(key: string): Module {
    const m = (this as unknown as Record<string, unknown>)[key];
    if (!(m instanceof Module) || !this.has(key)) throw new Error(`ModuleDict: no module named '${key}' (keys: ${this.keys().join(', ')})`);
    return m;
  }
  set(key: string, module: Module): this {
    checkKey('ModuleDict', key);
    if (!(module instanceof Module)) throw new Error(`ModuleDict: the value for '${key}' is not an nn.Module`);
    Object.defineProperty(this, key, { value: module, enumerable: true, writable: true, configurable: true });
    return this;
  }
  has(key: string): boolean {
    return Object.prototype.propertyIsEnumerable.call(this, key) && (this as unknown as Record<string, unknown>)[key] instanceof Module;
  }
  keys(): string[] {
    return [...this.namedChildren()].map(([k]) => k);
  }
  values(): Module[] {
    return this.children();
  }
  items(): Array<[string, Module]> {
    return [...this.namedChildren()];
  }
  pop(key: string): Module {
    const m = this.get(key);
    delete (this as unknown as Record<string, unknown>)[key];
    return m;
  }
  update(modules: Record<string, Module> | Array<[string, Module]>): this {
    for (const [k, m] of Array.isArray(modules) ? modules : Object.entries(modules)) this.set(k, m);
    return this;
  }
  override get length(): number {
    return this.keys().length;
  }
  forward(): never {
    throw new Error('ModuleDict has no forward(); call its modules: dict.get(name)(x)');
  }
}

/** nn.ParameterList([p0, p1, ...]): parameters registered as 0, 1, ...; .at(i), .append(p), iteration. */
export class ParameterList extends Module {
  constructor(params: Iterable<Tensor> = []) {
    super();
    for (const p of params) this.append(p);
  }
  append(p: Tensor): this {
    const param = p instanceof Parameter ? p : new Parameter(p);
    Object.defineProperty(this, String(this.length), { value: param, enumerable: true, writable: true, configurable: true });
    return this;
  }
  extend(ps: Iterable<Tensor>): this {
    for (const p of ps) this.append(p);
    return this;
  }
  at(i: number): Parameter {
    const n = this.length;
    const k = i < 0 ? i + n : i;
    if (!Number.isInteger(k) || k < 0 || k >= n) throw new RangeError(`ParameterList: index ${i} is out of range for ${n} parameters`);
    return (this as unknown as Record<string, Parameter>)[String(k)];
  }
  override get length(): number {
    let n = 0;
    while (Object.prototype.propertyIsEnumerable.call(this, String(n))) n++;
    return n;
  }
  *[Symbol.iterator](): Iterator<Parameter> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
  forward(): never {
    throw new Error('ParameterList has no forward(); use its parameters: list.at(i)');
  }
}

declare module './container' {
  interface Sequential {
    /**
     * PyTorch's seq[start:end]: a new Sequential of the same module objects under the same names (as PyTorch keeps
     * them); negative indices count from the end.
     */
    slice(start?: number, end?: number): Sequential;
  }
}

Object.defineProperty(Sequential.prototype, 'slice', {
  value: function slice(this: Sequential, start?: number, end?: number): Sequential {
    return new Sequential([...this.namedChildren()].slice(start, end));
  },
  writable: true, configurable: true, enumerable: false,
});

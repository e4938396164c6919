/** Containers (torch/nn/modules/container.py): Sequential and ModuleList. */
import { Module } from './module';
import { registerPlainContainer, runSequential } from './seq-run';
import type { Tensor } from '../tensor';

/** An ordered list of child modules named 0, 1, ... (shared by Sequential and ModuleList). */
abstract class ModuleSequence extends Module {
  items: Module[];
  constructor(modules: Module[], kind: string) {
    super();
    modules.forEach((l, i) => {
      if (!(l instanceof Module)) throw new Error(`${kind}: argument ${i} is not an nn.Module (got ${typeof l})`);
    });
    this.items = [...modules];
  }
  override *namedChildren(): Generator<[string, Module]> {
    for (let i = 0; i < this.items.length; i++) yield [String(i), this.items[i]];
  }
  override get length(): number {
    return this.items.length;
  }
  at(i: number): Module {
    return this.items[i < 0 ? i + this.items.length : i];
  }
  append(m: Module): this {
    this.items.push(m);
    return this;
  }
  [Symbol.iterator](): Iterator<Module> {
    return this.items[Symbol.iterator]();
  }
}

/**
 * Runs its modules in order, PyTorch's `nn.Sequential(...modules)`; children are named 0, 1, ...
 *
 * Shape:
 * - Input: the first module's input
 * - Output: the last module's output
 *
 * @example
 * const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
 * net(randn([5, 4])).shape;                         // [5, 2]
 */
export class Sequential extends ModuleSequence {
  constructor(...layers: Module[]) {
    super(layers, 'Sequential');
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
  constructor(modules: Module[] = []) {
    super(modules, 'ModuleList');
  }
  forward(): never {
    throw new Error('ModuleList has no forward(); iterate over it and call its modules');
  }
}

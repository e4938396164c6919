/**
 * SpecLayer: the base of every nn layer built from a layer spec (src/runtime/shape/layers). The constructor
 * normalises PyTorch's call forms through the spec's signature and keeps the result in `args`; parameter and
 * buffer shapes, toString() and summary()'s arithmetic all come from the same spec.
 */
import { Module, Parameter } from './module';
import { empty, ones, zeros } from '../ops/creation';
import { parseLayerArgs, type LayerInfo, type LayerSpec } from '../shape/layers';
import type { Params, Parsed } from '../args';

export abstract class SpecLayer<S extends Params = Params> extends Module {
  /** The normalised constructor arguments (positional + options + aliases, defaults filled in). */
  declare readonly args: Parsed<S>;
  declare readonly spec: LayerSpec<S>;

  constructor(spec: LayerSpec<S>, args: readonly unknown[]) {
    super();
    Object.defineProperty(this, 'spec', { value: spec, enumerable: false });
    Object.defineProperty(this, 'args', { value: Object.freeze(parseLayerArgs(spec, args)), enumerable: false });
  }

  /** This layer's info (output shape, MACs, formulas, warnings) for an input shape; throws when it does not fit. */
  info(inputShape: readonly number[]): LayerInfo {
    return this.spec.infer(this.args, inputShape);
  }

  /** The parameter named `name` in the spec's shapes: uninitialised (`empty`), or null when the spec says absent. */
  protected param(name: string, fill: 'empty' | 'ones' | 'zeros' = 'empty'): Parameter | null {
    const shape = this.spec.parameters(this.args)[name];
    if (!shape) return null;
    return new Parameter(fill === 'ones' ? ones(shape) : fill === 'zeros' ? zeros(shape) : empty(shape));
  }

  /** Registers the spec's buffers (running statistics): running var starts at ones, the rest at zeros. */
  protected registerSpecBuffers(names: string[]): void {
    const shapes = this.spec.buffers?.(this.args) ?? {};
    for (const name of names) {
      const s = shapes[name];
      this.registerBuffer(
        name,
        s ? (name === 'runningVar' ? ones(s) : zeros(s, name === 'numBatchesTracked' ? { dtype: 'int32' } : {})) : null,
      );
    }
  }

  override extraRepr(): string {
    return this.spec.repr(this.args);
  }
}

/** Optimizer base: parameter groups with their own options, zeroGrad, per-parameter state, stateDict. */
import type { Tensor } from '../tensor';
import { noGrad } from '../autograd/mode';

export interface ParamGroup<O> {
  params: Tensor[];
  options: O;
}

export type ParamsArg<O> = Iterable<Tensor> | Array<{ params: Iterable<Tensor> } & Partial<O>>;

export abstract class Optimizer<O extends { lr: number }> {
  readonly paramGroups: Array<ParamGroup<O> & O>;
  readonly state = new Map<Tensor, Record<string, Tensor | number>>();
  stepCount = 0;

  constructor(params: ParamsArg<O>, defaults: O) {
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new Error(`${this.constructor.name}: optimizer got an empty parameter list`);
    const isGroups = typeof list[0] === 'object' && list[0] !== null && 'params' in (list[0] as object);
    const groups = isGroups ? (list as Array<{ params: Iterable<Tensor> } & Partial<O>>) : [{ params: list as Tensor[] }];
    this.paramGroups = groups.map((g) => {
      const { params: _ignored, ...overrides } = g as { params: unknown } & Partial<O>;
      void _ignored;
      const opts = { ...defaults, ...overrides } as O;
      const params = [...g.params];
      for (const p of params) {
        if (!p.isLeaf) throw new Error(`${this.constructor.name}: can't optimize a non-leaf Tensor`);
      }
      return Object.assign({ params, options: opts }, opts) as ParamGroup<O> & O;
    });
  }

  zeroGrad(setToNone = true): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (setToNone) p.grad = null;
        else if (p.grad) noGrad(() => p.grad?.zero_());
      }
    }
  }

  step(closure?: () => number): number | undefined {
    const loss = closure ? closure() : undefined;
    this.stepCount++;
    noGrad(() => {
      for (const g of this.paramGroups) {
        for (const p of g.params) {
          if (!p.grad) continue;
          let st = this.state.get(p);
          if (!st) this.state.set(p, (st = {}));
          this.update(p, p.grad, st, g);
        }
      }
    });
    return loss;
  }

  /** One parameter's update, in place, under noGrad. `group` carries the group's options (incl. lr). */
  protected abstract update(p: Tensor, grad: Tensor, state: Record<string, Tensor | number>, group: O): void;

  stateDict(): { state: Record<number, Record<string, unknown>>; paramGroups: Array<Record<string, unknown>> } {
    const ids = new Map<Tensor, number>();
    this.paramGroups.forEach((g) => g.params.forEach((p) => ids.set(p, ids.size)));
    const state: Record<number, Record<string, unknown>> = {};
    for (const [p, st] of this.state) state[ids.get(p) ?? -1] = { ...st };
    const paramGroups = this.paramGroups.map((g) => {
      const { params, options, ...rest } = g as unknown as Record<string, unknown> & { params: Tensor[]; options: unknown };
      void options;
      return { ...rest, params: params.map((p) => ids.get(p)) };
    });
    return { state, paramGroups };
  }
}

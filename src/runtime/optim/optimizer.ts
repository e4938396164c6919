/**
 * Optimizer base (PyTorch 1.13's torch.optim.Optimizer): parameter groups with their own options, zeroGrad,
 * per-parameter state, stateDict()/loadStateDict(). A group is `{params, ...options}`; schedulers change
 * `group.lr` and the next step() uses it (update() receives the live group).
 */
import { checkInterrupt } from '../interrupt';
import { Tensor } from '../tensor';
import { noGrad } from '../autograd/mode';
import { bumpVersion } from '../autograd/version';
import type { Signature } from '../args';
import { normaliseGroup } from './signatures';
import { clone, detach, cast } from '../ops/basic';
import { zero_ } from '../ops/inplace-ops';

/** A parameter group: its tensors and its options as plain fields (`group.options` is a non-enumerable alias of the group). */
export type ParamGroup<O> = { params: Tensor[] } & O & Record<string, unknown>;
/** Tensors, or groups `{params, ...options}` whose options override the optimizer's defaults. */
export type ParamsArg<O> = Iterable<Tensor> | Array<{ params: Iterable<Tensor> } & Partial<O>>;
export type OptimState = Record<string, Tensor | number>;

export interface OptimizerStateDict {
  /** Per-parameter state keyed by the parameter's index over all groups (PyTorch's packed form). */
  state: Record<number, Record<string, Tensor | number>>;
  /** Group options with `params` as indices. */
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

const cloneValue = (v: Tensor | number): Tensor | number => (v instanceof Tensor ? noGrad(() => clone(detach(v))) : v);

function checkLr(name: string, lr: number): void {
  if (!Number.isFinite(lr)) throw new Error(`${name}: the learning rate became ${lr}; a scheduler or your code set group.lr to a non-finite value`);
}

export abstract class Optimizer<O extends { lr: number }> {
  readonly paramGroups: Array<ParamGroup<O>> = [];
  readonly state = new Map<Tensor, OptimState>();
  readonly defaults: O;
  stepCount = 0;

  /** The constructor's signature (optim/signatures.ts): also validates the options of parameter groups. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected readonly signature: Signature<any> | null;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(params: ParamsArg<O>, defaults: O, sig?: Signature<any>) {
    this.signature = sig ?? null;
    if (params === undefined || params === null || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new Error(`${this.constructor.name}: params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${params === null ? 'null' : typeof params}`);
    }
    const { foreach: _a, differentiable: _b, capturable: _c, fused: _d, ...clean } = defaults as O & Record<string, unknown>;
    this.defaults = { ...clean } as unknown as O;
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new Error(`${this.constructor.name}: optimizer got an empty parameter list`);
    const isGroups = typeof list[0] === 'object' && list[0] !== null && !(list[0] instanceof Tensor) && 'params' in (list[0] as object);
    const groups = isGroups ? (list as Array<{ params: Iterable<Tensor> } & Partial<O>>) : [{ params: list as Tensor[] }];
    for (const g of groups) this.addParamGroup(g as { params: Iterable<Tensor> } & Partial<O>);
  }

  /** Adds a group; options it does not set come from the optimizer's defaults. */
  addParamGroup(group: { params: Iterable<Tensor> | Tensor } & Partial<O>): void {
    const name = this.constructor.name;
    const params = group.params instanceof Tensor ? [group.params] : [...group.params];
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new Error(`${name}: optimizer can only optimize Tensors, got ${typeof p}`);
      if (!p.isLeaf) throw new Error(`${name}: can't optimize a non-leaf Tensor`);
    }
    const seen = new Set<Tensor>(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => seen.has(p))) throw new Error(`${name}: some parameters appear in more than one parameter group`);
    if (new Set(params).size !== params.length) throw new Error(`${name}: a parameter group contains the same parameter twice`);
    const { params: _p, ...raw } = group as Record<string, unknown>;
    void _p;
    const overrides = this.signature ? normaliseGroup(this.signature, raw) : raw;
    const g = { ...this.defaults, ...overrides, params } as unknown as ParamGroup<O>;
    Object.defineProperty(g, 'options', { get: () => g, enumerable: false, configurable: true });
    this.paramGroups.push(g);
  }

  zeroGrad(setToNone = true): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (setToNone) p.grad = null;
        else if (p.grad) noGrad(() => p.grad && zero_(p.grad));
      }
    }
  }

  /** One optimisation step over every parameter that has a gradient; closure re-evaluates the loss first. */
  step(closure?: () => number): number | undefined {
    checkInterrupt();
    const loss = closure ? closure() : undefined;
    this.stepCount++;
    noGrad(() => {
      for (const g of this.paramGroups) {
        const withGrad = g.params.filter((q) => q.grad);
        if (withGrad.length > 0) checkLr(this.constructor.name, g.lr as number);
        for (const p of this.updateGroup(g, withGrad)) {
          if (!p.grad) continue;
          let st = this.state.get(p);
          if (!st) this.state.set(p, (st = {}));
          this.update(p, p.grad, st, g);
        }
        // fused updates write storage directly: the values autograd saved of these parameters are now stale
        for (const p of withGrad) bumpVersion(p);
      }
    });
    return loss;
  }

  /** A fused update of a group's parameters (with grads) where possible; returns those left for update(). */
  protected updateGroup(_group: ParamGroup<O>, params: Tensor[]): Tensor[] {
    return params;
  }

  /** One parameter's update, in place, under noGrad. `group` is the live group (incl. its current lr). */
  protected abstract update(p: Tensor, grad: Tensor, state: OptimState, group: O): void;

  private indexOfParams(): Tensor[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /** A snapshot (state tensors cloned): {state: {index: {...}}, paramGroups: [{...options, params: [index]}]}. */
  stateDict(): OptimizerStateDict {
    const all = this.indexOfParams();
    const state: OptimizerStateDict['state'] = {};
    all.forEach((p, i) => {
      const st = this.state.get(p);
      if (st) state[i] = Object.fromEntries(Object.entries(st).map(([k, v]) => [k, cloneValue(v)]));
    });
    let next = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...rest } = g;
      return { ...rest, params: params.map(() => next++) };
    });
    return { state, paramGroups };
  }

  /** Restores a stateDict(): group options and per-parameter state (tensors cast to the parameter's dtype). */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = this.constructor.name;
    if (!sd || !Array.isArray(sd.paramGroups) || typeof sd.state !== 'object') throw new Error(`${name}.loadStateDict: expected {state, paramGroups}`);
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new Error(`${name}.loadStateDict: loaded state dict has a different number of parameter groups (${sd.paramGroups.length} vs ${this.paramGroups.length})`);
    }
    sd.paramGroups.forEach((sg, i) => {
      if (sg.params.length !== this.paramGroups[i].params.length) {
        throw new Error(`${name}.loadStateDict: loaded state dict contains a parameter group that doesn't match the size of optimizer's group ${i} (${sg.params.length} vs ${this.paramGroups[i].params.length})`);
      }
    });
    const byIndex = new Map<number, Tensor>();
    sd.paramGroups.forEach((sg, i) => sg.params.forEach((id, j) => byIndex.set(id, this.paramGroups[i].params[j])));
    this.state.clear();
    for (const [k, st] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(k));
      if (!p) continue;
      this.state.set(p, Object.fromEntries(Object.entries(st).map(([key, v]) => {
        if (!(v instanceof Tensor)) return [key, v];
        const c = cloneValue(v) as Tensor;
        if (c.shape.length !== p.shape.length || c.shape.some((d, i) => d !== p.shape[i])) {
          throw new Error(`${name}.loadStateDict: state '${key}' of parameter ${k} has shape [${c.shape.join(', ')}], the parameter has [${p.shape.join(', ')}]`);
        }
        return [key, c.dtype === p.dtype ? c : noGrad(() => cast(c, p.dtype))];
      })));
    }
    sd.paramGroups.forEach((sg, i) => {
      const { params: _p, ...opts } = sg;
      void _p;
      Object.assign(this.paramGroups[i], opts);
    });
  }
}

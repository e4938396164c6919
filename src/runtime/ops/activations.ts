/**
 * The activation table: each entry is ONE place that says what an activation is (tinygrad-style: a composition
 * of existing ops, so it runs on every backend, wasm included):
 * - `forward`: the value, composed of existing ops;
 * - `derivative`: f'(x) composed of differentiable ops, so backward, double backward (createGraph) and jvp all
 *   follow from it;
 * - `signature`: PyTorch's extra arguments (positional order, options, snake_case aliases);
 * - `text` / `derivText`: the stepper's formula for the node and its local derivative.
 * The op records ONE autograd node named after the entry, so the graph and the stepper show `hardswish(x)`,
 * not its parts. `F.<name>` and `nn.<Class>` are made from the entry (see functional.ts and nn/activation.ts).
 * Adding one: CONTRIBUTING.md, "Adding an op".
 */
import type { Tensor } from '../tensor';
import { record } from '../autograd/node';
import { mode } from '../autograd/mode';
import { signature, type Params, type Parsed, type Signature } from '../args';
import { add, where, zerosLike, gt, mul } from './basic';

export interface Activation<S extends Params = Params> {
  /** The op name in graphs and the stepper (PyTorch's functional name, camelCase). */
  readonly name: string;
  /** PyTorch's arguments after the input (F.hardtanh(x, minVal, maxVal)). */
  readonly signature: Signature<S>;
  forward(x: Tensor, a: Parsed<S>): Tensor;
  derivative(x: Tensor, a: Parsed<S>): Tensor;
  /** "hardswish(x) = x·relu6(x + 3)/6" with the input's label. */
  text(x: string, a: Parsed<S>): string;
  /** The local derivative with the input's label: "𝟙[x > 3] + (x/3 + ½)·𝟙[−3 ≤ x ≤ 3]". */
  derivText(x: string, a: Parsed<S>): string;
}

export function activation<const S extends Params>(name: string, params: S, rest: Omit<Activation<S>, 'name' | 'signature'>): Activation<S> {
  return { name, signature: signature(`F.${name}`, params), ...rest };
}

/** Compute without recording (no autograd node, no forward tangent): the composed value of one fused node. */
function untracked<T>(fn: () => T): T {
  const [g, f] = [mode.gradEnabled, mode.forwardLevel];
  mode.gradEnabled = false;
  mode.forwardLevel = 0;
  try {
    return fn();
  } finally {
    mode.gradEnabled = g;
    mode.forwardLevel = f;
  }
}

/** Apply an activation entry: one autograd node whose backward and jvp multiply by the composed derivative. */
export function applyActivation<S extends Params>(act: Activation<S>, x: Tensor, args: readonly unknown[]): Tensor {
  const a = act.signature.parse(args);
  const y = untracked(() => act.forward(x, a));
  return record(y, act.name, [x], (g) => [mul(g, act.derivative(x, a))], {
    attrs: { activation: act.name, args: a },
    saved: { x },
    jvp: ([t]) => (t ? mul(t, act.derivative(x, a)) : null),
  });
}

/** A constant c broadcast like x (where() branches must be tensors). */
export const constLike = (x: Tensor, c: number): Tensor => add(zerosLike(x), c);
/** 𝟙[x > t] as x's dtype. */
export const stepAbove = (x: Tensor, t: number): Tensor => where(gt(x, t), constLike(x, 1), constLike(x, 0));

/** Every activation entry by name (the key is the op name and the F function name). */
export const ACTIVATIONS = {} satisfies Record<string, Activation<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type ActivationName = keyof typeof ACTIVATIONS;

/** The stepper's formula for a node recorded by applyActivation, or null for other nodes. */
export function activationText(op: string, attrs: Record<string, unknown>, x: string, which: 'forward' | 'derivative'): string | null {
  const act = (ACTIVATIONS as Record<string, Activation<any>>)[op]; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!act || attrs.activation !== op) return null;
  const a = attrs.args as Parsed<Params>;
  return which === 'forward' ? act.text(x, a) : act.derivText(x, a);
}

/** The typed functions (F.<name>), one line per entry. */
export const ACTIVATION_FUNCTIONS = {};

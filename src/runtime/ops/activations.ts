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
import { kinds, signature, type CallForms, type OptionsOf, type Params, type Parsed, type Signature } from '../args';
import {
  abs,
  add,
  clamp,
  div,
  elu,
  exp,
  ge,
  gt,
  le,
  lt,
  mul,
  reciprocal,
  sigmoid,
  softplus,
  square,
  sub,
  tanh,
  where,
  zerosLike,
} from './basic';

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

export function activation<const S extends Params>(
  name: string,
  params: S,
  rest: Omit<Activation<S>, 'name' | 'signature'>,
): Activation<S> {
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

/** PyTorch's hardswish: x·relu6(x + 3)/6 (MobileNetV3). Gradient 0 below −3, x/3 + ½ on [−3, 3], 1 above. */
const hardswishAct = activation(
  'hardswish',
  {},
  {
    forward: (x) => div(mul(x, clamp(add(x, 3), 0, 6)), 6),
    derivative: (x) => where(lt(x, -3), constLike(x, 0), where(le(x, 3), add(div(x, 3), 0.5), constLike(x, 1))),
    text: (x) => `${x}·min(max(${x} + 3, 0), 6)/6`,
    derivText: (x) => `0 if ${x} < −3, ${x}/3 + ½ if ${x} ≤ 3, else 1`,
  },
);

/** PyTorch's hardsigmoid: relu6(x + 3)/6. Gradient 1/6 strictly inside (−3, 3), 0 outside. */
const hardsigmoidAct = activation(
  'hardsigmoid',
  {},
  {
    forward: (x) => clamp(add(div(x, 6), 0.5), 0, 1),
    derivative: (x) => where(lt(x, 3), where(gt(x, -3), constLike(x, 1 / 6), constLike(x, 0)), constLike(x, 0)),
    text: (x) => `min(max(${x}/6 + ½, 0), 1)`,
    derivText: (x) => `1/6 if −3 < ${x} < 3, else 0`,
  },
);

const checkRange = (minVal: number, maxVal: number): void => {
  if (!(maxVal > minVal)) throw new Error(`F.hardtanh: maxVal (${maxVal}) must be greater than minVal (${minVal})`);
};
/** PyTorch's hardtanh: clamp(x, minVal, maxVal). Gradient 1 strictly inside, 0 at and beyond the limits. */
const hardtanhAct = activation(
  'hardtanh',
  { minVal: { kind: kinds.number, default: -1 }, maxVal: { kind: kinds.number, default: 1 } },
  {
    forward: (x, a) => (checkRange(a.minVal, a.maxVal), clamp(x, a.minVal, a.maxVal)),
    derivative: (x, a) => where(le(x, a.minVal), constLike(x, 0), where(ge(x, a.maxVal), constLike(x, 0), constLike(x, 1))),
    text: (x, a) => `min(max(${x}, ${a.minVal}), ${a.maxVal})`,
    derivText: (x, a) => `1 if ${a.minVal} < ${x} < ${a.maxVal}, else 0`,
  },
);

/** PyTorch's relu6 = hardtanh(x, 0, 6). */
const relu6Act = activation(
  'relu6',
  {},
  {
    forward: (x) => clamp(x, 0, 6),
    derivative: (x) => where(le(x, 0), constLike(x, 0), where(ge(x, 6), constLike(x, 0), constLike(x, 1))),
    text: (x) => `min(max(${x}, 0), 6)`,
    derivText: (x) => `1 if 0 < ${x} < 6, else 0`,
  },
);

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
/** PyTorch's selu: scale·elu(x, α) with the self-normalising constants (Klambauer et al.). */
const seluAct = activation(
  'selu',
  {},
  {
    forward: (x) => mul(elu(x, SELU_ALPHA), SELU_SCALE),
    derivative: (x) => where(gt(x, 0), constLike(x, SELU_SCALE), mul(exp(x), SELU_SCALE * SELU_ALPHA)),
    text: (x) => `1.0507·(${x} if ${x} > 0 else 1.6733·(e^${x} − 1))`,
    derivText: (x) => `1.0507 if ${x} > 0, else 1.7581·e^${x}`,
  },
);

/** PyTorch's silu (swish): x·σ(x). */
const siluAct = activation(
  'silu',
  {},
  {
    forward: (x) => mul(x, sigmoid(x)),
    derivative: (x) => {
      const s = sigmoid(x);
      return mul(s, add(mul(x, sub(1, s)), 1));
    },
    text: (x) => `${x}·σ(${x})`,
    derivText: (x) => `σ(${x})·(1 + ${x}·(1 − σ(${x})))`,
  },
);

/** PyTorch's mish: x·tanh(softplus(x)) (Misra). */
const mishAct = activation(
  'mish',
  {},
  {
    forward: (x) => mul(x, tanh(softplus(x))),
    derivative: (x) => {
      const t = tanh(softplus(x));
      return add(t, mul(mul(x, sub(1, square(t))), sigmoid(x)));
    },
    text: (x) => `${x}·tanh(softplus(${x}))`,
    derivText: (x) => `tanh(sp) + ${x}·(1 − tanh²(sp))·σ(${x}), sp = softplus(${x})`,
  },
);

/** PyTorch's softsign: x/(1 + |x|). */
const softsignAct = activation(
  'softsign',
  {},
  {
    forward: (x) => div(x, add(abs(x), 1)),
    derivative: (x) => reciprocal(square(add(abs(x), 1))),
    text: (x) => `${x}/(1 + |${x}|)`,
    derivText: (x) => `1/(1 + |${x}|)²`,
  },
);

/** Every activation entry by name (the key is the op name and the F function name). */
export const ACTIVATIONS = {
  hardswish: hardswishAct,
  hardsigmoid: hardsigmoidAct,
  hardtanh: hardtanhAct,
  relu6: relu6Act,
  selu: seluAct,
  silu: siluAct,
  mish: mishAct,
  softsign: softsignAct,
} satisfies Record<string, Activation<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type ActivationName = keyof typeof ACTIVATIONS;

/** The stepper's formula for a node recorded by applyActivation, or null for other nodes. */
export function activationText(op: string, attrs: Record<string, unknown>, x: string, which: 'forward' | 'derivative'): string | null {
  const act = (ACTIVATIONS as Record<string, Activation<any>>)[op]; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!act || attrs.activation !== op) return null;
  const a = attrs.args as Parsed<Params>;
  return which === 'forward' ? act.text(x, a) : act.derivText(x, a);
}

/**
 * x·relu6(x + 3)/6 elementwise, PyTorch's `F.hardswish(input)`.
 *
 * Shape: any; the output has the input's shape.
 *
 * @example
 * F.hardswish(tensor([-4, 0, 1, 4])).toArray();   // [0, 0, 0.6667, 4]
 */
export const hardswish = (x: Tensor, ...args: unknown[]): Tensor => applyActivation(hardswishAct, x, args);

/** relu6(x + 3)/6 elementwise, PyTorch's `F.hardsigmoid(input)`. Shape: any; output has the input's shape. */
export const hardsigmoid = (x: Tensor, ...args: unknown[]): Tensor => applyActivation(hardsigmoidAct, x, args);
/**
 * clamp(x, minVal, maxVal), PyTorch's `F.hardtanh(input, minVal = -1, maxVal = 1)` (or `{min_val, max_val}`).
 * Shape: any; output has the input's shape.
 */
export const hardtanh = (
  x: Tensor,
  ...args: CallForms<[], [minVal: number, maxVal: number], OptionsOf<typeof hardtanhAct.signature.params>>
): Tensor => applyActivation(hardtanhAct, x, args);
/** min(max(x, 0), 6), PyTorch's `F.relu6(input)`. Shape: any; output has the input's shape. */
export const relu6 = (x: Tensor, ...args: unknown[]): Tensor => applyActivation(relu6Act, x, args);
/** scale·elu(x, α) with α ≈ 1.6733, scale ≈ 1.0507, PyTorch's `F.selu(input)`. Shape: any. */
export const selu = (x: Tensor, ...args: unknown[]): Tensor => applyActivation(seluAct, x, args);
/** x·σ(x) (swish), PyTorch's `F.silu(input)`. Shape: any; output has the input's shape. */
export const silu = (x: Tensor, ...args: unknown[]): Tensor => applyActivation(siluAct, x, args);
/** x·tanh(softplus(x)), PyTorch's `F.mish(input)`. Shape: any; output has the input's shape. */
export const mish = (x: Tensor, ...args: unknown[]): Tensor => applyActivation(mishAct, x, args);
/** x/(1 + |x|), PyTorch's `F.softsign(input)`. Shape: any; output has the input's shape. */
export const softsign = (x: Tensor, ...args: unknown[]): Tensor => applyActivation(softsignAct, x, args);

/** The typed functions (F.<name>), one line per entry. */
export const ACTIVATION_FUNCTIONS = { hardswish, hardsigmoid, hardtanh, relu6, selu, silu, mish, softsign };

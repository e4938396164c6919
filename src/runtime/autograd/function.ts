/**
 * Custom autograd functions, PyTorch's torch.autograd.Function:
 *
 * ```ts
 * class Exp extends autograd.Function {
 *   static forward(ctx: autograd.Ctx, x: Tensor) { const y = x.exp(); ctx.saveForBackward(y); return y; }
 *   static backward(ctx: autograd.Ctx, g: Tensor) { const [y] = ctx.savedTensors; return g.mul(y); }
 * }
 * const y = Exp.apply(x);
 * ```
 * forward runs without recording (as in PyTorch); its output gets one graph node named after the class, so the
 * backprop stepper shows it like a built-in op. backward returns one gradient (or null) per forward argument.
 * An optional static jvp(ctx, ...tangents) gives the forward-mode rule.
 */
import { Tensor } from '../tensor';
import { record } from './node';
import { mode } from './mode';
import { fmtShape } from '../shape';
import { detach } from '../ops/basic';

export class Ctx {
  private saved: Tensor[] = [];
  /** needsInputGrad[i]: whether forward argument i is a tensor that requires grad. */
  needsInputGrad: boolean[] = [];
  /** Anything else backward needs (numbers, shapes), as PyTorch's ctx attributes. */
  [key: string]: unknown;

  saveForBackward(...tensors: Array<Tensor | null>): void {
    this.saved = tensors.map((t) => t as Tensor);
  }

  get savedTensors(): Tensor[] {
    return [...this.saved];
  }

  /** PyTorch's markNonDifferentiable is not supported: outputs are always differentiable. */
}

type Fwd = (ctx: Ctx, ...args: unknown[]) => Tensor;
type Bwd = (ctx: Ctx, ...grads: Tensor[]) => Tensor | null | Array<Tensor | null>;
type Jvp = (ctx: Ctx, ...tangents: Array<Tensor | null>) => Tensor | null;

export class Function {
  static forward(_ctx: Ctx, ..._args: unknown[]): Tensor {
    throw new Error(`${this.name}: subclasses of autograd.Function must define static forward(ctx, ...inputs)`);
  }

  static backward(_ctx: Ctx, ..._grads: Tensor[]): Tensor | null | Array<Tensor | null> {
    throw new Error(`${this.name}: subclasses of autograd.Function must define static backward(ctx, ...gradOutputs)`);
  }

  /** Runs forward and records the node (PyTorch's Function.apply). */
  static apply<T extends typeof Function>(this: T, ...args: unknown[]): Tensor {
    const name = this.name || 'CustomFunction';
    return applyCustom(name, this.forward as Fwd, this.backward as Bwd, (this as unknown as { jvp?: Jvp }).jvp, args);
  }
}

export function applyCustom(name: string, forward: Fwd, backward: Bwd, jvp: Jvp | undefined, args: unknown[]): Tensor {
  const ctx = new Ctx();
  ctx.needsInputGrad = args.map((a) => a instanceof Tensor && a.requiresGrad);
  const prev = mode.gradEnabled;
  mode.gradEnabled = false;
  const prevLevel = mode.forwardLevel;
  mode.forwardLevel = 0;
  let out: Tensor;
  try {
    out = forward(ctx, ...args);
  } finally {
    mode.gradEnabled = prev;
    mode.forwardLevel = prevLevel;
  }
  if (!(out instanceof Tensor)) throw new Error(`${name}.forward must return one Tensor (several outputs are not supported yet), got ${typeof out}`);
  // the output must be a fresh node even if forward returned an input or a view of one
  if (args.includes(out) || out.gradFn) out = detach(out);
  const inputs = args.map((a) => (a instanceof Tensor ? a : null));
  const op = name.charAt(0).toLowerCase() + name.slice(1);
  return record(out, op, inputs, (g) => {
    const r = backward(ctx, g);
    const grads = Array.isArray(r) ? r : [r];
    if (grads.length !== args.length) {
      throw new Error(`${name}.backward returned ${grads.length} gradient(s), but forward took ${args.length} argument(s) (return null for non-tensor or non-differentiable ones)`);
    }
    return grads.map((gi, i) => {
      const a = inputs[i];
      if (gi === null || gi === undefined || !a) return null;
      if (!(gi instanceof Tensor)) throw new Error(`${name}.backward: gradient ${i} must be a Tensor or null`);
      if (gi.shape.length !== a.shape.length || gi.shape.some((d, k) => d !== a.shape[k])) {
        throw new Error(`${name}.backward: gradient ${i} has shape ${fmtShape(gi.shape)} but input ${i} has shape ${fmtShape(a.shape)}`);
      }
      return gi;
    });
  }, { attrs: { function: name }, jvp: jvp ? (tangents) => jvp(ctx, ...tangents) : undefined });
}

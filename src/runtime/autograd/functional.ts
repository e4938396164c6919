/** Forward mode (jvp), finite-difference gradcheck on the reference backend in float64. */
import { takeOptions, type Aliased } from '../ops/options';
import { Tensor } from '../tensor';
import { mode, noGrad } from './mode';
import { runBackward } from './engine';
import { fmtShape } from '../shape';
import { detach, cast } from '../ops/basic';
import { alloc } from '../ops/raw';

/**
 * Forward-mode derivative: evaluates fn(...inputs) while propagating tangents; returns the output and
 * J·tangent. Inputs and tangents must have equal shapes.
 */
export function jvp(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], tangents: Tensor[]): { output: Tensor; tangent: Tensor | null } {
  if (inputs.length !== tangents.length) throw new Error(`jvp: got ${inputs.length} inputs but ${tangents.length} tangents`);
  const duals = inputs.map((x, i) => {
    const t = tangents[i];
    if (t.shape.length !== x.shape.length || t.shape.some((d, k) => d !== x.shape[k])) {
      throw new Error(`jvp: tangent ${i} has shape ${fmtShape(t.shape)} but input ${i} has shape ${fmtShape(x.shape)}`);
    }
    const d = detach(x);
    d._tangent = detach(t);
    return d;
  });
  mode.forwardLevel++;
  try {
    const output = noGrad(() => fn(...duals));
    const tangent = output._tangent;
    output._tangent = null;
    return { output, tangent };
  } finally {
    mode.forwardLevel--;
  }
}

export interface GradcheckResult {
  ok: boolean;
  maxAbsError: number;
  maxRelError: number;
  worst: { input: number; index: number; analytic: number; numeric: number } | null;
}

function toF64(t: Tensor): Tensor {
  const d = t.dtype === 'float64' ? detach(t) : cast(detach(t), 'float64');
  const copy = alloc(d.shape, 'float64');
  copy.storage().view().set(d.dataSync());
  return copy;
}

/**
 * Compares analytic gradients of sum(fn(inputs) · w) (w a fixed pseudo-random weighting, so every output
 * element matters) against central finite differences, in float64 on the reference backend.
 */
const GRADCHECK_ALIASES = { raise_exception: 'raiseException' } as const;

export function gradcheck(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  opts: Aliased<{ eps?: number; atol?: number; rtol?: number; raiseException?: boolean }, typeof GRADCHECK_ALIASES> = {},
): GradcheckResult {
  opts = takeOptions('gradcheck', opts, ['eps', 'atol', 'rtol', 'raiseException'], GRADCHECK_ALIASES);
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const xs = inputs.map((x) => {
    const c = toF64(x);
    if (x.requiresGrad) c.requiresGrad_(true);
    return c;
  });
  const out0 = noGrad(() => fn(...xs));
  const w = alloc(out0.shape, 'float64');
  const wv = w.storage().view();
  for (let i = 0; i < wv.length; i++) wv[i] = 0.5 + ((i * 7919) % 97) / 97;
  const scalarOf = (o: Tensor): number => {
    const ov = o.dataSync();
    let s = 0;
    for (let i = 0; i < ov.length; i++) s += ov[i] * wv[i];
    return s;
  };
  const out = fn(...xs);
  if (out.requiresGrad) runBackward(out, w);
  let worst: GradcheckResult['worst'] = null;
  let maxAbs = 0;
  let maxRel = 0;
  let ok = true;
  xs.forEach((x, k) => {
    if (!x.requiresGrad) return;
    const analytic = x.grad ? x.grad.dataSync() : new Float64Array(x.numel());
    const v = x.storage().view();
    for (let i = 0; i < x.numel(); i++) {
      const orig = v[i];
      v[i] = orig + eps;
      const fp = scalarOf(noGrad(() => fn(...xs)));
      v[i] = orig - eps;
      const fm = scalarOf(noGrad(() => fn(...xs)));
      v[i] = orig;
      const numeric = (fp - fm) / (2 * eps);
      const err = Math.abs(numeric - analytic[i]);
      const rel = err / Math.max(Math.abs(numeric), 1e-12);
      if (err > atol + rtol * Math.abs(numeric)) ok = false;
      if (err > maxAbs) {
        maxAbs = err;
        worst = { input: k, index: i, analytic: analytic[i], numeric };
      }
      maxRel = Math.max(maxRel, err > atol ? rel : 0);
    }
  });
  const result = { ok, maxAbsError: maxAbs, maxRelError: maxRel, worst };
  if (!ok && opts.raiseException) {
    const w2 = worst as unknown as NonNullable<GradcheckResult['worst']>;
    throw new Error(`gradcheck failed: input ${w2.input}, element ${w2.index}: analytic ${w2.analytic} vs numeric ${w2.numeric}`);
  }
  return result;
}

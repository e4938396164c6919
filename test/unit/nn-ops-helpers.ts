/**
 * Shared helpers for the nn-ops-*.test.ts suites: deterministic inputs (the same formula as the PyTorch script
 * that produced the pasted literals), both-backend runners, closeness checks, finite-difference checks.
 */
import assert from 'node:assert/strict';
import '../../src/runtime/ops/methods';
import { Tensor } from '../../src/runtime/tensor';
import { tensor } from '../../src/runtime/ops/creation';
import { getBackend, setBackend, BackendName } from '../../src/runtime/backend/registry';
import { mul, detach } from '../../src/runtime/ops/basic';
import { sum } from '../../src/runtime/ops/reduce';
import { grad } from '../../src/runtime/autograd/engine';
import { gradcheck, jvp } from '../../src/runtime/autograd/functional';
import { enableGrad, noGrad } from '../../src/runtime/autograd/mode';
import type { DType } from '../../src/runtime/backend/types';

export { F } from '../../src/runtime/functional';
export { tensor, assert, sum, grad, noGrad };

/**
 * seq(shape, seed): v_i = (((7i + 13·seed) mod 17) − 8) / 8 — exactly representable, and mirrored in Python:
 *   torch.tensor([(((i*7 + seed*13) % 17) - 8) / 8 for i in range(n)]).reshape(shape)
 */
export function seq(shape: number[], seed: number, opts: { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from({ length: n }, (_, i) => ((((i * 7 + seed * 13) % 17) - 8) / 8));
  return tensor(vals, { dtype: opts.dtype ?? 'float32' }).reshape(shape).detach().requiresGrad_(opts.requiresGrad ?? false);
}

/** Runs the suite body once per backend (reference, then wasm), restoring the previous default after. */
export function bothBackends(body: (be: BackendName) => void): void {
  for (const be of ['reference', 'wasm'] as BackendName[]) {
    describe(`on ${be}`, () => {
      let prev: BackendName;
      before(() => {
        prev = getBackend();
        setBackend(be);
      });
      after(() => setBackend(prev));
      body(be);
    });
  }
}

export function close(actual: Tensor | ArrayLike<number> | number, expected: ArrayLike<number> | number, tol = 1e-5, what = 'value'): void {
  const a = typeof actual === 'number' ? [actual] : actual instanceof Tensor ? Array.from(actual.dataSync()) : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  assert.equal(a.length, e.length, `${what}: length ${a.length} vs expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const ok = (Number.isNaN(e[i]) && Number.isNaN(a[i])) || a[i] === e[i] || Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i]));
    assert.ok(ok, `${what}[${i}]: got ${a[i]}, expected ${e[i]} (tol ${tol})`);
  }
}

/** The scalar loss the PyTorch script used: sum(y ⊙ seq(y.shape, 99)). */
export function weightedLoss(y: Tensor): Tensor {
  return sum(mul(y, seq(y.shape, 99, { dtype: y.dtype })));
}

/** Forward value and gradients of weightedLoss(fn(...inputs)) w.r.t. every input. */
export function valueAndGrads(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): { y: Tensor; grads: Tensor[] } {
  for (const x of inputs) x.requiresGrad_(true);
  const y = fn(...inputs);
  const gs = grad(weightedLoss(y), inputs);
  return { y, grads: gs.map((g) => g as Tensor) };
}

/** A float64 tensor of pseudo-random values in [-1, 1) (no ties, so max/abs kinks are not hit). */
export function rnd(shape: number[], seed: number, requiresGrad = true): Tensor {
  let s = (seed * 2654435761) >>> 0 || 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    vals[i] = (s / 4294967296) * 2 - 1;
  }
  const t = tensor(vals).reshape(shape).detach();
  return requiresGrad ? t.requiresGrad_(true) : t;
}

/** First-order gradcheck in float64 (reference backend). */
export function check(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], tol = 1e-6): void {
  const r = gradcheck(fn, inputs, { eps: 1e-6, atol: tol, rtol: 1e-4 });
  assert.ok(r.ok, `gradcheck failed: ${JSON.stringify(r)}`);
}

/** Second-order: gradcheck of x ↦ ∂⟨fn(x), w⟩/∂x (graph built with createGraph). */
export function check2(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const first = (...xs: Tensor[]): Tensor => enableGrad(() => {
    const y = fn(...xs);
    const gs = grad(weightedLoss(y), xs, { createGraph: true, allowUnused: true });
    let total: Tensor | null = null;
    gs.forEach((g, i) => {
      if (!g) return;
      const term = sum(mul(g, seq(g.shape, 50 + i, { dtype: g.dtype })));
      total = total ? total.add(term) : term;
    });
    return total as unknown as Tensor;
  });
  check(first, inputs, 1e-5);
}

/** Forward-mode tangent vs central differences in float64. */
export function checkJvp(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const tangents = inputs.map((x, i) => rnd(x.shape, 77 + i, false));
  const { tangent } = jvp(fn, inputs.map((x) => detach(x)), tangents);
  const h = 1e-6;
  const shifted = (sgn: number): Tensor => noGrad(() => fn(...inputs.map((x, i) => detach(x).add(mul(tangents[i], sgn * h)))));
  const numeric = shifted(1).sub(shifted(-1)).div(2 * h);
  close(tangent as Tensor, numeric.dataSync(), 1e-6, 'jvp');
}

export function throwsWith(fn: () => unknown, pattern: RegExp | string): void {
  assert.throws(fn, (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    const ok = typeof pattern === 'string' ? msg.includes(pattern) : pattern.test(msg);
    assert.ok(ok, `error message did not match ${pattern}: ${msg}`);
    return true;
  });
}

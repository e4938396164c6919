/**
 * Phase 2: replay optim.json trajectories (100 steps on the fixed float64 least-squares problem) with
 * `rt.optim.<Optimizer>`; returns the first divergence (loss or parameter) with its step, or [] when all match.
 */
import { compareTensor, toleranceFor } from './compare';
import { makeTensor, FixtureTensor } from './fixtures';

export interface OptimCase {
  name: string;
  optimizer: string;
  options: Record<string, any>;
  /** float64 (default) or float32: the problem tensors are cast to it before the run. */
  dtype?: 'float32' | 'float64';
  losses: number[];
  params: { w: number[][]; c: number[][] };
}

export interface OptimFile {
  problem: { X: FixtureTensor; y: FixtureTensor; w: FixtureTensor; c: FixtureTensor };
  steps: number;
  cases: OptimCase[];
}


export function runOptimCase(rt: any, file: OptimFile, c: OptimCase): string[] {
  if (!rt.optim || typeof rt.optim[c.optimizer] !== 'function') return [`runtime: optim.${c.optimizer} is not exported`];
  const p = file.problem;
  const dtype = c.dtype ?? 'float64';
  const TOL = toleranceFor(dtype);
  const cast = (t: FixtureTensor): FixtureTensor => ({ ...t, dtype, data: dtype === 'float32' ? t.data.map((v) => Math.fround(Number(v))) : t.data });
  const X = makeTensor(rt, cast(p.X));
  const y = makeTensor(rt, cast(p.y));
  const w = makeTensor(rt, cast(p.w), true);
  const b = makeTensor(rt, cast(p.c), true);
  const opt = new rt.optim[c.optimizer]([w, b], { ...c.options });
  for (let k = 0; k < file.steps; k++) {
    opt.zeroGrad();
    const loss = rt.matmul(X, w).add(b).sub(y).square().mean();
    loss.backward();
    opt.step();
    const got = loss.item();
    const want = c.losses[k];
    if (!(Math.abs(got - want) <= TOL.atol + TOL.rtol * Math.abs(want))) {
      return [`step ${k}: loss ${got} expected ${want} (|diff| ${Math.abs(got - want).toExponential(3)})`];
    }
    for (const [name, t, shape] of [['w', w, p.w.shape], ['c', b, p.c.shape]] as const) {
      const e = { data: c.params[name][k], shape: [...shape], dtype };
      const msg = compareTensor(`step ${k}: param ${name} after step`, t, e);
      if (msg) return [msg];
    }
  }
  return [];
}

/**
 * L-BFGS (PyTorch 1.13's torch.optim.LBFGS, fixed step or `lineSearchFn: 'strong_wolfe'`): step(closure)
 * re-evaluates the loss up to maxIter times, building the two-loop recursion from the last historySize curvature
 * pairs. One parameter group; the directions are kept as flat float64 vectors.
 */
import { Tensor } from '../tensor';
import { Optimizer, type ParamsArg } from './optimizer';
import { enableGrad, noGrad } from '../autograd/mode';
import { optimSigs, type OptimArgs } from './signatures';
import { tensor } from '../ops/creation';
import { contiguous } from '../ops/basic';
import { copy_ } from '../ops/inplace-ops';
import { reshape } from '../ops/views';
import { strongWolfe } from './lbfgs-wolfe';

export interface LBFGSOptions {
  lr: number;
  maxIter?: number;
  maxEval?: number | null;
  toleranceGrad?: number;
  toleranceChange?: number;
  historySize?: number;
  lineSearchFn?: 'strong_wolfe' | null;
}

type Vec = Float64Array;
const dot = (a: Vec, b: Vec): number => a.reduce((s, v, i) => s + v * b[i], 0);
const absMax = (a: Vec): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

interface LState {
  funcEvals: number;
  nIter: number;
  d?: Vec;
  t?: number;
  oldDirs: Vec[];
  oldStps: Vec[];
  ro: number[];
  hDiag: number;
  prevFlatGrad?: Vec;
  prevLoss?: number;
}

export class LBFGS extends Optimizer<LBFGSOptions> {
  private lstate: LState = { funcEvals: 0, nIter: 0, oldDirs: [], oldStps: [], ro: [], hDiag: 1 };
  constructor(params: ParamsArg<LBFGSOptions>, ...args: OptimArgs<typeof optimSigs.LBFGS>) {
    const o = optimSigs.LBFGS.parse(args);
    super(params, { ...o, maxEval: o.maxEval ?? Math.floor((o.maxIter * 5) / 4) } as LBFGSOptions, optimSigs.LBFGS);
    if (this.paramGroups.length !== 1) throw new Error("LBFGS: doesn't support per-parameter options (parameter groups)");
  }

  protected update(): void {
    throw new Error('LBFGS: step() needs a closure that re-evaluates the model and returns the loss');
  }

  private params(): Tensor[] {
    return this.paramGroups[0].params;
  }

  private flatGrad(): Vec {
    const out: number[] = [];
    for (const p of this.params()) {
      const g = p.grad ? p.grad.dataSync() : new Float64Array(p.numel());
      for (let i = 0; i < g.length; i++) out.push(g[i]);
    }
    return Float64Array.from(out);
  }

  /** p ← p + t·d over the flat parameter vector. */
  private addGrad(t: number, d: Vec): void {
    let off = 0;
    noGrad(() => {
      for (const p of this.params()) {
        const n = p.numel();
        const v = contiguous(p).dataSync();
        const next = new Float64Array(n);
        for (let i = 0; i < n; i++) next[i] = v[i] + t * d[off + i];
        copy_(p, reshape(tensor(next, { dtype: p.dtype }), p.shape)); // bumps p's version
        off += n;
      }
    });
  }

  /** Restores the parameters to saved values (PyTorch's _set_param). */
  private setParams(values: ArrayLike<number>[]): void {
    noGrad(() => {
      this.params().forEach((p, i) => {
        copy_(p, reshape(tensor(Float64Array.from(values[i]), { dtype: p.dtype }), p.shape)); // bumps p's version
      });
    });
  }

  override step(closure?: () => number | Tensor): number | undefined {
    if (!closure) throw new Error('LBFGS: step() needs a closure that re-evaluates the model and returns the loss');
    const g = this.paramGroups[0];
    const o = g as unknown as Required<LBFGSOptions>;
    const evalLoss = (): { value: number; raw: number | Tensor } => {
      const raw = enableGrad(closure);
      return { value: raw instanceof Tensor ? raw.item() : Number(raw), raw };
    };
    const st = this.lstate;
    const first = evalLoss();
    let loss = first.value;
    let currentEvals = 1;
    st.funcEvals++;
    let flat = this.flatGrad();
    if (absMax(flat) <= o.toleranceGrad) return first.value;
    let { d, t } = st;
    let nIter = 0;
    while (nIter < o.maxIter) {
      nIter++;
      st.nIter++;
      if (st.nIter === 1) {
        d = flat.map((v) => -v);
        st.oldDirs = [];
        st.oldStps = [];
        st.ro = [];
        st.hDiag = 1;
      } else {
        const prev = st.prevFlatGrad as Vec;
        const y = flat.map((v, i) => v - prev[i]);
        const s = (d as Vec).map((v) => v * (t as number));
        const ys = dot(y, s);
        if (ys > 1e-10) {
          if (st.oldDirs.length === o.historySize) {
            st.oldDirs.shift();
            st.oldStps.shift();
            st.ro.shift();
          }
          st.oldDirs.push(y);
          st.oldStps.push(s);
          st.ro.push(1 / ys);
          st.hDiag = ys / dot(y, y);
        }
        const k = st.oldDirs.length;
        const al = new Array<number>(k);
        const q = flat.map((v) => -v);
        for (let i = k - 1; i >= 0; i--) {
          al[i] = dot(st.oldStps[i], q) * st.ro[i];
          for (let j = 0; j < q.length; j++) q[j] -= al[i] * st.oldDirs[i][j];
        }
        const r = q.map((v) => v * st.hDiag);
        for (let i = 0; i < k; i++) {
          const be = dot(st.oldDirs[i], r) * st.ro[i];
          for (let j = 0; j < r.length; j++) r[j] += (al[i] - be) * st.oldStps[i][j];
        }
        d = r;
      }
      st.prevFlatGrad = Float64Array.from(flat);
      const prevLoss = loss;
      st.prevLoss = prevLoss;
      t = st.nIter === 1 ? Math.min(1, 1 / flat.reduce((a, v) => a + Math.abs(v), 0)) * o.lr : o.lr;
      const gtd = dot(flat, d as Vec);
      if (gtd > -o.toleranceChange) break;
      let lsEvals = 0;
      let optCond = false;
      if (o.lineSearchFn === 'strong_wolfe') {
        const xInit = this.params().map((p) => contiguous(p).dataSync().slice());
        const obj = (step: number, dir: Vec): [number, Vec] => {
          this.addGrad(step, dir);
          const f = evalLoss().value;
          const gr = this.flatGrad();
          this.setParams(xInit);
          return [f, gr];
        };
        [loss, flat, t, lsEvals] = strongWolfe(obj, t, d as Vec, loss, flat, gtd); // PyTorch passes its default tolerances, not the group's
        this.addGrad(t, d as Vec);
        optCond = absMax(flat) <= o.toleranceGrad;
      } else if (nIter !== o.maxIter) {
        this.addGrad(t, d as Vec);
        loss = evalLoss().value;
        flat = this.flatGrad();
        optCond = absMax(flat) <= o.toleranceGrad;
        lsEvals = 1;
      } else this.addGrad(t, d as Vec);
      currentEvals += lsEvals;
      st.funcEvals += lsEvals;
      if (nIter === o.maxIter || currentEvals >= (o.maxEval as number) || optCond) break;
      if (absMax((d as Vec).map((v) => v * (t as number))) <= o.toleranceChange) break;
      if (Math.abs(loss - prevLoss) < o.toleranceChange) break;
    }
    st.d = d;
    st.t = t;
    this.stepCount++;
    return first.value;
  }
}

/**
 * The strong-Wolfe line search of PyTorch 1.13's LBFGS (`line_search_fn='strong_wolfe'`; torch/optim/lbfgs.py,
 * itself ported from torch7's lswolfe.lua and polyinterp.lua): bracket a step satisfying the strong Wolfe
 * conditions, then zoom with safeguarded cubic interpolation. Same decisions in the same order as PyTorch, so
 * the iterates equal PyTorch's (test/unit/fidelity-lbfgs-wolfe.test.ts).
 */

type Vec = Float64Array;
const dot = (a: Vec, b: Vec): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to `bounds` (default: between x1 and x2). */
export function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2sq = d1 * d1 - g1 * g2;
  if (d2sq >= 0) {
    const d2 = Math.sqrt(d2sq);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/** The loss and flat gradient at x + t·d (parameters restored to x afterwards). */
export type DirectionalEval = (t: number, d: Vec) => [number, Vec];

/** Returns [loss, flat gradient, step t, function evaluations] at the accepted step. */
export function strongWolfe(obj: DirectionalEval, t: number, d: Vec, f: number, g: Vec, gtd: number, c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25): [number, Vec, number, number] {
  let dNorm = 0;
  for (const v of d) dNorm = Math.max(dNorm, Math.abs(v));
  let [fNew, gNew] = obj(t, d);
  let evals = 1;
  let gtdNew = dot(gNew, d);
  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketF: number[] = [];
  let bracketG: Vec[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew;
    gtdPrev = gtdNew;
    [fNew, gNew] = obj(t, d);
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
  }
  if (lsIter === maxLs) [bracket, bracketF, bracketG] = [[0, t], [f, fNew], [g, gNew]];

  // zoom: shrink the bracket until a point satisfies the conditions
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    const bMax = Math.max(...bracket);
    const bMin = Math.min(...bracket);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      // too close to a boundary: after insufficient progress (or at the boundary) move 0.1·width inside
      if (insufProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufProgress = false;
      } else insufProgress = true;
    } else insufProgress = false;
    [fNew, gNew] = obj(t, d);
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]) {
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew;
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) done = true;
      else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0) {
        bracket[highPos] = bracket[lowPos];
        bracketF[highPos] = bracketF[lowPos];
        bracketG[highPos] = bracketG[lowPos];
        bracketGtd[highPos] = bracketGtd[lowPos];
      }
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew;
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return [bracketF[lowPos], bracketG[lowPos], bracket[lowPos], evals];
}

/** Element-wise comparison against fixture tensors with a report of the worst element. */
import { FixtureTensor, toNumber } from './fixtures';

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** The tolerances: float32 rtol 1e-4 / atol 1e-5; float64 1e-10; integers exact. */
export function toleranceFor(dtype: string): Tolerance {
  if (dtype === 'float64') return { rtol: 1e-10, atol: 1e-10 };
  if (dtype === 'float32') return { rtol: 1e-4, atol: 1e-5 };
  return { rtol: 0, atol: 0 };
}

function unravel(index: number, shape: number[]): number[] {
  const out: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    out.unshift(index % shape[d]);
    index = Math.floor(index / shape[d]);
  }
  return out;
}

function readTensor(got: any): { shape: number[]; dtype: string; data: ArrayLike<number> } {
  if (got === null || got === undefined) throw new Error('got null/undefined instead of a tensor');
  if (typeof got.dataSync !== 'function') throw new Error(`got a ${typeof got} without dataSync() instead of a tensor`);
  return { shape: Array.from(got.shape as number[]), dtype: got.dtype, data: got.dataSync() };
}

/**
 * Compare `got` (a runtime Tensor) with `expected`. Returns null when equal within tolerance, else a message
 * naming `what`, the worst element's flat and multi-index, expected vs got.
 */
export function compareTensor(what: string, got: any, expected: FixtureTensor): string | null {
  let g;
  try {
    g = readTensor(got);
  } catch (e) {
    return `${what}: ${(e as Error).message}`;
  }
  const shapeOk = g.shape.length === expected.shape.length && g.shape.every((d, i) => d === expected.shape[i]);
  if (!shapeOk) return `${what}: shape [${g.shape}] expected [${expected.shape}]`;
  if (g.dtype !== expected.dtype) return `${what}: dtype ${g.dtype} expected ${expected.dtype}`;
  if (g.data.length !== expected.data.length) {
    return `${what}: dataSync() length ${g.data.length} expected ${expected.data.length}`;
  }
  const tol = toleranceFor(expected.dtype);
  let worst = -1;
  let worstExcess = 0;
  let bad = 0;
  for (let i = 0; i < g.data.length; i++) {
    const e = toNumber(expected.data[i]);
    const v = Number(g.data[i]);
    let excess: number;
    if (Number.isNaN(e) || !Number.isFinite(e)) excess = Object.is(e, v) || (Number.isNaN(e) && Number.isNaN(v)) ? 0 : Infinity;
    else if (Number.isNaN(v)) excess = Infinity;
    else excess = Math.abs(v - e) - (tol.atol + tol.rtol * Math.abs(e));
    if (excess > 0) {
      bad++;
      if (worst < 0 || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (worst < 0) return null;
  const e = toNumber(expected.data[worst]);
  const v = Number(g.data[worst]);
  return (
    `${what}: ${bad}/${g.data.length} elements off; worst at flat ${worst} [${unravel(worst, expected.shape)}]: ` +
    `expected ${e} got ${v} (|diff| ${Math.abs(v - e).toExponential(3)}, rtol ${tol.rtol} atol ${tol.atol})`
  );
}

/**
 * Dead units: a unit (an output feature or channel) whose values are exactly zero for the whole batch. A ReLU
 * that never fires passes no gradient back, so its incoming weight rows get exactly zero gradient: such a layer
 * is dead, which is a different illness from vanishing (tiny but non-zero) gradients.
 */
import type { Tensor } from '../tensor';

/** Fraction of the slices along `unitDim` whose entries are all exactly 0 (NaN counts as alive). */
export function deadFraction(t: Tensor, unitDim: number): number {
  if (t.ndim === 0 || t.numel() === 0) return 0;
  const d = unitDim < 0 ? unitDim + t.ndim : unitDim;
  if (d < 0 || d >= t.ndim) return 0;
  const v = t.detach().contiguous().dataSync();
  const units = t.shape[d];
  const inner = t.shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const outer = t.shape.slice(0, d).reduce((a, b) => a * b, 1);
  let dead = 0;
  for (let u = 0; u < units; u++) {
    let alive = false;
    for (let o = 0; o < outer && !alive; o++) {
      const base = (o * units + u) * inner;
      for (let i = 0; i < inner; i++) {
        if (v[base + i] !== 0) {
          alive = true;
          break;
        }
      }
    }
    if (!alive) dead++;
  }
  return dead / units;
}

/** "37.5% dead" for a fraction, or '' when no unit is dead. */
export const deadLabel = (f: number | undefined): string => (f ? `${Number((100 * f).toPrecision(3))}% dead` : '');

// Colormaps as 256-entry RGB lookup tables, shared by the renderers (canvas) and the executor (PNG fallbacks). Pure.
// Data colours only; UI chrome follows the VS Code theme.

export type ColormapName = 'viridis' | 'coolwarm' | 'gray';

// see: matplotlib viridis sampled at 9 evenly spaced points.
export const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];
// see: Moreland, "Diverging Color Maps for Scientific Visualization" (2009), matplotlib 'coolwarm' at 5 points.
export const COOLWARM = ['#3b4cc0', '#8db0fe', '#dddddd', '#f49a7b', '#b40426'];
const GRAY = ['#000000', '#ffffff'];

function hexToRgb(h: string): [number, number, number] {
  const n = parseInt(h.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Linear interpolation through evenly spaced anchor colours into an RGB table (3·n bytes). */
export function buildLut(anchors: readonly string[], n = 256): Uint8Array {
  const rgb = anchors.map(hexToRgb);
  const lut = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const t = (i / (n - 1)) * (rgb.length - 1);
    const k = Math.min(rgb.length - 2, Math.floor(t));
    const f = t - k;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(rgb[k][c] + (rgb[k + 1][c] - rgb[k][c]) * f);
  }
  return lut;
}

const LUTS: Record<ColormapName, Uint8Array> = {
  viridis: buildLut(VIRIDIS),
  coolwarm: buildLut(COOLWARM),
  gray: buildLut(GRAY),
};

export function lut(name: ColormapName): Uint8Array {
  return LUTS[name];
}

/** Colour of t ∈ [0, 1] (clamped; NaN → magenta so missing values stand out). */
export function colorAt(name: ColormapName, t: number): [number, number, number] {
  if (Number.isNaN(t)) return [255, 0, 255];
  const i = Math.round(Math.min(1, Math.max(0, t)) * 255) * 3;
  const l = LUTS[name];
  return [l[i], l[i + 1], l[i + 2]];
}

export function cssColor(rgb: readonly number[]): string {
  return `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
}

/** CSS linear-gradient of a colormap, for colour bars. */
export function cssGradient(name: ColormapName, steps = 9): string {
  const stops = Array.from({ length: steps }, (_, i) => cssColor(colorAt(name, i / (steps - 1))));
  return `linear-gradient(to right, ${stops.join(', ')})`;
}


// Pure builders for image grids (feature maps, filter banks, heatmaps): value ranges, normalisation, grid
// layout, hit testing and painting into an RGBA buffer. No DOM, so they are unit-tested in Node.
import { lut, type ColormapName } from './colormap';

/** Tiles of h×w pixels with 1 or 3 channels; tile t, channel c starts at offsets[t] + c·h·w in data. */
export interface GridSource {
  data: ArrayLike<number>;
  offsets: number[];
  channels: 1 | 3;
  h: number;
  w: number;
}

export type Normalize = 'channel' | 'shared';
export type Range = [number, number];

/** Tile t of a [T, C, h, w] array restricted to channel `pick` (or all 3 channels when rgb). */
export function sourceFromNCHW(data: ArrayLike<number>, shape: number[], pick = 0, rgb = false): GridSource {
  const [t, c, h, w] = shape.length === 4 ? shape : shape.length === 3 ? [shape[0], 1, shape[1], shape[2]] : [1, 1, shape[0], shape[1] ?? 1];
  const plane = h * w;
  const offsets = Array.from({ length: t }, (_, i) => (i * c + (rgb ? 0 : pick)) * plane);
  return { data, offsets, channels: rgb ? 3 : 1, h, w };
}

function tileMinMax(s: GridSource, t: number): Range {
  let lo = Infinity;
  let hi = -Infinity;
  const n = s.h * s.w * s.channels;
  for (let i = s.offsets[t], end = i + n; i < end; i++) {
    const v = s.data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Finite min and max over all tiles. */
export function sourceMinMax(s: GridSource): Range {
  let lo = Infinity;
  let hi = -Infinity;
  for (let t = 0; t < s.offsets.length; t++) {
    const [a, b] = tileMinMax(s, t);
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  return [lo, hi];
}

/**
 * Display range of every tile. Diverging ranges are symmetric around 0 ([-m, m], m = max|v|) so 0 is the
 * neutral colour; sequential ranges are [min, max]. 'shared' gives every tile the range of the whole grid.
 */
export function tileRanges(s: GridSource, mode: Normalize, diverging: boolean): Range[] {
  const per = s.offsets.map((_, t) => tileMinMax(s, t));
  const fix = ([lo, hi]: Range): Range => {
    if (!diverging) return [lo, hi];
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    return [-m, m];
  };
  if (mode === 'channel') return per.map(fix);
  const all: Range = [Math.min(...per.map((r) => r[0])), Math.max(...per.map((r) => r[1]))];
  return per.map(() => fix(all));
}

/** Value → t ∈ [0, 1] within a range; a degenerate range maps to 0.5 (diverging) or 0 (sequential). */
export function normalize(v: number, [lo, hi]: Range, diverging: boolean): number {
  if (Number.isNaN(v)) return NaN;
  if (!(hi > lo)) return diverging ? 0.5 : 0;
  return Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
}

/** Viridis for non-negative data, coolwarm (diverging, centred at 0) when asked or when data is signed. */
export function pickColormap(requested: 'sequential' | 'diverging', min: number): ColormapName {
  return requested === 'diverging' || min < 0 ? 'coolwarm' : 'viridis';
}

export interface GridLayout {
  tiles: number;
  cols: number;
  rows: number;
  /** Integer upscaling of each source pixel in the painted buffer. */
  scale: number;
  gap: number;
  h: number;
  w: number;
  /** Painted buffer size in pixels. */
  width: number;
  height: number;
  /** CSS size / buffer size (< 1 when a single big tile must shrink to fit). */
  zoom: number;
}

export interface LayoutOptions {
  maxWidth?: number;
  /** Aimed-for displayed tile size in CSS px. */
  target?: number;
  gap?: number;
}

export function gridLayout(tiles: number, h: number, w: number, o: LayoutOptions = {}): GridLayout {
  const maxWidth = o.maxWidth ?? 720;
  const gap = tiles > 1 ? (o.gap ?? 2) : 0;
  const scale = Math.max(1, Math.round((o.target ?? 64) / Math.max(h, w)));
  const tw = w * scale;
  const fit = Math.max(1, Math.floor((maxWidth + gap) / (tw + gap)));
  let cols = Math.min(tiles, fit);
  const rows = Math.max(1, Math.ceil(tiles / cols));
  cols = Math.max(1, Math.ceil(tiles / rows));
  const width = cols * tw + (cols - 1) * gap;
  const height = rows * h * scale + (rows - 1) * gap;
  return { tiles, cols, rows, scale, gap, h, w, width, height, zoom: width > maxWidth ? maxWidth / width : 1 };
}

/** CSS-pixel position → tile and source pixel (y, x); null over a gap or outside. */
export function hitTest(l: GridLayout, cssX: number, cssY: number): { tile: number; y: number; x: number } | null {
  const px = cssX / l.zoom;
  const py = cssY / l.zoom;
  const cw = l.w * l.scale + l.gap;
  const ch = l.h * l.scale + l.gap;
  const col = Math.floor(px / cw);
  const row = Math.floor(py / ch);
  if (px < 0 || py < 0 || col >= l.cols || row >= l.rows) return null;
  const x = Math.floor((px - col * cw) / l.scale);
  const y = Math.floor((py - row * ch) / l.scale);
  const tile = row * l.cols + col;
  if (x >= l.w || y >= l.h || tile >= l.tiles) return null;
  return { tile, y, x };
}

/** Top-left buffer pixel of a tile. */
export function tileOrigin(l: GridLayout, tile: number): { left: number; top: number } {
  const col = tile % l.cols;
  const row = Math.floor(tile / l.cols);
  return { left: col * (l.w * l.scale + l.gap), top: row * (l.h * l.scale + l.gap) };
}

/** The LUT index (0–255) of v in a range, or -1 for NaN; inlined form of normalize() for the paint loop. */
function lutIndex(v: number, lo: number, inv: number, degenerate: number): number {
  if (v !== v) return -1;
  if (inv === 0) return degenerate;
  const k = ((v - lo) * inv * 255 + 0.5) | 0;
  return k < 0 ? 0 : k > 255 ? 255 : k;
}

/** Packs r, g, b (opaque) into one little-endian RGBA word. */
const word = (r: number, g: number, b: number) => ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;

/** Paints every tile (nearest-neighbour upscaled) into an RGBA buffer of width×height; gaps stay transparent. */
export function paintGrid(s: GridSource, l: GridLayout, ranges: Range[], cmap: ColormapName): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(l.width * l.height * 4);
  const px = new Uint32Array(out.buffer);
  const table = lut(cmap);
  const colours = Uint32Array.from({ length: 256 }, (_, k) => word(table[k * 3], table[k * 3 + 1], table[k * 3 + 2]));
  const nan = word(255, 0, 255);
  const degenerate = cmap === 'coolwarm' ? 128 : 0;
  const plane = s.h * s.w;
  for (let t = 0; t < l.tiles; t++) {
    const { left, top } = tileOrigin(l, t);
    const [lo, hi] = ranges[t];
    const inv = hi > lo ? 1 / (hi - lo) : 0;
    for (let y = 0; y < s.h; y++) {
      for (let x = 0; x < s.w; x++) {
        const i = s.offsets[t] + y * s.w + x;
        let c: number;
        if (s.channels === 3) {
          const r = lutIndex(s.data[i], lo, inv, 0);
          const g = lutIndex(s.data[i + plane], lo, inv, 0);
          const b = lutIndex(s.data[i + 2 * plane], lo, inv, 0);
          c = word(Math.max(0, r), Math.max(0, g), Math.max(0, b));
        } else {
          const k = lutIndex(s.data[i], lo, inv, degenerate);
          c = k < 0 ? nan : colours[k];
        }
        fillBlock(px, l.width, left + x * l.scale, top + y * l.scale, l.scale, c);
      }
    }
  }
  return out;
}

function fillBlock(px: Uint32Array, width: number, x0: number, y0: number, n: number, c: number): void {
  for (let dy = 0; dy < n; dy++) {
    const row = (y0 + dy) * width + x0;
    px.fill(c, row, row + n);
  }
}

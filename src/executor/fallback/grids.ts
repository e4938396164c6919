/**
 * image/png fallbacks of the image-grid figures (feature maps, filter banks, tensor heatmaps and images): the
 * same colormaps as the renderers, labels and colour bars written into the PNG, and a footer saying what the
 * static image leaves out. Shrinks (fewer layers, fewer tiles, smaller tiles) until the PNG fits its budget.
 */
import { unpackArray, type ImageGridLayer, type FeatureMapsPayload, type TensorPayload, type WeightsPayload } from '../../protocol';
import type { ColormapName } from '../../protocol/colormap';
import { fitText, INK, LINE_HEIGHT, MUTED, Raster, wrapText } from './raster';

const WIDTH = 760;
const PAD = 8;
const GAP = 2;

export interface GridPlan {
  maxLayers: number;
  maxTiles: number;
  /** Displayed tile size in pixels (source pixels are upscaled or sampled to it). */
  tile: number;
}

const PLANS: GridPlan[] = [
  { maxLayers: 10, maxTiles: 12, tile: 56 },
  { maxLayers: 8, maxTiles: 10, tile: 44 },
  { maxLayers: 6, maxTiles: 8, tile: 36 },
  { maxLayers: 4, maxTiles: 6, tile: 28 },
];

/** `n` indices spread evenly over 0..total-1 (first and last included). */
export function spread(total: number, n: number): number[] {
  if (total <= n) return Array.from({ length: total }, (_, i) => i);
  return Array.from({ length: n }, (_, i) => Math.round((i * (total - 1)) / Math.max(1, n - 1)));
}

const fmt = (v: number) => {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : String(Number(v.toPrecision(3)));
};

function range(values: ArrayLike<number>, from: number, n: number, diverging: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < from + n; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo)) return [0, 0];
  if (!diverging) return [lo, hi];
  const m = Math.max(Math.abs(lo), Math.abs(hi));
  return [-m, m];
}

/** Samples an h×w plane to at most `size` pixels per side (nearest), so big maps cost no more than small ones. */
function samplePlane(values: ArrayLike<number>, offset: number, h: number, w: number, size: number, planes = 1) {
  const f = Math.max(1, Math.ceil(Math.max(h, w) / size));
  const sh = Math.ceil(h / f);
  const sw = Math.ceil(w / f);
  const out = new Float32Array(sh * sw * planes);
  for (let p = 0; p < planes; p++) {
    for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) out[p * sh * sw + y * sw + x] = values[offset + p * h * w + y * f * w + x * f];
  }
  return { values: out, h: sh, w: sw, factor: f };
}

/** One grid section: which tiles of a layer are drawn and how. */
interface Section {
  header: string;
  values: ArrayLike<number>;
  /** Tiles: [count, channels-per-tile (1 or 3), h, w]; tile t starts at t·planes·h·w. */
  tiles: number;
  planes: 1 | 3;
  h: number;
  w: number;
  cmap: ColormapName;
  diverging: boolean;
  normalize: 'channel' | 'shared';
  tileLabel: string;
  /** Original index of each tile when the payload kept a sample of them. */
  index?: number[];
  /** Appended after the tile list, e.g. ", input channel 0". */
  suffix?: string;
}

function sectionOf(l: ImageGridLayer, kind: 'featuremap' | 'conv' | 'linear', shape: number[]): Section {
  const values = unpackArray(l.data);
  const s = kind === 'featuremap' && l.data.shape.length === 4 ? l.data.shape.slice(1) : l.data.shape;
  let min = Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] < min) min = values[i];
  const diverging = l.colormap === 'diverging' || min < 0;
  const cmap: ColormapName = diverging ? 'coolwarm' : 'viridis';
  const shown = l.sourceShape ?? shape;
  const pooled = l.pool && l.pool > 1 ? `, ${l.pool}×${l.pool} average-pooled` : '';
  const base = { values, cmap, diverging, normalize: l.normalize, header: `${l.name} (${l.type}) [${shown.join(', ')}]${pooled}`, index: l.channels };
  if (kind === 'linear') return { ...base, tiles: 1, planes: 1, h: s[0], w: s[1] ?? 1, tileLabel: 'out × in' };
  if (s.length === 4) {
    const rgb = !!l.rgb && s[1] === 3;
    // a filter bank: one tile per output filter, its RGB colours or its first input channel
    if (rgb) return { ...base, tiles: s[0], planes: 3, h: s[2], w: s[3], tileLabel: 'RGB filters' };
    const plane = s[2] * s[3];
    const first = new Float32Array(s[0] * plane);
    for (let o = 0; o < s[0]; o++) first.set(values.subarray(o * s[1] * plane, o * s[1] * plane + plane), o * plane);
    return { ...base, values: first, tiles: s[0], planes: 1, h: s[2], w: s[3], tileLabel: 'filters', suffix: `, input channel ${l.inputs?.[0] ?? 0}` };
  }
  const [c, h, w] = s.length === 3 ? s : [1, s[0], s[1] ?? 1];
  return { ...base, tiles: c, planes: 1, h, w, tileLabel: 'channels' };
}

function sectionHeight(plan: GridPlan, sec: Section, width: number): number {
  const big = sec.tiles === 1;
  const tile = big ? Math.min(width, plan.tile * 4) : plan.tile;
  // tiles are sampled to at most `tile` pixels on their longer side
  const aspect = sec.h / Math.max(1, sec.w);
  return LINE_HEIGHT * 2 + Math.ceil(tile * Math.min(1, aspect)) + GAP * 2;
}

function drawSection(r: Raster, y: number, plan: GridPlan, sec: Section): number {
  const shown = spread(sec.tiles, sec.tiles === 1 ? 1 : plan.maxTiles);
  const of = sec.index ? Math.max(sec.tiles, (sec.index[sec.index.length - 1] ?? 0) + 1) : sec.tiles;
  const label = shown.map((i) => sec.index?.[i] ?? i);
  const what = sec.tiles > 1 ? `  ${sec.tileLabel} ${label.length < of ? `${label.slice(0, 4).join(', ')}${label.length > 4 ? ', …' : ''} (${label.length} of ${of})` : `(all ${of})`}${sec.suffix ?? ''}` : '';
  r.text(PAD, y, fitText(sec.header + what, r.width - 2 * PAD), INK);
  y += LINE_HEIGHT;
  const big = sec.tiles === 1;
  const box = big ? Math.min(r.width - 2 * PAD, plan.tile * 4) : plan.tile;
  const plane = sec.h * sec.w * sec.planes;
  const shared = sec.normalize === 'shared' ? range(sec.values, 0, sec.values.length, sec.diverging) : null;
  let x = PAD;
  let tileH = 0;
  for (const t of shown) {
    const s = samplePlane(sec.values, t * plane, sec.h, sec.w, box, sec.planes);
    const scale = Math.max(1, Math.floor(box / Math.max(s.h, s.w)));
    const [lo, hi] = shared ?? range(s.values, 0, s.values.length, sec.diverging);
    r.tile(x, y, s.values, 0, s.h, s.w, scale, lo, hi, sec.planes === 3 ? 'gray' : sec.cmap, sec.planes === 3);
    x += s.w * scale + GAP;
    tileH = Math.max(tileH, s.h * scale);
  }
  y += tileH + GAP;
  const [lo, hi] = shared ?? range(sec.values, 0, sec.values.length, sec.diverging);
  const caption = shared ? '(one shared range)' : sec.diverging ? 'each tile scaled to ±its max |value|; 0 is grey' : 'each tile scaled to its own min → max';
  if (sec.planes === 3) r.text(PAD, y, `RGB: each channel mapped from ${fmt(lo)} (dark) to ${fmt(hi)} (bright)`, MUTED);
  else r.text(r.colorbar(PAD, y + 3, 100, 9, sec.cmap, fmt(lo), fmt(hi)) + 6, y, caption, MUTED);
  return y + LINE_HEIGHT + GAP;
}

/** Draws sections with a title and footer notes; shrinks the plan until the PNG is within `maxBytes`. */
export function gridPng(title: string, sections: Section[], notes: (plan: GridPlan, drawn: number) => string[], maxBytes: number): string {
  let last = '';
  for (const plan of PLANS) {
    const drawnIdx = spread(sections.length, plan.maxLayers);
    const drawn = drawnIdx.map((i) => sections[i]);
    const lines = notes(plan, drawn.length).flatMap((n) => wrapText(n, WIDTH - 2 * PAD));
    const height = PAD * 2 + LINE_HEIGHT * (1 + lines.length) + drawn.reduce((a, s) => a + sectionHeight(plan, s, WIDTH), 0);
    const r = new Raster(WIDTH, height);
    r.text(PAD, PAD, fitText(title, WIDTH - 2 * PAD), INK);
    let y = PAD + LINE_HEIGHT + 2;
    for (const sec of drawn) y = drawSection(r, y, plan, sec);
    for (const line of lines) {
      r.text(PAD, y, fitText(line, WIDTH - 2 * PAD), MUTED);
      y += LINE_HEIGHT;
    }
    last = r.toPngBase64();
    if (last.length <= maxBytes) return last; // base64, as the notebook stores it
  }
  return last;
}

const ask = 'Interactive in VS Code with Layerwise.';

export function featureMapsPng(p: FeatureMapsPayload, maxBytes: number): string {
  const sections = p.layers.map((l) => sectionOf(l, 'featuremap', l.data.shape));
  return gridPng(p.title ?? 'Feature maps', sections, (plan, drawn) => [
    ...(drawn < sections.length ? [`This image shows ${drawn} of ${sections.length} layers (evenly spaced) and up to ${plan.maxTiles} channels each.`] : []),
    ...(p.note ? [p.note] : []),
    ask,
  ], maxBytes);
}

export function weightsPng(p: WeightsPayload, maxBytes: number): string {
  const sections = p.layers.map((l) => sectionOf(l, l.kind === 'linear' ? 'linear' : 'conv', l.shape));
  return gridPng(p.title ?? 'Weights', sections, (plan, drawn) => [
    ...(drawn < sections.length ? [`This image shows ${drawn} of ${sections.length} layers (evenly spaced) and up to ${plan.maxTiles} filters each.`] : []),
    ...(p.note ? [p.note] : []),
    ask,
  ], maxBytes);
}

/** Heatmap (2-D) or image ([1|3, H, W]) of a tensor; null for the other views. */
export function tensorPng(p: TensorPayload, maxBytes: number): string | null {
  if (!p.data || (p.view !== 'heatmap' && p.view !== 'image')) return null;
  const values = unpackArray(p.data);
  const rgb = p.view === 'image' && p.shape[0] === 3;
  const [h, w] = p.view === 'image' ? [p.shape[1], p.shape[2]] : [p.shape[0], p.shape[1]];
  const diverging = p.view === 'heatmap' && p.stats.min < 0;
  const cmap: ColormapName = p.view === 'image' ? 'gray' : diverging ? 'coolwarm' : 'viridis';
  const sec: Section = { header: `tensor [${p.shape.join(', ')}] ${p.dtype}  min ${fmt(p.stats.min)} max ${fmt(p.stats.max)} mean ${fmt(p.stats.mean)} std ${fmt(p.stats.std)}`,
    values, tiles: 1, planes: rgb ? 3 : 1, h, w, cmap, diverging, normalize: 'shared', tileLabel: '' };
  return gridPng(p.title ?? (p.view === 'image' ? 'Tensor as image' : 'Tensor heatmap'), [sec], () => [], maxBytes);
}

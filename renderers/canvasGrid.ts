// Draws a GridSource on one canvas with a hover/keyboard readout (tile, pixel (y, x), value) and a colour bar.
import { cssGradient, type ColormapName } from './colormap';
import { h } from './dom';
import { fmtNum } from './format';
import { gridLayout, hitTest, paintGrid, tileOrigin, type GridSource, type LayoutOptions, type Range } from './imageGrid';

export interface GridViewOptions extends LayoutOptions {
  source: GridSource;
  ranges: Range[];
  cmap: ColormapName;
  /** e.g. "channel 12", "filter 3" */
  tileName(tile: number): string;
  ariaLabel: string;
  /** Replaces "<tile> · pixel (y, x)" in the readout, e.g. "output 3, input 17". */
  where?(tile: number, y: number, x: number): string;
  /** Colour-bar caption; omitted for RGB tiles. */
  rangeText?: string;
}

function colorbar(cmap: ColormapName, text: string): HTMLElement {
  const ramp = h('span', { class: 'lw-colorbar-ramp', 'aria-hidden': 'true' });
  ramp.style.background = cssGradient(cmap);
  return h('div', { class: 'lw-colorbar' }, ramp, h('span', {}, text));
}

function valueText(o: GridViewOptions, tile: number, y: number, x: number): string {
  const s = o.source;
  const i = s.offsets[tile] + y * s.w + x;
  const plane = s.h * s.w;
  const v = s.channels === 3 ? `(${[0, 1, 2].map((c) => fmtNum(s.data[i + c * plane])).join(', ')})` : fmtNum(s.data[i]);
  return `${o.where ? o.where(tile, y, x) : `${o.tileName(tile)} · pixel (${y}, ${x})`} · ${v}`;
}

/** Returns the grid element; everything is drawn synchronously so the first paint follows right after. */
export function gridView(o: GridViewOptions): HTMLElement {
  const s = o.source;
  const l = gridLayout(s.offsets.length, s.h, s.w, o);
  const canvas = h('canvas', { width: l.width, height: l.height, tabindex: 0, role: 'img', 'aria-label': o.ariaLabel,
    'data-tiles': l.tiles, 'data-cols': l.cols, 'data-rows': l.rows });
  canvas.style.width = `${l.width * l.zoom}px`;
  canvas.style.height = `${l.height * l.zoom}px`;
  const ctx = canvas.getContext('2d');
  if (ctx) ctx.putImageData(new ImageData(paintGrid(s, l, o.ranges, o.cmap), l.width, l.height), 0, 0);
  const cursor = h('div', { class: 'lw-cursor' });
  const readout = h('div', { class: 'lw-readout', 'aria-live': 'polite' }, 'Hover to read values (or focus the image and use the arrow keys).');
  // The cursor outlines the tile, or the pixel itself when there is a single tile.
  const show = (tile: number, y: number, x: number) => {
    const org = tileOrigin(l, tile);
    const one = l.tiles === 1;
    const [left, top] = one ? [org.left + x * l.scale, org.top + y * l.scale] : [org.left, org.top];
    const [w, hh] = one ? [l.scale, l.scale] : [l.w * l.scale, l.h * l.scale];
    Object.assign(cursor.style, { display: 'block', left: `${left * l.zoom}px`, top: `${top * l.zoom}px`,
      width: `${Math.max(2, w * l.zoom)}px`, height: `${Math.max(2, hh * l.zoom)}px` });
    readout.textContent = valueText(o, tile, y, x);
  };
  // Keyboard: arrows move between tiles, or between pixels when there is a single tile (a heatmap or image).
  const at = { tile: 0, y: Math.floor(s.h / 2), x: Math.floor(s.w / 2) };
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  canvas.addEventListener('mousemove', (e) => {
    const r = canvas.getBoundingClientRect();
    const hit = hitTest(l, e.clientX - r.left, e.clientY - r.top);
    if (hit) show((at.tile = hit.tile), (at.y = hit.y), (at.x = hit.x));
  });
  canvas.addEventListener('mouseleave', () => (cursor.style.display = 'none'));
  canvas.addEventListener('keydown', (e) => {
    const d: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    if (!(e.key in d)) return;
    e.preventDefault();
    const [dy, dx] = d[e.key];
    if (l.tiles === 1) [at.y, at.x] = [clamp(at.y + dy, s.h), clamp(at.x + dx, s.w)];
    else at.tile = clamp(at.tile + dx + dy * l.cols, l.tiles);
    show(at.tile, at.y, at.x);
  });
  canvas.addEventListener('focus', () => show(at.tile, at.y, at.x));
  const wrap = h('div', { class: 'lw-canvas-wrap' }, canvas, cursor);
  const parts: HTMLElement[] = [wrap, readout];
  if (o.rangeText) parts.push(colorbar(o.cmap, o.rangeText));
  return h('div', { class: 'lw-grid' }, ...parts);
}

/** Caption of the colour bar for a normalisation mode. */
export function rangeCaption(mode: 'channel' | 'shared', ranges: Range[], diverging: boolean): string {
  if (mode === 'channel') return diverging ? 'each tile scaled to ±its max |value|; 0 is grey' : 'each tile scaled to its own min → max';
  const [lo, hi] = ranges[0] ?? [0, 0];
  return `${fmtNum(lo)} → ${fmtNum(hi)} (shared)`;
}

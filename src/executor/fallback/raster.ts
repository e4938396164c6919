/**
 * A small RGB raster for the PNG fallbacks: filled rectangles, colour-mapped tiles, a colour bar and text from the
 * generated bitmap font (glyphs.ts), encoded with pngjs. Labels live in the pixels, so the PNG explains its
 * figure wherever it is shown (nbconvert, GitHub, JupyterLab) without any caption MIME beside it.
 */
import { PNG } from 'pngjs';
import { lut, type ColormapName } from '../../protocol/colormap';
import { GLYPH_HEIGHT, GLYPHS } from './glyphs';

export type Rgb = [number, number, number];

export const INK: Rgb = [40, 40, 40];
export const MUTED: Rgb = [110, 110, 110];
export const LINE_HEIGHT = GLYPH_HEIGHT + 2;

const glyphCache = new Map<string, { w: number; alpha: Uint8Array }>();

function glyph(ch: string): { w: number; alpha: Uint8Array } {
  let g = glyphCache.get(ch);
  if (!g) {
    const [w, hex] = GLYPHS[ch] ?? GLYPHS['?'];
    const alpha = new Uint8Array(w * GLYPH_HEIGHT);
    for (let i = 0; i < hex.length && i < alpha.length; i++) alpha[i] = parseInt(hex[i], 16) * 17;
    glyphCache.set(ch, (g = { w, alpha }));
  }
  return g;
}

/** Width in pixels of `text` in the bitmap font. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += glyph(ch).w;
  return w;
}

/** Cuts `text` with "…" so it fits in `width` pixels. */
export function fitText(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  let s = text;
  while (s.length > 1 && textWidth(`${s}…`) > width) s = s.slice(0, -1);
  return `${s}…`;
}

/** Splits `text` at spaces into lines of at most `width` pixels (a word longer than a line is cut with "…"). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (textWidth(next) <= width || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => fitText(l, width));
}

export class Raster {
  readonly data: Uint8Array;

  constructor(readonly width: number, readonly height: number, background: Rgb = [255, 255, 255]) {
    this.data = new Uint8Array(width * height * 3);
    this.fill(0, 0, width, height, background);
  }

  fill(x0: number, y0: number, w: number, h: number, [r, g, b]: Rgb): void {
    const x1 = Math.min(this.width, x0 + w);
    const y1 = Math.min(this.height, y0 + h);
    for (let y = Math.max(0, y0); y < y1; y++) {
      for (let x = Math.max(0, x0), i = (y * this.width + x) * 3; x < x1; x++, i += 3) {
        this.data[i] = r;
        this.data[i + 1] = g;
        this.data[i + 2] = b;
      }
    }
  }

  /** Draws `text` with its top-left corner at (x, y); returns the x after the last glyph. */
  text(x: number, y: number, text: string, [r, g, b]: Rgb = INK): number {
    x = Math.round(x);
    y = Math.round(y);
    for (const ch of text) {
      const { w, alpha } = glyph(ch);
      for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
        const py = y + gy;
        if (py < 0 || py >= this.height) continue;
        for (let gx = 0; gx < w; gx++) {
          const a = alpha[gy * w + gx];
          const px = x + gx;
          if (!a || px < 0 || px >= this.width) continue;
          const i = (py * this.width + px) * 3;
          const f = a / 255;
          this.data[i] = Math.round(this.data[i] * (1 - f) + r * f);
          this.data[i + 1] = Math.round(this.data[i + 1] * (1 - f) + g * f);
          this.data[i + 2] = Math.round(this.data[i + 2] * (1 - f) + b * f);
        }
      }
      x += w;
    }
    return x;
  }

  /**
   * One tile: `h`×`w` values (1 channel, colour-mapped over [lo, hi]; NaN magenta) or 3 planes (RGB, each mapped
   * to 0–255 over [lo, hi]), nearest-neighbour upscaled by `scale`, top-left at (x0, y0).
   */
  tile(x0: number, y0: number, values: ArrayLike<number>, offset: number, h: number, w: number, scale: number,
    lo: number, hi: number, cmap: ColormapName, rgb = false): void {
    const table = lut(cmap);
    const inv = hi > lo ? 255 / (hi - lo) : 0;
    const mid = cmap === 'coolwarm' ? 128 : 0;
    const code = (v: number) => (inv === 0 ? mid : Math.min(255, Math.max(0, Math.round((v - lo) * inv))));
    const plane = h * w;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = values[offset + y * w + x];
        let c: Rgb;
        if (rgb) c = [code(v), code(values[offset + plane + y * w + x]), code(values[offset + 2 * plane + y * w + x])];
        else if (Number.isNaN(v)) c = [255, 0, 255];
        else {
          const k = code(v) * 3;
          c = [table[k], table[k + 1], table[k + 2]];
        }
        this.fill(x0 + x * scale, y0 + y * scale, scale, scale, c);
      }
    }
  }

  /** A horizontal colour bar `w`×`h` with its end labels beside it; returns the x after the right label. */
  colorbar(x: number, y: number, w: number, h: number, cmap: ColormapName, left: string, right: string): number {
    const table = lut(cmap);
    x = this.text(x, y + (h - GLYPH_HEIGHT) / 2, `${left} `, MUTED);
    for (let i = 0; i < w; i++) {
      const k = Math.round((i / Math.max(1, w - 1)) * 255) * 3;
      this.fill(x + i, y, 1, h, [table[k], table[k + 1], table[k + 2]]);
    }
    return this.text(x + w, y + (h - GLYPH_HEIGHT) / 2, ` ${right}`, MUTED);
  }

  /** The PNG file (8-bit RGB) as base64, the form nbformat stores image/png in. */
  toPngBase64(): string {
    const png = new PNG({ width: this.width, height: this.height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
    png.data = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, deflateLevel: 9 }).toString('base64');
  }
}

/**
 * Size budgets of the image-grid figures: options checking, and summarising a layer's values to fit a byte
 * budget — channels/filters sampled evenly (the kept indices travel with the layer), big maps average-pooled,
 * values quantised to uint8 with a scale. `{full: true}` keeps everything as float32; `{maxBytes}` moves the budget.
 */
import { packArray, quantizeArray, type PackedArray } from '../../protocol';

/** Default budget of a figure's interactive payload (base64 inside JSON). */
export const PAYLOAD_BUDGET = 1_000_000;

export interface BudgetOptions {
  /** Budget of the interactive payload in bytes (default 1 MB). */
  maxBytes?: number;
  /** Keep every channel, every pixel, float32 values (ignores the budget). */
  full?: boolean;
}

export function budgetOf(what: string, o: BudgetOptions): number {
  if (o.maxBytes !== undefined && !(typeof o.maxBytes === 'number' && o.maxBytes > 0)) {
    throw new Error(`${what}: maxBytes must be a positive number of bytes, got ${String(o.maxBytes)}`);
  }
  if (o.full !== undefined && typeof o.full !== 'boolean') throw new Error(`${what}: full must be true or false, got ${String(o.full)}`);
  return o.full ? Infinity : (o.maxBytes ?? PAYLOAD_BUDGET);
}

/** `n` indices spread evenly over 0..total-1 (first and last kept). */
export function sampleIndices(total: number, n: number): number[] {
  if (n >= total) return Array.from({ length: total }, (_, i) => i);
  if (n <= 1) return [0];
  return Array.from({ length: n }, (_, i) => Math.round((i * (total - 1)) / (n - 1)));
}

/** Values per uint8 byte once base64-encoded and wrapped in JSON. */
export const BYTES_PER_VALUE = { uint8: 4 / 3, float32: 16 / 3 };

/**
 * Gathers `rows` of the leading dimension and `cols` of the second one of a [A, B, ...rest] array (row-major),
 * average-pooling the trailing 2-D plane by `pool` (1 = unchanged).
 */
export function gather(src: ArrayLike<number>, shape: number[], rows: number[], cols: number[] | null, pool: number): { values: Float32Array; shape: number[] } {
  const twoLead = cols !== null;
  const B = twoLead ? shape[1] : 1;
  const plane = shape.slice(twoLead ? 2 : 1);
  const h = plane.length >= 2 ? plane[plane.length - 2] : 1;
  const w = plane[plane.length - 1] ?? 1;
  const ph = Math.ceil(h / pool);
  const pw = Math.ceil(w / pool);
  const cs = cols ?? [0];
  const out = new Float32Array(rows.length * cs.length * ph * pw);
  let o = 0;
  for (const r of rows) {
    for (const c of cs) {
      const base = (r * B + c) * h * w;
      for (let y = 0; y < ph; y++) {
        for (let x = 0; x < pw; x++) {
          let s = 0;
          let n = 0;
          for (let dy = 0; dy < pool && y * pool + dy < h; dy++) {
            for (let dx = 0; dx < pool && x * pool + dx < w; dx++, n++) s += src[base + (y * pool + dy) * w + x * pool + dx];
          }
          out[o++] = s / n;
        }
      }
    }
  }
  const lead = twoLead ? [rows.length, cs.length] : [rows.length];
  return { values: out, shape: plane.length >= 2 ? [...lead, ph, pw] : [...lead, pw] };
}

/** float32 when the whole payload is allowed, else uint8 codes with a scale. */
export const pack = (values: Float32Array, shape: number[], full: boolean): PackedArray =>
  full ? packArray(values, shape) : quantizeArray(values, shape);

/** "64 → 16 channels" style fragments joined into one sentence of what was summarised, or ''. */
export function summaryNote(parts: string[], how: string): string {
  return parts.length ? `Summarised to fit the size budget: ${parts.join('; ')}. ${how}` : '';
}

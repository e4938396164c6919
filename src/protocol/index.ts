/**
 * The output protocol shared by the executor (which produces outputs), the VS Code host (which forwards them),
 * the renderers (which draw them) and the headless HTML report. Pure types and tiny helpers: no Node, no DOM.
 *
 * Versioning: every rich payload carries `v` (PROTOCOL_VERSION at the time it was written). Renderers accept
 * every version up to their own and show a visible error box for anything they cannot read.
 */
export const PROTOCOL_VERSION = 1;

export const MIME = {
  tensor: 'application/vnd.layerwise.tensor+json',
  featureMaps: 'application/vnd.layerwise.featuremaps+json',
  weights: 'application/vnd.layerwise.weights+json',
  gradFlow: 'application/vnd.layerwise.gradflow+json',
  gradFlowWatch: 'application/vnd.layerwise.gradflow-watch+json',
  distributions: 'application/vnd.layerwise.distributions+json',
  live: 'application/vnd.layerwise.live+json',
  progress: 'application/vnd.layerwise.progress+json',
  graph: 'application/vnd.layerwise.graph+json',
  summary: 'application/vnd.layerwise.summary+json',
  plotly: 'application/vnd.plotly.v1+json',
  text: 'text/plain',
  html: 'text/html',
  png: 'image/png',
  markdown: 'text/markdown',
  json: 'application/json',
} as const;

export type LayerwiseMime = (typeof MIME)[keyof typeof MIME];

/** One display output: mime → payload (string for text/*, base64 string for image/png, object for JSON mimes). */
export type MimeBundle = Record<string, unknown>;

/**
 * Numbers that travel as bytes, base64-encoded inside the JSON payload: little-endian float32 or int32, or uint8
 * codes q of a quantised float array (value = offset + q·scale; see quantizeArray), 4× smaller for images.
 */
export interface PackedArray {
  dtype: 'float32' | 'int32' | 'uint8';
  shape: number[];
  b64: string;
  /** uint8 only: value = offset + q·scale. */
  scale?: number;
  offset?: number;
}

export interface TensorStats {
  min: number;
  max: number;
  mean: number;
  std: number;
  nan: number;
  inf: number;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64[n >> 18] + B64[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + '=';
  }
  return out;
}

const B64_INDEX = (() => {
  const idx = new Uint8Array(128);
  for (let i = 0; i < B64.length; i++) idx[B64.charCodeAt(i)] = i;
  return idx;
})();

export function base64ToBytes(b64: string): Uint8Array {
  const clean = b64.replace(/[^A-Za-z0-9+/]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  const at = (k: number): number => (k < clean.length ? B64_INDEX[clean.charCodeAt(k)] : 0);
  for (let i = 0; i < clean.length; i += 4) {
    const a = at(i);
    const b = at(i + 1);
    const c = at(i + 2);
    const d = at(i + 3);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

export function packArray(data: Float32Array | Int32Array, shape: number[]): PackedArray {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { dtype: data instanceof Int32Array ? 'int32' : 'float32', shape: [...shape], b64: bytesToBase64(bytes) };
}

/**
 * Quantises to uint8 codes spanning [min, max] of the finite values (NaN and ±Inf clamp to the nearest end);
 * the error is at most (max − min)/510 per value.
 */
export function quantizeArray(data: ArrayLike<number>, shape: number[]): PackedArray {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo)) [lo, hi] = [0, 0];
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  const q = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const k = Math.round((data[i] - lo) / scale);
    q[i] = k > 255 ? 255 : k > 0 ? k : 0;
  }
  return { dtype: 'uint8', shape: [...shape], b64: bytesToBase64(q), scale, offset: lo };
}

export function unpackArray(p: PackedArray): Float32Array | Int32Array {
  const bytes = base64ToBytes(p.b64);
  if (p.dtype === 'uint8') {
    const n = p.shape.reduce((a, b) => a * b, 1);
    if (bytes.length !== n) throw new Error(`packed array: ${bytes.length} bytes do not hold shape [${p.shape.join(', ')}] of uint8`);
    const scale = p.scale ?? 1;
    const offset = p.offset ?? 0;
    return Float32Array.from(bytes, (q) => offset + q * scale);
  }
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const n = p.shape.reduce((a, b) => a * b, 1);
  if (copy.length !== n * 4) {
    throw new Error(`packed array: ${copy.length} bytes do not hold shape [${p.shape.join(', ')}] of ${p.dtype}`);
  }
  return p.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
}

/** Every rich payload starts with these. */
export interface PayloadBase {
  v: number;
  /** Optional title shown above the figure. */
  title?: string;
  /**
   * What the figure summarised to stay within its size budget and how to ask for more, e.g. "16 of 64 channels
   * per layer, values as uint8; pass {full: true} for everything". Shown with the figure and in its fallback.
   */
  note?: string;
}

export function isPayload(x: unknown): x is PayloadBase {
  return typeof x === 'object' && x !== null && typeof (x as PayloadBase).v === 'number';
}

export * from './figures';

/**
 * Outputs produced inside the executor: MIME bundles for values (`display`, the last expression), in-place
 * updates (`updateDisplay`) and the `progress()` bar. Every bundle carries a text/plain fallback.
 */
import { inspect } from 'node:util';
import { MIME, PROTOCOL_VERSION, type MimeBundle, type ProgressPayload } from '../protocol';
import type { ExecEvent } from './messages';
import { withFallback } from './fallback';

export const DISPLAY_SYMBOL = Symbol.for('layerwise.display');

const INSPECT = { depth: 4, colors: false, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 100 };

/** Plain JSON data (plain objects/arrays of strings, finite numbers, booleans, null), bounded in size. */
function isJsonData(x: unknown, depth = 0, budget = { n: 10_000 }): boolean {
  if (--budget.n < 0 || depth > 20) return false;
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return true;
  if (typeof x === 'number') return Number.isFinite(x);
  if (typeof x !== 'object') return false;
  if (Array.isArray(x)) return x.every((v) => isJsonData(v, depth + 1, budget));
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(x as object).every((v) => isJsonData(v, depth + 1, budget));
}

export function inspectValue(x: unknown): string {
  return inspect(x, INSPECT);
}

/** A flat list of finite numbers (a shape, a few values): one line, as PyTorch prints torch.Size and lists. */
function numberList(x: unknown): string | null {
  if (!Array.isArray(x) || x.length > 64 || !x.every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
  return `[${x.join(', ')}]`;
}

/**
 * The MIME bundle of a value: its `Symbol.for('layerwise.display')` method if any (plus a static fallback for
 * front ends without Layerwise, see ./fallback), else text: a number or a list of numbers on one line, other
 * plain data as util.inspect text plus application/json.
 */
export function toBundle(x: unknown, fallback = true): MimeBundle {
  const bundle = richBundle(x);
  return fallback ? withFallback(bundle) : bundle;
}

function richBundle(x: unknown): MimeBundle {
  const method = x !== null && (typeof x === 'object' || typeof x === 'function')
    ? (x as Record<symbol, unknown>)[DISPLAY_SYMBOL] : undefined;
  if (typeof method === 'function') {
    try {
      const b = method.call(x) as MimeBundle | undefined;
      if (b && typeof b === 'object') {
        const bundle: MimeBundle = { ...b };
        if (typeof bundle[MIME.text] !== 'string') bundle[MIME.text] = inspectValue(x);
        return bundle;
      }
    } catch (e) {
      return { [MIME.text]: `${inspectValue(x)}\n(display failed: ${(e as Error)?.message ?? e})` };
    }
  }
  const list = numberList(x);
  if (list !== null) return { [MIME.text]: list };
  const bundle: MimeBundle = { [MIME.text]: inspectValue(x) };
  if (typeof x === 'object' && x !== null && isJsonData(x)) bundle[MIME.json] = JSON.parse(JSON.stringify(x));
  return bundle;
}

export interface DisplayHandle {
  displayId: string;
  update(x: unknown): void;
}

export interface DisplayOptions {
  displayId?: string;
  /** Treat `x` as a ready MimeBundle (mime → payload). */
  raw?: boolean;
}

export interface Progress {
  update(n: number, metrics?: Record<string, unknown>): void;
  tick(metrics?: Record<string, unknown>): void;
  done(): void;
}

function fmtTime(s: number): string {
  const t = Math.max(0, Math.round(s));
  const m = Math.floor(t / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return m >= 60 ? `${Math.floor(m / 60)}:${pad(m % 60)}:${pad(t % 60)}` : `${pad(m)}:${pad(t % 60)}`;
}

export function progressText(p: ProgressPayload): string {
  const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const width = 24;
  const fill = Math.round(frac * width);
  const bar = '='.repeat(Math.max(0, fill - 1)) + (fill > 0 ? (frac >= 1 ? '=' : '>') : '') + ' '.repeat(width - fill);
  const metrics = Object.entries(p.metrics).map(([k, v]) => `${k}=${Number(v.toPrecision(4))}`).join(' ');
  const eta = p.finished ? '' : `<${p.eta === null ? '?' : fmtTime(p.eta)}`;
  return `${p.label ? `${p.label}: ` : ''}${p.done}/${p.total} [${bar}] ${Math.round(frac * 100)}% ` +
    `${fmtTime(p.elapsed)}${eta}${metrics ? ` ${metrics}` : ''}`;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  const item = (v as { item?: () => unknown } | null)?.item;
  return Number(typeof item === 'function' ? item.call(v) : v);
}

export interface DisplayApi {
  /** Sends throttled updates still pending (called when a cell ends, so its final state belongs to it). */
  flushPending(): void;
  display(x: unknown, opts?: DisplayOptions): DisplayHandle;
  updateDisplay(displayId: string, x: unknown, opts?: { raw?: boolean }): void;
  progress(total: number, opts?: { label?: string; displayId?: string }): Progress;
}

/** Minimum interval between two progress updates (the final one is always sent). */
export const PROGRESS_INTERVAL_MS = 100;

type Display = (x: unknown, opts?: DisplayOptions) => DisplayHandle;
type UpdateDisplay = (displayId: string, x: unknown, opts?: { raw?: boolean }) => void;

/** A progress bar display, updated in place at most every PROGRESS_INTERVAL_MS (the final state always). */
function createProgress(total: number, opts: { label?: string; displayId?: string }, id: string,
  display: Display, updateDisplay: UpdateDisplay, checkInterrupt: () => void, pending: Set<() => void>): Progress {
  const start = Date.now();
  const state = { done: 0, metrics: {} as Record<string, number>, finished: false };
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  const bundle = (): MimeBundle => {
    const elapsed = (Date.now() - start) / 1000;
    const eta = state.done > 0 && !state.finished ? (elapsed / state.done) * Math.max(0, total - state.done) : null;
    const p: ProgressPayload = { v: PROTOCOL_VERSION, total, done: state.done, elapsed, eta,
      metrics: { ...state.metrics }, label: opts.label, finished: state.finished };
    return { [MIME.progress]: p, [MIME.text]: progressText(p) };
  };
  const handle = display(bundle(), { displayId: opts.displayId ?? id, raw: true });
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    pending.delete(flush);
    last = Date.now();
    updateDisplay(handle.displayId, bundle(), { raw: true });
  };
  const schedule = (force: boolean) => {
    if (force || Date.now() - last >= PROGRESS_INTERVAL_MS) flush();
    else if (!timer) {
      timer = setTimeout(flush, PROGRESS_INTERVAL_MS - (Date.now() - last)).unref();
      pending.add(flush);
    }
  };
  const update = (n: number, metrics?: Record<string, unknown>) => {
    checkInterrupt();
    if (state.finished) return;
    state.done = n;
    for (const [k, v] of Object.entries(metrics ?? {})) state.metrics[k] = toNumber(v);
    if (n >= total) state.finished = true;
    schedule(state.finished);
  };
  const done = () => {
    if (state.finished) return;
    state.finished = true;
    schedule(true);
  };
  return { update, tick: (metrics) => update(state.done + 1, metrics), done };
}

/** In-place updates redraw their static fallback at most this often; the cell's end sends the final one. */
export const FALLBACK_INTERVAL_MS = 1000;

export function createDisplayApi(emit: (e: ExecEvent) => void, checkInterrupt: () => void): DisplayApi {
  let counter = 0;
  const pending = new Set<() => void>();
  const bundleOf = (x: unknown, raw?: boolean): MimeBundle => {
    if (!raw) return toBundle(x, false);
    const b = { ...(x as MimeBundle) };
    if (typeof b[MIME.text] !== 'string') b[MIME.text] = inspectValue(x);
    return b;
  };
  // display id → [time of the last update that carried a fresh fallback, bundle of an update sent without one]
  const fallbacks = new Map<string, { at: number; stale: MimeBundle | null; last: MimeBundle | null }>();
  const sendUpdate = (displayId: string, bundle: MimeBundle) => {
    const f = fallbacks.get(displayId) ?? { at: 0, stale: null, last: null };
    fallbacks.set(displayId, f);
    const now = Date.now();
    if (now - f.at >= FALLBACK_INTERVAL_MS) {
      const full = withFallback(bundle);
      Object.assign(f, { at: now, stale: null, last: full });
      emit({ type: 'update', displayId, bundle: full });
    } else {
      // between fallback refreshes the previous static image stays (a step behind) so the output never lacks one
      const prev = f.last ?? {};
      const kept = Object.fromEntries(Object.entries(prev).filter(([m]) => !(m in bundle) && m !== MIME.text));
      f.stale = bundle;
      emit({ type: 'update', displayId, bundle: { ...bundle, ...kept } });
    }
  };
  const updateDisplay: UpdateDisplay = (displayId, x, opts) => sendUpdate(String(displayId), bundleOf(x, opts?.raw));
  const display: Display = (x, opts = {}) => {
    const displayId = opts.displayId ?? `lw-display-${process.pid}-${++counter}`;
    const bundle = withFallback(bundleOf(x, opts.raw));
    fallbacks.set(displayId, { at: Date.now(), stale: null, last: bundle });
    emit({ type: 'display', displayId, bundle });
    return { displayId, update: (y: unknown) => updateDisplay(displayId, y) };
  };
  const progress = (total: number, opts: { label?: string; displayId?: string } = {}): Progress =>
    createProgress(total, opts, `lw-progress-${process.pid}-${++counter}`, display, updateDisplay, checkInterrupt, pending);
  const flushPending = () => {
    for (const flush of [...pending]) flush();
    for (const [displayId, f] of fallbacks) {
      const full = f.stale && withFallback(f.stale);
      if (full && full !== f.stale) emit({ type: 'update', displayId, bundle: full });
    }
    fallbacks.clear();
  };
  return { flushPending, display, updateDisplay, progress };
}

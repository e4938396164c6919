/** Global autograd switches: grad mode, forward-AD level, anomaly detection, value tracing for the stepper. */

export const mode = {
  gradEnabled: true,
  /** > 0 inside jvp(): ops propagate tangents. */
  forwardLevel: 0,
  anomaly: false,
  /** When true, nodes keep a strong reference to their output value (the backprop stepper turns this on). */
  traceValues: false,
};

function withFlag<T>(key: 'gradEnabled' | 'anomaly' | 'traceValues', value: boolean, fn: () => T): T {
  const prev = mode[key];
  mode[key] = value;
  let async = false;
  try {
    const r = fn();
    if (r instanceof Promise) {
      async = true;
      return r.finally(() => {
        mode[key] = prev;
      }) as T;
    }
    return r;
  } finally {
    if (!async) mode[key] = prev;
  }
}

// Symbol.dispose for runtimes without it (Node < 20.4); esbuild's `using` lowering falls back to the same symbol.
const SymbolWithDispose = Symbol as unknown as { dispose?: symbol };
SymbolWithDispose.dispose ??= Symbol.for('Symbol.dispose');
const disposeSymbol = SymbolWithDispose.dispose as symbol;

/** What noGrad()/enableGrad() without a callback return: restores the previous grad mode when disposed. */
export interface GradModeGuard {
  /** Restores the grad mode from before (also what `using` calls at the end of the block). */
  restore(): void;
  [Symbol.dispose](): void;
}

function guard(value: boolean): GradModeGuard {
  const prev = mode.gradEnabled;
  mode.gradEnabled = value;
  let done = false;
  const restore = (): void => {
    if (done) return;
    done = true;
    mode.gradEnabled = prev;
  };
  return { restore, [disposeSymbol]: restore } as unknown as GradModeGuard;
}

/**
 * Without recording the autograd graph (PyTorch's torch.no_grad()): noGrad(() => ...) runs the callback;
 * `using _ = noGrad();` (explicit resource management) turns recording off until the end of the block.
 */
export function noGrad(): GradModeGuard;
export function noGrad<T>(fn: () => T): T;
export function noGrad<T>(fn?: () => T): T | GradModeGuard {
  if (fn === undefined) return guard(false);
  if (typeof fn !== 'function') throw new TypeError(`noGrad: expected a function or nothing (for \`using _ = noGrad()\`), got ${typeof fn}`);
  return withFlag('gradEnabled', false, fn);
}

/** enableGrad(() => ...) or `using _ = enableGrad();` (PyTorch's torch.enable_grad()). */
export function enableGrad(): GradModeGuard;
export function enableGrad<T>(fn: () => T): T;
export function enableGrad<T>(fn?: () => T): T | GradModeGuard {
  if (fn === undefined) return guard(true);
  return withFlag('gradEnabled', true, fn);
}

export function isGradEnabled(): boolean {
  return mode.gradEnabled;
}

export function setGradEnabled(on: boolean): void {
  mode.gradEnabled = on;
}

/** Run fn with NaN/Inf checks after every op and every backward step; the error names the first bad op. */
export function detectAnomaly<T>(fn: () => T): T {
  return withFlag('anomaly', true, fn);
}

export function withTracedValues<T>(fn: () => T): T {
  return withFlag('traceValues', true, fn);
}

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

/** Run fn without recording the autograd graph (PyTorch's torch.no_grad()). */
export function noGrad<T>(fn: () => T): T {
  return withFlag('gradEnabled', false, fn);
}

export function enableGrad<T>(fn: () => T): T {
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

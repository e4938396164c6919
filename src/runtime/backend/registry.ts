/**
 * Which backend new tensors go to. float64 always lives on the reference backend (the wasm kernels are float32);
 * everything else goes to the current default (wasm unless setBackend('reference')).
 */
import type { Backend, DType } from './types';
import { referenceBackend } from './reference';
import { wasmBackend } from './wasm';
import { metaBackend } from './meta';

export type BackendName = 'wasm' | 'reference';

let current: BackendName = 'wasm';
let metaDepth = 0;

/** Run fn with every new tensor created on the meta backend (shapes only, no memory, no compute). */
export function withMeta<T>(fn: () => T): T {
  metaDepth++;
  try {
    return fn();
  } finally {
    metaDepth--;
  }
}

export const isMetaMode = (): boolean => metaDepth > 0;

export function setBackend(name: BackendName): void {
  if (name !== 'wasm' && name !== 'reference') {
    throw new Error(`setBackend: unknown backend '${String(name)}' (expected 'wasm' or 'reference')`);
  }
  if (name === 'wasm') wasmBackend(); // load now so a broken build fails here, not in the middle of an op
  current = name;
}

export function getBackend(): BackendName {
  return current;
}

export function backendByName(name: BackendName): Backend {
  return name === 'wasm' ? wasmBackend() : referenceBackend();
}

/** The backend a new tensor of this dtype is created on. */
export function backendFor(dtype: DType): Backend {
  if (metaDepth > 0) return metaBackend;
  if (dtype === 'float64') return referenceBackend();
  return backendByName(current);
}

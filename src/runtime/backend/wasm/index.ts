/**
 * The `wasm` backend: AssemblyScript SIMD kernels over one JS-owned WebAssembly.Memory.
 * Memory, GEMM and convolution live in ./core; the elementwise / reduction / indexing / pooling / softmax
 * methods delegate to ./elementwise (same signatures with a leading WasmContext).
 */
import type { Backend } from '../types';
import { WasmCore, type WasmBackendOptions } from './core';
import * as ew from './elementwise';
import { guardIndexing } from '../index-guard';
import { setThreadsCapable } from './threads';

export type { WasmContext } from './context';
export { WasmCore, type WasmBackendOptions } from './core';

export class WasmBackend extends WasmCore implements Backend {
  // ---- delegated to ./elementwise -------------------------------------------------------------------------
  fill: Backend['fill'] = (...a) => ew.fill(this.ctx, ...a);
  copy: Backend['copy'] = (...a) => ew.copy(this.ctx, ...a);
  cast: Backend['cast'] = (...a) => ew.cast(this.ctx, ...a);
  unary: Backend['unary'] = (...a) => ew.unary(this.ctx, ...a);
  unaryGrad: Backend['unaryGrad'] = (...a) => ew.unaryGrad(this.ctx, ...a);
  binary: Backend['binary'] = (...a) => ew.binary(this.ctx, ...a);
  where: Backend['where'] = (...a) => ew.where(this.ctx, ...a);
  reduce: Backend['reduce'] = (...a) => ew.reduce(this.ctx, ...a);
  gather: Backend['gather'] = (...a) => { guardIndexing('gather', ...a); ew.gather(this.ctx, ...a); };
  scatterAdd: Backend['scatterAdd'] = (...a) => { guardIndexing('scatterAdd', ...a); ew.scatterAdd(this.ctx, ...a); };
  indexSelect: Backend['indexSelect'] = (...a) => { guardIndexing('indexSelect', ...a); ew.indexSelect(this.ctx, ...a); };
  indexAdd: Backend['indexAdd'] = (...a) => { guardIndexing('indexAdd', ...a); ew.indexAdd(this.ctx, ...a); };
  maxPool2d: Backend['maxPool2d'] = (...a) => ew.maxPool2d(this.ctx, ...a);
  maxPool2dBackward: Backend['maxPool2dBackward'] = (...a) => ew.maxPool2dBackward(this.ctx, ...a);
  avgPool2d: Backend['avgPool2d'] = (...a) => ew.avgPool2d(this.ctx, ...a);
  avgPool2dBackward: Backend['avgPool2dBackward'] = (...a) => ew.avgPool2dBackward(this.ctx, ...a);
  adaptiveAvgPool2d: Backend['adaptiveAvgPool2d'] = (...a) => ew.adaptiveAvgPool2d(this.ctx, ...a);
  adaptiveAvgPool2dBackward: Backend['adaptiveAvgPool2dBackward'] = (...a) => ew.adaptiveAvgPool2dBackward(this.ctx, ...a);
  softmax: Backend['softmax'] = (...a) => ew.softmax(this.ctx, ...a);
  softmaxBackward: Backend['softmaxBackward'] = (...a) => ew.softmaxBackward(this.ctx, ...a);
}

let singleton: WasmBackend | undefined;

/** The process-wide wasm backend, created (and its kernels loaded) on first use. */
export function wasmBackend(): WasmBackend {
  if (!singleton) {
    singleton = new WasmBackend();
    setThreadsCapable(singleton.split !== null); // getNumThreads() says 1 when this backend cannot run threads
  }
  return singleton;
}

export function createWasmBackend(opts?: WasmBackendOptions): WasmBackend {
  return new WasmBackend(opts);
}

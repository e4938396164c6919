/** Shared helpers for the wasm backend tests: deterministic data and float64 oracles. */
import type { Ref, Storage } from '../../src/runtime/backend/types';
import { WasmCore } from '../../src/runtime/backend/wasm/core';
import type { KernelFlavor } from '../../src/runtime/backend/wasm/module';

const cores = new Map<string, WasmCore>();
export function core(flavor?: KernelFlavor): WasmCore {
  const key = flavor ?? 'default';
  let c = cores.get(key);
  if (!c) cores.set(key, (c = new WasmCore({ flavor })));
  return c;
}

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296 * 2 - 1;
  };
}

export function randomArray(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.fround(r());
  return a;
}

export function upload(be: WasmCore, data: ArrayLike<number>, pad = 0): Storage {
  const s = be.alloc('float32', data.length + pad);
  const v = s.view() as Float32Array;
  v.fill(NaN);
  v.set(data as any, pad);
  return s;
}

export const ref = (s: Storage, off = 0): Ref => ({ s, off });

/** Max |a-b| / (1 + max|b|) style check with a tolerance scaled by the reduction length. */
export function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, tolPerTerm: number, terms: number,
  what: string): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length} != ${want.length}`);
  let scale = 1;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  const tol = tolPerTerm * Math.sqrt(Math.max(1, terms)) * scale + 1e-6;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= tol)) throw new Error(`${what}: [${i}] got ${got[i]}, want ${want[i]} (tol ${tol})`);
  }
}

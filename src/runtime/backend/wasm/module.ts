/**
 * Locates, validates and instantiates the kernel module over a JS-owned WebAssembly.Memory.
 *
 * Search order for the .wasm files: env LAYERWISE_KERNELS_DIR; `<dir of the bundle>/kernels` (dist/runtime.js →
 * dist/kernels); then, walking up from this file (running from source under tsx), `<repo>/dist/kernels` and
 * `<repo>/build/kernels`. The relaxed-SIMD build is used when the engine validates it (on Node 20 / V8 11.3 the
 * feature is behind `--experimental-wasm-relaxed-simd`, which we set at runtime before validating); otherwise the
 * baseline SIMD build. Over a shared memory (the worker pool, ./pool) the threads build: relaxed SIMD with a shared
 * memory import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import type { KernelExports } from './kernel-exports';

export type KernelFlavor = 'relaxed' | 'simd' | 'threads';

/** The kernel module's exports, typed from AssemblyScript's generated bindings (scripts/gen-kernel-types.mjs). */
export type { KernelExports };

/** The name of one kernel export. */
export type KernelName = keyof KernelExports;

/** Calls a kernel export by name with flat numeric arguments (the worker pool's tasks are data, not closures). */
export function callKernel(ex: KernelExports, fn: KernelName, args: readonly number[]): number {
  return (ex[fn] as unknown as (...a: readonly number[]) => number)(...args);
}

export interface LoadedKernels {
  instance: WebAssembly.Instance;
  /** The compiled module (the worker pool instantiates it again in each worker). */
  module: WebAssembly.Module;
  ex: KernelExports;
  memory: WebAssembly.Memory;
  flavor: KernelFlavor;
  file: string;
}

/** Bytes at the bottom of the memory left to the module's own static data (it has none today; see build). */
export const RESERVED_LOW_BYTES = 65536;

function candidateDirs(): string[] {
  const dirs: string[] = [];
  const env = process.env.LAYERWISE_KERNELS_DIR;
  if (env) dirs.push(path.resolve(env));
  dirs.push(path.join(__dirname, 'kernels'));
  let d = __dirname;
  for (let i = 0; i < 8; i++) {
    dirs.push(path.join(d, 'dist', 'kernels'), path.join(d, 'build', 'kernels'));
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return dirs;
}

export function findKernelsDir(): string {
  const dirs = candidateDirs();
  for (const d of dirs) {
    if (fs.existsSync(path.join(d, 'kernels.simd.wasm'))) return d;
  }
  throw new Error(`wasm backend: kernels.simd.wasm not found (run \`npm run build\`); looked in:\n  ${dirs.join('\n  ')}`);
}

let relaxedFlagSet = false;
function enableRelaxedSimd(): void {
  if (relaxedFlagSet) return;
  relaxedFlagSet = true;
  try { v8.setFlagsFromString('--experimental-wasm-relaxed-simd'); } catch { /* newer V8: on by default */ }
}

/**
 * The threads build (relaxed SIMD + shared memory) when it exists and the engine accepts it and has what a worker
 * pool needs (SharedArrayBuffer, Atomics.wait, worker_threads); null otherwise.
 */
export function threadsKernelFile(): { file: string; bytes: Uint8Array<ArrayBuffer> } | null {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics === 'undefined' || typeof Atomics.wait !== 'function') return null;
  try {
    require('node:worker_threads');
  } catch {
    return null;
  }
  let dir: string;
  try {
    dir = findKernelsDir();
  } catch {
    return null;
  }
  const file = path.join(dir, 'kernels.threads.wasm');
  if (!fs.existsSync(file)) return null;
  enableRelaxedSimd();
  const bytes = new Uint8Array(fs.readFileSync(file));
  return WebAssembly.validate(bytes) ? { file, bytes } : null;
}

/** Picks the best artifact the engine accepts. `prefer` forces one (tests, bench). */
export function pickKernelFile(dir: string, prefer?: KernelFlavor): { file: string; flavor: KernelFlavor; bytes: Uint8Array<ArrayBuffer> } {
  if (prefer === 'threads') {
    const t = threadsKernelFile();
    if (!t) throw new Error('wasm backend: the threads build of the kernels is not available here');
    return { ...t, flavor: 'threads' };
  }
  const relaxed = path.join(dir, 'kernels.relaxed.wasm');
  if (prefer !== 'simd' && fs.existsSync(relaxed)) {
    enableRelaxedSimd();
    const bytes = new Uint8Array(fs.readFileSync(relaxed));
    if (WebAssembly.validate(bytes)) return { file: relaxed, flavor: 'relaxed', bytes };
  }
  const simd = path.join(dir, 'kernels.simd.wasm');
  const bytes = new Uint8Array(fs.readFileSync(simd));
  if (!WebAssembly.validate(bytes)) throw new Error(`wasm backend: ${simd} does not validate (no WebAssembly SIMD?)`);
  return { file: simd, flavor: 'simd', bytes };
}

/**
 * Compiles with Liftoff (V8's baseline tier) disabled, so every kernel's first call already runs TurboFan code
 * (V8 tiers up only between calls, and a long first call in Liftoff is ~4x slower). The flag is restored after.
 */
function compileOptimized(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module {
  let toggled = false;
  const userFlags = process.execArgv.join(' ') + ' ' + (process.env.NODE_OPTIONS ?? '');
  if (!/liftoff/.test(userFlags)) {
    try { v8.setFlagsFromString('--no-liftoff'); toggled = true; } catch { /* keep default tiering */ }
  }
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    if (toggled) v8.setFlagsFromString('--liftoff');
  }
}

/**
 * Synchronous instantiation over `memory` (shared later by a worker thread: the module only imports memory and
 * keeps no state in it below RESERVED_LOW_BYTES, so a second instance over the same memory is safe).
 */
export function loadKernels(memory: WebAssembly.Memory, prefer?: KernelFlavor): LoadedKernels {
  const flavorEnv = process.env.LAYERWISE_KERNELS_FLAVOR;
  const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
  // a shared memory needs the threads build (it declares its memory import shared), and only it
  const want = shared ? 'threads' : prefer === 'threads' ? undefined : prefer ??
    (flavorEnv === 'simd' || flavorEnv === 'relaxed' ? flavorEnv : undefined);
  const { file, flavor, bytes } = pickKernelFile(findKernelsDir(), want);
  const module = compileOptimized(bytes);
  const env = {
    memory,
    abort: (_m: number, _f: number, line: number, col: number) => {
      throw new Error(`wasm kernel abort at ${line}:${col}`);
    },
    seed: () => Date.now(),
    trace: () => undefined,
  };
  const instance = new WebAssembly.Instance(module, { env });
  return { instance, module, ex: instance.exports as unknown as KernelExports, memory, flavor, file };
}

/**
 * Thread settings of the runtime (PyTorch's names): `setNumThreads(n)` / `getNumThreads()` and
 * `useDeterministicAlgorithms(flag)` / `areDeterministicAlgorithmsEnabled()`.
 *
 * The wasm backend splits big GEMM / convolution / BatchNorm calls over a pool of worker threads that share its
 * memory (./pool, ./pool-split). This file only holds the settings, so the public API can export them without
 * pulling in the WebAssembly-typed backend files.
 *
 * - The default is `os.availableParallelism()` (at most MAX_THREADS); env `LAYERWISE_THREADS=n` overrides it.
 * - When the backend cannot run threads (no SharedArrayBuffer / Atomics.wait / worker_threads, or the engine does
 *   not accept the threads build of the kernels) it reports so and `getNumThreads()` returns 1.
 * - Deterministic algorithms: every split op gives results bit-identical to one thread, except the conv weight
 *   gradient, whose batch-range partial sums depend on the thread count; in deterministic mode it is not split.
 */
import * as os from 'node:os';

/** The most threads the pool runs (its control block has 15 worker slots). */
export const MAX_THREADS = 16;

let requested: number | undefined;
let deterministic = false;
/** Set by the wasm backend: false when it found no way to run threads. */
let capable: boolean | undefined;

function defaultThreads(): number {
  const env = process.env.LAYERWISE_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(`LAYERWISE_THREADS must be a positive integer, got ${JSON.stringify(env)}`);
    }
    return Math.min(n, MAX_THREADS);
  }
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, MAX_THREADS));
}

/**
 * Sets the number of threads the wasm backend's kernels use (the calling thread plus n − 1 workers), like
 * `torch.set_num_threads`. Values above 16 are capped at 16. On a backend that cannot run threads, it runs 1.
 */
export function setNumThreads(n: number, ...extra: never[]): void {
  if (extra.length) throw new Error(`setNumThreads takes one argument (n), got ${extra.length + 1}`);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new Error(`setNumThreads: n must be a positive integer, got ${typeof n === 'number' ? n : typeof n}`);
  }
  requested = Math.min(n, MAX_THREADS);
}

/** The number of threads the wasm backend's kernels use (1 when threads are unavailable), like `torch.get_num_threads`. */
export function getNumThreads(...extra: never[]): number {
  if (extra.length) throw new Error(`getNumThreads takes no arguments, got ${extra.length}`);
  if (capable === false) return 1;
  return (requested ??= defaultThreads());
}

/**
 * With `true`, every op gives bit-identical results for any thread count (the only split reduction, the conv
 * weight gradient, runs on one thread). Like `torch.use_deterministic_algorithms`; the runtime's single-thread
 * kernels are deterministic already.
 */
export function useDeterministicAlgorithms(mode: boolean, ...extra: never[]): void {
  if (extra.length) throw new Error(`useDeterministicAlgorithms takes one argument (mode; warnOnly is not supported), got ${extra.length + 1}`);
  if (typeof mode !== 'boolean') throw new Error(`useDeterministicAlgorithms: mode must be a boolean, got ${typeof mode}`);
  deterministic = mode;
}

export function areDeterministicAlgorithmsEnabled(...extra: never[]): boolean {
  if (extra.length) throw new Error(`areDeterministicAlgorithmsEnabled takes no arguments, got ${extra.length}`);
  return deterministic;
}

/** Backend hook: whether threads can run at all. */
export function setThreadsCapable(ok: boolean): void {
  capable = ok;
}

/** The requested count, ignoring capability (the pool sizes itself from this). */
export function requestedThreads(): number {
  return (requested ??= defaultThreads());
}

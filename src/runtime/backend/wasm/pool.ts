/**
 * The worker pool of the wasm backend: n − 1 `worker_threads`, each instantiating the same WebAssembly.Module (the
 * threads build, kernels.threads.wasm) over the same shared WebAssembly.Memory. Created lazily on the first split
 * op; workers are unref()'d, so they never keep the process alive, and die with it.
 *
 * Hand-off: a control block in the top 4 KiB of the module's reserved low memory (POOL_CONTROL; the build checks
 * the module's static data stays below it). Int32 words: [0] generation, [1] done count, [2] failures. Worker i
 * (1-based) has a 256-byte slot at POOL_CONTROL + 64 + (i − 1)·256: an i32 export index (−1 = nothing to do), an
 * i32 argument count, then up to 30 f64 arguments (every i32 address / count and f32 scalar is exact in f64).
 * `run()` fills the slots, bumps the generation and notifies; the calling thread runs its own share, then
 * `Atomics.wait`s until every worker has counted itself done. A worker never allocates: all memory (scratch
 * regions included) is handed to it by the main thread, which also does all growing, only between ops.
 *
 * A round the main thread abandoned (an interrupt terminating it inside its share or its wait) is drained at the
 * start of the next round, so workers never run two rounds at once and never outlive the op's buffers by more
 * than that op.
 */
import { Worker } from 'node:worker_threads';
import { RESERVED_LOW_BYTES, callKernel, type KernelExports, type KernelName } from './module';

export const POOL_CONTROL = RESERVED_LOW_BYTES - 4096;
const SLOT0 = 64, SLOT_BYTES = 256, MAX_ARGS = 30;
export const MAX_WORKERS = Math.floor((4096 - SLOT0) / SLOT_BYTES); // 15
const GEN = 0, DONE = 1, FAILED = 2;

/** One kernel call: an export of the kernel module and its numeric arguments. */
export interface PoolTask { fn: KernelName; args: number[] }

// The worker's whole program (evaluated source, so nothing extra ships in the bundle or the .vsix).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, names, control, index, replay, gen0 } = workerData;
const env = { memory, abort: () => { throw new Error('wasm kernel abort'); }, seed: () => Date.now(), trace: () => {} };
let fns = null; // stays null if this worker cannot instantiate: it then fails every task instead of never answering
try {
  const ex = new WebAssembly.Instance(module, { env }).exports;
  for (const [n, a] of replay) ex[n](...a);
  fns = names.map((n) => ex[n]);
} catch {}
const I = new Int32Array(memory.buffer, control, 1024);
const slot = control + ${SLOT0} + (index - 1) * ${SLOT_BYTES};
const S = new Int32Array(memory.buffer, slot, 2);
const F = new Float64Array(memory.buffer, slot + 8, ${MAX_ARGS});
let gen = gen0; // rounds started before this worker ran are still for it (the main thread waits for them)
for (;;) {
  Atomics.wait(I, ${GEN}, gen);
  gen = Atomics.load(I, ${GEN});
  const fn = S[0];
  if (fn === -2) break;
  if (fn >= 0) {
    if (!fns) Atomics.add(I, ${FAILED}, 1);
    else try {
      fns[fn](...F.subarray(0, S[1]));
    } catch (e) {
      Atomics.add(I, ${FAILED}, 1);
    }
  }
  Atomics.add(I, ${DONE}, 1);
  Atomics.notify(I, ${DONE});
}
`;

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly I: Int32Array;
  private readonly names: string[];
  private readonly nameIndex = new Map<string, number>();
  /** Setter calls (gemm_set_blocking, conv_set_chunk) to replay in new workers, by export name. */
  private readonly settings = new Map<KernelName, number[]>();
  /** Workers still to count themselves done for a round the main thread did not finish waiting for. */
  private pending = 0;
  private broken: string | null = null;

  constructor(private readonly module: WebAssembly.Module, private readonly memory: WebAssembly.Memory,
    private readonly ex: KernelExports) {
    this.I = new Int32Array(memory.buffer, POOL_CONTROL, 1024);
    this.names = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
    this.names.forEach((n, i) => this.nameIndex.set(n, i));
  }

  /** The most threads (this one + workers) the control block has slots for. */
  readonly maxThreads = MAX_WORKERS + 1;

  /** Worker threads currently running. */
  get workerCount(): number {
    return this.workers.length;
  }

  /** Starts or stops workers so that `n` of them run (0 terminates all). */
  resize(n: number): void {
    n = Math.max(0, Math.min(n, MAX_WORKERS));
    if (n === this.workers.length) return;
    this.drain();
    if (n < this.workers.length) {
      // stop all (slots are positional) and start the wanted number fresh
      this.terminate();
    }
    for (let i = this.workers.length; i < n; i++) {
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module: this.module, memory: this.memory, names: this.names, control: POOL_CONTROL,
          index: i + 1, replay: [...this.settings], gen0: Atomics.load(this.I, GEN) },
      });
      w.unref();
      w.on('error', (e) => { this.broken = `worker ${i + 1} failed: ${String(e)}`; });
      w.on('exit', () => { if (this.workers.includes(w)) this.broken ??= `worker ${i + 1} exited`; });
      this.workers.push(w);
    }
  }

  /** Records a per-instance setter call and repeats it in every worker (now and in workers started later). */
  broadcastSetting(fn: KernelName, args: number[]): void {
    this.settings.set(fn, args);
    if (this.workers.length > 0) this.run(Array.from({ length: this.workers.length + 1 }, (_, i) => i === 0 ? null : { fn, args }));
  }

  /**
   * Runs tasks[0] on the calling thread and tasks[i] on worker i (null: nothing), returning when all are done.
   * tasks.length must be ≤ workerCount + 1.
   */
  run(tasks: (PoolTask | null)[]): void {
    if (this.broken) {
      const why = this.broken;
      this.terminate(); // while still marked broken: does not wait for the failed worker
      this.broken = null;
      throw new Error(`wasm backend: the worker pool stopped (${why}); it restarts on the next op`);
    }
    const nw = this.workers.length;
    if (tasks.length - 1 > nw) throw new Error(`wasm backend: ${tasks.length} tasks for ${nw + 1} threads`);
    this.drain();
    const buf = this.memory.buffer;
    for (let i = 1; i <= nw; i++) {
      const t = tasks[i] ?? null;
      const slot = POOL_CONTROL + SLOT0 + (i - 1) * SLOT_BYTES;
      const S = new Int32Array(buf, slot, 2);
      if (!t) { S[0] = -1; S[1] = 0; continue; }
      if (t.args.length > MAX_ARGS) throw new Error(`wasm backend: ${t.fn} has more than ${MAX_ARGS} arguments`);
      const idx = this.nameIndex.get(t.fn);
      if (idx === undefined) throw new Error(`wasm backend: no kernel export ${t.fn}`);
      S[0] = idx; S[1] = t.args.length;
      new Float64Array(buf, slot + 8, MAX_ARGS).set(t.args);
    }
    Atomics.store(this.I, DONE, 0);
    Atomics.store(this.I, FAILED, 0);
    this.pending = nw;
    Atomics.add(this.I, GEN, 1);
    Atomics.notify(this.I, GEN);
    const own = tasks[0];
    if (own) callKernel(this.ex, own.fn, own.args);
    this.drain();
    const failed = Atomics.load(this.I, FAILED);
    if (failed > 0) {
      throw new Error(`wasm backend: a kernel (${tasks.filter(Boolean).map((t) => t!.fn).join(', ')}) failed in ${failed} worker thread(s)`);
    }
  }

  /**
   * Waits for a round the main thread abandoned (an interrupt inside its share or its wait), so that nothing a
   * worker still writes can land in memory handed out again. Cheap when there is none; the backend calls it before
   * every allocation and split op.
   */
  settle(): void {
    if (this.pending > 0) this.drain();
  }

  /** Waits until every worker finished the current round (if any). */
  private drain(): void {
    if (this.pending === 0) return;
    const want = this.pending;
    for (let d = Atomics.load(this.I, DONE); d < want; d = Atomics.load(this.I, DONE)) {
      Atomics.wait(this.I, DONE, d, 1000);
      if (this.broken) break;
    }
    this.pending = 0;
  }

  /** Stops every worker (they exit at their next wake-up; terminate() also stops one that is busy). */
  terminate(): void {
    if (!this.broken) this.drain();
    this.pending = 0;
    const ws = this.workers.splice(0);
    for (const w of ws) void w.terminate();
  }
}

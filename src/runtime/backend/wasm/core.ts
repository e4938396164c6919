/**
 * The core of the `wasm` backend: the memory/allocator, kernel loading, GEMM and convolution.
 * index.ts completes it into a full `Backend` by delegating the elementwise family to ./elementwise.
 */
import { formatBytes, WASM_MEMORY_LIMIT } from '../limits';
import type { Backend, Conv2dArgs, GemmArgs, MemoryStats, Ref, Storage, StorageType } from '../types';
import { Allocator } from './allocator';
import type { WasmContext } from './context';
import { callKernel, loadKernels, threadsKernelFile, type KernelExports, type KernelFlavor } from './module';
import { ThreadSplit } from './pool-split';
import { WasmStorage } from './storage';
import { FusedKernels } from './fused';

export interface WasmBackendOptions {
  /**
   * Force an artifact. Default: the threads build over a shared memory when the platform can run a worker pool,
   * else relaxed SIMD when the engine accepts it, else baseline SIMD. 'simd' / 'relaxed' (or env
   * LAYERWISE_KERNELS_FLAVOR) mean one thread over an ordinary memory.
   */
  flavor?: KernelFlavor;
  initialBytes?: number;
  /** A thread count for this backend only (default: setNumThreads() / LAYERWISE_THREADS / the core count). */
  threads?: number;
}

/** Setters that change a kernel instance's module globals: the worker instances must see the same values. */
const INSTANCE_SETTINGS = ['gemm_set_blocking', 'conv_set_chunk'] as const;

export class WasmCore {
  readonly name = 'wasm' as const;
  readonly allocator: Allocator;
  readonly ctx: WasmContext;
  readonly flavor: KernelFlavor;
  private readonly ex: KernelExports;
  /** BatchNorm and multi-tensor optimizer kernels (see ./fused; the op layer finds them with fusedKernels()). */
  readonly fused: FusedKernels;
  /** Splits big calls over the worker pool; null when this backend runs on one thread (no shared memory). */
  readonly split: ThreadSplit | null;

  constructor(opts: WasmBackendOptions = {}) {
    const envFlavor = process.env.LAYERWISE_KERNELS_FLAVOR;
    const single = opts.flavor === 'simd' || opts.flavor === 'relaxed' ||
      (opts.flavor === undefined && (envFlavor === 'simd' || envFlavor === 'relaxed'));
    let allocator: Allocator | undefined;
    if (!single && threadsKernelFile()) {
      try {
        allocator = new Allocator(opts.initialBytes, true);
      } catch { /* no shared memory here: one thread */ }
    }
    if (!allocator && opts.flavor === 'threads') throw new Error('wasm backend: shared memory is not available here');
    this.allocator = allocator ??= new Allocator(opts.initialBytes);
    const k = loadKernels(allocator.memory, opts.flavor === 'threads' ? undefined : opts.flavor);
    let split: ThreadSplit | null = null;
    const ex: KernelExports = { ...k.ex };
    for (const name of INSTANCE_SETTINGS) {
      ex[name] = (...args: number[]) => { const r = callKernel(k.ex, name, args); split?.setting(name, args); return r; };
    }
    this.ex = ex;
    this.flavor = k.flavor;
    this.ctx = {
      ex,
      memory: allocator.memory,
      addr: (r: Ref) => r.s.ptr + r.off * 4,
      scratch: (bytes: number) => allocator.scratch(bytes),
    };
    if (k.flavor === 'threads') {
      if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) {
        throw new Error(`wasm backend: threads must be a positive integer, got ${opts.threads}`);
      }
      split = new ThreadSplit({ ...this.ctx, module: k.module }, opts.threads);
    }
    this.split = split;
    this.fused = new FusedKernels(this.ctx, split);
    warmUp(this);
  }

  /** Stops the worker threads (they restart on the next split op). */
  stopThreads(): void {
    this.split?.pool.terminate();
  }

  supports(type: StorageType): boolean {
    return type === 'float32' || type === 'int32';
  }

  alloc(type: StorageType, length: number): Storage {
    if (!this.supports(type)) throw new Error(`wasm backend: storage type ${type} is not supported`);
    this.split?.pool.settle(); // a worker still busy with an interrupted op must not write into the new block
    if (!(length * 4 <= WASM_MEMORY_LIMIT)) {
      throw new RangeError(`cannot allocate a ${type} storage of ${length} elements: it needs ${formatBytes(length * 4)}; the WASM memory limit is 4 GB`);
    }
    return new WasmStorage(this as unknown as Backend, this.allocator, type, length);
  }

  /** Synchronous gc() + FinalizationRegistry cleanup: frees every unreachable storage now. Returns bytes freed. */
  collect(): number {
    return this.allocator.collect();
  }

  /** Whether a storage of `bytes` fits in the 4 GiB memory now (collecting unreachable storages first if needed). */
  canAllocate(bytes: number): boolean {
    return this.allocator.fits(bytes) || (this.allocator.collect() > 0 && this.allocator.fits(bytes));
  }

  stats(): MemoryStats {
    const a = this.allocator;
    return { bytesInUse: a.bytesInUse, bytesReserved: a.bytesReserved, liveStorages: a.liveStorages };
  }

  gemm(g: GemmArgs): void {
    if (g.m <= 0 || g.n <= 0 || g.batch <= 0) return;
    if (this.split?.gemm(g)) return;
    const pack = this.allocator.scratch(this.ex.gemm_scratch_bytes(g.m, g.n, g.k));
    const a = this.ctx.addr(g.a), b = this.ctx.addr(g.b), c = this.ctx.addr(g.c);
    this.ex.gemm_batched(g.transA ? 1 : 0, g.transB ? 1 : 0, g.m, g.n, g.k, a, g.lda, b, g.ldb, c, g.ldc,
      g.alpha, g.beta, g.batch, g.strideA, g.strideB, g.strideC, pack);
  }

  conv2d(x: Ref, w: Ref, bias: Ref | null, y: Ref, a: Conv2dArgs): void {
    if (this.split?.conv2d(x, w, bias, y, a)) return;
    const s = this.convScratch(a);
    this.ex.conv2d_forward(this.ctx.addr(x), this.ctx.addr(w), bias ? this.ctx.addr(bias) : 0, bias ? 1 : 0,
      this.ctx.addr(y), ...convDims(a), s);
  }

  conv2dBackwardData(dy: Ref, w: Ref, dx: Ref, a: Conv2dArgs): void {
    if (this.split?.conv2dBackwardData(dy, w, dx, a)) return;
    const s = this.convScratch(a);
    this.ex.conv2d_backward_data(this.ctx.addr(dy), this.ctx.addr(w), this.ctx.addr(dx), ...convDims(a), s);
  }

  conv2dBackwardFilter(x: Ref, dy: Ref, dw: Ref, a: Conv2dArgs): void {
    if (this.split?.conv2dBackwardFilter(x, dy, dw, a)) return;
    const s = this.convScratch(a);
    this.ex.conv2d_backward_filter(this.ctx.addr(x), this.ctx.addr(dy), this.ctx.addr(dw), ...convDims(a), s);
  }

  private convScratch(a: Conv2dArgs): number {
    return this.allocator.scratch(this.ex.conv_scratch_bytes(a.n, a.c, a.o, a.kh, a.kw, a.groups, a.oh, a.ow));
  }
}

/** Conv2dArgs flattened in the kernels' parameter order (conv2d_forward/_backward_* take these 16 ints). */
type ConvDims = [n: number, c: number, h: number, w: number, o: number, kh: number, kw: number, sh: number, sw: number,
  ph: number, pw: number, dh: number, dw: number, groups: number, oh: number, ow: number];

function convDims(a: Conv2dArgs): ConvDims {
  return [a.n, a.c, a.h, a.w, a.o, a.kh, a.kw, a.sh, a.sw, a.ph, a.pw, a.dh, a.dw, a.groups, a.oh, a.ow];
}

/**
 * Runs every GEMM/conv path a few times on small shapes at load. The module is compiled without Liftoff
 * (module.ts), but V8 still compiles each function lazily on its first call; this moves that cost (and, if Liftoff
 * was kept, the tier-up, which only happens between calls) out of the first real call.
 */
function warmUp(be: WasmCore): void {
  const x = be.alloc('float32', 2 * 4 * 12 * 12);
  const w = be.alloc('float32', 8 * 4 * 3 * 3);
  const y = be.alloc('float32', 2 * 8 * 12 * 12);
  const b = be.alloc('float32', 18 * 21);
  for (const s of [x, w, y, b]) s.view().fill(0.5);
  const r = (s: Storage): Ref => ({ s, off: 0 });
  const args: Conv2dArgs = { n: 2, c: 4, h: 12, w: 12, o: 8, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1,
    groups: 1, oh: 12, ow: 12 };
  for (let i = 0; i < 8; i++) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      be.gemm({ transA: ta, transB: tb, m: 19, n: 21, k: 18, a: r(x), lda: ta ? 19 : 18, b: r(b), ldb: tb ? 18 : 21,
        c: r(y), ldc: 21, alpha: 1, beta: i & 1, batch: 1, strideA: 0, strideB: 0, strideC: 0 });
    }
    be.conv2d(r(x), r(w), r(w), r(y), args);
    be.conv2dBackwardData(r(y), r(w), r(x), args);
    be.conv2dBackwardFilter(r(x), r(y), r(w), args);
  }
  for (const s of [x, w, y, b]) s.release();
}


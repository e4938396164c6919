/**
 * How the wasm backend splits one big kernel call over the worker pool (./pool). Each method returns false when it
 * does not split (one thread, a small problem, or a shape with nothing to split), and the caller runs the serial
 * kernel. Every thread gets its own scratch region, carved from one ctx.scratch() block taken before the split.
 *
 * | op | split over | result vs 1 thread |
 * |---|---|---|
 * | GEMM (all transposes, batched) | batch items, else M in 4-row micro-tiles, else N in 8-column panels | bit-identical |
 * | conv forward, dX | images, in multiples of the serial kernel's image block (so each block is the same) | bit-identical (*) |
 * | conv dW | images; each thread sums its own partial dW, then the partials are added in thread order | rounding differs (fixed per thread count); not split under useDeterministicAlgorithms(true) |
 * | BatchNorm statistics, backward reductions | channel ranges (a channel's loop is the serial one) | bit-identical |
 * | BatchNorm apply, backward apply | samples (channels when the batch is 1) | bit-identical |
 * | BatchNorm → ReLU epilogue passes | as the plain BatchNorm pass of the same kind | bit-identical |
 *
 * (*) When the whole batch is one block of the serial kernel (small images, small batch), the images are split
 * one by one: the GEMM blocks then differ, which can change rounding when the depth passes one 384-deep block.
 * Deterministic mode does not split those.
 */
import type { Conv2dArgs, GemmArgs, Ref } from '../types';
import { callKernel, type KernelExports, type KernelName } from './module';
import { WorkerPool, type PoolTask } from './pool';
import { areDeterministicAlgorithmsEnabled, requestedThreads } from './threads';

/**
 * Split a GEMM / conv from this many multiply-adds (a round trip costs tens of µs; 4 M MACs ≈ 0.1–0.2 ms), and a
 * BatchNorm pass from this many elements. Tests lower them to split every call (setSplitThresholds).
 */
const thresholds = { macs: 1 << 22, elements: 1 << 16 };

/** Test hook: changes the split thresholds; returns the previous ones. */
export function setSplitThresholds(t: { macs: number; elements: number }): { macs: number; elements: number } {
  const prev = { ...thresholds };
  Object.assign(thresholds, t);
  return prev;
}

export function splitThresholds(): { macs: number; elements: number } {
  return { ...thresholds };
}

export interface SplitContext {
  readonly ex: KernelExports;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  addr(r: Ref): number;
  scratch(bytes: number): number;
}

const align16 = (x: number): number => (x + 15) & ~15;

/** `parts` contiguous ranges of [0, units), as even as possible. */
function ranges(units: number, parts: number): [number, number][] {
  const out: [number, number][] = [];
  for (let t = 0; t < parts; t++) out.push([Math.floor((t * units) / parts), Math.floor(((t + 1) * units) / parts)]);
  return out;
}

export class ThreadSplit {
  readonly pool: WorkerPool;
  /** Calls split so far (tests check that a case meant to be split was). */
  splits = 0;

  /** `fixed`: a thread count for this backend only (tests); otherwise setNumThreads() / the default. */
  constructor(private readonly c: SplitContext, private readonly fixed?: number) {
    this.pool = new WorkerPool(c.module, c.memory, c.ex);
  }

  /** Threads to use now (and settles an abandoned round first: every split op starts here). */
  threads(): number {
    this.pool.settle();
    if (this.startError) return 1;
    return Math.max(1, Math.min(this.fixed ?? requestedThreads(), this.pool.maxThreads));
  }

  /** A per-instance setter (gemm_set_blocking, conv_set_chunk) the caller just ran: repeat it in the workers. */
  setting(fn: KernelName, args: number[]): void {
    this.pool.broadcastSetting(fn, args);
  }

  /**
   * Runs the tasks (at most threads()), the first on this thread. If worker threads cannot be started here, the
   * tasks (independent calls with their own scratch) run one after another on this thread, and the split stops.
   */
  private run(tasks: PoolTask[]): void {
    try {
      this.pool.resize(this.threads() - 1);
    } catch (e) {
      this.startError = e instanceof Error ? e.message : String(e);
      for (const t of tasks) callKernel(this.c.ex, t.fn, t.args);
      return;
    }
    this.pool.run(tasks);
    this.splits++;
  }

  /** Why worker threads could not be started (then nothing is split any more), or null. */
  startError: string | null = null;

  gemm(g: GemmArgs): boolean {
    const T = this.threads();
    if (T < 2 || g.m * g.n * g.k * g.batch < thresholds.macs) return false;
    const ex = this.c.ex;
    const a = this.c.addr(g.a), b = this.c.addr(g.b), c = this.c.addr(g.c);
    const mt = Math.ceil(g.m / 4), nt = Math.ceil(g.n / 8);
    const dim = g.batch >= T && g.strideC !== 0 ? 'batch' : mt >= nt || nt < 2 ? 'm' : 'n';
    const units = dim === 'batch' ? g.batch : dim === 'm' ? mt : nt;
    if (units < 2) return false;
    const parts = ranges(units, Math.min(T, units));
    const per = align16(ex.gemm_scratch_bytes(g.m, g.n, g.k));
    const s = this.c.scratch(per * parts.length);
    const tasks = parts.map(([u0, u1], t): PoolTask => {
      let aa = a, bb = b, cc = c, m = g.m, n = g.n, batch = g.batch;
      if (dim === 'batch') {
        aa += u0 * g.strideA * 4; bb += u0 * g.strideB * 4; cc += u0 * g.strideC * 4; batch = u1 - u0;
      } else if (dim === 'm') {
        const r0 = u0 * 4, r1 = Math.min(g.m, u1 * 4);
        aa += (g.transA ? r0 : r0 * g.lda) * 4; cc += r0 * g.ldc * 4; m = r1 - r0;
      } else {
        const c0 = u0 * 8, c1 = Math.min(g.n, u1 * 8);
        bb += (g.transB ? c0 * g.ldb : c0) * 4; cc += c0 * 4; n = c1 - c0;
      }
      return { fn: 'gemm_batched', args: [g.transA ? 1 : 0, g.transB ? 1 : 0, m, n, g.k, aa, g.lda, bb, g.ldb, cc, g.ldc,
        g.alpha, g.beta, batch, g.strideA, g.strideB, g.strideC, s + t * per] };
    });
    this.run(tasks);
    return true;
  }

  conv2d(x: Ref, w: Ref, bias: Ref | null, y: Ref, a: Conv2dArgs): boolean {
    const parts = this.convParts(a, false);
    if (!parts) return false;
    const { ranges: rs, per, s } = parts;
    const xa = this.c.addr(x), wa = this.c.addr(w), ba = bias ? this.c.addr(bias) : 0, ya = this.c.addr(y);
    this.run(rs.map(([n0, n1], t) => ({ fn: 'conv2d_forward', args: [xa + n0 * a.c * a.h * a.w * 4, wa, ba, bias ? 1 : 0,
      ya + n0 * a.o * a.oh * a.ow * 4, ...dims(a, n1 - n0), s + t * per] })));
    return true;
  }

  conv2dBackwardData(dy: Ref, w: Ref, dx: Ref, a: Conv2dArgs): boolean {
    const parts = this.convParts(a, false);
    if (!parts) return false;
    const { ranges: rs, per, s } = parts;
    const dya = this.c.addr(dy), wa = this.c.addr(w), dxa = this.c.addr(dx);
    this.run(rs.map(([n0, n1], t) => ({ fn: 'conv2d_backward_data', args: [dya + n0 * a.o * a.oh * a.ow * 4, wa,
      dxa + n0 * a.c * a.h * a.w * 4, ...dims(a, n1 - n0), s + t * per] })));
    return true;
  }

  conv2dBackwardFilter(x: Ref, dy: Ref, dw: Ref, a: Conv2dArgs): boolean {
    if (areDeterministicAlgorithmsEnabled()) return false;
    const wElems = a.o * (a.c / a.groups) * a.kh * a.kw;
    const partial = align16(wElems * 4);
    const parts = this.convParts(a, true, partial);
    if (!parts) return false;
    const { ranges: rs, per, s } = parts;
    const xa = this.c.addr(x), dya = this.c.addr(dy), dwa = this.c.addr(dw);
    const partials = s + rs.length * per; // thread t ≥ 1 writes its partial dW at partials + (t − 1)·partial
    this.run(rs.map(([n0, n1], t) => ({ fn: 'conv2d_backward_filter', args: [xa + n0 * a.c * a.h * a.w * 4,
      dya + n0 * a.o * a.oh * a.ow * 4, t === 0 ? dwa : partials + (t - 1) * partial, ...dims(a, n1 - n0), s + t * per] })));
    this.c.ex.sum_partials_f32(dwa, partials, rs.length - 1, partial, wElems);
    return true;
  }

  /** Image ranges (multiples of the serial kernel's image block) and per-thread scratch, or null: do not split. */
  private convParts(a: Conv2dArgs, forDw: boolean, extraPerThread = 0): { ranges: [number, number][]; per: number; s: number } | null {
    const T = this.threads();
    const Kg = (a.c / a.groups) * a.kh * a.kw, P = a.oh * a.ow;
    if (T < 2 || a.n < 2 || a.n * a.o * P * Kg < thresholds.macs) return null;
    // the serial kernel's images per block (it reads its own conv_set_chunk budget, which the main instance has)
    let nb = this.c.ex.conv_block_images(a.n, Kg, a.kh, a.kw, a.sh, a.sw, a.ph, a.pw, a.h, a.w, a.oh, a.ow, forDw);
    if (nb === a.n) {
      // one block: splitting it changes the block shapes, which rounds differently only when a GEMM's depth
      // (Kg for forward) passes one KC = 384 block; never in deterministic mode
      if (areDeterministicAlgorithmsEnabled()) return null;
      nb = 1;
    }
    const units = Math.ceil(a.n / nb);
    const rs = ranges(units, Math.min(T, units)).map(([u0, u1]): [number, number] => [u0 * nb, Math.min(a.n, u1 * nb)]);
    const per = align16(this.c.ex.conv_scratch_bytes(a.n, a.c, a.o, a.kh, a.kw, a.groups, a.oh, a.ow));
    const s = this.c.scratch(per * rs.length + extraPerThread * (rs.length - 1));
    return { ranges: rs, per, s };
  }

  bnStats(x: number, n: number, c: number, hw: number, mean: number, variance: number, invstd: number, eps: number): boolean {
    const rs = this.channelRanges(n, c, hw);
    if (!rs) return false;
    this.run(rs.map(([c0, c1]) => ({ fn: 'bn_stats_range_f32', args: [x, n, c, hw, c0, c1, mean, variance, invstd, eps] })));
    return true;
  }

  bnBackwardReduce(dy: number, x: number, n: number, c: number, hw: number, mean: number, sumDy: number, sumDyXm: number): boolean {
    const rs = this.channelRanges(n, c, hw);
    if (!rs) return false;
    this.run(rs.map(([c0, c1]) => ({ fn: 'bn_backward_reduce_range_f32', args: [dy, x, n, c, hw, c0, c1, mean, sumDy, sumDyXm] })));
    return true;
  }

  /** y = x·scale[c] + shift[c], split over samples (channels for one sample). */
  bnApply(x: number, y: number, n: number, c: number, hw: number, scale: number, shift: number): boolean {
    return this.perSample(n, c, hw, (o, n1, c0, c1) =>
      ({ fn: 'bn_apply_f32', args: [x + o, y + o, n1, c1 - c0, hw, scale + c0 * 4, shift + c0 * 4] }));
  }

  bnBackwardApply(dy: number, x: number, dx: number, n: number, c: number, hw: number, A: number, K: number, C: number, mean: number): boolean {
    return this.perSample(n, c, hw, (o, n1, c0, c1) => ({ fn: 'bn_backward_apply_f32',
      args: [dy + o, x + o, dx + o, n1, c1 - c0, hw, A + c0 * 4, K + c0 * 4, C + c0 * 4, mean + c0 * 4] }));
  }

  /** The BatchNorm → ReLU epilogue (kernels/assembly/epilogue.ts), split as its plain BatchNorm pass is. */
  bnApplyRelu(x: number, y: number, n: number, c: number, hw: number, scale: number, shift: number): boolean {
    return this.perSample(n, c, hw, (o, n1, c0, c1) =>
      ({ fn: 'bn_apply_relu_f32', args: [x + o, y + o, n1, c1 - c0, hw, scale + c0 * 4, shift + c0 * 4] }));
  }

  bnBackwardReduceRelu(dy: number, x: number, n: number, c: number, hw: number, mean: number, scale: number, shift: number,
    sumDy: number, sumDyXm: number): boolean {
    const rs = this.channelRanges(n, c, hw);
    if (!rs) return false;
    this.run(rs.map(([c0, c1]) => ({ fn: 'bn_backward_reduce_relu_range_f32',
      args: [dy, x, n, c, hw, c0, c1, mean, scale, shift, sumDy, sumDyXm] })));
    return true;
  }

  bnBackwardApplyRelu(dy: number, x: number, dx: number, n: number, c: number, hw: number, A: number, K: number, C: number,
    mean: number, scale: number, shift: number): boolean {
    return this.perSample(n, c, hw, (o, n1, c0, c1) => ({ fn: 'bn_backward_apply_relu_f32',
      args: [dy + o, x + o, dx + o, n1, c1 - c0, hw, A + c0 * 4, K + c0 * 4, C + c0 * 4, mean + c0 * 4, scale + c0 * 4,
        shift + c0 * 4] }));
  }

  private channelRanges(n: number, c: number, hw: number): [number, number][] | null {
    const T = this.threads();
    if (T < 2 || c < 2 || n * c * hw < thresholds.elements) return null;
    return ranges(c, Math.min(T, c));
  }

  /** Tasks over sample ranges (byte offset, samples, all channels), or channel ranges when n = 1. */
  private perSample(n: number, c: number, hw: number, task: (off: number, n: number, c0: number, c1: number) => PoolTask): boolean {
    const T = this.threads();
    if (T < 2 || n * c * hw < thresholds.elements) return false;
    if (n >= 2) {
      this.run(ranges(n, Math.min(T, n)).map(([s0, s1]) => task(s0 * c * hw * 4, s1 - s0, 0, c)));
      return true;
    }
    if (c < 2) return false;
    this.run(ranges(c, Math.min(T, c)).map(([c0, c1]) => task(c0 * hw * 4, 1, c0, c1)));
    return true;
  }
}

function dims(a: Conv2dArgs, n: number): number[] {
  return [n, a.c, a.h, a.w, a.o, a.kh, a.kw, a.sh, a.sw, a.ph, a.pw, a.dh, a.dw, a.groups, a.oh, a.ow];
}

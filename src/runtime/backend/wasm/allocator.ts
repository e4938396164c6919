/**
 * Allocator over the one JS-owned WebAssembly.Memory.
 *
 * - Blocks are 16-byte aligned (aligned v128 loads) and rounded up to a size class: multiples of 16 up to 64 bytes,
 *   then four classes per power of two (1, 1.25, 1.5, 1.75 × 2^e). Each class has a LIFO free list; new blocks are
 *   bumped from the top; the memory grows (by at least 25%) when the top passes its end. Freed blocks are never
 *   coalesced or returned: size classes bound the waste to 25%. Before the memory would grow, a request may take a
 *   free block of one of the 4 classes above its own (at most 2×; the block keeps its size and class).
 * - Explicit releases (dispose, the autograd engine's consumed gradients, nn.Sequential's intermediates and ops'
 *   private saved tensors once backward ran: autograd/recycle.ts) put a block back on its free list at once, so
 *   the next step of a training loop reuses it (a caching allocator, like PyTorch's).
 * - Reclamation for code that never releases: every Storage is registered in a FinalizationRegistry whose held
 *   value is its block. Only when a request finds no room in the memory as it is (no free block of its class,
 *   no room on top) do we reclaim: first registry.cleanupSome() alone, which frees what V8's own collections
 *   already found unreachable (no pause); then, if usage is past the watermark and there is still no room, a
 *   forced gc() + cleanupSome() synchronously (so a synchronous training loop is reclaimed too), moving the
 *   watermark to twice what survived. gc and a FinalizationRegistry with cleanupSome come from a fresh vm
 *   context after setting the V8 flags.
 * - Threads: all allocator state lives here, in the main thread's JS; the pool's workers (./pool) receive only
 *   pointers and run kernels over the same memory, created with `shared: true` (typed views over a
 *   SharedArrayBuffer never detach; views are always re-created from memory.buffer, so nothing here caches a buffer).
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { RESERVED_LOW_BYTES } from './module';

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB, the wasm32 limit

export interface Block { ptr: number; size: number }

type Registry = {
  register(target: object, held: Block, token?: object): void;
  unregister(token: object): boolean;
  cleanupSome?(cb?: (held: Block) => void): void;
};

let gcFn: (() => void) | null | undefined;
let FRCtor: (new (cb: (held: Block) => void) => Registry) | undefined;

function reclaimTools(): { gc: (() => void) | null; FR: new (cb: (held: Block) => void) => Registry } {
  if (gcFn === undefined || FRCtor === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      v8.setFlagsFromString('--harmony-weak-refs-with-cleanup-some');
      gcFn = vm.runInNewContext('gc') as () => void;
      FRCtor = vm.runInNewContext('FinalizationRegistry');
    } catch {
      gcFn = null;
      FRCtor = FinalizationRegistry as unknown as typeof FRCtor;
    }
  }
  return { gc: gcFn ?? null, FR: FRCtor! };
}

/** Size class (bytes) for a request. */
export function classSize(bytes: number): number {
  if (bytes <= 64) return Math.max(16, (bytes + 15) & ~15);
  const e = Math.floor(Math.log2(bytes - 1));
  const step = 2 ** (e - 2);
  return Math.ceil(bytes / step) * step;
}

export class Allocator {
  readonly memory: WebAssembly.Memory;
  private top = RESERVED_LOW_BYTES;
  private readonly free = new Map<number, number[]>();
  /** Free blocks by end address, to lower `top` past them when the block above is freed. */
  private readonly freeByEnd = new Map<number, Block>();
  private readonly registry: Registry;
  private readonly gc: (() => void) | null;
  bytesInUse = 0;
  liveStorages = 0;
  /** Collection trigger; raised to 2x the surviving bytes after each collection, never below `baseWatermark`. */
  baseWatermark = 64 * 1024 * 1024;
  private watermark = this.baseWatermark;
  /** Forced full collections so far (the last resort), and bytes reclaimed without one (see relieve()). */
  collections = 0;
  cheapBytes = 0;
  private scratchBlock: Block | null = null;

  /**
   * `shared`: a shared memory (SharedArrayBuffer) for the worker pool (./pool). It is created once and never
   * replaced: workers hold it, so it only grows, and only between ops (a split op allocates before it starts).
   */
  constructor(initialBytes = 16 * 1024 * 1024, shared = false) {
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(initialBytes / PAGE), maximum: MAX_PAGES, shared });
    const tools = reclaimTools();
    this.gc = tools.gc;
    this.registry = new tools.FR((held: Block) => this.reclaim(held));
  }

  setWatermark(bytes: number): void {
    this.baseWatermark = bytes;
    this.watermark = Math.max(bytes, this.bytesInUse * 2);
  }

  /** Allocates a block of >= bytes (owned by `owner` for automatic reclamation when it becomes unreachable). */
  allocFor(owner: object, bytes: number): Block {
    const size = classSize(bytes);
    // reclaim only when the block cannot come from room the memory already has (the memory would grow)
    if (!this.hasRoom(size)) this.relieve(size);
    let block: Block;
    try {
      block = this.take(size);
    } catch (e) {
      if (!(e instanceof RangeError) || this.collect() === 0) throw e;
      block = this.take(size); // unreachable tensors were holding the room: try once more
    }
    this.bytesInUse += block.size;
    this.liveStorages++;
    this.registry.register(owner, block, owner);
    return block;
  }

  /** Explicit release of an owned block. */
  releaseFor(owner: object, block: Block): void {
    this.registry.unregister(owner);
    this.reclaim(block);
  }

  /**
   * Before the memory grows: first take what V8's own collections already found unreachable (cleanupSome()
   * without a gc(): no pause); past the watermark, force a full gc() if that did not make room.
   */
  private relieve(size: number): void {
    const before = this.bytesInUse;
    this.registry.cleanupSome?.();
    this.cheapBytes += before - this.bytesInUse;
    if (this.bytesInUse + size > this.watermark && !this.hasRoom(size)) this.collect();
  }

  /** Runs gc() + cleanupSome() now; returns the bytes freed. */
  collect(): number {
    const before = this.bytesInUse;
    if (this.gc) {
      this.gc();
      this.registry.cleanupSome?.();
      this.collections++;
    }
    this.watermark = Math.max(this.baseWatermark, this.bytesInUse * 2);
    return before - this.bytesInUse;
  }

  /** A 16-aligned private block of >= bytes, valid until the next scratch() call. Not counted as a storage. */
  scratch(bytes: number): number {
    const s = this.scratchBlock;
    if (s && s.size >= bytes) return s.ptr;
    if (s) this.putFree(s);
    const grown = Math.max(bytes, s ? Math.floor(s.size * 1.5) : 0, 4096);
    this.scratchBlock = this.take(classSize(grown));
    return this.scratchBlock.ptr;
  }

  get bytesReserved(): number {
    return this.memory.buffer.byteLength;
  }

  private reclaim(block: Block): void {
    this.bytesInUse -= block.size;
    this.liveStorages--;
    this.putFree(block);
  }

  /** True when a block of `bytes` can be had without passing the 4 GiB limit (a free block of its class, or room on top). */
  fits(bytes: number): boolean {
    const size = classSize(bytes);
    return (this.free.get(size)?.length ?? 0) > 0 || this.top + size <= MAX_PAGES * PAGE;
  }

  /** A free block of this class, room on top within the memory's current size, or a free block up to 2× (no grow). */
  private hasRoom(size: number): boolean {
    return (this.free.get(size)?.length ?? 0) > 0 || this.top + size <= this.memory.buffer.byteLength ||
      this.largerFree(size) !== 0;
  }

  /** The class of a free block in one of the 4 classes above `size` (at most 2× it), or 0. */
  private largerFree(size: number): number {
    let s = size;
    for (let i = 0; i < 4; i++) {
      s = classSize(s + 1);
      if ((this.free.get(s)?.length ?? 0) > 0) return s;
    }
    return 0;
  }

  private putFree(block: Block): void {
    if (block.ptr + block.size === this.top) {
      // the topmost block: lower the bump pointer (and past free blocks below it) so any size can reuse the room
      this.top = block.ptr;
      for (let below = this.freeByEnd.get(this.top); below; below = this.freeByEnd.get(this.top)) {
        const list = this.free.get(below.size)!;
        list.splice(list.lastIndexOf(below.ptr), 1);
        this.freeByEnd.delete(this.top);
        this.top = below.ptr;
      }
      return;
    }
    this.freeByEnd.set(block.ptr + block.size, block);
    let list = this.free.get(block.size);
    if (!list) this.free.set(block.size, (list = []));
    list.push(block.ptr);
  }

  private take(size: number): Block {
    // a free block of its class; else, rather than grow the memory, one of a larger class (it keeps its own size)
    const cls = (this.free.get(size)?.length ?? 0) > 0 ? size
      : this.top + size > this.memory.buffer.byteLength ? this.largerFree(size) : 0;
    if (cls) {
      const ptr = this.free.get(cls)!.pop()!;
      this.freeByEnd.delete(ptr + cls);
      return { ptr, size: cls };
    }
    const ptr = this.top;
    this.ensure(ptr + size);
    this.top = ptr + size;
    return { ptr, size };
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const havePages = have / PAGE;
    const needPages = Math.ceil(end / PAGE) - havePages;
    const pages = Math.min(Math.max(needPages, Math.ceil(havePages / 4)), MAX_PAGES - havePages);
    if (pages < needPages) {
      const gb = (n: number): string => `${(n / 1024 ** 3).toFixed(1)} GB`;
      throw new RangeError(`wasm backend: out of memory: needs ${gb(end - this.top)} more; ${gb(this.bytesInUse)} of the 4 GB WASM memory ` +
        'hold live tensors (free some, or restart the kernel)');
    }
    try {
      this.memory.grow(pages);
    } catch (e) {
      throw new RangeError(`wasm backend: could not grow memory to ${(havePages + pages) * PAGE} bytes: ${String(e)}`);
    }
  }
}

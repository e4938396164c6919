/** Storages of the wasm backend: a block of the one memory plus its element type. */
import type { Backend, Storage, StorageType, TypedArray } from '../types';
import type { Allocator, Block } from './allocator';
import { nextStorageSerial } from './serial';

export class WasmStorage implements Storage {
  readonly ptr: number;
  /** Allocation order (see storageSerial): lets the autograd engine free only buffers made during a backward. */
  readonly serial = nextStorageSerial();
  private readonly block: Block;
  private dead = false;

  constructor(readonly backend: Backend, private readonly allocator: Allocator, readonly type: StorageType,
    readonly length: number) {
    this.block = allocator.allocFor(this, Math.max(1, length) * 4);
    this.ptr = this.block.ptr;
  }

  get released(): boolean {
    return this.dead;
  }

  /** A fresh view over the current memory.buffer (old views detach when the memory grows). */
  view(): TypedArray {
    if (this.dead) throw new Error('wasm storage: view() after release()');
    const buf = this.allocator.memory.buffer;
    return this.type === 'int32' ? new Int32Array(buf, this.ptr, this.length) : new Float32Array(buf, this.ptr, this.length);
  }

  release(): void {
    if (this.dead) return;
    this.dead = true;
    this.allocator.releaseFor(this, this.block);
  }
}

/**
 * Reference-backend storages: a plain typed array per storage, plus live accounting.
 *
 * A storage that is never released is counted until the garbage collector reclaims it (FinalizationRegistry);
 * `release()` drops the array eagerly and unregisters it, so nothing is counted twice.
 */
import type { Backend, MemoryStats, Ref, Storage, StorageType, TypedArray } from '../types';

interface Held { bytes: number }

export class MemoryAccount {
  private live = 0;
  private bytes = 0;
  private readonly registry = new FinalizationRegistry<Held>((held) => this.drop(held.bytes));

  add(owner: object, bytes: number): void {
    this.live++;
    this.bytes += bytes;
    this.registry.register(owner, { bytes }, owner);
  }

  remove(owner: object, bytes: number): void {
    this.registry.unregister(owner);
    this.drop(bytes);
  }

  stats(): MemoryStats {
    return { bytesInUse: this.bytes, bytesReserved: this.bytes, liveStorages: this.live };
  }

  private drop(bytes: number): void {
    this.live--;
    this.bytes -= bytes;
  }
}

export function newArray(type: StorageType, length: number): TypedArray {
  switch (type) {
    case 'float32': return new Float32Array(length);
    case 'float64': return new Float64Array(length);
    case 'int32': return new Int32Array(length);
    default: throw new Error(`reference backend: unknown storage type ${String(type)}`);
  }
}

export class RefStorage implements Storage {
  readonly ptr = -1;
  private arr: TypedArray | null;

  constructor(readonly backend: Backend, readonly type: StorageType, readonly length: number,
    private readonly account: MemoryAccount) {
    this.arr = newArray(type, length);
    account.add(this, this.arr.byteLength);
  }

  get released(): boolean {
    return this.arr === null;
  }

  view(): TypedArray {
    if (this.arr === null) throw new Error(`reference backend: use of a released ${this.type} storage`);
    return this.arr;
  }

  release(): void {
    if (this.arr === null) return;
    const bytes = this.arr.byteLength;
    this.arr = null;
    this.account.remove(this, bytes);
  }
}

/** The typed array behind a Ref (the offset is applied by the caller). */
export function arr(r: Ref): TypedArray {
  return r.s.view();
}

export const isInt = (r: Ref): boolean => r.s.type === 'int32';

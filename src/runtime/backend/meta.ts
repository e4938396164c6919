/**
 * The meta backend: storages without memory and kernels that do nothing. Tensors on it have shapes and dtypes
 * only, so a whole model can be built (nn.meta) and run forward for shapes (summary) without allocating weights
 * or computing anything. Reading values from a meta tensor is a clear error.
 */
import type { Backend, MemoryStats, Storage, StorageType, TypedArray } from './types';

class MetaStorage implements Storage {
  readonly ptr = -1;
  readonly released = false;
  constructor(readonly backend: Backend, readonly type: StorageType, readonly length: number) {}
  view(): TypedArray {
    throw new Error('this is a meta tensor (shape only, built under nn.meta): it has no values to read');
  }
  release(): void {}
}

const noop = (): void => undefined;

export const metaBackend: Backend = {
  name: 'meta' as Backend['name'],
  supports: () => true,
  alloc(type: StorageType, length: number): Storage {
    return new MetaStorage(metaBackend, type, length);
  },
  stats: (): MemoryStats => ({ bytesInUse: 0, bytesReserved: 0, liveStorages: 0 }),
  fill: noop, copy: noop, cast: noop, unary: noop, unaryGrad: noop, binary: noop, where: noop, reduce: noop,
  gather: noop, scatterAdd: noop, indexSelect: noop, indexAdd: noop, gemm: noop, conv2d: noop,
  conv2dBackwardData: noop, conv2dBackwardFilter: noop, maxPool2d: noop, maxPool2dBackward: noop, avgPool2d: noop,
  avgPool2dBackward: noop, adaptiveAvgPool2d: noop, adaptiveAvgPool2dBackward: noop, softmax: noop, softmaxBackward: noop,
};

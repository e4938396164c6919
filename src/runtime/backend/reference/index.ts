/**
 * The reference backend: plain TypeScript over typed arrays, float32 / float64 / int32 storages.
 * It is the oracle the wasm backend is tested against, so every kernel is the straightforward definition.
 * Arithmetic is done in JS doubles and rounded once on store into float32 storages.
 */
import type { Backend, StorageType } from '../types';
import { binary, where } from './binary';
import { conv2d, conv2dBackwardData, conv2dBackwardFilter } from './conv';
import { gather, indexAdd, indexSelect, scatterAdd } from './indexing';
import { gemm } from './linalg';
import { guardIndexing } from '../index-guard';
import { cast, copy, fill } from './movement';
import {
  adaptiveAvgPool2d, adaptiveAvgPool2dBackward, avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward,
} from './pool';
import { reduce, softmax, softmaxBackward } from './reduce';
import { MemoryAccount, RefStorage } from './storage';
import { unary, unaryGrad } from './unary';

export function createReferenceBackend(): Backend {
  const account = new MemoryAccount();
  const backend: Backend = {
    name: 'reference',
    supports: (type: StorageType) => type === 'float32' || type === 'float64' || type === 'int32',
    alloc(type: StorageType, length: number) {
      if (!Number.isInteger(length) || length < 0) {
        throw new Error(`reference backend: invalid storage length ${length}`);
      }
      if (length > 2 ** 31 - 1) throw new RangeError(`cannot allocate a ${type} storage of ${length} elements: more than the 2^31 - 1 a tensor can hold`);
      return new RefStorage(backend, type, length, account);
    },
    stats: () => account.stats(),
    fill, copy, cast,
    unary, unaryGrad, binary, where,
    reduce,
    gather: (...a) => { guardIndexing('gather', ...a); gather(...a); },
    scatterAdd: (...a) => { guardIndexing('scatterAdd', ...a); scatterAdd(...a); },
    indexSelect: (...a) => { guardIndexing('indexSelect', ...a); indexSelect(...a); },
    indexAdd: (...a) => { guardIndexing('indexAdd', ...a); indexAdd(...a); },
    gemm,
    conv2d, conv2dBackwardData, conv2dBackwardFilter,
    maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward,
    adaptiveAvgPool2d, adaptiveAvgPool2dBackward,
    softmax, softmaxBackward,
  };
  return backend;
}

let singleton: Backend | null = null;

/** The process-wide reference backend. */
export function referenceBackend(): Backend {
  if (singleton === null) singleton = createReferenceBackend();
  return singleton;
}

export { erf, erfc } from './math';

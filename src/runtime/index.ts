/**
 * The public Layerwise runtime API (PyTorch-shaped, camelCase). Bundled to dist/runtime.js and preloaded into
 * notebook cells as globals and as the module 'layerwise'. See docs/api.md.
 */
import './ops/methods';
import './ops/methods-more';
import { Tensor, isTensor } from './tensor';
import { formatTensor } from './format';
import { tensorDisplay } from './display';
import { installInspector } from './inspect';

export { Tensor, isTensor };
export type { DType } from './backend/types';
export { setBackend, getBackend } from './backend/registry';
export { tidy, keep, memoryStats, collectGarbage } from './memory';
export { setNumThreads, getNumThreads, useDeterministicAlgorithms, areDeterministicAlgorithmsEnabled } from './backend/wasm/threads';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled, detectAnomaly } from './autograd/mode';
export { grad } from './autograd/engine';
export { jvp, gradcheck } from './autograd/functional';
export type { GradcheckResult } from './autograd/functional';
export { Node } from './autograd/node';
export {
  tensor, zeros, ones, full, empty, rand, randn, randint, arange, linspace, eye,
  zerosLike, onesLike, emptyLike, fullLike, randLike, randnLike, manualSeed,
} from './ops/creation';
export {
  add, sub, mul, div, pow, neg, exp, log, sqrt, rsqrt, abs, sign, square, reciprocal, sin, cos, floor, ceil, round,
  erf, log1p, expm1, clamp, maximum, minimum, where, eq, ne, lt, le, gt, ge, isnan, clone, detach, contiguous,
  relu, sigmoid, tanh, matmul, mm, bmm, dot,
} from './ops/public';
export { sum, mean, prod, varOf as var, std, max, min, argmax, argmin, logsumexp, norm } from './ops/reduce';
export { reshape, permute, transpose, flatten, squeeze, unsqueeze, expand, narrow, select, indexSelect, cat, stack, split, chunk } from './ops/views';
export { gather, IndexError } from './ops/index-checks';
export { index, slice, maskedFill, maskedSelect } from './ops/indexing';
export { nonzero } from './ops/nonzero';
export { sort, argsort, topk } from './ops/sorting';
export { repeat, tile, all, any, randperm, normal, addcmul, addcdiv } from './ops/more';
export { einsum } from './ops/einsum';
export * as autograd from './autograd/public';
export * as shape from './shape';
export { formatTensor };

// Notebook display hook: executor calls value[Symbol.for('layerwise.display')]() to get a MIME bundle.
Object.defineProperty(Tensor.prototype, Symbol.for('layerwise.display'), {
  value: function (this: Tensor) {
    return tensorDisplay(this);
  },
  configurable: true,
});
Object.defineProperty(Tensor.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value: function (this: Tensor) {
    return formatTensor(this);
  },
  configurable: true,
});

export * as nn from './nn';
export * as optim from './optim';
export * as data from './data';
export { F } from './functional';
export { summary, formatSummary, traceSummary } from './summary';
export type { SummaryResult, SummaryRow, SummaryFailure } from './summary';
export * as models from './models';
export { show, Figure, LiveChart } from './show';
export { onnx, exportPyTorch, loadTorch } from './export';

// Layers view requests (only inside an executor process; a no-op in plain Node).
installInspector();

/**
 * Fixture `op` keys → `F.*` calls (docs/api.md): conv, pooling, normalization, activations, softmax, losses.
 * Fixture kwargs already use the TS option names (camelCase).
 */
import { call, opts, OpFn } from './ops-core';

/** A proxy over `rt.F` so a missing namespace or function fails the case with a clear message. */
function fns(rt: any): any {
  if (!rt.F) throw new Error("runtime does not export 'F' (docs/api.md, Functional)");
  return new Proxy(rt.F, {
    get(target, name) {
      if (typeof target[name] !== 'function') throw new Error(`runtime: F.${String(name)} is not a function`);
      return target[name];
    },
  });
}

const conv = (name: string): OpFn => (rt, t, kw) =>
  fns(rt)[name](t.x, t.w, t.b, opts(kw, ['stride', 'padding', 'dilation', 'groups']));

/** maxPool2d with returnIndices may answer [out, idx] or {values|output, indices}: normalise to [out, idx]. */
function pair(r: any): any[] {
  if (Array.isArray(r)) return r;
  if (r && typeof r.dataSync !== 'function') return [r.values ?? r.output, r.indices];
  throw new Error('returnIndices: expected [output, indices] or {values, indices}');
}

const pool: Record<string, OpFn> = {
  max_pool2d: (rt, t, kw) => {
    const r = fns(rt).maxPool2d(t.x, kw.kernelSize, opts(kw, ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices']));
    return kw.returnIndices ? pair(r) : r;
  },
  max_pool1d: (rt, t, kw) => fns(rt).maxPool1d(t.x, kw.kernelSize, opts(kw, ['stride', 'padding', 'dilation', 'ceilMode'])),
  avg_pool2d: (rt, t, kw) =>
    fns(rt).avgPool2d(t.x, kw.kernelSize, opts(kw, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'])),
  adaptive_avg_pool2d: (rt, t, kw) => fns(rt).adaptiveAvgPool2d(t.x, kw.outputSize),
};

const norm: Record<string, OpFn> = {
  batch_norm: (rt, t, kw) =>
    fns(rt).batchNorm(t.x, t.running_mean ?? null, t.running_var ?? null, {
      ...opts(kw, ['training', 'momentum', 'eps']),
      ...(t.weight ? { weight: t.weight } : {}),
      ...(t.bias ? { bias: t.bias } : {}),
    }),
  layer_norm: (rt, t, kw) =>
    fns(rt).layerNorm(t.x, kw.normalizedShape, { ...opts(kw, ['eps']), ...affine(t) }),
  group_norm: (rt, t, kw) => fns(rt).groupNorm(t.x, kw.numGroups, { ...opts(kw, ['eps']), ...affine(t) }),
  instance_norm: (rt, t, kw) =>
    fns(rt).instanceNorm(t.x, {
      ...opts(kw, ['useInputStats', 'momentum', 'eps']),
      ...affine(t),
      ...(t.running_mean ? { runningMean: t.running_mean, runningVar: t.running_var } : {}),
    }),
};

function affine(t: Record<string, any>): Record<string, any> {
  return { ...(t.weight ? { weight: t.weight } : {}), ...(t.bias ? { bias: t.bias } : {}) };
}

const acts: Record<string, OpFn> = {
  relu: (rt, t) => fns(rt).relu(t.x),
  hardswish: (rt, t) => fns(rt).hardswish(t.x),
  hardsigmoid: (rt, t) => fns(rt).hardsigmoid(t.x),
  hardtanh: (rt, t, kw) => fns(rt).hardtanh(t.x, opts(kw, ['minVal', 'maxVal'])),
  relu6: (rt, t) => fns(rt).relu6(t.x),
  selu: (rt, t) => fns(rt).selu(t.x),
  silu: (rt, t) => fns(rt).silu(t.x),
  mish: (rt, t) => fns(rt).mish(t.x),
  softsign: (rt, t) => fns(rt).softsign(t.x),
  leaky_relu: (rt, t, kw) => call(fns(rt), 'leakyRelu', t.x, kw.negativeSlope),
  elu: (rt, t, kw) => call(fns(rt), 'elu', t.x, kw.alpha),
  gelu: (rt, t, kw) => call(fns(rt), 'gelu', t.x, opts(kw, ['approximate'])),
  sigmoid: (rt, t) => fns(rt).sigmoid(t.x),
  tanh: (rt, t) => fns(rt).tanh(t.x),
  softplus: (rt, t, kw) => call(fns(rt), 'softplus', t.x, opts(kw, ['beta', 'threshold'])),
  softmax: (rt, t, kw) => fns(rt).softmax(t.x, kw.dim),
  log_softmax: (rt, t, kw) => fns(rt).logSoftmax(t.x, kw.dim),
};

/** Loss options: fixture kwargs plus optional weight / posWeight tensors. */
const loss = (name: string, keys: string[]): OpFn => (rt, t, kw) => {
  const o: Record<string, any> = { ...opts(kw, keys) };
  if (t.weight) o.weight = t.weight;
  if (t.pos_weight) o.posWeight = t.pos_weight;
  return call(fns(rt), name, t.input, t.target, Object.keys(o).length ? o : undefined);
};

const losses: Record<string, OpFn> = {
  cross_entropy: loss('crossEntropy', ['ignoreIndex', 'reduction', 'labelSmoothing']),
  nll_loss: loss('nllLoss', ['ignoreIndex', 'reduction']),
  mse_loss: loss('mseLoss', ['reduction']),
  l1_loss: loss('l1Loss', ['reduction']),
  smooth_l1_loss: loss('smoothL1Loss', ['beta', 'reduction']),
  binary_cross_entropy: loss('binaryCrossEntropy', ['reduction']),
  binary_cross_entropy_with_logits: loss('binaryCrossEntropyWithLogits', ['reduction']),
};

export const NN_OPS: Record<string, OpFn> = {
  conv1d: conv('conv1d'), conv2d: conv('conv2d'), ...pool, ...norm, ...acts, ...losses,
};

/**
 * Issue #10 §1/§4: walks the exported API (src/runtime/index.ts) and proves every public function and class of
 * the PyTorch-shaped namespaces rejects what it cannot honour: each has a sample call here that must succeed,
 * and the same call with an unknown option key (or one argument too many) must throw. An export without an
 * entry in the table fails the test, so new API cannot skip the rule.
 */
import * as assert from 'node:assert/strict';
import * as lw from '../../src/runtime';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const L = lw as Any;
const BOGUS = { bogusKey: 1 };
type Sample = (extra?: object) => unknown;
/** The sample call; `extra` is appended as the last argument (or merged into the options object). */
type Entry = Sample | { exempt: string };

const t = (...s: number[]): lw.Tensor => lw.randn(...s);
const p = (): lw.Tensor => lw.randn(3).requiresGrad_();
const opt = (): Any => new lw.optim.SGD([p()], 0.1, 0.9);
const x4 = (): lw.Tensor => t(2, 3, 8, 8);
const ints = (v: number[]): lw.Tensor => lw.tensor(v);
/** `o` with the extra key merged in (for calls whose last argument is an options object). */
const m = (o: object, extra?: object): object => ({ ...o, ...(extra ?? {}) });
const a = (extra?: object): object[] => (extra ? [extra] : []);

const top: Record<string, Entry> = {
  tensor: (e) => lw.tensor([1, 2], m({ dtype: 'float32' }, e) as Any),
  zeros: (e) => L.zeros(2, 3, ...a(e)), ones: (e) => L.ones([2], ...a(e)), empty: (e) => L.empty(2, ...a(e)),
  full: (e) => L.full([2], 1.5, ...a(e)), rand: (e) => L.rand(2, ...a(e)), randn: (e) => L.randn(2, ...a(e)),
  randint: (e) => L.randint(0, 5, [3], ...a(e)), arange: (e) => L.arange(4, ...a(e)), linspace: (e) => L.linspace(0, 1, 5, ...a(e)),
  eye: (e) => L.eye(3, ...a(e)), zerosLike: (e) => L.zerosLike(t(2), ...a(e)), onesLike: (e) => L.onesLike(t(2), ...a(e)),
  emptyLike: (e) => L.emptyLike(t(2), ...a(e)), fullLike: (e) => L.fullLike(t(2), 3, ...a(e)), randLike: (e) => L.randLike(t(2), ...a(e)),
  randnLike: (e) => L.randnLike(t(2), ...a(e)), randperm: (e) => L.randperm(4, ...a(e)), normal: (e) => L.normal(0, 1, [3], ...a(e)),
  add: (e) => L.add(t(2), t(2), m({ alpha: 2 }, e)), sub: (e) => L.sub(t(2), t(2), m({ alpha: 2 }, e)),
  addcmul: (e) => L.addcmul(t(2), t(2), t(2), m({ value: 2 }, e)), addcdiv: (e) => L.addcdiv(t(2), t(2), t(2).abs().add(1), m({ value: 2 }, e)),
  sum: (e) => L.sum(t(2, 3), 1, m({ keepdim: true }, e)), mean: (e) => L.mean(t(2, 3), 1, m({ keepdim: true }, e)),
  prod: (e) => L.prod(t(2, 3), 1, m({}, e)), var: (e) => L.var(t(2, 3), 1, m({ unbiased: false }, e)), std: (e) => L.std(t(2, 3), 1, m({}, e)),
  max: (e) => L.max(t(2, 3), 1, m({ keepdim: true }, e)), min: (e) => L.min(t(2, 3), 1, m({}, e)),
  argmax: (e) => L.argmax(t(2, 3), 1, m({}, e)), argmin: (e) => L.argmin(t(2, 3), 1, m({}, e)),
  logsumexp: (e) => L.logsumexp(t(2, 3), 1, m({}, e)), norm: (e) => L.norm(t(2, 3), 2, 1, m({}, e)),
  all: (e) => L.all(t(2, 3).gt(0), 1, m({}, e)), any: (e) => L.any(t(2, 3).gt(0), 1, m({}, e)),
  sort: (e) => L.sort(t(2, 3), 1, m({}, e)), argsort: (e) => L.argsort(t(2, 3), 1, m({}, e)), topk: (e) => L.topk(t(2, 3), 2, m({}, e)),
  nonzero: (e) => L.nonzero(t(2, 3), m({}, e)),
  grad: (e) => { const x = p(); return L.grad(x.mul(2).sum(), x, m({}, e)); },
  jvp: { exempt: 'jvp(fn, inputs, tangents): no options; extra arguments are checked by the strict wrapper below' },
  gradcheck: (e) => L.gradcheck((x: lw.Tensor) => x.mul(2), [lw.randn(2, { dtype: 'float64' }).requiresGrad_()], m({}, e)),
};
// every plain math/view function: one argument too many must throw
const arity: Record<string, unknown[]> = {
  neg: [t(2)], exp: [t(2)], log: [t(2).abs()], sqrt: [t(2).abs()], rsqrt: [t(2).abs()], abs: [t(2)], sign: [t(2)], square: [t(2)],
  reciprocal: [t(2)], sin: [t(2)], cos: [t(2)], floor: [t(2)], ceil: [t(2)], round: [t(2)], erf: [t(2)], log1p: [t(2).abs()], expm1: [t(2)],
  relu: [t(2)], sigmoid: [t(2)], tanh: [t(2)], isnan: [t(2)], clone: [t(2)], detach: [t(2)], contiguous: [t(2)],
  mul: [t(2), t(2)], div: [t(2), t(2)], pow: [t(2).abs(), 2], maximum: [t(2), t(2)], minimum: [t(2), t(2)],
  eq: [t(2), 0], ne: [t(2), 0], lt: [t(2), 0], le: [t(2), 0], gt: [t(2), 0], ge: [t(2), 0], where: [t(2).gt(0), t(2), t(2)], clamp: [t(2), -1, 1],
  matmul: [t(2, 3), t(3, 2)], mm: [t(2, 3), t(3, 2)], bmm: [t(1, 2, 3), t(1, 3, 2)], dot: [t(3), t(3)],
};
const exemptTop: Record<string, string> = {
  Tensor: 'class used through its methods', Node: 'autograd graph node (read-only)', IndexError: 'error class', Figure: 'Layerwise display class, not PyTorch API',
  LiveChart: 'Layerwise display class, not PyTorch API', isTensor: 'type guard', formatTensor: 'display helper', summary: "Layerwise's torchinfo (owned by the summary module)",
  formatSummary: 'display helper', traceSummary: 'display helper', exportPyTorch: 'export module (own validation)', loadTorch: 'import module (own validation)',
  setBackend: 'Layerwise backend switch', getBackend: 'Layerwise backend switch', tidy: 'Layerwise memory helper', keep: 'Layerwise memory helper',
  memoryStats: 'Layerwise memory helper', collectGarbage: 'Layerwise memory helper', manualSeed: 'one number',
  setNumThreads: 'one number (extra arguments throw: threads-api test)', getNumThreads: 'no arguments (extras throw)',
  useDeterministicAlgorithms: 'one boolean (extras throw)', areDeterministicAlgorithmsEnabled: 'no arguments (extras throw)', noGrad: 'callback or nothing (tested in fidelity-ops)',
  enableGrad: 'callback or nothing', isGradEnabled: 'no arguments', setGradEnabled: 'one boolean', detectAnomaly: 'callback',
  reshape: 'variadic shape (non-numbers rejected by the shape parser)', permute: 'variadic dims', transpose: 'two dims', flatten: 'two dims', squeeze: 'one dim',
  unsqueeze: 'one dim', expand: 'variadic shape', narrow: 'dims', select: 'dims', indexSelect: 'dim and index', cat: 'list and dim', stack: 'list and dim',
  split: 'size and dim', chunk: 'chunks and dim', gather: 'dim and index', index: 'variadic index specs (every spec kind is checked)', slice: 'start/end/step',
  maskedFill: 'tensor arguments', maskedSelect: 'tensor arguments', repeat: 'variadic repeats (checked)', tile: 'variadic repeats (checked)', einsum: 'equation and tensors (checked)',
};

const F: Record<string, Sample> = {
  linear: (e) => lw.F.linear(t(2, 3), t(4, 3), m({}, e) as Any),
  conv1d: (e) => lw.F.conv1d(t(1, 2, 8), t(3, 2, 3), null, 2, m({}, e) as Any),
  conv2d: (e) => lw.F.conv2d(x4(), t(4, 3, 3, 3), null, 2, 1, m({}, e) as Any),
  convTranspose1d: (e) => lw.F.convTranspose1d(t(1, 2, 5), t(2, 3, 3), null, 2, m({}, e) as Any),
  convTranspose2d: (e) => lw.F.convTranspose2d(x4(), t(3, 2, 3, 3), m({ stride: 2 }, e) as Any),
  hardswish: (e) => L.F.hardswish(t(2), ...a(e)), hardsigmoid: (e) => L.F.hardsigmoid(t(2), ...a(e)), hardtanh: (e) => L.F.hardtanh(t(2), -2, 2, ...a(e)),
  relu6: (e) => L.F.relu6(t(2), ...a(e)), selu: (e) => L.F.selu(t(2), ...a(e)), silu: (e) => L.F.silu(t(2), ...a(e)), mish: (e) => L.F.mish(t(2), ...a(e)),
  softsign: (e) => L.F.softsign(t(2), ...a(e)),
  pad: (e) => lw.F.pad(x4(), [1, 1], m({ mode: 'constant' }, e) as Any),
  interpolate: (e) => lw.F.interpolate(x4(), m({ scaleFactor: 2 }, e)),
  maxPool1d: (e) => lw.F.maxPool1d(t(1, 2, 8), 2, m({}, e) as Any), maxPool2d: (e) => lw.F.maxPool2d(x4(), 3, 2, 1, m({}, e) as Any),
  avgPool1d: (e) => lw.F.avgPool1d(t(1, 2, 8), 2, m({}, e) as Any), avgPool2d: (e) => lw.F.avgPool2d(x4(), 2, 1, m({}, e) as Any),
  adaptiveAvgPool1d: (e) => lw.F.adaptiveAvgPool1d(t(1, 2, 8), 2, m({}, e) as Any), adaptiveAvgPool2d: (e) => lw.F.adaptiveAvgPool2d(x4(), [2, 2], m({}, e) as Any),
  batchNorm: (e) => lw.F.batchNorm(x4(), lw.zeros(3), lw.ones(3), m({}, e) as Any), layerNorm: (e) => lw.F.layerNorm(x4(), [8], m({}, e) as Any),
  groupNorm: (e) => lw.F.groupNorm(x4(), 3, m({}, e) as Any), instanceNorm: (e) => lw.F.instanceNorm(x4(), m({}, e) as Any),
  relu: (e) => lw.F.relu(t(2), m({}, e) as Any), leakyRelu: (e) => lw.F.leakyRelu(t(2), 0.2, m({}, e) as Any), elu: (e) => lw.F.elu(t(2), m({}, e) as Any),
  gelu: (e) => lw.F.gelu(t(2), m({ approximate: 'tanh' }, e) as Any), sigmoid: (e) => lw.F.sigmoid(t(2), m({}, e) as Any), tanh: (e) => lw.F.tanh(t(2), m({}, e) as Any),
  softplus: (e) => lw.F.softplus(t(2), 2, m({}, e) as Any),
  // the activation table (ops/activations.ts)
  hardswish: (e) => lw.F.hardswish(t(2), m({}, e) as Any), hardsigmoid: (e) => lw.F.hardsigmoid(t(2), m({}, e) as Any),
  hardtanh: (e) => lw.F.hardtanh(t(2), -2, 2, m({}, e) as Any), relu6: (e) => lw.F.relu6(t(2), m({}, e) as Any), selu: (e) => lw.F.selu(t(2), m({}, e) as Any),
  silu: (e) => lw.F.silu(t(2), m({}, e) as Any), mish: (e) => lw.F.mish(t(2), m({}, e) as Any), softsign: (e) => lw.F.softsign(t(2), m({}, e) as Any), softmax: (e) => lw.F.softmax(t(2, 3), 1, m({}, e) as Any), logSoftmax: (e) => lw.F.logSoftmax(t(2, 3), m({ dim: 1 }, e) as Any),
  dropout: (e) => lw.F.dropout(t(4), 0.5, m({}, e) as Any), dropout2d: (e) => lw.F.dropout2d(x4(), m({ p: 0.2 }, e) as Any),
  embedding: (e) => lw.F.embedding(ints([0, 2]), t(4, 3), m({}, e) as Any), oneHot: (e) => lw.F.oneHot(ints([0, 2]), 3, m({}, e) as Any),
  normalize: (e) => lw.F.normalize(t(2, 3), m({ dim: 1 }, e) as Any), cosineSimilarity: (e) => lw.F.cosineSimilarity(t(2, 3), t(2, 3), m({}, e) as Any),
  crossEntropy: (e) => lw.F.crossEntropy(t(2, 3), ints([0, 2]), m({ label_smoothing: 0.1 }, e) as Any), nllLoss: (e) => lw.F.nllLoss(t(2, 3), ints([0, 2]), m({}, e) as Any),
  mseLoss: (e) => lw.F.mseLoss(t(2), t(2), m({}, e) as Any), l1Loss: (e) => lw.F.l1Loss(t(2), t(2), m({}, e) as Any), smoothL1Loss: (e) => lw.F.smoothL1Loss(t(2), t(2), m({}, e) as Any),
  huberLoss: (e) => lw.F.huberLoss(t(2), t(2), m({}, e) as Any), klDiv: (e) => lw.F.klDiv(t(2), t(2).abs(), m({}, e) as Any),
  binaryCrossEntropy: (e) => lw.F.binaryCrossEntropy(t(2).sigmoid(), t(2).sigmoid(), m({}, e) as Any),
  binaryCrossEntropyWithLogits: (e) => lw.F.binaryCrossEntropyWithLogits(t(2), t(2).sigmoid(), m({}, e) as Any),
  marginRankingLoss: (e) => lw.F.marginRankingLoss(t(2), t(2), lw.tensor([1, -1], { dtype: 'float32' }), m({}, e) as Any),
  multiMarginLoss: (e) => lw.F.multiMarginLoss(t(2, 3), ints([0, 2]), m({}, e) as Any), sigmoidFocalLoss: (e) => lw.F.sigmoidFocalLoss(t(2), t(2).sigmoid(), m({}, e) as Any),
};

const optim: Record<string, Entry> = {
  SGD: (e) => new lw.optim.SGD([p()], 0.1, m({}, e) as Any), Adam: (e) => new lw.optim.Adam([p()], m({ weight_decay: 1e-4 }, e) as Any),
  AdamW: (e) => new lw.optim.AdamW([p()], 1e-3, m({}, e) as Any), RMSprop: (e) => new lw.optim.RMSprop([p()], m({}, e) as Any),
  Adagrad: (e) => new lw.optim.Adagrad([p()], m({}, e) as Any), Adadelta: (e) => new lw.optim.Adadelta([p()], m({}, e) as Any),
  Adamax: (e) => new lw.optim.Adamax([p()], m({}, e) as Any), NAdam: (e) => new lw.optim.NAdam([p()], m({}, e) as Any),
  RAdam: (e) => new lw.optim.RAdam([p()], m({}, e) as Any), LBFGS: (e) => new lw.optim.LBFGS([p()], m({}, e) as Any),
  Optimizer: { exempt: 'abstract base class' }, l1Prox: { exempt: 'Layerwise helper (not PyTorch API)' },
};
const sched: Record<string, Entry> = {
  StepLR: (e) => new lw.optim.lrScheduler.StepLR(opt(), 3, m({}, e) as Any), MultiStepLR: (e) => new lw.optim.lrScheduler.MultiStepLR(opt(), [2, 4], m({}, e) as Any),
  ExponentialLR: (e) => new lw.optim.lrScheduler.ExponentialLR(opt(), 0.9, m({}, e) as Any), LambdaLR: (e) => new lw.optim.lrScheduler.LambdaLR(opt(), () => 1, m({}, e) as Any),
  CosineAnnealingLR: (e) => new lw.optim.lrScheduler.CosineAnnealingLR(opt(), m({ T_max: 5 }, e) as Any),
  ReduceLROnPlateau: (e) => new lw.optim.lrScheduler.ReduceLROnPlateau(opt(), m({ patience: 2 }, e) as Any),
  OneCycleLR: (e) => new lw.optim.lrScheduler.OneCycleLR(opt(), 1, m({ total_steps: 10 }, e) as Any),
  CyclicLR: (e) => new lw.optim.lrScheduler.CyclicLR(opt(), 0.01, 0.1, m({}, e) as Any), LRScheduler: { exempt: 'abstract base class' },
};
const init: Record<string, Entry> = {
  uniform_: (e) => lw.nn.init.uniform_(t(2, 3), -1, 1, ...(a(e) as Any[])), normal_: (e) => lw.nn.init.normal_(t(2, 3), m({ std: 0.1 }, e) as Any),
  constant_: (e) => lw.nn.init.constant_(t(2), 3, ...(a(e) as Any[])), zeros_: (e) => lw.nn.init.zeros_(t(2), ...(a(e) as Any[])), ones_: (e) => lw.nn.init.ones_(t(2), ...(a(e) as Any[])),
  xavierUniform_: (e) => lw.nn.init.xavierUniform_(t(2, 3), m({ gain: 2 }, e) as Any), xavierNormal_: (e) => lw.nn.init.xavierNormal_(t(2, 3), 1, ...(a(e) as Any[])),
  kaimingUniform_: (e) => lw.nn.init.kaimingUniform_(t(2, 3), m({ mode: 'fan_in', nonlinearity: 'leaky_relu' }, e) as Any),
  kaimingNormal_: (e) => lw.nn.init.kaimingNormal_(t(2, 3), 0, 'fan_out', 'relu', ...(a(e) as Any[])), lecunNormal_: (e) => lw.nn.init.lecunNormal_(t(2, 3), ...(a(e) as Any[])),
  calculateGain: (e) => lw.nn.init.calculateGain('leaky_relu', 0.2, ...(a(e) as Any[])),
  calculateFanInAndFanOut: { exempt: 'one tensor, returns numbers' }, defaultLayerInit: { exempt: 'internal layer default, two tensors' },
};
const utils: Record<string, Entry> = {
  clipGradNorm_: (e) => { const q = p(); q.grad = lw.ones(3); return lw.nn.utils.clipGradNorm_([q], 1, m({}, e) as Any); },
  clipGradValue_: (e) => { const q = p(); q.grad = lw.ones(3); return lw.nn.utils.clipGradValue_([q], 0.5, ...(a(e) as Any[])); },
};
const data: Record<string, Entry> = {
  DataLoader: (e) => new lw.data.DataLoader([1, 2, 3], 2, m({ shuffle: false }, e) as Any),
  TensorDataset: { exempt: 'variadic tensors' }, Subset: { exempt: 'dataset and indices' }, randomSplit: { exempt: 'dataset and lengths' },
  blobs: { exempt: 'Layerwise synthetic data (own module)' }, moons: { exempt: 'Layerwise synthetic data' }, spirals: { exempt: 'Layerwise synthetic data' },
  digits: { exempt: 'Layerwise synthetic data' }, mnist: { exempt: 'file readers (owned by robust)' }, cifar10: { exempt: 'file readers (owned by robust)' }, readIdx: { exempt: 'file readers (owned by robust)' },
};
const transforms: Record<string, Entry> = {
  randomHorizontalFlip: (e) => lw.data.transforms.randomHorizontalFlip(x4(), m({ p: 1 }, e) as Any),
  randomCrop: (e) => lw.data.transforms.randomCrop(x4(), 6, m({ padding: 1 }, e) as Any),
  normalize: (e) => lw.data.transforms.normalize(x4(), m({ mean: [0, 0, 0], std: [1, 1, 1] }, e) as Any),
  compose: { exempt: 'variadic functions' },
};
const autograd: Record<string, Entry> = {
  grad: top.grad, gradcheck: top.gradcheck, Function: { exempt: 'base class of custom functions (tested in fidelity-ops)' }, Ctx: { exempt: 'context object' },
  jvp: { exempt: 'fn, inputs, tangents' }, noGrad: { exempt: 'see top level' }, enableGrad: { exempt: 'see top level' }, detectAnomaly: { exempt: 'callback' },
};

const c = (Ctor: Any, ...args: unknown[]): Sample => (e) => {
  const last = args[args.length - 1];
  const isOpts = last !== null && typeof last === 'object' && !Array.isArray(last) && Object.getPrototypeOf(last) === Object.prototype;
  return new Ctor(...(isOpts ? [...args.slice(0, -1), m(last as object, e)] : [...args, ...a(e)]));
};
const N = lw.nn as Any;
const nn: Record<string, Entry> = {
  Linear: c(N.Linear, 3, 2, false), Conv1d: c(N.Conv1d, 2, 3, 3, 2), Conv2d: c(N.Conv2d, 1, 2, 3, 2, 1), MaxPool1d: c(N.MaxPool1d, 2), MaxPool2d: c(N.MaxPool2d, 3, 2, 1),
  AvgPool2d: c(N.AvgPool2d, 2, 1), AdaptiveAvgPool2d: c(N.AdaptiveAvgPool2d, [1, 1]), Flatten: c(N.Flatten, 1), Identity: { exempt: 'PyTorch ignores every argument of nn.Identity too' },
  Embedding: c(N.Embedding, 10, 3), Maxout: c(N.Maxout, 4, 2, 2), BatchNorm1d: c(N.BatchNorm1d, 4, 1e-3), BatchNorm2d: c(N.BatchNorm2d, 4, { track_running_stats: false }),
  InstanceNorm2d: c(N.InstanceNorm2d, 4), LayerNorm: c(N.LayerNorm, [4]), GroupNorm: c(N.GroupNorm, 2, 4), Dropout: c(N.Dropout, 0.2), Dropout2d: c(N.Dropout2d, 0.2),
  ReLU: c(N.ReLU), LeakyReLU: c(N.LeakyReLU, 0.2), ELU: c(N.ELU), GELU: c(N.GELU), Sigmoid: c(N.Sigmoid), Tanh: c(N.Tanh), Softmax: c(N.Softmax, 1), LogSoftmax: c(N.LogSoftmax, 1),
  Softplus: c(N.Softplus), Upsample: c(N.Upsample, { scale_factor: 2 }), Unflatten: c(N.Unflatten, 1, [2, 2]), PReLU: c(N.PReLU, 3),
  LocalResponseNorm: c(N.LocalResponseNorm, 3, { alpha: 1e-3 }), ConvTranspose1d: c(N.ConvTranspose1d, 2, 3, 3), LazyLinear: c(N.LazyLinear, 3), LazyConv2d: c(N.LazyConv2d, 4, 3, { padding: 1 }), LazyBatchNorm2d: c(N.LazyBatchNorm2d, { eps: 1e-3 }), ConvTranspose2d: c(N.ConvTranspose2d, 2, 3, 3, 2, { output_padding: 1 }),
  // the loss modules take PyTorch's signatures through args.ts (nn/loss.ts)
  MSELoss: c(N.MSELoss, { reduction: 'sum' }), L1Loss: c(N.L1Loss), SmoothL1Loss: c(N.SmoothL1Loss, { beta: 0.5 }),
  CrossEntropyLoss: c(N.CrossEntropyLoss, { label_smoothing: 0.1 }), NLLLoss: c(N.NLLLoss, { ignore_index: 1 }), BCELoss: c(N.BCELoss),
  BCEWithLogitsLoss: c(N.BCEWithLogitsLoss), MarginRankingLoss: c(N.MarginRankingLoss, 0.5), HuberLoss: c(N.HuberLoss, 'sum', 2),
  KLDivLoss: c(N.KLDivLoss, { log_target: true }),
  Module: { exempt: 'abstract base class' }, Parameter: { exempt: 'a tensor wrapper (one tensor, requiresGrad)' }, SpecLayer: { exempt: "spec's base class" },
  Sequential: { exempt: 'variadic modules' }, ModuleDict: { exempt: 'a record of modules (keys checked)' }, ParameterList: { exempt: 'a list of tensors' }, ModuleList: { exempt: 'a list of modules' }, meta: { exempt: 'callback' },
  saveSafetensors: { exempt: 'safetensors I/O (own module)' }, loadSafetensors: { exempt: 'safetensors I/O' }, loadSafetensorsMetadata: { exempt: 'safetensors I/O' },
  serializeSafetensors: { exempt: 'safetensors I/O' }, deserializeSafetensors: { exempt: 'safetensors I/O' }, installModuleIO: { exempt: 'internal installer' },
  toTorchNames: { exempt: 'name mapping' }, fromTorchNames: { exempt: 'name mapping' },
};
// the activation modules added by the activation table (owned by "spec") are checked generically
const activationExempt = (k: string): boolean => !(k in nn) && /^[A-Z]/.test(k) && typeof (lw.nn as Any)[k] === 'function' && (lw.nn as Any)[k].length === 0;

function check(ns: string, obj: Any, table: Record<string, Entry>, extraExempt: Record<string, string> = {}): void {
  describe(ns || 'top level', () => {
    const names = Object.keys(obj).filter((k) => typeof obj[k] === 'function');
    it('every exported function/class has an entry in the table', () => {
      const missing = names.filter((k) => !(k in table) && !(k in extraExempt) && !(ns === '' && k in arity) && !(ns === 'nn' && activationExempt(k)));
      assert.deepEqual(missing, [], `add a sample call (or a reasoned exemption) for ${missing.map((k) => `${ns ? ns + '.' : ''}${k}`).join(', ')}`);
    });
    for (const [name, entry] of Object.entries(table)) {
      if (typeof entry !== 'function') continue;
      it(`${ns ? ns + '.' : ''}${name}: the sample call works, an unknown option throws`, () => {
        lw.manualSeed(0);
        entry();
        assert.throws(() => entry(BOGUS), (err: Error) => /bogusKey|takes at most|unknown option/.test(err.message), `${name} accepted {bogusKey: 1}`);
      });
    }
  });
}

describe('the exported API rejects what it cannot honour (issue #10 §1)', () => {
  check('', lw, top, exemptTop);
  describe('top-level math: one argument too many throws', () => {
    for (const [name, args] of Object.entries(arity)) {
      it(name, () => {
        L[name](...args);
        assert.throws(() => L[name](...args, BOGUS), /takes at most/);
      });
    }
  });
  check('F', lw.F, F);
  check('optim', lw.optim, optim);
  check('optim.lrScheduler', lw.optim.lrScheduler, sched);
  check('nn', lw.nn, nn);
  check('nn.init', lw.nn.init, init);
  check('nn.utils', lw.nn.utils, utils);
  check('data', lw.data, data);
  check('data.transforms', lw.data.transforms, transforms);
  check('autograd', lw.autograd, autograd);
});

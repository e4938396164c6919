/**
 * Optimizer signatures in PyTorch's positional order (torch.optim, 1.13), via args.ts: `new optim.SGD(params,
 * 0.1)`, `new optim.SGD(params, {lr: 0.1, weight_decay: 1e-4})`. Options PyTorch has but that change nothing
 * here (foreach, differentiable, capturable, fused: implementation switches) are accepted at their no-op values.
 */
import { kind, kinds, nullable, oneOf, signature, snakeCase, describeValue, type OptionsOf, type Params, type Signature } from '../args';

/** Positional values then an optional options object (PyTorch's order; see each signature). */
export type OptimArgs<S extends { params: Params }> = Array<number | boolean | string | null | [number, number] | OptionsOf<S['params']>>;

const betas = kind<[number, number]>('a pair of numbers in [0, 1)', (v) => Array.isArray(v) && v.length === 2 && v.every((b) => typeof b === 'number' && b >= 0 && b < 1));
const kw = <T>(k: ReturnType<typeof kind<T>>, d: T) => ({ kind: k, default: d, keywordOnly: true as const });
const noSwitch = { kind: nullable(kind<boolean>('false or null (an implementation switch)', (v) => v === false)), default: null, keywordOnly: true } as const;
const impl = { foreach: noSwitch, differentiable: noSwitch, capturable: noSwitch, fused: noSwitch } as const;

export const optimSigs = {
  SGD: signature('SGD', {
    lr: { kind: kinds.nonNegativeNumber, required: true }, momentum: { kind: kinds.nonNegativeNumber, default: 0 }, dampening: { kind: kinds.number, default: 0 },
    weightDecay: { kind: kinds.nonNegativeNumber, default: 0 }, nesterov: { kind: kinds.boolean, default: false },
    maximize: kw(kinds.boolean, false), ...impl,
  }),
  Adam: signature('Adam', {
    lr: { kind: kinds.nonNegativeNumber, default: 1e-3 }, betas: { kind: betas, default: [0.9, 0.999] as [number, number] }, eps: { kind: kinds.nonNegativeNumber, default: 1e-8 },
    weightDecay: { kind: kinds.nonNegativeNumber, default: 0 }, amsgrad: { kind: kinds.boolean, default: false }, maximize: kw(kinds.boolean, false), ...impl,
  }),
  AdamW: signature('AdamW', {
    lr: { kind: kinds.nonNegativeNumber, default: 1e-3 }, betas: { kind: betas, default: [0.9, 0.999] as [number, number] }, eps: { kind: kinds.nonNegativeNumber, default: 1e-8 },
    weightDecay: { kind: kinds.nonNegativeNumber, default: 1e-2 }, amsgrad: { kind: kinds.boolean, default: false }, maximize: kw(kinds.boolean, false), ...impl,
  }),
  RMSprop: signature('RMSprop', {
    lr: { kind: kinds.nonNegativeNumber, default: 1e-2 }, alpha: { kind: kinds.nonNegativeNumber, default: 0.99 }, eps: { kind: kinds.nonNegativeNumber, default: 1e-8 },
    weightDecay: { kind: kinds.nonNegativeNumber, default: 0 }, momentum: { kind: kinds.nonNegativeNumber, default: 0 },
    centered: { kind: kinds.boolean, default: false }, maximize: kw(kinds.boolean, false), ...impl,
  }),
  Adagrad: signature('Adagrad', {
    lr: { kind: kinds.nonNegativeNumber, default: 1e-2 }, lrDecay: { kind: kinds.nonNegativeNumber, default: 0 }, weightDecay: { kind: kinds.nonNegativeNumber, default: 0 },
    initialAccumulatorValue: { kind: kinds.nonNegativeNumber, default: 0 }, eps: { kind: kinds.nonNegativeNumber, default: 1e-10 },
    maximize: kw(kinds.boolean, false), ...impl,
  }),
  Adadelta: signature('Adadelta', {
    lr: { kind: kinds.nonNegativeNumber, default: 1 }, rho: { kind: kinds.probability, default: 0.9 }, eps: { kind: kinds.nonNegativeNumber, default: 1e-6 },
    weightDecay: { kind: kinds.nonNegativeNumber, default: 0 }, maximize: kw(kinds.boolean, false), ...impl,
  }),
  Adamax: signature('Adamax', {
    lr: { kind: kinds.nonNegativeNumber, default: 2e-3 }, betas: { kind: betas, default: [0.9, 0.999] as [number, number] }, eps: { kind: kinds.nonNegativeNumber, default: 1e-8 },
    weightDecay: { kind: kinds.nonNegativeNumber, default: 0 }, maximize: kw(kinds.boolean, false), ...impl,
  }),
  NAdam: signature('NAdam', {
    lr: { kind: kinds.nonNegativeNumber, default: 2e-3 }, betas: { kind: betas, default: [0.9, 0.999] as [number, number] }, eps: { kind: kinds.nonNegativeNumber, default: 1e-8 },
    weightDecay: { kind: kinds.nonNegativeNumber, default: 0 }, momentumDecay: { kind: kinds.nonNegativeNumber, default: 4e-3 }, ...impl,
  }),
  RAdam: signature('RAdam', {
    lr: { kind: kinds.nonNegativeNumber, default: 1e-3 }, betas: { kind: betas, default: [0.9, 0.999] as [number, number] }, eps: { kind: kinds.nonNegativeNumber, default: 1e-8 },
    weightDecay: { kind: kinds.nonNegativeNumber, default: 0 }, ...impl,
  }),
  LBFGS: signature('LBFGS', {
    lr: { kind: kinds.nonNegativeNumber, default: 1 }, maxIter: { kind: kinds.positiveInt, default: 20 }, maxEval: { kind: nullable(kinds.positiveInt), default: null },
    toleranceGrad: { kind: kinds.nonNegativeNumber, default: 1e-7 }, toleranceChange: { kind: kinds.nonNegativeNumber, default: 1e-9 },
    historySize: { kind: kinds.positiveInt, default: 100 }, lineSearchFn: { kind: nullable(oneOf('strong_wolfe')), default: null },
  }),
};

/** Normalises a parameter group's option overrides: snake_case → camelCase, unknown keys and bad values throw. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function normaliseGroup(sig: Signature<any>, group: Record<string, unknown>): Record<string, unknown> {
  const spelling = new Map<string, string>();
  for (const [k, p] of Object.entries(sig.params as Params)) {
    spelling.set(k, k);
    spelling.set(snakeCase(k), k);
    for (const a of p.aliases ?? []) spelling.set(a, k);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(group)) {
    if (key === 'params') continue;
    const k = spelling.get(key);
    if (!k) throw new Error(`${sig.name}: unknown option '${key}' in a parameter group; valid options are params, ${Object.keys(sig.params).join(', ')}`);
    if (v === undefined) continue;
    const spec = (sig.params as Params)[k];
    if (!spec.kind.test(v)) throw new Error(`${sig.name}: ${k} must be ${spec.kind.expected}, got ${describeValue(v)} (in a parameter group)`);
    if (k in out) throw new Error(`${sig.name}: ${k} given twice in a parameter group`);
    out[k] = v;
  }
  return out;
}

const lastEpoch = { lastEpoch: { kind: kinds.integer, default: -1 }, verbose: { kind: kinds.boolean, default: false } } as const;
const fnKind = kind<(epoch: number) => number>('a function (epoch) => factor', (v) => typeof v === 'function');
const numOrList = kind<number | number[]>('a number or one number per parameter group', (v) => (typeof v === 'number' && Number.isFinite(v)) || (Array.isArray(v) && v.every((e) => typeof e === 'number')));

/** Scheduler signatures (torch.optim.lr_scheduler, 1.13), after the optimizer argument. */
export const schedSigs = {
  StepLR: signature('StepLR', { stepSize: { kind: kinds.positiveInt, required: true }, gamma: { kind: kinds.number, default: 0.1 }, ...lastEpoch }),
  MultiStepLR: signature('MultiStepLR', { milestones: { kind: kind<number[]>('an array of integers', (v) => Array.isArray(v) && v.every(Number.isInteger)), required: true }, gamma: { kind: kinds.number, default: 0.1 }, ...lastEpoch }),
  ExponentialLR: signature('ExponentialLR', { gamma: { kind: kinds.number, required: true }, ...lastEpoch }),
  LambdaLR: signature('LambdaLR', { lrLambda: { kind: kind<((e: number) => number) | Array<(e: number) => number>>('a function (epoch) => factor or one per group', (v) => fnKind.test(v) || (Array.isArray(v) && v.every((f) => typeof f === 'function'))), required: true }, ...lastEpoch }),
  CosineAnnealingLR: signature('CosineAnnealingLR', { tMax: { kind: kinds.positiveInt, required: true, aliases: ['T_max'] }, etaMin: { kind: kinds.nonNegativeNumber, default: 0 }, ...lastEpoch }),
  ReduceLROnPlateau: signature('ReduceLROnPlateau', {
    mode: { kind: oneOf('min', 'max'), default: 'min' }, factor: { kind: kinds.positiveNumber, default: 0.1 }, patience: { kind: kinds.nonNegativeInt, default: 10 },
    threshold: { kind: kinds.nonNegativeNumber, default: 1e-4 }, thresholdMode: { kind: oneOf('rel', 'abs'), default: 'rel' }, cooldown: { kind: kinds.nonNegativeInt, default: 0 },
    minLr: { kind: numOrList, default: 0 }, eps: { kind: kinds.nonNegativeNumber, default: 1e-8 }, verbose: { kind: kinds.boolean, default: false },
  }),
  OneCycleLR: signature('OneCycleLR', {
    maxLr: { kind: numOrList, required: true }, totalSteps: { kind: nullable(kinds.positiveInt), default: null }, epochs: { kind: nullable(kinds.positiveInt), default: null },
    stepsPerEpoch: { kind: nullable(kinds.positiveInt), default: null }, pctStart: { kind: kinds.probability, default: 0.3 }, annealStrategy: { kind: oneOf('cos', 'linear'), default: 'cos' },
    cycleMomentum: { kind: kinds.boolean, default: true }, baseMomentum: { kind: numOrList, default: 0.85 }, maxMomentum: { kind: numOrList, default: 0.95 },
    divFactor: { kind: kinds.positiveNumber, default: 25 }, finalDivFactor: { kind: kinds.positiveNumber, default: 1e4 }, threePhase: { kind: kinds.boolean, default: false }, ...lastEpoch,
  }),
  CyclicLR: signature('CyclicLR', {
    baseLr: { kind: numOrList, required: true }, maxLr: { kind: numOrList, required: true }, stepSizeUp: { kind: kinds.positiveNumber, default: 2000 },
    stepSizeDown: { kind: nullable(kinds.positiveNumber), default: null }, mode: { kind: oneOf('triangular', 'triangular2', 'exp_range'), default: 'triangular' },
    gamma: { kind: kinds.number, default: 1 }, scaleFn: { kind: nullable(fnKind), default: null }, scaleMode: { kind: oneOf('cycle', 'iterations'), default: 'cycle' },
    cycleMomentum: { kind: kinds.boolean, default: true }, baseMomentum: { kind: numOrList, default: 0.8 }, maxMomentum: { kind: numOrList, default: 0.9 }, ...lastEpoch,
  }),
};

/** Positional values then an optional options object, for schedulers. */
export type SchedArgs<S extends { params: Params }> = Array<number | boolean | string | null | number[] | ((e: number) => number) | Array<(e: number) => number> | OptionsOf<S['params']>>;

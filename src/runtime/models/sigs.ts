/**
 * The zoo's signatures (args.ts): torchvision's positional order for the model classes, keyword-only options for the
 * builder functions (as torchvision's `resnet18(*, weights=None, progress=True, **kwargs)`), snake_case aliases
 * (`num_classes`), and a clear error for anything the zoo cannot honour (pretrained weights, unknown keys).
 */
import { kind, kinds, nullable, signature } from '../args';
import type { CallForms, OptionsOf, Params } from '../args';
import { Module } from '../nn/module';

const only = <T>(v: T, why: string) => kind<T>(`${JSON.stringify(v)} (${why})`, (x) => x === v);
const noWeights = {
  kind: kind<null>("null (Layerwise's zoo has no pretrained weights: train the model, or load a state dict with loadTorch)", (v) => v === null),
  default: null,
  keywordOnly: true,
} as const;
/** torchvision's builders: `weights=None` and `progress` (it only draws a download bar) are accepted; `pretrained=False` too. */
const torchvision = {
  weights: noWeights,
  pretrained: { kind: only(false, 'Layerwise has no pretrained weights'), default: false, keywordOnly: true },
  progress: { kind: kinds.boolean, default: true, keywordOnly: true },
} as const;
const classes = (d: number) => ({ kind: kinds.positiveInt, default: d, keywordOnly: true }) as const;
const kw = <T>(k: ReturnType<typeof kind<T>>, d: T) => ({ kind: k, default: d, keywordOnly: true }) as const;

export const builderSigs = {
  lenet5: signature('models.lenet5', { numClasses: classes(10), inChannels: kw(kinds.positiveInt, 1) }),
  alexnet: signature('models.alexnet', { ...torchvision, numClasses: classes(1000), dropout: kw(kinds.probability, 0.5) }),
  vggCifar10: signature('models.vggCifar10', { numClasses: classes(10), batchNorm: kw(kinds.boolean, true) }),
  nin: signature('models.nin', { numClasses: classes(10) }),
  googlenet: signature('models.googlenet', { ...torchvision, numClasses: classes(1000) }),
  densenet121: signature('models.densenet121', { ...torchvision, numClasses: classes(1000) }),
  mobilenetV2: signature('models.mobilenetV2', { ...torchvision, numClasses: classes(1000), widthMult: kw(kinds.positiveNumber, 1) }),
  squeezenet1_0: signature('models.squeezenet1_0', { ...torchvision, numClasses: classes(1000), dropout: kw(kinds.probability, 0.5) }),
  preactResnet18: signature('models.preactResnet18', { numClasses: { kind: kinds.positiveInt, default: 10 } }),
};
const vggParams = { ...torchvision, numClasses: classes(1000), dropout: kw(kinds.probability, 0.5) } as const;
/** vgg11/16/19 take batchNorm; the Bn variants always have it, so there it is not an option. */
export const vggSig = (name: string) => signature(`models.${name}`, { ...vggParams, batchNorm: kw(kinds.boolean, false) });
export const vggBnSig = (name: string) => signature(`models.${name}`, vggParams);
/** A ResNet builder's signature; `defaults` are the variant's own (resnext50_32x4d: groups 32, the CIFAR ones: cifar). */
export const resnetSig = (name: string, defaults: { groups?: number; widthPerGroup?: number; cifar?: boolean } = {}) =>
  signature(`models.${name}`, {
    ...torchvision,
    numClasses: { kind: nullable(kinds.positiveInt), default: null, keywordOnly: true },
    groups: kw(kinds.positiveInt, defaults.groups ?? 1),
    widthPerGroup: kw(kinds.positiveInt, defaults.widthPerGroup ?? 64),
    v1: kw(kinds.boolean, false),
    cifar: kw(kinds.boolean, defaults.cifar ?? false),
  });

export const classSigs = {
  AlexNet: signature('AlexNet', { numClasses: { kind: kinds.positiveInt, default: 1000 }, dropout: { kind: kinds.probability, default: 0.5 } }),
  VGG: signature('VGG', {
    numClasses: { kind: kinds.positiveInt, default: 1000 }, initWeights: { kind: kinds.boolean, default: true }, dropout: { kind: kinds.probability, default: 0.5 },
  }),
  ResNet: signature('ResNet', {
    numClasses: { kind: nullable(kinds.positiveInt), default: null },
    zeroInitResidual: { kind: only(false, 'zero_init_residual=True is not supported'), default: false },
    groups: { kind: kinds.positiveInt, default: 1 },
    widthPerGroup: { kind: kinds.positiveInt, default: 64 },
    v1: { kind: kinds.boolean, default: false, keywordOnly: true },
    cifar: { kind: kinds.boolean, default: false, keywordOnly: true },
  }),
  block: (name: string) => signature(name, {
    stride: { kind: kinds.positiveInt, default: 1 },
    downsample: { kind: nullable(kind<Module>('a Module', (v) => v instanceof Module)), default: null },
    groups: { kind: kinds.positiveInt, default: 1 },
    baseWidth: { kind: kinds.positiveInt, default: 64 },
    dilation: { kind: only(1, 'dilated ResNet blocks are not supported'), default: 1 },
    v1: { kind: kinds.boolean, default: false, keywordOnly: true },
  }),
  GoogLeNet: signature('GoogLeNet', {
    numClasses: { kind: kinds.positiveInt, default: 1000 },
    auxLogits: { kind: only(false, "Layerwise's GoogLeNet has no auxiliary classifiers"), default: false },
    transformInput: { kind: only(false, 'transform_input=True is not supported'), default: false },
  }),
  DenseNet: signature('DenseNet', {
    growthRate: { kind: kinds.positiveInt, default: 32 },
    blockConfig: { kind: kind<number[]>('an array of positive integers', (v) => Array.isArray(v) && v.every((x) => Number.isInteger(x) && x > 0)), default: [6, 12, 24, 16] },
    numInitFeatures: { kind: kinds.positiveInt, default: 64 },
    bnSize: { kind: kinds.positiveInt, default: 4 },
    dropRate: { kind: only(0, 'dropout inside dense layers is not supported'), default: 0 },
    numClasses: { kind: kinds.positiveInt, default: 1000 },
    memoryEfficient: { kind: kinds.boolean, default: false },
  }),
  MobileNetV2: signature('MobileNetV2', { numClasses: { kind: kinds.positiveInt, default: 1000 }, widthMult: { kind: kinds.positiveNumber, default: 1 } }),
  SqueezeNet: signature('SqueezeNet', {
    version: { kind: only('1_0', 'the version Layerwise builds'), default: '1_0' },
    numClasses: { kind: kinds.positiveInt, default: 1000 },
    dropout: { kind: kinds.probability, default: 0.5 },
  }),
  PreActResNet: signature('PreActResNet', { numClasses: { kind: kinds.positiveInt, default: 10 } }),
  PreActBlock: signature('PreActBlock', { stride: { kind: kinds.positiveInt, default: 1 } }),
};

/** The options object of a builder (camelCase or snake_case keys). */
export type BuilderOptions<S extends { params: Params }> = OptionsOf<S['params']>;
type Opts<S extends { params: Params }> = OptionsOf<S['params']>;
/** The constructors' call forms: torchvision's positional order, then an optional options object. */
export type AlexNetArgs = CallForms<[], [numClasses: number, dropout: number], Opts<typeof classSigs.AlexNet>>;
export type VGGArgs = CallForms<[], [numClasses: number, initWeights: boolean, dropout: number], Opts<typeof classSigs.VGG>>;
export type ResNetArgs = CallForms<[], [numClasses: number | null, zeroInitResidual: false, groups: number, widthPerGroup: number], Opts<typeof classSigs.ResNet>>;
export type BlockArgs = CallForms<[], [stride: number, downsample: Module | null, groups: number, baseWidth: number, dilation: 1], Opts<ReturnType<typeof classSigs.block>>>;
export type GoogLeNetArgs = CallForms<[], [numClasses: number, auxLogits: false, transformInput: false], Opts<typeof classSigs.GoogLeNet>>;
export type DenseNetArgs = CallForms<[], [growthRate: number, blockConfig: number[], numInitFeatures: number, bnSize: number, dropRate: 0, numClasses: number,
  memoryEfficient: boolean], Opts<typeof classSigs.DenseNet>>;
export type MobileNetV2Args = CallForms<[], [numClasses: number, widthMult: number], Opts<typeof classSigs.MobileNetV2>>;
export type SqueezeNetArgs = CallForms<[], [version: '1_0', numClasses: number, dropout: number], Opts<typeof classSigs.SqueezeNet>>;
export type PreActResNetArgs = CallForms<[], [numClasses: number], Opts<typeof classSigs.PreActResNet>>;

/** The NN functional ops (exposed to users as the `F` namespace by ../../functional.ts). */
export { linear, conv1d, conv2d } from './conv';
export type { Conv1dOptions, Conv2dOptions } from './conv';
export { maxPool1d, maxPool2d, avgPool1d, avgPool2d, adaptiveAvgPool1d, adaptiveAvgPool2d } from './pool';
export type { MaxPool1dOptions, MaxPool2dOptions, AvgPool1dOptions, AvgPool2dOptions } from './pool';
export { batchNorm, layerNorm, groupNorm, instanceNorm, updateRunning } from './norm';
export type { BatchNormOptions, LayerNormOptions, InstanceNormOptions } from './norm';
export { softmax, logSoftmax } from './softmax';
export { crossEntropy, nllLoss } from './classification';
export type { CrossEntropyOptions, NllLossOptions } from './classification';
export {
  mseLoss, l1Loss, smoothL1Loss, huberLoss, klDiv, binaryCrossEntropy, binaryCrossEntropyWithLogits, marginRankingLoss, sigmoidFocalLoss,
} from './losses';
export { embedding, oneHot, normalize, cosineSimilarity } from './extra';
export type { LossOptions, BceOptions, BceLogitsOptions, FocalOptions, KlReduction } from './losses';
export { dropout, dropout2d } from './dropout';
export type { DropoutOptions } from './dropout';
export type { Reduction } from './util';

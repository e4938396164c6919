/** Compatibility barrel: see normalization.ts, dropout.ts and linear.ts (Maxout). */
export { BatchNorm1d, BatchNorm2d, InstanceNorm2d, LayerNorm, GroupNorm } from './normalization';
export type { BatchNormOptions } from './normalization';
export { Dropout, Dropout2d } from './dropout';
export { Maxout } from './linear';

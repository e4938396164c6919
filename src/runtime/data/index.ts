/** The `data` namespace: datasets, loaders, file readers, transforms and synthetic sets (no downloads). */
export { TensorDataset, Subset, DataLoader, randomSplit } from './dataset';
export type { Dataset, DataLoaderOptions } from './dataset';
export { moons, spirals, blobs, digits } from './synthetic';
export { readIdx, mnist, cifar10 } from './files';
export * as transforms from './transforms';

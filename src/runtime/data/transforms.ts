/** Batch transforms (re-exported as data.transforms). */
export { normalize, randomCrop, randomHorizontalFlip, compose } from './files';

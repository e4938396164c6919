/** The `optim` namespace. */
export { Optimizer } from './optimizer';
export type { ParamGroup, ParamsArg } from './optimizer';
export { SGD, Adam, AdamW } from './sgd';
export type { SGDOptions, AdamOptions } from './sgd';

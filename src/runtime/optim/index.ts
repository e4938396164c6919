/** The `optim` namespace. */
export { Optimizer } from './optimizer';
export type { ParamGroup, ParamsArg, OptimState, OptimizerStateDict } from './optimizer';
export { SGD, Adam, AdamW } from './sgd';
export type { SGDOptions, AdamOptions } from './sgd';
export { RMSprop, Adagrad } from './rmsprop';
export type { RMSpropOptions, AdagradOptions } from './rmsprop';
export { Adadelta, Adamax, NAdam, RAdam } from './more';
export type { AdadeltaOptions, AdamaxOptions, NAdamOptions, RAdamOptions } from './more';
export { LBFGS } from './lbfgs';
export type { LBFGSOptions } from './lbfgs';
export { l1Prox } from './prox';
export * as lrScheduler from './schedulers';

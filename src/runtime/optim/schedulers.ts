/** The `optim.lrScheduler` namespace: every scheduler (PyTorch's torch.optim.lr_scheduler). */
export * from './lr-scheduler';
export { OneCycleLR, CyclicLR } from './lr-cyclic';

/** The `autograd` namespace (PyTorch's torch.autograd): grad, Function/Ctx for custom ops, jvp, gradcheck. */
export { grad } from './engine';
export { Function, Ctx } from './function';
export { jvp, gradcheck } from './functional';
export { noGrad, enableGrad, detectAnomaly } from './mode';

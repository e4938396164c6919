// Entry point of the kernel module. Each file below is owned by one area; see docs/architecture.md.
// Linear algebra and convolution (GEMM micro-kernels, packing, im2col/col2im):
export * from './gemm';
export * from './conv';
// Fused BatchNorm / optimizer kernels and the SIMD peak probe:
export * from './fused';
// Activation epilogues fused into BatchNorm (nn.Sequential's BatchNorm → ReLU):
export * from './epilogue';
// Elementwise, reductions, indexing, pooling, softmax:
export * from './elementwise';
export * from './elementwise-int';
export * from './reduce';
export * from './indexing';
export * from './pool';
export * from './softmax';
// Partial-sum kernel for the worker pool:
export * from './threads';

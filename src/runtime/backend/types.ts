/**
 * The kernel interface: the closed set of compute primitives every backend implements.
 *
 * Two backends implement it: `reference` (plain TypeScript over typed arrays, float64-capable, the oracle)
 * and `wasm` (AssemblyScript kernels compiled with SIMD over one WebAssembly.Memory owned by JS).
 * Autograd and every op sit above this interface and never touch memory directly.
 *
 * Conventions (all backends):
 * - Sizes and offsets are in ELEMENTS, never bytes. A `Ref` is (storage, element offset).
 * - Outputs are contiguous (row-major) unless a stride argument says otherwise.
 * - Inputs are validated by the caller (the op layer): shapes, dtypes, index ranges. Kernels may assume valid
 *   arguments; they must never be reachable with invalid ones (no WASM traps, no silent garbage).
 * - Kernels never allocate tensors. A backend may keep private scratch space (e.g. im2col, packed panels).
 * - Layout of images is NCHW (PyTorch's); conv weights are [O, C/groups, KH, KW].
 * - float32 storages compute in float32; float64 storages (reference only) compute in float64.
 *   int32 storages hold int32 and bool tensors (bool as 0/1).
 */

export type DType = 'float32' | 'float64' | 'int32' | 'bool';
export type StorageType = 'float32' | 'float64' | 'int32';
export type TypedArray = Float32Array | Float64Array | Int32Array;

export function storageTypeOf(dtype: DType): StorageType {
  return dtype === 'bool' ? 'int32' : dtype;
}

export interface Storage {
  readonly backend: Backend;
  readonly type: StorageType;
  /** Number of elements. */
  readonly length: number;
  /** Byte address in the WASM memory (wasm backend); -1 for the reference backend. */
  readonly ptr: number;
  /** True once released; any further use is a bug the op layer must report. */
  readonly released: boolean;
  /** A fresh typed-array view of exactly this storage. On wasm it is invalidated by the next allocation. */
  view(): TypedArray;
  /** Return the block to the allocator. Idempotent. */
  release(): void;
}

/** An operand: a storage and an element offset into it. */
export interface Ref {
  readonly s: Storage;
  readonly off: number;
}

export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'rsqrt' | 'abs' | 'sign' | 'square' | 'reciprocal'
  | 'sin' | 'cos' | 'floor' | 'ceil' | 'round' | 'erf' | 'log1p' | 'expm1'
  | 'relu' | 'leakyRelu' /* p0 = negative slope */ | 'elu' /* p0 = alpha */
  | 'gelu' /* exact, erf-based */ | 'geluTanh' | 'sigmoid' | 'tanh'
  | 'softplus' /* p0 = beta, p1 = threshold */
  | 'clamp' /* p0 = min (may be -Infinity), p1 = max (may be +Infinity) */
  | 'powScalar' /* y = x ** p0 */
  | 'affine' /* y = x * p0 + p1 */;

/** Ops with a derivative kernel (unaryGrad). Non-differentiable ones (sign, floor, ceil, round) have zero grad. */
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  /** Comparisons write 0/1 into an int32 output storage. */
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export type ReduceOp = 'sum' | 'max' | 'min' | 'prod';

export interface GemmArgs {
  /** C[b] = alpha * op(A[b]) · op(B[b]) + beta * C[b], op(X) = X or Xᵀ. Shapes after op: [m,k]·[k,n] → [m,n]. */
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  a: Ref;
  /** Leading dimension (row stride) of A as stored: k if !transA else m, for a dense matrix. */
  lda: number;
  b: Ref;
  ldb: number;
  c: Ref;
  ldc: number;
  alpha: number;
  /** When beta is 0, C is not read (it may hold garbage or NaN). */
  beta: number;
  batch: number;
  /** Element strides between consecutive batch matrices; 0 broadcasts that operand over the batch. */
  strideA: number;
  strideB: number;
  strideC: number;
}

export interface Conv2dArgs {
  n: number; c: number; h: number; w: number;
  o: number; kh: number; kw: number;
  sh: number; sw: number;
  /** Padding before (top/left). Padding after is implied by oh/ow (PyTorch 'same' with even kernels pads more after). */
  ph: number; pw: number;
  dh: number; dw: number;
  groups: number;
  oh: number; ow: number;
}

export interface Pool2dArgs {
  n: number; c: number; h: number; w: number;
  kh: number; kw: number;
  sh: number; sw: number;
  ph: number; pw: number;
  dh: number; dw: number;
  oh: number; ow: number;
  /**
   * avg pool only, exactly PyTorch's rule: hstart = oy*sh - ph; hend = min(hstart + kh, h + ph);
   * poolSize = (hend - hstart) * (wend - wstart); then clip start/end to [0, h) / [0, w);
   * divisor = divisorOverride || (countIncludePad ? poolSize : (clipped hend - hstart) * (clipped wend - wstart)).
   */
  countIncludePad: boolean;
  divisorOverride: number;
}

export interface MemoryStats {
  /** Bytes held by live storages. */
  bytesInUse: number;
  /** Bytes reserved from the system (WASM memory size, or the sum of live typed arrays for reference). */
  bytesReserved: number;
  liveStorages: number;
}

export interface Backend {
  /** 'meta' is the shape-only backend used by nn.meta and summary(). */
  readonly name: 'wasm' | 'reference' | 'meta';
  supports(type: StorageType): boolean;

  // ---- memory --------------------------------------------------------------------------------------
  /** A new storage; its contents are unspecified. */
  alloc(type: StorageType, length: number): Storage;
  stats(): MemoryStats;

  // ---- movement ------------------------------------------------------------------------------------
  fill(dst: Ref, n: number, value: number): void;
  /** dst (contiguous, `shape`) = src read with `srcStrides` (elements; 0 = broadcast). Same storage type. */
  copy(src: Ref, srcStrides: readonly number[], dst: Ref, shape: readonly number[]): void;
  /** Contiguous elementwise conversion between storage types (float → int truncates toward zero). */
  cast(src: Ref, dst: Ref, n: number): void;

  // ---- elementwise -----------------------------------------------------------------------------------
  /** y[i] = f(x[i]) over n contiguous elements (same storage type). */
  unary(op: UnaryOp, x: Ref, y: Ref, n: number, p0: number, p1: number): void;
  /** dx[i] = dy[i] · f'(x[i]); y = f(x) is given too (use whichever is cheaper/more exact). */
  unaryGrad(op: UnaryOp, x: Ref, y: Ref, dy: Ref, dx: Ref, n: number, p0: number, p1: number): void;
  /** out (contiguous, `shape`) = a ∘ b with per-operand strides (0 = broadcast). */
  binary(op: BinaryOp, a: Ref, aStrides: readonly number[], b: Ref, bStrides: readonly number[],
    out: Ref, shape: readonly number[]): void;
  /** out = cond ? a : b, cond an int32 storage. */
  where(cond: Ref, condStrides: readonly number[], a: Ref, aStrides: readonly number[],
    b: Ref, bStrides: readonly number[], out: Ref, shape: readonly number[]): void;

  // ---- reductions ------------------------------------------------------------------------------------
  /**
   * x viewed contiguous as [outer, red, inner]; out[o, i] = reduce_r x[o, r, i].
   * For max/min, `arg` (int32, [outer, inner]) receives the index r of the first extremum (NaN wins, as PyTorch).
   */
  reduce(op: ReduceOp, x: Ref, outer: number, red: number, inner: number, out: Ref, arg: Ref | null): void;

  // ---- indexing --------------------------------------------------------------------------------------
  /** out[o, j, i] = x[o, idx[o, j, i], i]; x is [outer, xDim, inner], idx/out are [outer, idxDim, inner]. */
  gather(x: Ref, idx: Ref, out: Ref, outer: number, xDim: number, inner: number, idxDim: number): void;
  /** out[o, idx[o, j, i], i] += src[o, j, i]; out is NOT cleared first. */
  scatterAdd(src: Ref, idx: Ref, out: Ref, outer: number, outDim: number, inner: number, idxDim: number): void;
  /** out[o, j, i] = x[o, idx[j], i]; idx is 1-D of length k. */
  indexSelect(x: Ref, idx: Ref, out: Ref, outer: number, xDim: number, inner: number, k: number): void;
  /** out[o, idx[j], i] += src[o, j, i]; out is NOT cleared first. */
  indexAdd(src: Ref, idx: Ref, out: Ref, outer: number, outDim: number, inner: number, k: number): void;

  // ---- linear algebra and convolution ---------------------------------------------------------------
  gemm(args: GemmArgs): void;
  /** y[n, o, oh, ow] = Σ x ⋆ w (+ bias[o]); y is fully written. */
  conv2d(x: Ref, w: Ref, bias: Ref | null, y: Ref, args: Conv2dArgs): void;
  /** dx = ∂L/∂x given dy; dx is fully written (not accumulated). */
  conv2dBackwardData(dy: Ref, w: Ref, dx: Ref, args: Conv2dArgs): void;
  /** dw = ∂L/∂w summed over the batch; dw is fully written. The bias gradient is a reduce() over dy. */
  conv2dBackwardFilter(x: Ref, dy: Ref, dw: Ref, args: Conv2dArgs): void;

  // ---- pooling ---------------------------------------------------------------------------------------
  /** idx (int32) receives the flat index (iy * w + ix) inside the input plane of each max; padding never wins. */
  maxPool2d(x: Ref, y: Ref, idx: Ref, args: Pool2dArgs): void;
  /** dx is fully written (zeroed, then scatter-added through idx). */
  maxPool2dBackward(dy: Ref, idx: Ref, dx: Ref, args: Pool2dArgs): void;
  avgPool2d(x: Ref, y: Ref, args: Pool2dArgs): void;
  avgPool2dBackward(dy: Ref, dx: Ref, args: Pool2dArgs): void;
  /** PyTorch's adaptive windows: start = floor(i*h/oh), end = ceil((i+1)*h/oh). */
  adaptiveAvgPool2d(x: Ref, y: Ref, n: number, c: number, h: number, w: number, oh: number, ow: number): void;
  adaptiveAvgPool2dBackward(dy: Ref, dx: Ref, n: number, c: number, h: number, w: number, oh: number, ow: number): void;

  // ---- softmax ---------------------------------------------------------------------------------------
  /** Row-wise over the last dimension of a contiguous [rows, cols]; numerically stable (max-subtracted). */
  softmax(x: Ref, y: Ref, rows: number, cols: number, log: boolean): void;
  /** softmax: dx = y ⊙ (dy − Σ dy⊙y); log-softmax: dx = dy − exp(y) ⊙ Σ dy. */
  softmaxBackward(y: Ref, dy: Ref, dx: Ref, rows: number, cols: number, log: boolean): void;
}

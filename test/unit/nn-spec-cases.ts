/** Per layer type: PyTorch call forms and an input → output shape (shared by nn-spec and the Draft agreement tests). */
export interface Case {
  /** positional arguments in PyTorch's order */
  pos: unknown[];
  /** the same call with the optional positionals given by name */
  opts: unknown[];
  /** a snake_case spelling and the camelCase call it must equal (omitted when the layer has no multi-word option) */
  snake?: [unknown[], unknown[]];
  input: number[];
  /** the expected output shape */
  out: number[];
}

export const CASES: Record<string, Case[]> = {
  Conv2d: [
    {
      pos: [1, 2, 3, 2],
      opts: [1, 2, 3, { stride: 2 }],
      snake: [[{ in_channels: 1, out_channels: 2, kernel_size: 3 }], [1, 2, 3]],
      input: [1, 1, 9, 9],
      out: [1, 2, 4, 4],
    },
    { pos: [1, 2, 3, 1, 1], opts: [1, 2, 3, { padding: 1 }], input: [1, 1, 9, 9], out: [1, 2, 9, 9] },
    {
      pos: [4, 8, 3, 1, 'same', 2, 2, false],
      opts: [4, 8, 3, { padding: 'same', dilation: 2, groups: 2, bias: false }],
      input: [2, 4, 10, 10],
      out: [2, 8, 10, 10],
    },
    {
      pos: [3, 6, [3, 5], [2, 1], [1, 2], [1, 2]],
      opts: [3, 6, [3, 5], { stride: [2, 1], padding: [1, 2], dilation: [1, 2] }],
      input: [3, 11, 12],
      out: [6, 6, 8],
    },
  ],
  Conv1d: [
    {
      pos: [2, 4, 3, 1, 'same'],
      opts: [2, 4, 3, { padding: 'same' }],
      snake: [
        [2, 4, 3, { padding_mode: 'zeros' }],
        [2, 4, 3, { paddingMode: 'zeros' }],
      ],
      input: [1, 2, 10],
      out: [1, 4, 10],
    },
    { pos: [2, 4, 3, 2, 1, 2], opts: [2, 4, 3, { stride: 2, padding: 1, dilation: 2 }], input: [2, 2, 11], out: [2, 4, 5] },
  ],
  MaxPool2d: [
    {
      pos: [3, 2, 1],
      opts: [3, { stride: 2, padding: 1 }],
      snake: [
        [3, { ceil_mode: true }],
        [3, { ceilMode: true }],
      ],
      input: [1, 4, 112, 112],
      out: [1, 4, 56, 56],
    },
    { pos: [3, 2, 0, 1, false, true], opts: [3, { stride: 2, ceilMode: true }], input: [1, 2, 8, 8], out: [1, 2, 4, 4] },
  ],
  AvgPool2d: [
    {
      pos: [2, 1],
      opts: [2, { stride: 1 }],
      snake: [
        [2, { count_include_pad: false }],
        [2, { countIncludePad: false }],
      ],
      input: [1, 6, 28, 28],
      out: [1, 6, 27, 27],
    },
    { pos: [3, 2, 1, true], opts: [3, { stride: 2, padding: 1, ceilMode: true }], input: [1, 1, 6, 6], out: [1, 1, 4, 4] },
  ],
  MaxPool1d: [
    {
      pos: [2, 2, 1],
      opts: [2, { stride: 2, padding: 1 }],
      snake: [
        [2, { ceil_mode: true }],
        [2, { ceilMode: true }],
      ],
      input: [1, 4, 9],
      out: [1, 4, 5],
    },
  ],
  AdaptiveAvgPool2d: [
    {
      pos: [[2, null]],
      opts: [{ outputSize: [2, null] }],
      snake: [[{ output_size: 1 }], [{ outputSize: 1 }]],
      input: [1, 3, 7, 5],
      out: [1, 3, 2, 5],
    },
  ],
  Linear: [
    {
      pos: [3, 2, false],
      opts: [3, 2, { bias: false }],
      snake: [[{ in_features: 3, out_features: 2 }], [3, 2]],
      input: [4, 3],
      out: [4, 2],
    },
  ],
  Identity: [{ pos: [], opts: [], input: [2, 3], out: [2, 3] }],
  Flatten: [
    { pos: [0, 1], opts: [{ startDim: 0, endDim: 1 }], snake: [[{ start_dim: 2 }], [{ startDim: 2 }]], input: [2, 3, 4], out: [6, 4] },
  ],
  Embedding: [
    {
      pos: [10, 3, 0],
      opts: [10, 3, { paddingIdx: 0 }],
      snake: [
        [10, 3, { padding_idx: 1 }],
        [10, 3, { paddingIdx: 1 }],
      ],
      input: [2, 5],
      out: [2, 5, 3],
    },
  ],
  Maxout: [
    { pos: [4, 3, 3], opts: [4, 3, { pieces: 3 }], snake: [[{ in_features: 4, out_features: 3 }], [4, 3]], input: [5, 4], out: [5, 3] },
  ],
  ReLU: [{ pos: [true], opts: [{ inplace: true }], input: [2, 3], out: [2, 3] }],
  Sigmoid: [{ pos: [], opts: [{}], input: [2, 3], out: [2, 3] }],
  Tanh: [{ pos: [], opts: [{}], input: [2, 3], out: [2, 3] }],
  LeakyReLU: [
    {
      pos: [0.2],
      opts: [{ negativeSlope: 0.2 }],
      snake: [[{ negative_slope: 0.1 }], [{ negativeSlope: 0.1 }]],
      input: [2, 3],
      out: [2, 3],
    },
  ],
  ELU: [{ pos: [0.5], opts: [{ alpha: 0.5 }], input: [2, 3], out: [2, 3] }],
  GELU: [{ pos: ['tanh'], opts: [{ approximate: 'tanh' }], input: [2, 3], out: [2, 3] }],
  Softplus: [{ pos: [2, 10], opts: [{ beta: 2, threshold: 10 }], input: [2, 3], out: [2, 3] }],
  Softmax: [{ pos: [1], opts: [{ dim: 1 }], input: [2, 3], out: [2, 3] }],
  LogSoftmax: [{ pos: [-1], opts: [{ dim: -1 }], input: [2, 3], out: [2, 3] }],
  BatchNorm1d: [
    {
      pos: [4, 1e-3, 0.2],
      opts: [4, { eps: 1e-3, momentum: 0.2 }],
      snake: [
        [4, { track_running_stats: false }],
        [4, { trackRunningStats: false }],
      ],
      input: [5, 4],
      out: [5, 4],
    },
  ],
  BatchNorm2d: [
    {
      pos: [4, 1e-3],
      opts: [4, { eps: 1e-3 }],
      snake: [
        [4, { track_running_stats: false }],
        [4, { trackRunningStats: false }],
      ],
      input: [2, 4, 3, 3],
      out: [2, 4, 3, 3],
    },
  ],
  InstanceNorm2d: [
    {
      pos: [3, 1e-5, 0.1, true],
      opts: [3, { affine: true }],
      snake: [
        [3, { track_running_stats: true }],
        [3, { trackRunningStats: true }],
      ],
      input: [2, 3, 4, 4],
      out: [2, 3, 4, 4],
    },
  ],
  LayerNorm: [
    {
      pos: [[3, 4], 1e-6, false],
      opts: [[3, 4], { eps: 1e-6, elementwiseAffine: false }],
      snake: [
        [4, { elementwise_affine: false }],
        [4, { elementwiseAffine: false }],
      ],
      input: [2, 3, 4],
      out: [2, 3, 4],
    },
  ],
  GroupNorm: [
    {
      pos: [2, 4, 1e-3, false],
      opts: [2, 4, { eps: 1e-3, affine: false }],
      snake: [[{ num_groups: 2, num_channels: 4 }], [2, 4]],
      input: [2, 4, 3],
      out: [2, 4, 3],
    },
  ],
  Hardswish: [{ pos: [true], opts: [{ inplace: true }], input: [2, 3], out: [2, 3] }],
  Hardsigmoid: [{ pos: [true], opts: [{ inplace: true }], input: [2, 3], out: [2, 3] }],
  Hardtanh: [{ pos: [-2, 2], opts: [{ minVal: -2, maxVal: 2 }], snake: [[{ min_val: -3 }], [{ minVal: -3 }]], input: [2, 3], out: [2, 3] }],
  ReLU6: [{ pos: [true], opts: [{ inplace: true }], input: [2, 3], out: [2, 3] }],
  SELU: [{ pos: [false], opts: [{ inplace: false }], input: [2, 3], out: [2, 3] }],
  SiLU: [{ pos: [true], opts: [{ inplace: true }], input: [2, 3], out: [2, 3] }],
  Mish: [{ pos: [], opts: [{ inplace: false }], input: [2, 3], out: [2, 3] }],
  Softsign: [{ pos: [], opts: [{}], input: [2, 3], out: [2, 3] }],
  Dropout: [{ pos: [0.2], opts: [{ p: 0.2 }], input: [2, 3], out: [2, 3] }],
  Dropout2d: [{ pos: [0.2, false], opts: [{ p: 0.2, inplace: false }], input: [2, 3, 4, 4], out: [2, 3, 4, 4] }],
};

/**
 * Every nn layer against its spec (src/runtime/shape/layers), table-driven: PyTorch's positional form equals the
 * options form, a snake_case alias equals the camelCase name, an unknown option throws listing the valid ones, and
 * the spec's output shape = the real forward's shape = summary()'s row (the three answers agree).
 */
import { strict as assert } from 'node:assert';
import { LAYER_SPECS } from '../../src/runtime/shape/layers';

const rt = require('../../src/runtime');
const { nn } = rt;

interface Case {
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

const CASES: Record<string, Case[]> = {
  Conv2d: [
    { pos: [1, 2, 3, 2], opts: [1, 2, 3, { stride: 2 }], snake: [[{ in_channels: 1, out_channels: 2, kernel_size: 3 }], [1, 2, 3]], input: [1, 1, 9, 9], out: [1, 2, 4, 4] },
    { pos: [1, 2, 3, 1, 1], opts: [1, 2, 3, { padding: 1 }], input: [1, 1, 9, 9], out: [1, 2, 9, 9] },
    { pos: [4, 8, 3, 1, 'same', 2, 2, false], opts: [4, 8, 3, { padding: 'same', dilation: 2, groups: 2, bias: false }], input: [2, 4, 10, 10], out: [2, 8, 10, 10] },
    { pos: [3, 6, [3, 5], [2, 1], [1, 2], [1, 2]], opts: [3, 6, [3, 5], { stride: [2, 1], padding: [1, 2], dilation: [1, 2] }], input: [3, 11, 12], out: [6, 6, 8] },
  ],
  Conv1d: [
    { pos: [2, 4, 3, 1, 'same'], opts: [2, 4, 3, { padding: 'same' }], snake: [[2, 4, 3, { padding_mode: 'zeros' }], [2, 4, 3, { paddingMode: 'zeros' }]], input: [1, 2, 10], out: [1, 4, 10] },
    { pos: [2, 4, 3, 2, 1, 2], opts: [2, 4, 3, { stride: 2, padding: 1, dilation: 2 }], input: [2, 2, 11], out: [2, 4, 5] },
  ],
  MaxPool2d: [
    { pos: [3, 2, 1], opts: [3, { stride: 2, padding: 1 }], snake: [[3, { ceil_mode: true }], [3, { ceilMode: true }]], input: [1, 4, 112, 112], out: [1, 4, 56, 56] },
    { pos: [3, 2, 0, 1, false, true], opts: [3, { stride: 2, ceilMode: true }], input: [1, 2, 8, 8], out: [1, 2, 4, 4] },
  ],
  AvgPool2d: [
    { pos: [2, 1], opts: [2, { stride: 1 }], snake: [[2, { count_include_pad: false }], [2, { countIncludePad: false }]], input: [1, 6, 28, 28], out: [1, 6, 27, 27] },
    { pos: [3, 2, 1, true], opts: [3, { stride: 2, padding: 1, ceilMode: true }], input: [1, 1, 6, 6], out: [1, 1, 4, 4] },
  ],
  MaxPool1d: [{ pos: [2, 2, 1], opts: [2, { stride: 2, padding: 1 }], snake: [[2, { ceil_mode: true }], [2, { ceilMode: true }]], input: [1, 4, 9], out: [1, 4, 5] }],
  AdaptiveAvgPool2d: [{ pos: [[2, null]], opts: [{ outputSize: [2, null] }], snake: [[{ output_size: 1 }], [{ outputSize: 1 }]], input: [1, 3, 7, 5], out: [1, 3, 2, 5] }],
  Linear: [{ pos: [3, 2, false], opts: [3, 2, { bias: false }], snake: [[{ in_features: 3, out_features: 2 }], [3, 2]], input: [4, 3], out: [4, 2] }],
  Identity: [{ pos: [], opts: [], input: [2, 3], out: [2, 3] }],
  Flatten: [{ pos: [0, 1], opts: [{ startDim: 0, endDim: 1 }], snake: [[{ start_dim: 2 }], [{ startDim: 2 }]], input: [2, 3, 4], out: [6, 4] }],
  Embedding: [{ pos: [10, 3, 0], opts: [10, 3, { paddingIdx: 0 }], snake: [[10, 3, { padding_idx: 1 }], [10, 3, { paddingIdx: 1 }]], input: [2, 5], out: [2, 5, 3] }],
  Maxout: [{ pos: [4, 3, 3], opts: [4, 3, { pieces: 3 }], snake: [[{ in_features: 4, out_features: 3 }], [4, 3]], input: [5, 4], out: [5, 3] }],
  ReLU: [{ pos: [true], opts: [{ inplace: true }], input: [2, 3], out: [2, 3] }],
  Sigmoid: [{ pos: [], opts: [{}], input: [2, 3], out: [2, 3] }],
  Tanh: [{ pos: [], opts: [{}], input: [2, 3], out: [2, 3] }],
  LeakyReLU: [{ pos: [0.2], opts: [{ negativeSlope: 0.2 }], snake: [[{ negative_slope: 0.1 }], [{ negativeSlope: 0.1 }]], input: [2, 3], out: [2, 3] }],
  ELU: [{ pos: [0.5], opts: [{ alpha: 0.5 }], input: [2, 3], out: [2, 3] }],
  GELU: [{ pos: ['tanh'], opts: [{ approximate: 'tanh' }], input: [2, 3], out: [2, 3] }],
  Softplus: [{ pos: [2, 10], opts: [{ beta: 2, threshold: 10 }], input: [2, 3], out: [2, 3] }],
  Softmax: [{ pos: [1], opts: [{ dim: 1 }], input: [2, 3], out: [2, 3] }],
  LogSoftmax: [{ pos: [-1], opts: [{ dim: -1 }], input: [2, 3], out: [2, 3] }],
  BatchNorm1d: [{ pos: [4, 1e-3, 0.2], opts: [4, { eps: 1e-3, momentum: 0.2 }], snake: [[4, { track_running_stats: false }], [4, { trackRunningStats: false }]], input: [5, 4], out: [5, 4] }],
  BatchNorm2d: [{ pos: [4, 1e-3], opts: [4, { eps: 1e-3 }], snake: [[4, { track_running_stats: false }], [4, { trackRunningStats: false }]], input: [2, 4, 3, 3], out: [2, 4, 3, 3] }],
  InstanceNorm2d: [{ pos: [3, 1e-5, 0.1, true], opts: [3, { affine: true }], snake: [[3, { track_running_stats: true }], [3, { trackRunningStats: true }]], input: [2, 3, 4, 4], out: [2, 3, 4, 4] }],
  LayerNorm: [{ pos: [[3, 4], 1e-6, false], opts: [[3, 4], { eps: 1e-6, elementwiseAffine: false }], snake: [[4, { elementwise_affine: false }], [4, { elementwiseAffine: false }]], input: [2, 3, 4], out: [2, 3, 4] }],
  GroupNorm: [{ pos: [2, 4, 1e-3, false], opts: [2, 4, { eps: 1e-3, affine: false }], snake: [[{ num_groups: 2, num_channels: 4 }], [2, 4]], input: [2, 4, 3], out: [2, 4, 3] }],
  Dropout: [{ pos: [0.2], opts: [{ p: 0.2 }], input: [2, 3], out: [2, 3] }],
  Dropout2d: [{ pos: [0.2, false], opts: [{ p: 0.2, inplace: false }], input: [2, 3, 4, 4], out: [2, 3, 4, 4] }],
};

const make = (type: string, args: unknown[]): any => new nn[type](...args);

describe('nn layers: one spec per layer, PyTorch call forms', () => {
  it('every spec has cases, and every case names a spec', () => {
    assert.deepEqual(Object.keys(CASES).sort(), Object.keys(LAYER_SPECS).sort());
  });

  for (const [type, cases] of Object.entries(CASES)) {
    describe(type, () => {
      cases.forEach((c, i) => {
        it(`#${i}: positional ${JSON.stringify(c.pos)} = options ${JSON.stringify(c.opts)}`, () => {
          assert.deepEqual(make(type, c.pos).args, make(type, c.opts).args);
          assert.equal(String(make(type, c.pos)), String(make(type, c.opts)));
        });
        it(`#${i}: spec output shape = forward shape = summary row (${JSON.stringify(c.input)} → ${JSON.stringify(c.out)})`, () => {
          const m = make(type, c.pos);
          m.eval();
          const x = type === 'Embedding' ? rt.randint(0, 10, c.input) : rt.randn(c.input);
          assert.deepEqual(m.info(c.input).outShape, c.out);
          assert.deepEqual([...m(x).shape], c.out);
          const row = rt.summary(m, c.input, type === 'Embedding' ? { dtype: 'int32' } : {}).rows[0];
          assert.deepEqual(row.outputShape, c.out);
          assert.deepEqual(row.formulas, m.info(c.input).formulas);
        });
      });
      const s = cases.find((c) => c.snake)?.snake;
      if (s) {
        it(`snake_case ${JSON.stringify(s[0])} = camelCase ${JSON.stringify(s[1])}`, () => assert.deepEqual(make(type, s[0]).args, make(type, s[1]).args));
      }
      it('an unknown option throws, listing the valid ones', () => {
        const required = cases[0].pos.slice(0, LAYER_SPECS[type].signature.positional.filter((k) => (LAYER_SPECS[type].signature.params[k] as { required?: boolean }).required).length);
        if (type === 'Identity') return assert.doesNotThrow(() => make(type, [{ bogus: 1 }])); // PyTorch's Identity ignores its arguments
        assert.throws(() => make(type, [...required, { bogus: 1 }]), new RegExp(`^Error: ${type}: unknown option 'bogus'; valid options are `));
      });
      it('too many positional arguments throw', () => {
        if (type === 'Identity') return;
        const n = LAYER_SPECS[type].signature.positional.length;
        assert.throws(() => make(type, [...cases[0].pos, ...Array(n + 1).fill(1)].slice(0, n + 1)), new RegExp(`^Error: ${type}: `));
      });
    });
  }

  it('the known disagreements are gone: Conv1d same padding L_out = 10, 240 MACs', () => {
    const r = rt.summary(new nn.Conv1d(2, 4, 3, { padding: 'same' }), [1, 2, 10]).rows[0];
    assert.deepEqual(r.outputShape, [1, 4, 10]);
    assert.ok(r.formulas.includes('L_out = ⌊(10 − 3 + 2·1)/1⌋ + 1 = 10'), r.formulas.join(' | '));
    assert.equal(r.macs, 240);
  });

  it('PyTorch positional forms from the issue do what PyTorch does', () => {
    assert.deepEqual(new nn.Conv2d(1, 2, 3, 2).stride, [2, 2]);
    assert.deepEqual(new nn.Conv2d(1, 2, 3, 1, 1).padding, [1, 1]);
    assert.equal(new nn.Linear(3, 2, false).bias, null);
    assert.equal(new nn.BatchNorm2d(4, 1e-3).eps, 1e-3);
    assert.deepEqual([...new nn.MaxPool2d(3, 2, 1)(rt.randn([1, 1, 8, 8])).shape], [1, 1, 4, 4]);
    assert.deepEqual([...new nn.AvgPool2d(2, 1)(rt.randn([1, 1, 4, 4])).shape], [1, 1, 3, 3]);
  });

  it('argument errors name the layer and the argument', () => {
    assert.throws(() => new nn.Conv2d(1, 2, 3, '2'), /^Error: Conv2d: stride must be a positive integer or a pair, got "2"$/);
    assert.throws(() => new nn.Conv2d(1, 2), /^Error: Conv2d: kernelSize is required$/);
    assert.throws(() => new nn.Conv2d(1, 2, 3, 2, { stride: 2 }), /Conv2d: stride given twice/);
    assert.throws(() => new nn.Conv2d(3, 4, 3, { groups: 2 }), /Conv2d: inChannels \(3\) and outChannels \(4\) must be divisible by groups \(2\)/);
    assert.throws(() => new nn.Conv2d(3, 4, 3, { padding_mode: 'reflect' }), /Conv2d: paddingMode 'reflect' is not supported yet/);
    assert.throws(() => new nn.Dropout(1.5), /Dropout: p must be a probability in \[0, 1\], got 1.5/);
  });
});

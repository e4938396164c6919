/**
 * Every nn layer against its spec (src/runtime/shape/layers), table-driven: PyTorch's positional form equals the
 * options form, a snake_case alias equals the camelCase name, an unknown option throws listing the valid ones, and
 * the spec's output shape = the real forward's shape = summary()'s row (the three answers agree).
 */
import { strict as assert } from 'node:assert';
import { LAYER_SPECS } from '../../src/runtime/shape/layers';
import { CASES } from './nn-spec-cases';

const rt = require('../../src/runtime');
const { nn } = rt;

const make = (type: string, args: unknown[]): any => new nn[type](...args);

describe('nn layers: one spec per layer, PyTorch call forms', () => {
  it('every layer built from a spec has cases (the spec table and the activation table), and every case names one', () => {
    const layers = Object.entries(nn)
      .filter(([, v]: [string, any]) => typeof v === 'function' && v.prototype instanceof nn.SpecLayer)
      .map(([k]) => k);
    assert.deepEqual(Object.keys(CASES).sort(), layers.sort());
    for (const k of Object.keys(LAYER_SPECS)) assert.ok(layers.includes(k), k);
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
        it(`snake_case ${JSON.stringify(s[0])} = camelCase ${JSON.stringify(s[1])}`, () =>
          assert.deepEqual(make(type, s[0]).args, make(type, s[1]).args));
      }
      it('an unknown option throws, listing the valid ones', () => {
        const sig = make(type, cases[0].pos).spec.signature;
        const required = cases[0].pos.slice(0, sig.positional.filter((k: string) => sig.params[k].required).length);
        if (type === 'Identity') return assert.doesNotThrow(() => make(type, [{ bogus: 1 }])); // PyTorch's Identity ignores its arguments
        assert.throws(
          () => make(type, [...required, { bogus: 1 }]),
          new RegExp(`^Error: ${type}: unknown option 'bogus'; valid options are `),
        );
      });
      it('too many positional arguments throw', () => {
        if (type === 'Identity') return;
        const n = make(type, cases[0].pos).spec.signature.positional.length;
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
    assert.throws(
      () => new nn.Conv2d(3, 4, 3, { groups: 2 }),
      /Conv2d: inChannels \(3\) and outChannels \(4\) must be divisible by groups \(2\)/,
    );
    assert.throws(() => new nn.Conv2d(3, 4, 3, { padding_mode: 'reflect' }), /Conv2d: paddingMode 'reflect' is not supported yet/);
    assert.throws(() => new nn.Dropout(1.5), /Dropout: p must be a probability in \[0, 1\], got 1.5/);
  });
});

describe('nn losses: PyTorch call forms', () => {
  const t = () => rt.tensor([1, 2, 3]);
  const CASES: Array<[string, unknown[], unknown[], [unknown[], unknown[]] | null]> = [
    ['MSELoss', [null, null, 'sum'], [{ reduction: 'sum' }], [[{ size_average: null }], [{ sizeAverage: null }]]],
    ['L1Loss', [null, null, 'none'], [{ reduction: 'none' }], null],
    ['SmoothL1Loss', [null, null, 'mean', 0.5], [{ beta: 0.5 }], null],
    [
      'CrossEntropyLoss',
      [null, null, 3, null, 'sum', 0.1],
      [{ ignoreIndex: 3, reduction: 'sum', labelSmoothing: 0.1 }],
      [[{ label_smoothing: 0.2, ignore_index: 1 }], [{ labelSmoothing: 0.2, ignoreIndex: 1 }]],
    ],
    ['NLLLoss', [null, null, 2], [{ ignoreIndex: 2 }], [[{ ignore_index: 2 }], [{ ignoreIndex: 2 }]]],
    ['BCELoss', [null, null, null, 'sum'], [{ reduction: 'sum' }], null],
    ['BCEWithLogitsLoss', [null, null, null, 'mean', 'POS'], [{ posWeight: 'POS' }], [[{ pos_weight: 'POS' }], [{ posWeight: 'POS' }]]],
    ['MarginRankingLoss', [0.5], [{ margin: 0.5 }], null],
    ['HuberLoss', ['sum', 2], [{ reduction: 'sum', delta: 2 }], null],
    [
      'KLDivLoss',
      [null, null, 'batchmean', true],
      [{ reduction: 'batchmean', logTarget: true }],
      [[{ log_target: true }], [{ logTarget: true }]],
    ],
  ];
  const sub = (a: unknown[], w: unknown): unknown[] =>
    a.map((v) =>
      v === 'POS' ? w : typeof v === 'object' && v ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === 'POS' ? w : x])) : v,
    );
  for (const [type, pos, opts, snake] of CASES) {
    it(`${type}: positional = options, snake_case alias, unknown option, deprecated slots`, () => {
      const w = t();
      assert.deepEqual(new nn[type](...sub(pos, w)).args, new nn[type](...sub(opts, w)).args);
      if (snake) assert.deepEqual(new nn[type](...sub(snake[0], w)).args, new nn[type](...sub(snake[1], w)).args);
      assert.throws(() => new nn[type]({ bogus: 1 }), new RegExp(`^Error: ${type}: unknown option 'bogus'; valid options are`));
    });
  }
  it('a silently-ignored option is now an error, and a deprecated slot says what to use', () => {
    assert.throws(
      () => new nn.MSELoss({ reduce: false }),
      /MSELoss: reduce must be null \(deprecated in PyTorch: use reduction\), got false/,
    );
    assert.throws(
      () => new nn.CrossEntropyLoss({ reduction: 'avg' }),
      /CrossEntropyLoss: reduction must be one of "none", "mean", "sum", got "avg"/,
    );
    const ce = new nn.CrossEntropyLoss({ label_smoothing: 0.1 });
    const x = rt.randn([4, 5]);
    const y = rt.tensor([0, 1, 2, 3], { dtype: 'int32' });
    assert.equal(ce(x, y).item(), rt.F.crossEntropy(x, y, { labelSmoothing: 0.1 }).item());
  });
});

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

/**
 * summary(): the arithmetic strings (output size, parameter count incl. grouped/depthwise), the warning for a
 * stride that does not tile the input, errors for bad input shapes that name the layer and the shapes, and
 * totals that count shared parameters once. (Shapes vs real forwards: test/parity/library-zoo.test.ts.)
 */
import { strict as assert } from 'node:assert';

const rt = require('../../src/runtime');
const { nn } = rt;

const row = (s: any, name = ''): any => s.rows.find((r: any) => r.name === name);

describe('library: summary arithmetic', () => {
  it('AlexNet\'s first conv (96 filters 11×11, stride 4, pad 2 on 224): output 55 and 34,944 parameters', () => {
    const s = rt.summary(new nn.Conv2d(3, 96, 11, { stride: 4, padding: 2 }), [1, 3, 224, 224]);
    const r = row(s);
    assert.ok(r.formulas.includes('W_out = ⌊(224 − 11 + 2·2)/4⌋ + 1 = 55'), r.formulas.join(' | '));
    assert.ok(r.formulas.includes('H_out = ⌊(224 − 11 + 2·2)/4⌋ + 1 = 55'), r.formulas.join(' | '));
    assert.ok(r.formulas.includes('params = 11²·3·96 + 96 = 34,944'), r.formulas.join(' | '));
    assert.deepEqual(r.outputShape, [1, 96, 55, 55]);
    assert.equal(r.params, 34944);
    assert.equal(s.totals.macs, 55 * 55 * 96 * 11 * 11 * 3);
  });

  it('grouped and depthwise convolutions show the per-group input channels', () => {
    const g = row(rt.summary(new nn.Conv2d(32, 64, 3, { groups: 4, padding: 1 }), [1, 32, 8, 8]));
    assert.ok(g.formulas.includes('params = 3²·(32/4)·64 + 64 = 4,672'), g.formulas.join(' | '));
    assert.equal(g.params, 4672);
    const d = row(rt.summary(new nn.Conv2d(32, 32, 3, { groups: 32, bias: false }), [1, 32, 8, 8]));
    assert.ok(d.formulas.some((f: string) => f.startsWith('params = 3²·(32/32)·32 = 288') && f.includes('depthwise')), d.formulas.join(' | '));
    assert.equal(d.params, 288);
  });

  it('warns when the stride does not tile the input (7×7 input, 3×3 kernel, stride 3, no padding)', () => {
    for (const m of [new nn.Conv2d(1, 1, 3, { stride: 3 }), new nn.MaxPool2d(3, { stride: 3 })]) {
      const r = row(rt.summary(m, [1, 1, 7, 7]));
      assert.deepEqual(r.outputShape, [1, 1, 2, 2]);
      assert.ok(r.formulas.includes('W_out = ⌊(7 − 3)/3⌋ + 1 = 2'), r.formulas.join(' | '));
      assert.equal(r.warnings.length, 2, r.warnings.join(' | '));
      assert.match(r.warnings[1], /\(7 − 3 \+ 0\)\/3 is not an integer: the last 1 column of the input is never covered/);
      assert.match(rt.formatSummary(rt.summary(new nn.Sequential(m), [1, 1, 7, 7])), /⚠/);
    }
    const ok = row(rt.summary(new nn.Conv2d(1, 1, 3, { stride: 2 }), [1, 1, 7, 7]));
    assert.deepEqual(ok.warnings, []);
  });

  it('bad input shapes give an error naming the layer, its input shape and the expected shape', () => {
    const m = new nn.Sequential(new nn.Conv2d(3, 8, 3), new nn.Flatten(), new nn.Linear(100, 10));
    assert.throws(() => rt.summary(m, [1, 3, 32, 32]),
      /summary: layer '2' \(Linear\) with input \[1, 7200\] failed for input shape \[1, 3, 32, 32\]: .*7200.*\[10, 100\]/);
    assert.throws(() => rt.summary(m, [1, 4, 32, 32]),
      /layer '0' \(Conv2d\) with input \[1, 4, 32, 32\].*expected input \[1, 4, 32, 32\] to have 3 channels/);
  });

  it('LeNet-5 rows: shapes, parameter counts and totals', () => {
    const s = rt.summary(rt.nn.meta(() => rt.models.lenet5()), [1, 1, 28, 28]);
    assert.deepEqual(s.rows.filter((r: any) => r.depth === 1).map((r: any) => r.outputShape), [
      [1, 6, 28, 28], [1, 6, 28, 28], [1, 6, 14, 14], [1, 16, 10, 10], [1, 16, 10, 10], [1, 16, 5, 5],
      [1, 400], [1, 120], [1, 120], [1, 84], [1, 84], [1, 10]]);
    assert.equal(s.totals.params, 156 + 2416 + 48120 + 10164 + 850);
    assert.match(String(s), /Total params: 61,706/);
  });
});

describe('library: shared parameters', () => {
  class Tied extends nn.Module {
    embed = new nn.Linear(8, 8, { bias: false });
    act = new nn.ReLU();
    constructor() {
      super();
      this.out = new nn.Linear(8, 8, { bias: false });
      this.out.weight = this.embed.weight; // weight tying
    }
    out: any;
    forward(x: any): any {
      return this.out(this.act(this.embed(x)));
    }
  }

  it('count once in parameters(), namedParameters() (first name wins, as in PyTorch) and summary totals', () => {
    const m = new Tied();
    assert.equal(m.parameters().length, 1);
    assert.deepEqual([...m.namedParameters()].map(([k]: [string]) => k), ['embed.weight']);
    const s = rt.summary(m, [2, 8]);
    assert.equal(s.totals.params, 64);
    const l = new nn.Linear(4, 4);
    const seq = new nn.Sequential(l, new nn.ReLU(), l);
    assert.equal(seq.parameters().length, 2);
    const t = rt.summary(seq, [2, 4]);
    assert.equal(t.totals.params, 20);
    assert.equal(t.totals.macs, 2 * (2 * 4 * 4), 'a module called twice does its MACs twice');
  });

  it('a shared weight receives the sum of both uses\' gradients and one optimizer update', () => {
    const m = new Tied();
    const x = rt.randn([3, 8]);
    (m as any)(x).sum().backward();
    const g = m.embed.weight.grad.toArray();
    const opt = new rt.optim.SGD(m.parameters(), { lr: 0.1 });
    const before = m.embed.weight.toArray();
    opt.step();
    const after = m.out.weight.toArray();
    after.forEach((rowv: number[], i: number) => rowv.forEach((v, j) => assert.ok(Math.abs(v - (before[i][j] - 0.1 * g[i][j])) < 1e-6)));
  });
});

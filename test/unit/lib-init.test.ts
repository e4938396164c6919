/**
 * nn.init: sample statistics on large tensors match the theory (PyTorch's formulas) for every initialiser, mode and
 * gain; the default initialisation of Linear and Conv2d matches PyTorch's reset_parameters bounds.
 * Seeded, so the numbers are deterministic; tolerances are several standard errors of the estimators.
 */
import { strict as assert } from 'node:assert';

const rt = require('../../src/runtime');
const { nn } = rt;
const { init } = nn;

function stats(t: any): { mean: number; variance: number; min: number; max: number } {
  const d = t.dataSync() as Float32Array;
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of d) { s += v; if (v < min) min = v; if (v > max) max = v; }
  const mean = s / d.length;
  let q = 0;
  for (const v of d) q += (v - mean) ** 2;
  return { mean, variance: q / d.length, min, max };
}

/** mean within 5 standard errors of 0; variance within 2% of the theory. */
function checkStats(t: any, variance: number, what: string, bound?: number): void {
  const n = t.numel();
  const s = stats(t);
  assert.ok(Math.abs(s.mean) < 5 * Math.sqrt(variance / n), `${what}: mean ${s.mean}`);
  assert.ok(Math.abs(s.variance / variance - 1) < 0.02, `${what}: variance ${s.variance}, theory ${variance}`);
  if (bound !== undefined) {
    assert.ok(s.min >= -bound && s.max <= bound, `${what}: range [${s.min}, ${s.max}] outside ±${bound}`);
    assert.ok(s.max > 0.99 * bound && s.min < -0.99 * bound, `${what}: range [${s.min}, ${s.max}] does not reach ±${bound}`);
  }
}

describe('library: nn.init statistics', () => {
  beforeEach(() => rt.manualSeed(2024));
  const conv = (): any => rt.empty([128, 64, 5, 5]); // fanIn 1600, fanOut 3200, 204,800 elements
  const FAN_IN = 64 * 25;
  const FAN_OUT = 128 * 25;

  it('calculateGain equals PyTorch\'s table', () => {
    assert.equal(init.calculateGain('linear'), 1);
    assert.equal(init.calculateGain('conv2d'), 1);
    assert.equal(init.calculateGain('sigmoid'), 1);
    assert.equal(init.calculateGain('tanh'), 5 / 3);
    assert.equal(init.calculateGain('relu'), Math.SQRT2);
    assert.equal(init.calculateGain('leakyRelu'), Math.sqrt(2 / (1 + 0.01 ** 2)));
    assert.equal(init.calculateGain('leakyRelu', 0.2), Math.sqrt(2 / 1.04));
    assert.equal(init.calculateGain('selu'), 0.75);
    assert.deepEqual(init.calculateFanInAndFanOut(conv()), { fanIn: FAN_IN, fanOut: FAN_OUT });
    assert.throws(() => init.calculateFanInAndFanOut(rt.empty([5])), /fewer than 2 dimensions/);
  });

  for (const gain of [1, 5 / 3]) {
    it(`xavierUniform_ / xavierNormal_ with gain ${gain.toFixed(3)}: Var = gain²·2/(fanIn + fanOut)`, () => {
      const v = (gain * gain * 2) / (FAN_IN + FAN_OUT);
      checkStats(init.xavierUniform_(conv(), gain), v, 'xavierUniform_', gain * Math.sqrt(6 / (FAN_IN + FAN_OUT)));
      checkStats(init.xavierNormal_(conv(), gain), v, 'xavierNormal_');
    });
  }

  const KAIMING: Array<[Record<string, unknown>, number]> = [
    [{}, 2 / FAN_IN], // leakyRelu with a = 0 → gain √2
    [{ mode: 'fanOut', nonlinearity: 'relu' }, 2 / FAN_OUT],
    [{ a: 0.2 }, 2 / (1 + 0.04) / FAN_IN],
    [{ a: Math.sqrt(5) }, 1 / 3 / FAN_IN], // the default Linear/Conv init
    [{ mode: 'fanIn', nonlinearity: 'tanh' }, 25 / 9 / FAN_IN],
    [{ mode: 'fanOut', nonlinearity: 'linear' }, 1 / FAN_OUT],
  ];
  for (const [opts, v] of KAIMING) {
    it(`kaimingUniform_ / kaimingNormal_ ${JSON.stringify(opts)}: Var = gain²/fan`, () => {
      checkStats(init.kaimingUniform_(conv(), opts), v, 'kaimingUniform_', Math.sqrt(3 * v));
      checkStats(init.kaimingNormal_(conv(), opts), v, 'kaimingNormal_');
    });
  }

  it('lecunNormal_: Var = 1/fanIn; normal_/uniform_/constant_ basics', () => {
    checkStats(init.lecunNormal_(conv()), 1 / FAN_IN, 'lecunNormal_');
    checkStats(init.normal_(rt.empty([100000]), 0, 0.5), 0.25, 'normal_');
    checkStats(init.uniform_(rt.empty([100000]), -2, 2), 16 / 12, 'uniform_', 2);
    assert.deepEqual(init.constant_(rt.empty([3]), 0.5).toArray(), [0.5, 0.5, 0.5]);
    assert.throws(() => init.kaimingNormal_(conv(), { mode: 'fanInOut' }), /init.kaimingNormal_: mode must be one of "fanIn", "fanOut", "fan_in", "fan_out", got "fanInOut"/);
  });

  it('initialisers run without recording autograd history on parameters', () => {
    const w = new nn.Parameter(rt.empty([10, 10]));
    init.xavierUniform_(w);
    assert.equal(w.gradFn, null);
    assert.equal(w.requiresGrad, true);
  });
});

describe('library: default initialisation of Linear and Conv2d (PyTorch reset_parameters)', () => {
  beforeEach(() => rt.manualSeed(7));

  it('Linear(in, out): weight ~ U(±1/√in) (kaiming_uniform a=√5), bias ~ U(±1/√in)', () => {
    const l = new nn.Linear(400, 500);
    const b = 1 / Math.sqrt(400);
    checkStats(l.weight, (b * b) / 3, 'Linear.weight', b);
    const s = stats(l.bias);
    assert.ok(s.min >= -b && s.max <= b && s.max > 0.9 * b && s.min < -0.9 * b, `Linear.bias range [${s.min}, ${s.max}] vs ±${b}`);
  });

  it('Conv2d(in, out, k, groups): bound 1/√(in/groups·k²) for weight and bias', () => {
    for (const [cin, cout, k, groups] of [[64, 128, 3, 1], [64, 128, 5, 4], [96, 96, 3, 96]] as const) {
      const c = new nn.Conv2d(cin, cout, k, { groups });
      const fanIn = (cin / groups) * k * k;
      const b = 1 / Math.sqrt(fanIn);
      checkStats(c.weight, (b * b) / 3, `Conv2d(${cin}, ${cout}, ${k}, groups=${groups}).weight`, b);
      const s = stats(c.bias);
      assert.ok(s.min >= -b && s.max <= b, `Conv2d bias range [${s.min}, ${s.max}] vs ±${b}`);
    }
  });
});

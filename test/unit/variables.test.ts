// The executor's 'variables' request (src/executor/variables.ts) and the Variables view's text
// (src/extension/variables/format.ts), on real runtime objects.
import * as assert from 'node:assert/strict';
import { describeVariables, tensorStats } from '../../src/executor/variables';
import { describe as describeRow, formatBytes, sparkline, tooltip } from '../../src/extension/variables/format';
import * as lw from '../../src/runtime';

describe('variables request and view text', () => {
  it('describes tensors, models, numbers and strings; leaves out functions and unbound names', () => {
    const scope: Record<string, unknown> = {
      x: lw.randn([64, 3]),
      w: lw.tensor([[0, 0], [0, 0]], { requiresGrad: true }),
      net: new lw.nn.Sequential(new lw.nn.Linear(4, 8), new lw.nn.ReLU(), new lw.nn.Linear(8, 2)),
      lr: 0.01,
      label: 'fashion',
      helper: () => 1,
    };
    const vars = describeVariables(['x', 'w', 'net', 'lr', 'label', 'helper', 'gone'], scope);
    assert.deepEqual(vars.map((v) => [v.name, v.kind]), [['x', 'tensor'], ['w', 'tensor'], ['net', 'module'], ['lr', 'number'], ['label', 'string']]);
    const x = vars[0] as Extract<typeof vars[number], { kind: 'tensor' }>;
    assert.deepEqual(x.shape, [64, 3]);
    assert.equal(x.dtype, 'float32');
    assert.equal(x.bytes, 64 * 3 * 4);
    assert.equal(x.stats!.histogram.reduce((a, b) => a + b, 0), 192);
    assert.equal((vars[1] as { requiresGrad: boolean }).requiresGrad, true);
    const net = vars[2] as Extract<typeof vars[number], { kind: 'module' }>;
    assert.equal(net.parameters, 4 * 8 + 8 + 8 * 2 + 2);
    assert.equal(net.type, 'Sequential');
    assert.equal(describeRow(x), 'float32 [64, 3] · 768 B');
    assert.equal(describeRow(vars[1]), 'float32 [2, 2] · 16 B · grad');
    assert.equal(describeRow(net), 'Sequential · 58 params');
    assert.match(tooltip(x), /histogram `[▁-█ ]{16}`/);
    assert.equal(describeRow(vars[4]), "'fashion'");
  });

  it('statistics skip non-finite values; sizes and sparklines read well', () => {
    const s = tensorStats(Float32Array.from([0, 1, 2, 3, NaN, Infinity]))!;
    assert.deepEqual([s.min, s.max, s.mean], [0, 3, 1.5]);
    assert.equal(tensorStats(Float32Array.from([NaN])), null);
    assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MiB');
    assert.equal(sparkline([0, 1, 2, 4]), ' ▂▄█');
  });
});

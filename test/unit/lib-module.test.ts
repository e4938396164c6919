/**
 * nn.Module semantics the library issue asks for: BatchNorm uses batch statistics in training (updating the running
 * stats with momentum and the unbiased variance) and the running stats in eval; dropout is off in eval; a model's
 * stateDict round-trips through safetensors and reproduces its outputs; parameter names are dotted paths.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const rt = require('../../src/runtime');
const { nn } = rt;

const close = (a: number[], b: number[], tol = 1e-5): void => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol * (1 + Math.abs(b[i])), `[${i}] ${v} vs ${b[i]}`));
const flat = (t: any): number[] => Array.from(t.dataSync() as Float32Array);

describe('library: module train/eval semantics', () => {
  beforeEach(() => rt.manualSeed(99));

  it('BatchNorm2d: training normalises with batch stats and updates running stats (momentum 0.1, unbiased var); eval uses running stats', () => {
    const bn = new nn.BatchNorm2d(2);
    const x = rt.randn([4, 2, 3, 3]).mul(2).add(1);
    const xs = x.permute(1, 0, 2, 3).reshape(2, -1);
    const mean = flat(xs.mean(1));
    const varU = flat(xs.var(1));
    const varB = flat(xs.var(1, { unbiased: false }));
    const y = bn(x);
    close(flat(y.permute(1, 0, 2, 3).reshape(2, -1).mean(1)), [0, 0], 1e-5);
    close(flat(bn.runningMean), mean.map((m) => 0.1 * m));
    close(flat(bn.runningVar), varU.map((v) => 0.9 + 0.1 * v));
    assert.equal(bn.numBatchesTracked.item(), 1);
    void varB;
    bn.eval();
    const rm = flat(bn.runningMean);
    const rv = flat(bn.runningVar);
    const z = flat(bn(x));
    const xv = flat(x);
    const want = xv.map((v, i) => {
      const c = Math.floor(i / 9) % 2;
      return (v - rm[c]) / Math.sqrt(rv[c] + 1e-5);
    });
    close(z, want);
    close(flat(bn.runningMean), rm, 0);
    assert.equal(bn.numBatchesTracked.item(), 1, 'eval does not count batches');
  });

  it('Dropout: identity in eval; in training zeroes ≈p of the entries and scales the rest by 1/(1−p)', () => {
    const d = new nn.Dropout(0.3);
    const x = rt.ones([20000]);
    const yt = flat(d(x));
    const zeros = yt.filter((v) => v === 0).length / yt.length;
    assert.ok(Math.abs(zeros - 0.3) < 0.02, `zero fraction ${zeros}`);
    assert.ok(yt.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6));
    d.eval();
    assert.deepEqual(flat(d(x)), flat(x));
    const m = new nn.Sequential(new nn.Conv2d(2, 2, 1), new nn.Dropout2d(0.9), new nn.Flatten(), new nn.Dropout(0.9));
    m.eval();
    assert.ok(m.modules().every((k: any) => k.training === false), 'eval() reaches every submodule');
    const v = rt.randn([2, 2, 3, 3]);
    assert.deepEqual(m(v).toArray(), m(v).toArray());
    m.train();
    assert.ok(m.modules().every((k: any) => k.training === true));
  });

  it('stateDict round-trips through safetensors: a fresh model reproduces the outputs (incl. BN running stats)', () => {
    const make = (): any => new nn.Sequential(new nn.Conv2d(3, 4, 3), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.Flatten(), new nn.Linear(4 * 6 * 6, 3));
    const a = make();
    a(rt.randn([5, 3, 8, 8])); // update running stats
    a.eval();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lw-mod-')), 'a.safetensors');
    nn.saveSafetensors(a.stateDict(), file);
    const b = make();
    b.loadStateDict(nn.loadSafetensors(file));
    b.eval();
    const x = rt.randn([2, 3, 8, 8]);
    assert.deepEqual(b(x).toArray(), a(x).toArray());
    assert.deepEqual([...b.stateDict().keys()], [...a.stateDict().keys()]);
  });

  it('namedParameters() and stateDict() keys are PyTorch-style dotted paths', () => {
    const m = rt.nn.meta(() => rt.models.resnet18());
    const keys = [...m.namedParameters()].map(([k]: [string]) => k);
    for (const k of ['conv1.weight', 'bn1.weight', 'layer1.0.conv1.weight', 'layer1.0.bn2.bias', 'layer2.0.downsample.0.weight',
      'layer2.0.downsample.1.weight', 'layer4.1.conv2.weight', 'fc.weight', 'fc.bias']) assert.ok(keys.includes(k), k);
    assert.ok(!keys.includes('layer1.0.downsample.0.weight'), 'layer1 of resnet18 has no downsample (stride 1, 64 → 64)');
    const sd = [...m.stateDict().keys()];
    // buffers: Layerwise spells them runningMean today; PyTorch's running_mean is accepted too (see the io tests)
    assert.ok(['bn1.runningMean', 'bn1.running_mean'].some((k) => sd.includes(k)), sd.slice(0, 8).join(', '));
    assert.ok(['layer1.0.bn1.numBatchesTracked', 'layer1.0.bn1.num_batches_tracked'].some((k) => sd.includes(k)));
  });
});

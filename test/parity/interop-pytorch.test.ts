/**
 * Interop with real PyTorch (/usr/bin/python3 with torch; skipped with a note where it is missing):
 *   - exportPyTorch's model.py + weights.safetensors give PyTorch the same outputs as Layerwise (LeNet-5, a VGG
 *     block, ResNet-18, a custom nn.Module), with identical state-dict keys, at the traced and another batch size;
 *   - a .pth saved by PyTorch loads here (loadTorch → loadStateDict strict) and reproduces PyTorch's outputs;
 *   - the exported train.py of the getting-started model (LeNet-5, Adam lr 2e-3, cross-entropy) trains under
 *     PyTorch with the same losses as Layerwise's first two steps.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomizeStats as randomStats, relErr } from '../unit/export-helpers';
import { LAYER_CASES, randomAffine } from '../unit/export-cases';

const rt = require('../../src/runtime');
const { nn, models, F } = rt;
const PY = '/usr/bin/python3';
const hasTorch = fs.existsSync(PY) && spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

function python(code: string, cwd: string): any {
  const out = execFileSync(PY, ['-c', code], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OMP_NUM_THREADS: '1' } });
  return JSON.parse(out.trim().split('\n').pop()!);
}

class Custom extends nn.Module {
  stem = new nn.Conv2d(3, 4, 3, { padding: 1 });
  norm = new nn.GroupNorm(2, 4);
  head = new nn.Linear(4 * 2 * 2 + 4, 5);
  scale = new nn.Parameter(rt.tensor([1.5, -0.5, 2, 0.25]));
  forward(x: any): any {
    const h = rt.mul(F.gelu(this.norm(this.stem(x))), this.scale.reshape([1, 4, 1, 1]));
    const pooled = F.adaptiveAvgPool2d(h, [2, 2]).flatten(1);
    const g = rt.mean(h, [2, 3]);
    return F.logSoftmax(this.head(rt.cat([pooled, rt.sigmoid(g)], 1)), 1);
  }
}

const vggBlock = (): any => new nn.Sequential(new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(),
  new nn.Conv2d(8, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2, { stride: 2 }));

const CASES: Array<[string, () => any, number[]]> = [
  ['LeNet-5', () => models.lenet5(), [1, 28, 28]],
  ['a VGG block', vggBlock, [3, 16, 16]],
  ['ResNet-18', () => models.resnet18({ numClasses: 10 }), [3, 64, 64]],
  ['a custom nn.Module', () => new Custom(), [3, 8, 8]],
];

function randomizeStats(m: any): void {
  for (const x of m.modules()) {
    if (x.runningMean) x.runningMean.copy_(rt.mul(rt.randn(x.runningMean.shape), 0.1));
    if (x.runningVar) x.runningVar.copy_(rt.add(rt.rand(x.runningVar.shape), 0.5));
  }
}

describe('interop with PyTorch (python3 + torch)', function () {
  this.timeout(300_000);
  before(function () {
    if (!hasTorch) {
      console.log('    note: /usr/bin/python3 with torch is not available; the PyTorch interop suite is skipped');
      this.skip();
    }
  });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-interop-'));

  for (const [name, make, chw] of CASES) {
    it(`${name}: exported model.py + weights give PyTorch Layerwise's outputs`, () => {
      rt.manualSeed(11);
      const m = make();
      randomizeStats(m);
      const dir = path.join(tmp, name.replace(/\W+/g, '_'));
      const x2 = rt.randn([2, ...chw]);
      const x3 = rt.randn([3, ...chw]);
      rt.exportPyTorch(m, dir, { sampleInput: x2 });
      m.eval();
      rt.nn.saveSafetensors(new Map([['x2', x2], ['y2', m(x2)], ['x3', x3], ['y3', m(x3)]]), path.join(dir, 'io.safetensors'));
      const r = python(`
import json, torch
from model import build_model, load_safetensors
m = build_model(); m.eval()
t = load_safetensors('io.safetensors')
with torch.no_grad():
    out = {k: m(t['x' + k]) for k in ('2', '3')}
print(json.dumps({'keys': list(m.state_dict().keys()), 'y2': out['2'].flatten().tolist(), 'y3': out['3'].flatten().tolist(),
                  'shape': list(out['3'].shape)}))`, dir);
      assert.deepEqual(r.keys, [...m.stateDict().keys()]);
      assert.deepEqual(r.shape, m(x3).shape);
      const e2 = relErr(r.y2, m(x2).dataSync());
      const e3 = relErr(r.y3, m(x3).dataSync());
      assert.ok(e2 <= 1e-4 && e3 <= 1e-4, `relative errors ${e2}, ${e3}`);
    });
  }

  it('every nn layer (the ONNX layer cases): exported model.py gives PyTorch Layerwise\'s outputs', () => {
    const root = path.join(tmp, 'layers');
    const cases = LAYER_CASES.map(([name, make, shape], i) => {
      rt.manualSeed(20 + i);
      const m = make();
      randomStats(m);
      randomAffine(m);
      const dir = path.join(root, String(i));
      const x = rt.mul(rt.randn([2, ...shape]), 3);
      const x3 = rt.mul(rt.randn([3, ...shape]), 3);
      rt.exportPyTorch(m, dir, { sampleInput: x });
      m.eval();
      rt.nn.saveSafetensors(new Map([['x2', x], ['y2', m(x)], ['x3', x3], ['y3', m(x3)]]), path.join(dir, 'io.safetensors'));
      return name;
    });
    const r = python(`
import importlib.util, json, os, sys, torch
errs = []
for i in range(${cases.length}):
    d = os.path.join(${JSON.stringify(root)}, str(i))
    spec = importlib.util.spec_from_file_location(f'model{i}', os.path.join(d, 'model.py'))
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    m = mod.build_model(os.path.join(d, 'weights.safetensors')).eval()
    t = mod.load_safetensors(os.path.join(d, 'io.safetensors'))
    e = []
    with torch.no_grad():
        for k in ('2', '3'):
            y, ref = m(t['x' + k]), t['y' + k]
            e.append(float('inf') if y.shape != ref.shape else ((y - ref).abs().max() / (ref.abs().max() + 1e-6)).item())
    errs.append(max(e))
print(json.dumps(errs))`, root);
    const bad = cases.map((name, i) => [name, r[i]]).filter(([, e]) => !(e <= 1e-4));
    assert.deepEqual(bad, [], `layers whose PyTorch output differs: ${JSON.stringify(bad)}`);
  });

  it('a .pth saved by PyTorch (torch.save(model.state_dict())) loads here and reproduces PyTorch\'s outputs', () => {
    rt.manualSeed(12);
    const dir = path.join(tmp, 'pth');
    rt.exportPyTorch(models.resnet18({ numClasses: 10 }), dir, { sampleInput: rt.randn([1, 3, 32, 32]) });
    const r = python(`
import json, torch
from model import ResNet
torch.manual_seed(0)
m = ResNet()
with torch.no_grad():
    for p in m.parameters():
        p.normal_(0, 0.05)
    for name, b in m.named_buffers():
        if 'running_mean' in name: b.normal_(0, 0.1)
        if 'running_var' in name: b.uniform_(0.5, 1.5)
        if 'num_batches_tracked' in name: b.fill_(3)
m.eval()
torch.save(m.state_dict(), 'resnet18.pth')
x = torch.randn(2, 3, 32, 32)
print(json.dumps({'x': x.flatten().tolist(), 'y': m(x).detach().flatten().tolist()}))`, dir);
    const model = models.resnet18({ numClasses: 10 });
    const res = model.loadStateDict(rt.loadTorch(path.join(dir, 'resnet18.pth')));
    assert.deepEqual(res, { missingKeys: [], unexpectedKeys: [] });
    model.eval();
    const y = model(rt.tensor(r.x).reshape([2, 3, 32, 32]));
    assert.ok(relErr(y.dataSync(), r.y) <= 1e-4, `relative error ${relErr(y.dataSync(), r.y)}`);
    assert.equal(model.stateDict().get('bn1.num_batches_tracked').item(), 3);
  });

  it('the getting-started model: train.py\'s first two steps have Layerwise\'s losses (Adam, cross-entropy)', () => {
    rt.manualSeed(0);
    const model = models.lenet5();
    const opt = new rt.optim.Adam(model.parameters(), { lr: 2e-3 });
    const x = rt.randn([16, 1, 28, 28]);
    const y = rt.randint(0, 10, [16], { dtype: 'int32' });
    const dir = path.join(tmp, 'getting-started');
    rt.exportPyTorch(model, dir, { sampleInput: x, optimizer: opt, loss: 'crossEntropy' });
    rt.nn.saveSafetensors(new Map([['x', x], ['y', y]]), path.join(dir, 'batch.safetensors'));
    const losses: number[] = [];
    for (let i = 0; i < 2; i++) {
      opt.zeroGrad();
      const loss = F.crossEntropy(model(x), y);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    const out = execFileSync(PY, ['train.py', '--data', 'batch.safetensors', '--steps', '2', '--epochs', '2'], { cwd: dir, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
    const torchLosses = [...out.matchAll(/step (\d+) loss ([\d.eE+-]+)/g)].map((m) => Number(m[2]));
    assert.equal(torchLosses.length, 2, out);
    for (let i = 0; i < 2; i++) assert.ok(Math.abs(torchLosses[i] - losses[i]) <= 1e-4 * Math.abs(losses[i]), `step ${i + 1}: PyTorch ${torchLosses[i]} vs Layerwise ${losses[i]}`);
    assert.ok(fs.existsSync(path.join(dir, 'weights.trained.pt')));
  });
});

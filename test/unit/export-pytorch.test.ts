/**
 * exportPyTorch without Python: the files written, model.py's structure (PyTorch constructors with PyTorch's
 * argument names, attribute names equal to Layerwise's state-dict keys, the traced forward), train.py's optimizer
 * and loss, and errors naming the construct that cannot be exported. test/parity/interop-pytorch.test.ts runs the
 * files in PyTorch.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const rt = require('../../src/runtime');
const { nn, models, optim } = rt;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-pt-'));

describe('exportPyTorch', () => {
  it('writes model.py, weights.safetensors and train.py and reports their sizes', () => {
    const dir = path.join(tmp, 'lenet');
    const r = rt.exportPyTorch(models.lenet5(), dir, { sampleInput: rt.randn([2, 1, 28, 28]) });
    assert.deepEqual(r.files.map((f: any) => path.basename(f.path)), ['model.py', 'weights.safetensors', 'train.py']);
    for (const f of r.files) assert.equal(f.bytes, fs.statSync(f.path).size);
    assert.equal(r.className, 'Model');
    const src = fs.readFileSync(path.join(dir, 'model.py'), 'utf8');
    assert.match(src, /class Model\(nn\.Sequential\):/);
    assert.match(src, /nn\.Conv2d\(in_channels=1, out_channels=6, kernel_size=5, stride=1, padding=2, dilation=1, groups=1, bias=True, padding_mode="zeros"\),  # 0/);
    assert.match(src, /nn\.MaxPool2d\(kernel_size=2, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False\),  # 2/);
    assert.doesNotMatch(src, /def forward/, 'a plain chain keeps nn.Sequential\'s own forward');
    const sd = rt.nn.loadSafetensors(path.join(dir, 'weights.safetensors'));
    assert.deepEqual([...sd.keys()].sort(), [...models.lenet5().stateDict().keys()].sort());
  });

  it('a zoo model: containers keep Layerwise\'s names; the forward calls them at the same paths', () => {
    const { source } = rt.modelPy ? rt.modelPy(models.resnet18({ numClasses: 4 }), { sampleInput: rt.randn([1, 3, 32, 32]) })
      : require('../../src/runtime/export/pytorch').modelPy(models.resnet18({ numClasses: 4 }), { sampleInput: rt.randn([1, 3, 32, 32]) });
    assert.match(source, /class BasicBlock\(Container\):/);
    assert.match(source, /class ResNet\(nn\.Module\):/);
    assert.match(source, /self\.layer2 = nn\.Sequential\(\n\s+BasicBlock\(\n\s+conv1=nn\.Conv2d\(in_channels=64, out_channels=128/);
    assert.match(source, /downsample=None,/);
    assert.match(source, /layer2_0_downsample_0 = self\.layer2\[0\]\.downsample\[0\]\(relu_2\)/);
    assert.match(source, /add = torch\.add\(layer1_0_bn2, maxpool\)/);
    assert.match(source, /self\.fc = nn\.Linear\(in_features=512, out_features=4, bias=True\)/);
  });

  it('train.py carries the optimizer\'s class and hyper-parameters and the loss', () => {
    const m = models.lenet5();
    const cases: Array<[any, any, RegExp, RegExp]> = [
      [new optim.Adam(m.parameters(), { lr: 2e-3 }), 'crossEntropy', /torch\.optim\.Adam\(params, lr=0\.002, betas=\(0\.9, 0\.999\), eps=1e-8, weight_decay=0, amsgrad=False, maximize=False\)/, /nn\.CrossEntropyLoss\(\)/],
      [new optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true }), new nn.MSELoss({ reduction: 'sum' }),
        /torch\.optim\.SGD\(params, lr=0\.1, momentum=0\.9, dampening=0, weight_decay=0, nesterov=True, maximize=False\)/, /nn\.MSELoss\(reduction="sum"\)/],
      [new optim.AdamW(m.parameters(), { lr: 1e-3, weightDecay: 0.05 }), new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }), /torch\.optim\.AdamW\(params, lr=0\.001, .*weight_decay=0\.05/, /label_smoothing=0\.1/],
    ];
    cases.forEach(([opt, loss, o, l], i) => {
      const dir = path.join(tmp, `train${i}`);
      rt.exportPyTorch(m, dir, { sampleInput: rt.randn([1, 1, 28, 28]), optimizer: opt, loss });
      const src = fs.readFileSync(path.join(dir, 'train.py'), 'utf8');
      assert.match(src, o);
      assert.match(src, l);
      assert.match(src, /DistributedDataParallel\(model/);
      assert.match(src, /torchrun --nproc_per_node=4 train\.py/);
    });
  });

  it('errors name the construct: no sample, unknown option, an op without a PyTorch spelling, arrays of modules become nn.ModuleList; optimizers and losses', () => {
    const dir = path.join(tmp, 'err');
    const lin = (): any => new nn.Sequential(new nn.Linear(2, 2));
    assert.throws(() => rt.exportPyTorch(lin(), dir), /pass \{ sampleInput \}.*or set model\.inputShape/);
    assert.throws(() => rt.exportPyTorch(lin(), dir, { sample: rt.randn([1, 2]) }), /unknown option 'sample'; valid options: sampleInput, optimizer, loss, className/);
    class W extends nn.Module {
      inner = new (class Gate extends nn.Module { forward(x: any): any { return rt.where(rt.gt(x, 0), x, rt.mul(x, 0.1)); } })();
      forward(x: any): any { return (this.inner as any)(x); }
    }
    assert.throws(() => rt.exportPyTorch(new W(), dir, { sampleInput: rt.randn([1, 2]) }), /the op 'where' in layer 'inner' \(Gate\) has no PyTorch spelling here/);
    class Arr extends nn.Module {
      blocks = [new nn.Linear(2, 2), new nn.Linear(2, 2)];
      forward(x: any): any { return this.blocks[1](this.blocks[0](x)); }
    }
    rt.exportPyTorch(new Arr(), dir, { sampleInput: rt.randn([1, 2]) });
    const arr = fs.readFileSync(path.join(dir, 'model.py'), 'utf8');
    assert.match(arr, /self\.blocks = nn\.ModuleList\(\[\n\s+nn\.Linear\(in_features=2, out_features=2, bias=True\),\n\s+nn\.Linear\(in_features=2, out_features=2, bias=True\),\n\s+\]\)/);
    assert.match(arr, /blocks_1 = self\.blocks\[1\]\(blocks_0\)/);
    class Big extends nn.Module {
      fc = new nn.Linear(300, 300);
      forward(x: any): any { return rt.add(this.fc(x), rt.ones([300])); }
    }
    assert.throws(() => rt.exportPyTorch(new Big(), dir, { sampleInput: rt.randn([1, 300]) }), /uses a constant tensor of shape \[300\] created in its forward; register it as a buffer/);
    assert.throws(() => rt.exportPyTorch(lin(), dir, { sampleInput: rt.randn([1, 2]), loss: 'hinge' }), /loss 'hinge' is not one of crossEntropy/);
    assert.throws(() => rt.exportPyTorch(lin(), dir, { sampleInput: rt.randn([1, 2]), loss: new nn.MarginRankingLoss() }), /loss MarginRankingLoss is not written to train\.py/);
    assert.throws(() => rt.exportPyTorch(lin(), dir, { sampleInput: rt.randn([1, 2]), optimizer: { step() {} } }), /optimizer must be a Layerwise optimizer/);
  });

  it('a model with inputShape needs no sample; buffers of custom modules travel with PyTorch names', () => {
    class Scaler extends nn.Module {
      declare runningScale: any;
      fc = new nn.Linear(3, 3);
      constructor() {
        super();
        this.registerBuffer('runningScale', rt.tensor([2.5, 3, 4]));
      }
      forward(x: any): any { return rt.mul(this.fc(x), this.runningScale); }
    }
    const m = new Scaler();
    m.inputShape = [1, 3];
    const dir = path.join(tmp, 'buf');
    rt.exportPyTorch(m, dir);
    const src = fs.readFileSync(path.join(dir, 'model.py'), 'utf8');
    assert.match(src, /for name, \(value, persistent\) in \{"running_scale": \(torch\.zeros\(\(3,\), dtype=torch\.float32\), True\)\}\.items\(\):/);
    assert.match(src, /mul = torch\.mul\(fc, self\.running_scale\)/);
  });
});

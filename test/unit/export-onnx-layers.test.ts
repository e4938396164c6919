/**
 * onnx.export layer by layer: every layer in nn (and a custom nn.Module using the functional op set) exported
 * with a dynamic batch and run in onnxruntime-web against Layerwise's forward; options validated like
 * torch.onnx.export's; unsupported constructs fail with errors naming the op and the layer.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onnxParity, randomizeStats, runOnnx, relErr } from './export-helpers';

const rt = require('../../src/runtime');
const { nn, F } = rt;

class Custom extends nn.Module {
  fc1 = new nn.Linear(6, 8);
  fc2 = new nn.Linear(8, 6);
  forward(x: any): any {
    const h = rt.relu(this.fc1(x));
    const a = rt.sigmoid(rt.mul(h, 0.5));
    const b = rt.cat([rt.sub(h, 1), rt.div(a, 2)], 1);                         // [N, 16]
    const c = rt.add(rt.sum(b.reshape([b.shape[0], 4, 4]), 2), rt.exp(rt.neg(rt.tanh(b.narrow(1, 0, 4))))); // [N, 4]
    const d = rt.max(rt.unsqueeze(c, 2).expand(c.shape[0], 4, 3), 2).values;  // [N, 4]
    const e = rt.matmul(F.softmax(d, 1).unsqueeze(1), rt.permute(rt.ones([6, 4]), [1, 0]));    // [N, 1, 6]
    return rt.add(this.fc2(h), rt.mul(rt.pow(rt.clamp(rt.squeeze(e, 1), -1, 1), 2), rt.sqrt(rt.add(rt.abs(x), 1))));
  }
}

const CASES: Array<[string, () => any, number[], string?]> = [
  ['Linear', () => new nn.Linear(5, 4), [5]],
  ['Linear on 3-D input, no bias', () => new nn.Linear(5, 4, { bias: false }), [3, 5]],
  ['Conv2d stride/padding/dilation/groups', () => new nn.Conv2d(4, 6, 3, { stride: 2, padding: 2, dilation: 2, groups: 2 }), [4, 9, 9]],
  ["Conv2d padding 'same', no bias", () => new nn.Conv2d(3, 4, [4, 3], { padding: 'same', bias: false }), [3, 7, 6]],
  ['Conv1d', () => new nn.Conv1d(3, 5, 3, { stride: 2, padding: 1 }), [3, 11]],
  ['MaxPool2d k3 s2 p1', () => new nn.MaxPool2d(3, { stride: 2, padding: 1 }), [2, 9, 9]],
  ['MaxPool2d ceilMode', () => new nn.MaxPool2d(3, { stride: 2, ceilMode: true }), [2, 10, 10]],
  ['MaxPool1d', () => new nn.MaxPool1d(2), [3, 8]],
  ['AvgPool2d padding, countIncludePad false', () => new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }), [2, 7, 7]],
  ['AvgPool2d divisorOverride', () => new nn.AvgPool2d(2, { divisorOverride: 3 }), [2, 6, 6]],
  ['AdaptiveAvgPool2d [2, 2] from 6×4', () => new nn.AdaptiveAvgPool2d([2, 2]), [3, 6, 4]],
  ['AdaptiveAvgPool2d 1', () => new nn.AdaptiveAvgPool2d(1), [3, 5, 5]],
  ['Flatten', () => new nn.Flatten(), [2, 3, 4]],
  ['Flatten(2)', () => new nn.Flatten(2), [2, 3, 4]],
  ['ReLU', () => new nn.ReLU(), [7]],
  ['LeakyReLU(0.2)', () => new nn.LeakyReLU(0.2), [7]],
  ['ELU(0.5)', () => new nn.ELU(0.5), [7]],
  ['GELU', () => new nn.GELU(), [7]],
  ["GELU('tanh')", () => new nn.GELU('tanh'), [7]],
  ['Sigmoid', () => new nn.Sigmoid(), [7]],
  ['Tanh', () => new nn.Tanh(), [7]],
  ['Softmax(1)', () => new nn.Softmax(1), [7]],
  ['LogSoftmax(-1)', () => new nn.LogSoftmax(-1), [3, 7]],
  ['Identity', () => new nn.Identity(), [7]],
  ['Softplus beta 2 threshold 5', () => new nn.Softplus({ beta: 2, threshold: 5 }), [9]],
  ['BatchNorm1d (N, C)', () => new nn.BatchNorm1d(5), [5]],
  ['BatchNorm1d (N, C, L)', () => new nn.BatchNorm1d(3, { eps: 1e-3 }), [3, 6]],
  ['BatchNorm2d', () => new nn.BatchNorm2d(3), [3, 4, 4]],
  ['LayerNorm', () => new nn.LayerNorm([3, 4]), [2, 3, 4]],
  ['LayerNorm without affine', () => new nn.LayerNorm(4, { elementwiseAffine: false }), [3, 4]],
  ['GroupNorm', () => new nn.GroupNorm(2, 6), [6, 3, 3]],
  ['InstanceNorm2d affine', () => new nn.InstanceNorm2d(3, { affine: true }), [3, 5, 5]],
  ['InstanceNorm2d trackRunningStats', () => new nn.InstanceNorm2d(3, { trackRunningStats: true }), [3, 5, 5]],
  ['Dropout (eval)', () => new nn.Dropout(0.3), [7]],
  ['Dropout2d (eval)', () => new nn.Dropout2d(0.3), [2, 3, 3]],
  ['Maxout', () => new nn.Maxout(5, 3, 4), [5]],
  ['Sequential of layers', () => new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(18, 3)), [1, 5, 5]],
  ['custom nn.Module with functional ops', () => new Custom(), [6]],
];

function randomAffine(m: any): void {
  for (const x of m.modules()) {
    if (x.weight && x.bias && !(x instanceof nn.Linear) && !(x instanceof nn.Conv2d)) {
      x.weight.data.copy_(rt.add(rt.rand(x.weight.shape), 0.5));
      x.bias.data.copy_(rt.randn(x.bias.shape));
    }
  }
}

describe('onnx.export: every nn layer runs in onnxruntime-web with Layerwise\'s outputs', function () {
  this.timeout(120_000);
  for (const [name, make, shape] of CASES) {
    it(name, async () => {
      rt.manualSeed(2);
      const m = make();
      randomizeStats(m);
      randomAffine(m);
      const x = rt.mul(rt.randn([2, ...shape]), 3);
      const { err, errMore } = await onnxParity(m, x, rt.mul(rt.randn([3, ...shape]), 3));
      assert.ok(err <= 1e-4, `relative error ${err}`);
      assert.ok(errMore! <= 1e-4, `batch 3: relative error ${errMore}`);
    });
  }

  it('Embedding (int32 indices)', async () => {
    rt.manualSeed(3);
    const m = new nn.Embedding(10, 4);
    const idx = rt.tensor([[1, 2, 9], [0, 0, 5]], { dtype: 'int32' });
    const { bytes } = rt.onnx.bytes(m, idx);
    const out = (await runOnnx(bytes, { input: idx })).output;
    assert.deepEqual(out.dims, [2, 3, 4]);
    assert.ok(relErr(out.data, m(idx).dataSync()) <= 1e-6);
  });
});

describe('onnx.export: options, files and errors', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-onnx-'));
  const lin = (): any => new nn.Sequential(new nn.Linear(3, 2));

  it('writes the file and reports its size, names and operators; snake_case options are accepted', async () => {
    const p = path.join(dir, 'm.onnx');
    const r = rt.onnx.export(lin(), rt.randn([1, 3]), p, { input_names: ['x'], output_names: ['y'], opset_version: 18, dynamic_axes: { x: [0] } });
    assert.equal(r.bytes, fs.statSync(p).size);
    assert.deepEqual([r.inputs, r.outputs, r.opset], [['x'], ['y'], 18]);
    assert.deepEqual(r.ops, { Gemm: 1, Identity: 1 });
    const model = rt.onnx.decode(fs.readFileSync(p));
    assert.equal(model.opset_import[0].version, 18);
    assert.equal(model.graph.input[0].type.tensor_type.shape.dim[0].dim_param, 'x_dynamic_axes_1');
    assert.deepEqual(model.graph.initializer.map((t: any) => t.name).sort(), ['0.bias', '0.weight']);
  });

  it('the initializers carry the state-dict names and bytes', () => {
    const m = lin();
    const model = rt.onnx.decode(rt.onnx.bytes(m, rt.randn([1, 3])).bytes);
    const w = model.graph.initializer.find((t: any) => t.name === '0.weight');
    assert.deepEqual(w.dims, [2, 3]);
    assert.deepEqual([...new Float32Array(Uint8Array.from(w.raw_data).buffer)], [...m.stateDict().get('0.weight').dataSync()]);
  });

  it('rejects unknown options, listing the valid ones', () => {
    assert.throws(() => rt.onnx.bytes(lin(), rt.randn([1, 3]), { opsetVersion: 17, dynamicAxis: {} }), /unknown option 'dynamicAxis'; valid options: opset, opset_version, .*dynamicAxes, dynamic_axes/);
    assert.throws(() => rt.onnx.bytes(lin(), rt.randn([1, 3]), { opset: 11 }), /opset 11 is not supported; use one of 17, 18, 19, 20, 21/);
    assert.throws(() => rt.onnx.bytes(lin(), rt.randn([1, 3]), { opset: 17, opset_version: 18 }), /given twice/);
    assert.throws(() => rt.onnx.bytes(lin(), rt.randn([1, 3]), { dynamicAxes: { inp: [0] } }), /names 'inp', which is neither an input \(input\) nor an output \(output\)/);
    assert.throws(() => rt.onnx.bytes(lin(), rt.randn([1, 3]), { dynamicAxes: { input: [1] } }), /only the batch axis \(0\) can be dynamic/);
  });

  it('an op without a lowering names the op and the layer it ran in', () => {
    class Odd extends nn.Module {
      inner = new (class Weird extends nn.Module { forward(x: any): any { return rt.where(rt.gt(x, 0), x, rt.mul(x, 2)); } })();
      forward(x: any): any { return this.inner(x); }
    }
    assert.throws(() => rt.onnx.bytes(new Odd(), rt.randn([2, 3])), /the op 'where' in layer 'inner' \(Weird\) has no ONNX lowering. Ops that export: .*add/);
  });

  it('non-tensor outputs and arguments are errors naming the construct', () => {
    class Dict extends nn.Module { fc = new nn.Linear(2, 2); forward(x: any): any { return { y: this.fc(x) }; } }
    assert.throws(() => rt.onnx.bytes(new Dict(), rt.randn([1, 2])), /the model's forward returned an object \(Object\); export needs a Tensor or an array of Tensors/);
    assert.throws(() => rt.onnx.bytes(lin(), [1, 2, 3]), /sample input 0 is not a Tensor/);
    assert.throws(() => rt.onnx.export(lin(), rt.randn([1, 3]), ''), /path must be a non-empty string/);
  });

  it('restores training mode and leaves BatchNorm statistics untouched', () => {
    const m = new nn.Sequential(new nn.BatchNorm1d(3));
    const before = m.stateDict().get('0.running_mean').dataSync().slice();
    rt.onnx.bytes(m, rt.randn([4, 3]));
    assert.equal(m.training, true);
    assert.deepEqual([...m.stateDict().get('0.running_mean').dataSync()], [...before]);
    assert.equal(m.stateDict().get('0.num_batches_tracked').item(), 0);
  });

  it('onnx.schema.json is onnx.proto as parsed by protobufjs (regenerate with scripts/gen-onnx-schema.mjs)', () => {
    const protobuf = require('protobufjs');
    const dirp = path.resolve(__dirname, '..', '..', 'src', 'runtime', 'export', 'onnx');
    const fromProto = protobuf.parse(fs.readFileSync(path.join(dirp, 'onnx.proto'), 'utf8'), { keepCase: true }).root.toJSON();
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dirp, 'onnx.schema.json'), 'utf8')), JSON.parse(JSON.stringify(fromProto)));
  });
});

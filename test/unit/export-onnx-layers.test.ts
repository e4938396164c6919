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
import { LAYER_CASES as CASES, randomAffine } from './export-cases';

const rt = require('../../src/runtime');
const { nn } = rt;

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
      forward(x: any): any { return (this.inner as any)(x); }
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

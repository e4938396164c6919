/**
 * loadTorch: PyTorch .pt/.pth checkpoints (test/fixtures/export/, written by scripts/gen-export-fixtures.py) load
 * into loadStateDict and reproduce PyTorch's outputs, in the zip and the legacy format; dtypes convert; anything
 * that is not a tensor state dict (a pickled os.system call, a truncated file, a nested checkpoint) is refused with
 * a clear error, and nothing in the file runs.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { relErr } from './export-helpers';

const rt = require('../../src/runtime');
const { nn } = rt;
const FIX = path.resolve(__dirname, '..', 'fixtures', 'export');
const small = JSON.parse(fs.readFileSync(path.join(FIX, 'small.json'), 'utf8'));
const smallModel = (): any => new nn.Sequential(new nn.Conv2d(2, 3, 3, { padding: 1 }), new nn.BatchNorm2d(3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(48, 5));

describe('loadTorch: PyTorch checkpoints in', () => {
  for (const file of ['small.pth', 'small_legacy.pth']) {
    it(`${file} loads strictly and reproduces PyTorch's output`, () => {
      const sd = rt.loadTorch(path.join(FIX, file));
      assert.deepEqual([...sd.keys()], ['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked', '4.weight', '4.bias']);
      assert.equal(sd.get('1.num_batches_tracked').dtype, 'int32');
      assert.equal(sd.get('1.num_batches_tracked').item(), 7);
      const m = smallModel();
      const r = m.loadStateDict(sd);
      assert.deepEqual(r, { missingKeys: [], unexpectedKeys: [] });
      m.eval();
      const y = m(rt.tensor(small.input).reshape(small.inputShape));
      assert.deepEqual(y.shape, small.outputShape);
      assert.ok(relErr(y.dataSync(), small.output) < 1e-6, `error ${relErr(y.dataSync(), small.output)}`);
    });
  }

  it('converts float16, bfloat16, int64, bool, strided views and float64 scalars', () => {
    const sd = rt.loadTorch(path.join(FIX, 'small_half.pth'));
    const base = Array.from({ length: 12 }, (_, i) => i / 8);
    assert.deepEqual([...sd.get('half').dataSync()], base);
    assert.deepEqual([...sd.get('bf16').dataSync()], base);
    assert.deepEqual(sd.get('half').shape, [3, 4]);
    assert.deepEqual([sd.get('long').dtype, [...sd.get('long').dataSync()]], ['int32', [1, -2, 3]]);
    assert.deepEqual([sd.get('mask').dtype, [...sd.get('mask').dataSync()].map(Boolean)], ['bool', [true, false]]);
    assert.deepEqual(sd.get('strided').shape, [4, 3]);
    assert.deepEqual([...sd.get('strided').dataSync()], [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11].map((v) => v / 8));
    assert.deepEqual([sd.get('scalar').dtype, sd.get('scalar').shape, sd.get('scalar').item()], ['float64', [], 2.5]);
  });

  it('strict loading names missing and unexpected keys; shape mismatches name the key', () => {
    const sd = rt.loadTorch(path.join(FIX, 'small.pth'));
    const other = new nn.Sequential(new nn.Conv2d(2, 3, 3, { padding: 1 }), new nn.BatchNorm2d(3));
    assert.throws(() => other.loadStateDict(sd), /Unexpected key\(s\) in state_dict: "4\.weight", "4\.bias"/);
    assert.deepEqual(other.loadStateDict(sd, { strict: false }).unexpectedKeys, ['4.weight', '4.bias']);
    const wrong = new nn.Sequential(new nn.Conv2d(2, 4, 3), new nn.BatchNorm2d(3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(48, 5));
    assert.throws(() => wrong.loadStateDict(sd), /size mismatch for 0\.weight/);
  });

  it('refuses a pickle that calls os.system, naming the global, and runs nothing', () => {
    assert.throws(() => rt.loadTorch(path.join(FIX, 'evil.pth')), /references '(posix|os)\.system', which is not a tensor or state-dict type/);
  });

  it('refuses other opcodes, truncated files and non-checkpoints with clear errors', () => {
    const bytes = fs.readFileSync(path.join(FIX, 'small_legacy.pth'));
    assert.throws(() => rt.loadTorch(bytes.subarray(0, 300)), /truncated pickle|not a PyTorch checkpoint/);
    assert.throws(() => rt.loadTorch(new Uint8Array([1, 2, 3])), /not a PyTorch checkpoint/);
    assert.throws(() => rt.loadTorch(fs.readFileSync(path.join(FIX, 'small.pth')).subarray(0, 200)), /zip|data\.pkl/);
    // protocol 2: MARK, INST 'os\nsystem\n' — the instance-building opcode is never allowed
    const inst = new Uint8Array([0x80, 0x02, 0x28, 0x69, ...Buffer.from('os\nsystem\n'), 0x2e]);
    const { unpickle } = require('../../src/runtime/export/pickle');
    assert.throws(() => unpickle(inst, () => null, () => null, 'x'), /opcode 0x69 \('i'\) at offset 3 is not allowed/);
  });

  it('a training checkpoint: a clear pointer to { key }, and key loads the nested state dict', () => {
    const ck = path.join(FIX, 'checkpoint.pth');
    assert.throws(() => rt.loadTorch(ck), /entries 'state_dict', 'epoch' are not tensors; a training checkpoint\? load the state dict inside it with \{ key: 'state_dict' \}/);
    const m = smallModel();
    m.loadStateDict(rt.loadTorch(ck, { key: 'state_dict' }));
    m.eval();
    assert.ok(relErr(m(rt.tensor(small.input).reshape(small.inputShape)).dataSync(), small.output) < 1e-6);
    assert.throws(() => rt.loadTorch(path.join(FIX, 'small.pth'), { keyy: 'x' }), /unknown option 'keyy'; valid options: key/);
    assert.throws(() => rt.loadTorch(path.join(FIX, 'small.pth'), { key: 'state_dict' }), /has no entry 'state_dict' \(it has 0\.weight/);
  });
});

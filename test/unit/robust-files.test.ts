// Clear errors for corrupt files and bad values (issue #11): safetensors headers, IDX/CIFAR readers,
// loadStateDict with PyTorch's strict semantics and message, optimizer construction.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as lw from '../../src/runtime';
import { deserializeSafetensors, serializeSafetensors } from '../../src/runtime/nn/io';
import { readIdx, cifar10 } from '../../src/runtime/data/files';

const { nn, optim, tensor, zeros } = lw;

function safetensors(header: unknown, data = new Uint8Array(0)): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('robust: corrupt files and bad values', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'lw-files-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('safetensors: a malformed header entry is named, never a TypeError from inside', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ w: { dtype: 'F32', shape: 5, data_offsets: [0, 4] } }, /tensor 'w' has an invalid "shape" 5: expected a list of non-negative integers/],
      [{ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, /tensor 'w' has an invalid "shape" \[-1\]/],
      [{ w: { dtype: 'F32', shape: [1.5], data_offsets: [0, 4] } }, /invalid "shape" \[1.5\]/],
      [{ w: { dtype: 7, shape: [1], data_offsets: [0, 4] } }, /tensor 'w' has an invalid "dtype" 7/],
      [{ w: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, /invalid "data_offsets" \[4,0\]/],
      [{ w: { dtype: 'F32', shape: [1] } }, /invalid "data_offsets" undefined/],
      [{ w: 3 }, /tensor 'w' has no \{dtype, shape, data_offsets\} object/],
      [{ w: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, /'w' \(F32 \[2\]\) has data_offsets \[0, 4\] inconsistent with its size/],
      [{ w: { dtype: 'F32', shape: [65536, 65536], data_offsets: [0, 4] } }, /'w': a float32 tensor of shape \[65536, 65536\] needs 16.0 GB/],
      [{ __metadata__: { a: 1 } }, /__metadata__ must map names to strings/],
      [[1, 2], /the header is not a JSON object/],
    ];
    for (const [h, re] of cases) assert.throws(() => deserializeSafetensors(safetensors(h), 'f.safetensors'), (e: Error) => e instanceof Error && !(e instanceof TypeError) && re.test(e.message) && e.message.startsWith('loadSafetensors: f.safetensors'));
    const ok = serializeSafetensors({ w: tensor([1, 2]) });
    assert.deepEqual(deserializeSafetensors(ok).tensors.get('w')!.toArray(), [1, 2]);
    assert.throws(() => deserializeSafetensors(ok.subarray(0, 6)), /too short to be a safetensors file/);
    assert.throws(() => lw.nn.Module.prototype.load.call(new nn.Linear(1, 1), path.join(dir, 'missing.safetensors')), /loadSafetensors: cannot read .*missing.safetensors: ENOENT/);
  });

  it("loadStateDict: PyTorch's strict semantics and message; a failed load copies nothing", () => {
    const m = new nn.Linear(2, 3);
    const before = m.weight.toArray();
    const err = (sd: unknown, strict?: boolean) => {
      try {
        m.loadStateDict(sd as Map<string, lw.Tensor>, strict === undefined ? undefined : { strict });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    assert.equal(err({ weight: zeros([3, 2]) }), 'loadStateDict: Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "bias".');
    assert.equal(err({ weight: zeros([3, 2]), bias: zeros([3]), extra: zeros([1]) }), 'loadStateDict: Error(s) in loading state_dict for Linear:\n\tUnexpected key(s) in state_dict: "extra".');
    assert.equal(err({ weight: zeros([2, 2]), bias: zeros([3]) }),
      'loadStateDict: Error(s) in loading state_dict for Linear:\n\tsize mismatch for weight: copying a param with shape [2, 2] from checkpoint, the shape in current model is [3, 2].');
    assert.match(err({ weight: 1, bias: zeros([3]) }), /While copying the parameter named "weight", expected a Tensor from the checkpoint but received number 1/);
    assert.match(err({ weight: zeros([3, 2]), bias: zeros([4]) }, false), /size mismatch for bias/, 'shape errors even when not strict, as PyTorch');
    assert.deepEqual(m.weight.toArray(), before, 'nothing copied by failed loads');
    assert.match(err(5), /loadStateDict: expected a state dict \(a Map or an object of name → Tensor, e.g. model.stateDict\(\)\), got number 5/);
    assert.match(err(null), /got null/);
    assert.match(err(zeros([1])), /got an object \(Tensor\)/);
    const r = m.loadStateDict({ weight: zeros([3, 2]) }, { strict: false });
    assert.deepEqual(r, { missingKeys: ['bias'], unexpectedKeys: [] });
    assert.deepEqual(m.weight.toArray(), [[0, 0], [0, 0], [0, 0]]);
  });

  it('optimizers: SGD without lr says lr is required', () => {
    const p = new nn.Linear(1, 1).parameters();
    assert.throws(() => new (optim.SGD as unknown as new (p: unknown) => unknown)(p), /^(TypeError|Error): SGD: lr is required/);
    assert.throws(() => new optim.SGD(p, {} as never), /SGD: lr is required/);
    assert.throws(() => new optim.SGD(p, { lr: -1 }), /SGD: (invalid learning rate: -1|lr must be a non-negative number, got -1)/);
  });

  it('IDX and CIFAR readers: missing, truncated, corrupt gzip, wrong label', () => {
    const f = (name: string, bytes: Uint8Array | Buffer) => {
      const p = path.join(dir, name);
      writeFileSync(p, bytes);
      return p;
    };
    assert.throws(() => readIdx(path.join(dir, 'nope.idx')), /readIdx: cannot read .*nope.idx: ENOENT/);
    assert.throws(() => readIdx(f('short.idx', Buffer.from([0, 0, 8, 3, 0, 0]))), /readIdx: .*short.idx is truncated: its header announces 3 dimensions but the file has 6 bytes/);
    assert.throws(() => readIdx(f('data.idx', Buffer.from([0, 0, 8, 1, 0, 0, 0, 9, 1, 2]))), /is truncated: expected 9 bytes of data for shape \[9\], found 2/);
    const gz = gzipSync(Buffer.from([0, 0, 8, 1, 0, 0, 0, 2, 5, 6]));
    assert.deepEqual(Array.from(readIdx(f('ok.idx.gz', gz)).data), [5, 6]);
    assert.throws(() => readIdx(f('bad.idx.gz', gz.subarray(0, 12))), /readIdx: .*bad.idx.gz looks gzip-compressed but cannot be decompressed/);
    assert.throws(() => readIdx(42 as unknown as string), /readIdx: expected a file path \(string\), got number/);
    const rec = new Uint8Array(3073);
    rec[0] = 12;
    assert.throws(() => cifar10(f('c.bin', rec)), /cifar10: .*c.bin: record 0 has label 12; CIFAR-10 labels are 0..9/);
    assert.throws(() => cifar10(), /cifar10: expected at least one batch file/);
    assert.throws(() => cifar10(f('odd.bin', new Uint8Array(10))), /not a multiple of the 3073-byte record/);
  });
});

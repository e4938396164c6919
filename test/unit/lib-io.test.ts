/**
 * safetensors I/O (src/runtime/nn/io.ts): the exact byte layout from the spec, round trips of state dicts, and
 * interop with a file holding a PyTorch state dict (test/fixtures/library/torch_small.*, from
 * scripts/gen-library-fixtures.py).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const rt = require('../../src/runtime');
const { nn } = rt;
const FIX = path.resolve(__dirname, '..', 'fixtures', 'library');

const tmp = (name: string): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lw-io-')), name);
const bytesOf = (...parts: Array<number[] | string>): number[] => parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p));
const u64 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >> 24) & 0xff, 0, 0, 0, 0];

function smallModel(): any {
  return new nn.Sequential(new nn.Conv2d(2, 3, 3, { padding: 1 }), new nn.BatchNorm2d(3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(48, 5));
}

describe('library: safetensors I/O', () => {
  it('writes the spec layout byte for byte: u64 LE header size, compact JSON, space padding to 8, dtype-then-name order', () => {
    const sd = new Map<string, any>([
      ['w', rt.tensor([1, -2], { dtype: 'float32' })],
      ['n', rt.tensor(3, { dtype: 'int32' })],
      ['d', rt.tensor([0.5], { dtype: 'float64' })],
    ]);
    const got = [...nn.serializeSafetensors(sd, { k: 'v' })];
    const json = '{"__metadata__":{"k":"v"},'
      + '"d":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},'
      + '"w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},'
      + '"n":{"dtype":"I32","shape":[],"data_offsets":[16,20]}}';
    const padded = json + ' '.repeat((8 - (json.length % 8)) % 8);
    assert.equal(padded.length % 8, 0);
    const want = bytesOf(
      u64(padded.length), padded,
      [0, 0, 0, 0, 0, 0, 0xe0, 0x3f], // 0.5 as F64 LE
      [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0], // 1, -2 as F32 LE
      [3, 0, 0, 0], // 3 as I32 LE
    );
    assert.deepEqual(got, want);
  });

  it('reads a hand-built file with I64, F16, BF16, BOOL and U8 tensors, unaligned offsets and no padding', () => {
    const json = '{"a":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"h":{"dtype":"F16","shape":[3],"data_offsets":[16,22]},'
      + '"b":{"dtype":"BF16","shape":[1],"data_offsets":[22,24]},"m":{"dtype":"BOOL","shape":[3],"data_offsets":[24,27]},'
      + '"u":{"dtype":"U8","shape":[1,1],"data_offsets":[27,28]}}';
    const buf = Uint8Array.from(bytesOf(u64(json.length), json,
      [5, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // 5, -2 (I64)
      [0x00, 0x3c, 0x00, 0xc0, 0x00, 0x35], // 1, -2, 0.3125 (F16)
      [0x40, 0x40], // 3 (BF16)
      [1, 0, 1], [200]));
    const { tensors, metadata } = nn.deserializeSafetensors(buf);
    assert.equal(metadata, null);
    assert.deepEqual([...tensors.keys()], ['a', 'h', 'b', 'm', 'u']);
    assert.equal(tensors.get('a').dtype, 'int32');
    assert.deepEqual(tensors.get('a').toArray(), [5, -2]);
    assert.deepEqual(tensors.get('h').toArray(), [1, -2, 0.3125]);
    assert.deepEqual(tensors.get('b').toArray(), [3]);
    assert.deepEqual(tensors.get('m').toArray(), [true, false, true]);
    assert.deepEqual(tensors.get('u').toArray(), [[200]]);
  });

  it('rejects truncated files and inconsistent offsets with a clear error', () => {
    const json = '{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}';
    const bad = Uint8Array.from(bytesOf(u64(json.length), json, [0, 0, 0, 0]));
    assert.throws(() => nn.deserializeSafetensors(bad), /'x' \(F32 \[2\]\) has data_offsets \[0, 4\] inconsistent/);
    assert.throws(() => nn.deserializeSafetensors(Uint8Array.from(u64(1000))), /header length 1000 exceeds the file size/);
    assert.throws(() => nn.deserializeSafetensors(new Uint8Array(3)), /too short/);
  });

  it('round-trips a model stateDict (float32, float64, int32, bool, 0-d and empty tensors) through a file', () => {
    rt.manualSeed(3);
    const m = smallModel();
    const sd = m.stateDict();
    sd.set('extra.f64', rt.randn([2, 3], { dtype: 'float64' }));
    sd.set('extra.mask', rt.tensor([true, false]));
    sd.set('extra.empty', rt.zeros([0, 4]));
    const file = tmp('m.safetensors');
    nn.saveSafetensors(sd, file, { note: 'hi' });
    const back = nn.loadSafetensors(file);
    assert.deepEqual([...back.keys()].sort(), [...sd.keys()].sort());
    for (const [k, t] of sd) {
      const u = back.get(k);
      assert.equal(u.dtype, t.dtype, k);
      assert.deepEqual(u.shape, t.shape, k);
      assert.deepEqual(u.toArray(), t.toArray(), k);
    }
    assert.deepEqual(nn.loadSafetensorsMetadata(file), { note: 'hi' });
    const m2 = smallModel();
    back.delete('extra.f64'); back.delete('extra.mask'); back.delete('extra.empty');
    m2.loadStateDict(back);
    for (const [k, t] of m2.stateDict()) assert.deepEqual(t.toArray(), sd.get(k).toArray(), k);
  });

  it('loads a PyTorch state dict (snake_case buffer names, int64 num_batches_tracked) and reproduces torch\'s eval output', () => {
    const fx = JSON.parse(fs.readFileSync(path.join(FIX, 'torch_small.json'), 'utf8'));
    const m = smallModel();
    const res = m.load(path.join(FIX, 'torch_small.safetensors'));
    assert.deepEqual(res, { missingKeys: [], unexpectedKeys: [] });
    assert.equal(m.at(1).numBatchesTracked.item(), 3);
    assert.equal(m.at(1).numBatchesTracked.dtype, "int32");
    m.eval();
    const x = rt.tensor(fx.input.data).reshape(fx.input.shape);
    const y = m(x).dataSync();
    fx.output.data.forEach((v: number, i: number) => assert.ok(Math.abs(y[i] - v) <= 1e-5 + 1e-4 * Math.abs(v), `output[${i}] ${y[i]} vs torch ${v}`));
  });

  it('Module.save writes PyTorch key names (so torch load_state_dict takes it); Module.load reads them back', () => {
    rt.manualSeed(5);
    const m = smallModel();
    const file = tmp('torchnames.safetensors');
    m.save(file);
    const keys = [...nn.loadSafetensors(file).keys()].sort();
    const torchKeys = JSON.parse(fs.readFileSync(path.join(FIX, 'torch_small.json'), 'utf8')).keys.slice().sort();
    assert.deepEqual(keys, torchKeys);
    const m2 = smallModel();
    m2.load(file);
    for (const [k, t] of m.stateDict()) assert.deepEqual(m2.stateDict().get(k).toArray(), t.toArray(), k);
  });

  it('refuses meta tensors and non-string metadata', () => {
    const m = nn.meta(() => new nn.Linear(2, 2));
    assert.throws(() => nn.serializeSafetensors(m.stateDict()), /meta tensor/);
    assert.throws(() => nn.serializeSafetensors({ a: rt.zeros([1]) }, { n: 1 as any }), /metadata value for 'n' must be a string/);
  });
});

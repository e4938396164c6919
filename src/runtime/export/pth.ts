/**
 * PyTorch checkpoints in: .pt/.pth files written by torch.save(model.state_dict()). The zip container (torch ≥
 * 1.6: <name>/data.pkl, <name>/data/<key>, <name>/byteorder) is read with fflate; the pickle with the restricted
 * unpickler (pickle.ts), which resolves only OrderedDict, the tensor-rebuild functions and the typed storages.
 * The legacy (pre-1.6) format, a sequence of pickles followed by raw storages, is read too.
 * Tensors come back as Layerwise tensors (float16/bfloat16 → float32, int64/int16/int8/uint8 → int32 range-checked).
 */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { Tensor } from '../tensor';
import { tensor, zeros } from '../ops/creation';
import type { DType } from '../backend/types';
import { PickleDict, unpickle, unpickleAt, type PickleGlobal } from './pickle';
import { bf16, f16 } from '../nn/io';

interface StorageType { bytes: number; torch: string }
const STORAGES: Record<string, StorageType> = {
  FloatStorage: { bytes: 4, torch: 'float32' }, DoubleStorage: { bytes: 8, torch: 'float64' }, HalfStorage: { bytes: 2, torch: 'float16' },
  BFloat16Storage: { bytes: 2, torch: 'bfloat16' }, LongStorage: { bytes: 8, torch: 'int64' }, IntStorage: { bytes: 4, torch: 'int32' },
  ShortStorage: { bytes: 2, torch: 'int16' }, CharStorage: { bytes: 1, torch: 'int8' }, ByteStorage: { bytes: 1, torch: 'uint8' }, BoolStorage: { bytes: 1, torch: 'bool' },
};

interface Storage { type: StorageType; key: string; numel: number; bytes: () => Uint8Array }

/** A tensor whose storage bytes may come later in the stream (legacy format): built when the state dict is read. */
class Pending {
  constructor(readonly build: () => Tensor) {}
}

const g = (name: string, call: (args: unknown[]) => unknown): PickleGlobal => ({ name, call });

/** Reads `count` elements of a storage's little-endian bytes as numbers in the Layerwise dtype they map to. */
function decodeStorage(st: Storage, where: string, name: () => string): { values: ArrayLike<number>; dtype: DType } {
  const src = st.bytes();
  const n = st.numel;
  if (src.byteLength < n * st.type.bytes) throw new Error(`loadTorch: ${where}: storage ${st.key} holds ${src.byteLength} bytes, expected ${n * st.type.bytes}`);
  const buf = new ArrayBuffer(n * st.type.bytes);
  new Uint8Array(buf).set(src.subarray(0, n * st.type.bytes));
  switch (st.type.torch) {
    case 'float32': return { values: new Float32Array(buf), dtype: 'float32' };
    case 'float64': return { values: new Float64Array(buf), dtype: 'float64' };
    case 'int32': return { values: new Int32Array(buf), dtype: 'int32' };
    case 'int16': return { values: new Int16Array(buf), dtype: 'int32' };
    case 'int8': return { values: new Int8Array(buf), dtype: 'int32' };
    case 'uint8': return { values: new Uint8Array(buf), dtype: 'int32' };
    case 'bool': return { values: new Uint8Array(buf), dtype: 'bool' };
    case 'float16': return { values: Float32Array.from(new Uint16Array(buf), f16), dtype: 'float32' };
    case 'bfloat16': return { values: Float32Array.from(new Uint16Array(buf), bf16), dtype: 'float32' };
    default: { // int64
      const v = new BigInt64Array(buf);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (v[i] > 2147483647n || v[i] < -2147483648n) throw new Error(`loadTorch: ${where}: '${name()}' (int64) holds ${v[i]}, which does not fit Layerwise's int32`);
        out[i] = Number(v[i]);
      }
      return { values: out, dtype: 'int32' };
    }
  }
}

/** torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]) → a dense copy. */
function rebuild(args: unknown[], where: string, decoded: Map<Storage, { values: ArrayLike<number>; dtype: DType }>): Tensor {
  const [st, offset, size, stride] = args as [Storage, number, number[], number[]];
  if (!st || typeof st !== 'object' || !('type' in st)) throw new Error(`loadTorch: ${where}: a tensor without a storage`);
  let d = decoded.get(st);
  if (!d) decoded.set(st, (d = decodeStorage(st, where, () => `storage ${st.key}`)));
  const shape = [...size];
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) return zeros(shape, { dtype: d.dtype });
  const out = d.dtype === 'float64' ? new Float64Array(n) : d.dtype === 'float32' ? new Float32Array(n) : new Int32Array(n);
  const idx = new Array(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let p = offset;
    for (let i = 0; i < shape.length; i++) p += idx[i] * stride[i];
    if (p < 0 || p >= st.numel) throw new Error(`loadTorch: ${where}: a tensor [${shape.join(', ')}] reads past its storage (${st.numel} elements)`);
    out[k] = d.values[p];
    for (let i = shape.length - 1; i >= 0 && ++idx[i] === shape[i]; i--) idx[i] = 0;
  }
  return tensor(out, { dtype: d.dtype }).reshape(shape);
}

function resolver(where: string, decoded: Map<Storage, { values: ArrayLike<number>; dtype: DType }>) {
  return (module: string, name: string): PickleGlobal | null => {
    if (module === 'collections' && name === 'OrderedDict') return g(name, () => new PickleDict());
    if (module === 'torch._utils' && (name === '_rebuild_tensor_v2' || name === '_rebuild_tensor')) return g(name, (a) => new Pending(() => rebuild(a, where, decoded)));
    if (module === 'torch._utils' && name === '_rebuild_parameter') return g(name, (a) => a[0]);
    if (module === 'torch' && STORAGES[name]) return g(name, () => { throw new Error(`loadTorch: ${where}: a storage class was called`); });
    return null;
  };
}

function storageTypeOf(t: unknown, where: string): StorageType {
  const name = (t as PickleGlobal | null)?.name ?? String(t);
  const st = STORAGES[name];
  if (!st) throw new Error(`loadTorch: ${where}: unsupported storage type ${name}`);
  return st;
}

/** The flat name → Tensor map inside an unpickled checkpoint (optionally under `key`, e.g. 'state_dict'). */
function toStateDict(obj: unknown, where: string, key?: string): Map<string, Tensor> {
  let sd = obj;
  if (key !== undefined) {
    if (!(obj instanceof Map) || !obj.has(key)) throw new Error(`loadTorch: ${where}: the checkpoint has no entry '${key}'${obj instanceof Map ? ` (it has ${[...obj.keys()].map(String).join(', ')})` : ''}`);
    sd = obj.get(key);
  }
  if (!(sd instanceof Map)) throw new Error(`loadTorch: ${where}: expected a state dict (a dict of tensors), found ${Array.isArray(sd) ? 'a list' : typeof sd}`);
  const out = new Map<string, Tensor>();
  const nonTensor: string[] = [];
  for (const [k, v] of sd) {
    if (v instanceof Pending) out.set(String(k), v.build());
    else nonTensor.push(String(k));
  }
  if (nonTensor.length) {
    const nested = nonTensor.filter((k) => sd instanceof Map && sd.get(k) instanceof Map);
    throw new Error(`loadTorch: ${where}: entries ${nonTensor.map((k) => `'${k}'`).join(', ')} are not tensors` +
      (nested.length ? `; a training checkpoint? load the state dict inside it with { key: '${nested[0]}' }` : ''));
  }
  return out;
}

function loadZip(bytes: Uint8Array, where: string, key?: string): Map<string, Tensor> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new Error(`loadTorch: ${where}: not a readable zip archive: ${(e as Error).message}`);
  }
  const pkl = Object.keys(files).find((n) => n.endsWith('/data.pkl') || n === 'data.pkl');
  if (!pkl) throw new Error(`loadTorch: ${where}: the archive has no data.pkl (is it a torch.save file?)`);
  const prefix = pkl.slice(0, pkl.length - 'data.pkl'.length);
  const order = files[`${prefix}byteorder`];
  if (order && new TextDecoder().decode(order).trim() !== 'little') throw new Error(`loadTorch: ${where}: big-endian checkpoints are not supported`);
  const decoded = new Map<Storage, { values: ArrayLike<number>; dtype: DType }>();
  const storages = new Map<string, Storage>();
  const persistent = (pid: unknown): Storage => {
    const [kind, type, k, , numel] = pid as [string, unknown, string, string, number];
    if (kind !== 'storage') throw new Error(`loadTorch: ${where}: unknown persistent id '${String(kind)}'`);
    let st = storages.get(k);
    if (!st) {
      const data = files[`${prefix}data/${k}`];
      if (!data) throw new Error(`loadTorch: ${where}: storage data/${k} is missing from the archive`);
      st = { type: storageTypeOf(type, where), key: k, numel, bytes: () => data };
      storages.set(k, st);
    }
    return st;
  };
  return toStateDict(unpickle(files[pkl], resolver(where, decoded), persistent, where), where, key);
}

/** Legacy format: magic pickle, protocol pickle, sys-info pickle, the object pickle, the storage keys, raw storages. */
function loadLegacy(bytes: Uint8Array, where: string, key?: string): Map<string, Tensor> {
  const decoded = new Map<Storage, { values: ArrayLike<number>; dtype: DType }>();
  const none = (): null => null;
  const noPid = (): never => { throw new Error(`loadTorch: ${where}: unexpected persistent id`); };
  let pos = 0;
  const next = (persistent: (pid: unknown) => unknown, resolve = none as (m: string, n: string) => PickleGlobal | null): unknown => {
    const r = unpickleAt(bytes, pos, resolve, persistent, where);
    pos = r.end;
    return r.value;
  };
  let magic: unknown;
  try {
    magic = next(noPid);
  } catch {
    magic = null;
  }
  if (magic !== 0x1950a86a20f9469cfc6cn) throw new Error(`loadTorch: ${where}: not a PyTorch checkpoint (no zip archive, no legacy magic number)`);
  next(noPid); // protocol version
  next(noPid); // sys info
  const storages = new Map<string, Storage>();
  const obj = next((pid) => {
    const [kind, type, k, , numel] = pid as [string, unknown, string, string, number];
    if (kind !== 'storage') throw new Error(`loadTorch: ${where}: unknown persistent id '${String(kind)}'`);
    if (!storages.has(k)) storages.set(k, { type: storageTypeOf(type, where), key: k, numel, bytes: () => { throw new Error('storage read before its data'); } });
    return storages.get(k);
  }, resolver(where, decoded));
  const keys = next(noPid) as string[];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const k of keys) {
    const st = storages.get(k);
    if (!st) throw new Error(`loadTorch: ${where}: storage ${k} is listed but never used`);
    const n = Number(dv.getBigInt64(pos, true));
    pos += 8;
    const data = bytes.subarray(pos, pos + n * st.type.bytes);
    pos += n * st.type.bytes;
    st.bytes = () => data;
  }
  return toStateDict(obj, where, key);
}

export interface LoadTorchOptions {
  /** Load the state dict stored under this key of a training checkpoint ({ 'state_dict': …, 'epoch': … }). */
  key?: string;
}

/**
 * Reads a .pt/.pth file written by torch.save(model.state_dict()) into a Map name → Tensor with PyTorch's names,
 * ready for model.loadStateDict (strict by default). No code in the file is executed.
 */
export function loadTorch(source: string | Uint8Array, opts: LoadTorchOptions = {}): Map<string, Tensor> {
  for (const k of Object.keys(opts)) if (k !== 'key') throw new Error(`loadTorch: unknown option '${k}'; valid options: key`);
  const where = typeof source === 'string' ? source : 'buffer';
  const bytes = typeof source === 'string' ? readFileSync(source) : source;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return loadZip(bytes, where, opts.key);
  if (bytes[0] === 0x80) return loadLegacy(bytes, where, opts.key);
  throw new Error(`loadTorch: ${where}: not a PyTorch checkpoint (neither a zip archive nor a pickle stream)`);
}

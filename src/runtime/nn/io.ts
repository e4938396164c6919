/**
 * Weights on disk in the safetensors format (https://github.com/huggingface/safetensors), so state dicts move to
 * and from PyTorch (`safetensors.torch.save_file` / `load_file`):
 *   8 bytes   N, the header length, unsigned 64-bit little-endian
 *   N bytes   JSON {"__metadata__"?: {str: str}, name: {"dtype", "shape", "data_offsets": [begin, end]}, ...},
 *             padded with spaces to a multiple of 8 bytes (as the reference implementation does)
 *   rest      the tensors' little-endian bytes, row-major; offsets are relative to the start of this buffer.
 * Writing follows the reference implementation's layout byte for byte: tensors ordered by dtype (F64, F32, I32,
 * BOOL) then name, header keys in that order with __metadata__ first, compact JSON.
 * Reading accepts F64, F32, I32, BOOL and converts F16/BF16 → float32, I64/I16/I8/U8 → int32 (range-checked).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Tensor } from '../tensor';
import { tensor, zeros } from '../ops/creation';
import { Module } from './module';
import type { DType } from '../backend/types';
import { checkSize } from '../ops/size-checks';
import { reshape } from '../ops/views';

export type StateDictLike = Map<string, Tensor> | Record<string, Tensor>;
export type SafetensorsMetadata = Record<string, string>;

const WRITE_DTYPE: Record<DType, { code: string; bytes: number; rank: number }> = {
  float64: { code: 'F64', bytes: 8, rank: 0 },
  float32: { code: 'F32', bytes: 4, rank: 1 },
  int32: { code: 'I32', bytes: 4, rank: 2 },
  bool: { code: 'BOOL', bytes: 1, rank: 3 },
};
const READ_BYTES: Record<string, number> = { F64: 8, F32: 4, I32: 4, BOOL: 1, F16: 2, BF16: 2, I64: 8, I16: 2, I8: 1, U8: 1 };
const READ_DTYPE: Record<string, DType> = { F64: 'float64', F32: 'float32', BOOL: 'bool', F16: 'float32', BF16: 'float32' };

function entriesOf(sd: StateDictLike, forWrite = true): Array<[string, Tensor]> {
  const list = sd instanceof Map ? [...sd] : Object.entries(sd);
  for (const [k, t] of list) {
    if (!(t instanceof Tensor)) throw new Error(`safetensors: entry '${k}' is not a Tensor`);
    if (!forWrite) continue;
    if (t.isMeta) throw new Error(`safetensors: '${k}' is a meta tensor (shape only, no data); build the model outside nn.meta to save it`);
    if (!WRITE_DTYPE[t.dtype]) throw new Error(`safetensors: '${k}' has unsupported dtype ${t.dtype}`);
    if (k === '__metadata__') throw new Error("safetensors: '__metadata__' is reserved and can't be a tensor name");
  }
  return list;
}

function tensorBytes(t: Tensor): Uint8Array {
  const data = t.dataSync();
  if (t.dtype === 'bool') return Uint8Array.from(data as ArrayLike<number>, (v) => (v ? 1 : 0));
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The safetensors bytes of a state dict (Map or record of tensors), with optional string metadata. */
export function serializeSafetensors(sd: StateDictLike, metadata?: SafetensorsMetadata): Uint8Array {
  const list = entriesOf(sd).sort(([a, ta], [b, tb]) => WRITE_DTYPE[ta.dtype].rank - WRITE_DTYPE[tb.dtype].rank || (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new Error(`safetensors: metadata value for '${k}' must be a string`);
    header.__metadata__ = metadata;
  }
  let offset = 0;
  const chunks: Uint8Array[] = [];
  for (const [name, t] of list) {
    const bytes = tensorBytes(t);
    header[name] = { dtype: WRITE_DTYPE[t.dtype].code, shape: [...t.shape], data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.byteLength;
  }
  return out;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function parseHeader(bytes: Uint8Array, where: string): { header: Record<string, HeaderEntry>; metadata: SafetensorsMetadata | null; dataStart: number } {
  if (bytes.byteLength < 8) throw new Error(`loadSafetensors: ${where} is too short to be a safetensors file (${bytes.byteLength} bytes)`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(bytes.byteLength - 8)) throw new Error(`loadSafetensors: ${where}: header length ${n} exceeds the file size (${bytes.byteLength} bytes)`);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + 8, Number(n)).toString('utf8');
  if (!text.startsWith('{')) throw new Error(`loadSafetensors: ${where}: the header is not a JSON object`);
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`loadSafetensors: ${where}: invalid JSON header: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`loadSafetensors: ${where}: the header is not a JSON object`);
  const { __metadata__: meta, ...rest } = parsed;
  if (meta !== undefined && meta !== null) {
    if (typeof meta !== 'object' || Array.isArray(meta) || Object.values(meta).some((v) => typeof v !== 'string')) {
      throw new Error(`loadSafetensors: ${where}: __metadata__ must map names to strings, got ${JSON.stringify(meta).slice(0, 80)}`);
    }
  }
  for (const [name, e] of Object.entries(rest)) checkEntry(name, e, where);
  return { header: rest as Record<string, HeaderEntry>, metadata: (meta as SafetensorsMetadata) ?? null, dataStart: 8 + Number(n) };
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Each header entry must be {dtype: string, shape: [non-negative ints], data_offsets: [begin, end]} (as the reference reader demands). */
function checkEntry(name: string, e: unknown, where: string): asserts e is HeaderEntry {
  const bad = (what: string): never => {
    throw new Error(`loadSafetensors: ${where}: tensor '${name}' has ${what} (header entry ${JSON.stringify(e)?.slice(0, 120)})`);
  };
  if (e === null || typeof e !== 'object' || Array.isArray(e)) bad('no {dtype, shape, data_offsets} object');
  const { dtype, shape, data_offsets: off } = e as Record<string, unknown>;
  if (typeof dtype !== 'string') bad(`an invalid "dtype" ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape) || !shape.every(isCount)) bad(`an invalid "shape" ${JSON.stringify(shape)}: expected a list of non-negative integers`);
  if (!Array.isArray(off) || off.length !== 2 || !off.every(isCount) || off[0] > off[1]) {
    bad(`invalid "data_offsets" ${JSON.stringify(off)}: expected [begin, end] with 0 <= begin <= end`);
  }
}

function decode(code: string, raw: Uint8Array, count: number, name: string): { values: ArrayLike<number>; dtype: DType } {
  const buf = new ArrayBuffer(raw.byteLength); // aligned copy
  new Uint8Array(buf).set(raw);
  switch (code) {
    case 'F64': return { values: new Float64Array(buf, 0, count), dtype: 'float64' };
    case 'F32': return { values: new Float32Array(buf, 0, count), dtype: 'float32' };
    case 'I32': return { values: new Int32Array(buf, 0, count), dtype: 'int32' };
    case 'BOOL': return { values: new Uint8Array(buf, 0, count), dtype: 'bool' };
    case 'I16': return { values: new Int16Array(buf, 0, count), dtype: 'int32' };
    case 'I8': return { values: new Int8Array(buf, 0, count), dtype: 'int32' };
    case 'U8': return { values: new Uint8Array(buf, 0, count), dtype: 'int32' };
    case 'I64': {
      const src = new BigInt64Array(buf, 0, count);
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        if (src[i] > 2147483647n || src[i] < -2147483648n) throw new Error(`loadSafetensors: '${name}' (I64) holds ${src[i]}, which does not fit int32`);
        out[i] = Number(src[i]);
      }
      return { values: out, dtype: 'int32' };
    }
    case 'F16': case 'BF16': {
      const src = new Uint16Array(buf, 0, count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = code === 'BF16' ? bf16(src[i]) : f16(src[i]);
      return { values: out, dtype: 'float32' };
    }
    default: throw new Error(`loadSafetensors: '${name}' has unsupported dtype ${code}`);
  }
}

/** bfloat16 bits → number. */
export const bf16 = (h: number): number => new Float32Array(new Uint32Array([h << 16]).buffer)[0];
/** IEEE half-precision bits → number (also used by the .pth reader). */
export function f16(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Parses safetensors bytes: the tensors (in file order) and the optional __metadata__. */
export function deserializeSafetensors(bytes: Uint8Array, where = 'buffer'): { tensors: Map<string, Tensor>; metadata: SafetensorsMetadata | null } {
  const { header, metadata, dataStart } = parseHeader(bytes, where);
  const dataLen = bytes.byteLength - dataStart;
  const tensors = new Map<string, Tensor>();
  const entries = Object.entries(header).sort(([, a], [, b]) => a.data_offsets[0] - b.data_offsets[0]);
  for (const [name, e] of entries) {
    const size = READ_BYTES[e.dtype];
    if (!size) throw new Error(`loadSafetensors: ${where}: '${name}' has unsupported dtype ${e.dtype}`);
    const [begin, end] = e.data_offsets;
    const count = e.shape.reduce((a, b) => a * b, 1);
    checkSize(`loadSafetensors: ${where}: '${name}'`, e.shape, READ_DTYPE[e.dtype] ?? 'float32');
    if (!(begin >= 0 && end <= dataLen && end - begin === count * size)) {
      throw new Error(`loadSafetensors: ${where}: '${name}' (${e.dtype} [${e.shape.join(', ')}]) has data_offsets [${begin}, ${end}] inconsistent with its size (${count * size} bytes, buffer ${dataLen} bytes)`);
    }
    const { values, dtype } = decode(e.dtype, bytes.subarray(dataStart + begin, dataStart + end), count, name);
    tensors.set(name, count === 0 ? zeros(e.shape, { dtype }) : reshape(tensor(values, { dtype }), e.shape));
  }
  return { tensors, metadata };
}

/** Writes a state dict (e.g. model.stateDict()) to `path` in the safetensors format. */
export function saveSafetensors(sd: StateDictLike, path: string, metadata?: SafetensorsMetadata): void {
  writeFileSync(path, serializeSafetensors(sd, metadata));
}

function readFor(op: string, path: unknown): Buffer {
  if (typeof path !== 'string') throw new TypeError(`${op}: expected a file path (string), got ${typeof path}`);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`${op}: cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Reads a safetensors file into a Map name → Tensor (ready for model.loadStateDict). */
export function loadSafetensors(path: string): Map<string, Tensor> {
  return deserializeSafetensors(readFor('loadSafetensors', path), path).tensors;
}

/** The __metadata__ of a safetensors file (null when absent). */
export function loadSafetensorsMetadata(path: string): SafetensorsMetadata | null {
  return deserializeSafetensors(readFor('loadSafetensorsMetadata', path), path).metadata;
}

/** Layerwise buffer names whose PyTorch state-dict names are snake_case (parameters are weight/bias in both). */
const TORCH_BUFFER_NAMES: Record<string, string> = { runningMean: 'running_mean', runningVar: 'running_var', numBatchesTracked: 'num_batches_tracked' };
const FROM_TORCH = Object.fromEntries(Object.entries(TORCH_BUFFER_NAMES).map(([a, b]) => [b, a]));

function renameLast(key: string, table: Record<string, string>): string {
  const i = key.lastIndexOf('.');
  const last = key.slice(i + 1);
  return table[last] ? key.slice(0, i + 1) + table[last] : key;
}

/** A state dict with PyTorch's key names (running_mean, running_var, num_batches_tracked). */
export function toTorchNames(sd: StateDictLike): Map<string, Tensor> {
  return new Map(entriesOf(sd, false).map(([k, t]) => [renameLast(k, TORCH_BUFFER_NAMES), t]));
}

/** A state dict with Layerwise's key names (runningMean, runningVar, numBatchesTracked). */
export function fromTorchNames(sd: StateDictLike): Map<string, Tensor> {
  return new Map(entriesOf(sd, false).map(([k, t]) => [renameLast(k, FROM_TORCH), t]));
}

/** Renames file keys to the module's own spelling (PyTorch's snake_case or Layerwise's camelCase) where they differ. */
function matchKeys(sd: Map<string, Tensor>, own: Set<string>): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [k, t] of sd) {
    const alt = [k, renameLast(k, FROM_TORCH), renameLast(k, TORCH_BUFFER_NAMES)].find((c) => own.has(c));
    out.set(alt ?? k, t);
  }
  return out;
}

declare module './module' {
  interface Module {
    /** Saves stateDict() to a .safetensors file with PyTorch's key names (torch's load_state_dict reads it as is). */
    save(path: string, metadata?: SafetensorsMetadata): void;
    /** Loads a .safetensors file (Layerwise or PyTorch key names) with loadStateDict (strict by default). */
    load(path: string, opts?: { strict?: boolean }): { missingKeys: string[]; unexpectedKeys: string[] };
  }
}

/** Installs Module.prototype.save/load (done when this module is imported; idempotent). */
export function installModuleIO(): void {
  Object.defineProperty(Module.prototype, 'save', {
    value: function save(this: Module, path: string, metadata?: SafetensorsMetadata): void {
      saveSafetensors(toTorchNames(this.stateDict()), path, metadata);
    },
    writable: true, configurable: true, enumerable: false,
  });
  Object.defineProperty(Module.prototype, 'load', {
    value: function load(this: Module, path: string, opts: { strict?: boolean } = {}) {
      return this.loadStateDict(matchKeys(loadSafetensors(path), new Set(this.stateDict().keys())), opts);
    },
    writable: true, configurable: true, enumerable: false,
  });
}
installModuleIO();

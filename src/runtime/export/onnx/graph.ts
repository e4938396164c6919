/**
 * An ONNX graph under construction, as plain objects shaped like onnx.proto's messages (NodeProto, TensorProto,
 * ValueInfoProto); encode.ts turns them into bytes with protobufjs. Names are unique; initializers are added once.
 */
import type { Tensor } from '../../tensor';
import type { DType } from '../../backend/types';

export const ELEM: Record<DType | 'int64', number> = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 };

export type AttrValue = number | number[] | string | { floats: number[] } | { float: number };

export interface NodeProto {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: Array<Record<string, unknown>>;
}

export interface TensorProto {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

/** Attribute encoding: integers → INT, non-integers → FLOAT, arrays of integers → INTS, { floats } → FLOATS, strings → STRING. */
function attribute(name: string, v: AttrValue): Record<string, unknown> {
  if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: 2, i: v } : { name, type: 1, f: v };
  if (Array.isArray(v)) return { name, type: 7, ints: v };
  if ('floats' in v) return { name, type: 6, floats: v.floats };
  return { name, type: 1, f: v.float };
}

function rawBytes(values: ArrayLike<number> | ArrayLike<bigint>, dtype: DType | 'int64'): Uint8Array {
  switch (dtype) {
    case 'float32': return new Uint8Array(Float32Array.from(values as ArrayLike<number>).buffer);
    case 'float64': return new Uint8Array(Float64Array.from(values as ArrayLike<number>).buffer);
    case 'int32': return new Uint8Array(Int32Array.from(values as ArrayLike<number>).buffer);
    case 'int64': return new Uint8Array(BigInt64Array.from(Array.from(values as ArrayLike<number>, (x) => BigInt(x))).buffer);
    case 'bool': return Uint8Array.from(values as ArrayLike<number>, (x) => (x ? 1 : 0));
  }
}

export class OnnxGraph {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly inits = new Map<string, string>();

  constructor(readonly opset: number) {}

  /** A fresh value name with this prefix. */
  fresh(prefix: string): string {
    let name = prefix;
    for (let k = 1; this.used.has(name); k++) name = `${prefix}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Reserves an exact name (graph inputs, outputs, parameters); throws if taken. */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`onnx.export: the name '${name}' is used twice in the graph`);
    this.used.add(name);
    return name;
  }

  /** Adds a node; returns its (first) output name. */
  node(op: string, inputs: string[], attrs: Record<string, AttrValue | undefined> = {}, hint = op, outputs = 1): string {
    const outs = Array.from({ length: outputs }, () => this.fresh(`${hint}_out`));
    const attribute_ = Object.entries(attrs).filter(([, v]) => v !== undefined).map(([k, v]) => attribute(k, v as AttrValue));
    this.nodes.push({ name: this.fresh(`${hint}_${op}`), op_type: op, input: inputs, output: outs, attribute: attribute_ });
    return outs[0];
  }

  /** An initializer holding a Layerwise tensor under `name` (once per tensor). */
  tensor(name: string, t: Tensor, key: unknown = t): string {
    const have = this.inits.get(key as string);
    if (have) return have;
    const n = this.used.has(name) ? this.fresh(name) : this.reserve(name);
    this.initializers.push({ name: n, dims: [...t.shape], data_type: ELEM[t.dtype], raw_data: rawBytes(t.dataSync() as ArrayLike<number>, t.dtype) });
    this.inits.set(key as string, n);
    return n;
  }

  /** A constant initializer from plain values (shape dims; a scalar when dims is []). */
  constant(values: number[], dtype: DType | 'int64' = 'float32', dims: number[] = [values.length], hint = 'const'): string {
    const key = `${dtype}:${dims.join('x')}:${values.join(',')}`;
    const have = this.inits.get(key);
    if (have) return have;
    const n = this.fresh(hint);
    this.initializers.push({ name: n, dims, data_type: ELEM[dtype], raw_data: rawBytes(values, dtype) });
    this.inits.set(key, n);
    return n;
  }

  /** int64 1-D constant (shapes, axes, pads). */
  ints(values: number[]): string {
    return this.constant(values, 'int64', [values.length], 'ints');
  }

  /** A scalar constant in the dtype of the value it combines with. */
  scalar(v: number, dtype: DType = 'float32'): string {
    return this.constant([v], dtype === 'float64' ? 'float64' : dtype === 'int32' ? 'int32' : 'float32', [], 'scalar');
  }
}

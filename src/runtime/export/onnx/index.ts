/**
 * onnx.export(model, sampleInput, path, options): torch.onnx.export's shape. The model is traced once (trace.ts),
 * each step lowered to standard ONNX operators, and the ModelProto encoded with protobufjs against ONNX's
 * published schema (onnx.proto, vendored with onnx.schema.json). Writes the file and returns what it wrote.
 */
import { writeFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { Tensor } from '../../tensor';
import type { Module } from '../../nn/module';
import { traceModel, whereOf, type Ref, type Step } from '../trace';
import { ELEM, OnnxGraph } from './graph';
import { lowerModule, type LowerCtx } from './lower-modules';
import { lowerOp } from './lower-ops';
import schema from './onnx.schema.json';

export interface OnnxExportOptions {
  /** ONNX opset (default 17; 17–21 are supported). */
  opset?: number;
  /** Names of the graph inputs (default input, input1, …). */
  inputNames?: string[];
  /** Names of the graph outputs (default output, output1, …). */
  outputNames?: string[];
  /** Axes of inputs/outputs whose size is free, by name: { input: { 0: 'batch' } } or { input: [0] }. */
  dynamicAxes?: Record<string, Record<number, string> | number[]>;
  /** Producer string in the model's metadata (default 'layerwise'). */
  docString?: string;
}

export interface OnnxExportResult {
  path: string;
  bytes: number;
  opset: number;
  inputs: string[];
  outputs: string[];
  /** ONNX operator types used, with counts. */
  ops: Record<string, number>;
  initializers: number;
}

const OPTION_KEYS: Record<string, keyof OnnxExportOptions> = {
  opset: 'opset', opset_version: 'opset', opsetVersion: 'opset',
  inputNames: 'inputNames', input_names: 'inputNames',
  outputNames: 'outputNames', output_names: 'outputNames',
  dynamicAxes: 'dynamicAxes', dynamic_axes: 'dynamicAxes',
  docString: 'docString', doc_string: 'docString',
};
const OPSETS = [17, 18, 19, 20, 21];
/** ONNX IR version per opset (onnx/helper.py VERSION_TABLE). */
const IR_FOR: Record<number, number> = { 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

/** Validates options (PyTorch's snake_case spellings accepted); unknown keys are an error listing the valid ones. */
export function normalizeOnnxOptions(opts: unknown): OnnxExportOptions {
  if (opts === undefined || opts === null) return {};
  if (typeof opts !== 'object' || Array.isArray(opts)) throw new Error(`onnx.export: options must be an object, got ${typeof opts}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts)) {
    const key = OPTION_KEYS[k];
    if (!key) throw new Error(`onnx.export: unknown option '${k}'; valid options: ${Object.keys(OPTION_KEYS).join(', ')}`);
    if (key in out) throw new Error(`onnx.export: option '${k}' given twice (as '${k}' and another spelling)`);
    if (v !== undefined) out[key] = v;
  }
  const o = out as OnnxExportOptions;
  if (o.opset !== undefined && !OPSETS.includes(o.opset)) throw new Error(`onnx.export: opset ${o.opset} is not supported; use one of ${OPSETS.join(', ')}`);
  for (const k of ['inputNames', 'outputNames'] as const) {
    const names = o[k];
    if (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || !n))) throw new Error(`onnx.export: ${k} must be an array of non-empty strings`);
  }
  if (o.dynamicAxes !== undefined && (typeof o.dynamicAxes !== 'object' || Array.isArray(o.dynamicAxes))) {
    throw new Error("onnx.export: dynamicAxes must be an object { name: { axis: 'label' } | [axis, …] }");
  }
  return o;
}

let cachedModel: protobuf.Type | null = null;
function modelType(): protobuf.Type {
  cachedModel ??= protobuf.Root.fromJSON(schema as protobuf.INamespace).lookupType('onnx.ModelProto');
  return cachedModel;
}

/** Axis → label for one named value; only the batch axis (0) may be dynamic (other sizes are fixed by the trace). */
function dynamicOf(o: OnnxExportOptions, name: string, rank: number): Map<number, string> {
  const spec = o.dynamicAxes?.[name];
  const m = new Map<number, string>();
  if (!spec) return m;
  const entries: Array<[number, string]> = Array.isArray(spec) ? spec.map((a) => [a, `${name}_dynamic_axes_${a + 1}`]) : Object.entries(spec).map(([a, l]) => [Number(a), String(l)]);
  for (const [a, label] of entries) {
    if (!Number.isInteger(a) || a < 0 || a >= rank) throw new Error(`onnx.export: dynamicAxes['${name}'] names axis ${a}, but '${name}' has ${rank} dims`);
    if (a !== 0) throw new Error(`onnx.export: dynamicAxes['${name}'] axis ${a}: only the batch axis (0) can be dynamic; the other sizes are fixed by the traced shapes`);
    m.set(a, label);
  }
  return m;
}

function valueInfo(name: string, t: Tensor, dyn: Map<number, string>): Record<string, unknown> {
  const dim = t.shape.map((d, i) => (dyn.has(i) ? { dim_param: dyn.get(i) } : { dim_value: d }));
  return { name, type: { tensor_type: { elem_type: ELEM[t.dtype], shape: { dim } } } };
}

/** Builds the ONNX ModelProto bytes for model(sampleInput). */
export function onnxBytes(model: Module, sample: Tensor | Tensor[], options?: OnnxExportOptions): { bytes: Uint8Array; info: Omit<OnnxExportResult, 'path' | 'bytes'> } {
  const o = normalizeOnnxOptions(options);
  const opset = o.opset ?? 17;
  const tr = traceModel(model, Array.isArray(sample) ? sample : [sample], 'onnx.export');
  const g = new OnnxGraph(opset);
  const inNames = tr.inputs.map((_, i) => o.inputNames?.[i] ?? (i ? `input${i}` : 'input'));
  const outNames = tr.outputs.map((_, i) => o.outputNames?.[i] ?? (i ? `output${i}` : 'output'));
  if ((o.inputNames?.length ?? 0) > tr.inputs.length) throw new Error(`onnx.export: ${o.inputNames!.length} inputNames for ${tr.inputs.length} input(s)`);
  if ((o.outputNames?.length ?? 0) > tr.outputs.length) throw new Error(`onnx.export: ${o.outputNames!.length} outputNames for ${tr.outputs.length} output(s)`);
  for (const k of Object.keys(o.dynamicAxes ?? {})) {
    if (!inNames.includes(k) && !outNames.includes(k)) throw new Error(`onnx.export: dynamicAxes names '${k}', which is neither an input (${inNames.join(', ')}) nor an output (${outNames.join(', ')})`);
  }
  [...inNames, ...outNames].forEach((n) => g.reserve(n));
  const valueName = new Map<Step, string>();
  const nameOf = (r: Ref): string => {
    switch (r.kind) {
      case 'input': return inNames[r.index];
      case 'value': return valueName.get(r.step)!;
      case 'param': return g.tensor(r.name, r.tensor);
      case 'const': return g.tensor(tr.buffers.get(r.tensor) ?? 'const', r.tensor);
      case 'none': return '';
    }
  };
  const tensorOf = (r: Ref): Tensor => (r.kind === 'value' ? r.step.output : r.kind === 'none' ? (null as unknown as Tensor) : r.tensor);
  for (const s of tr.steps) {
    const ctx: LowerCtx = { g, inputs: s.inputs.map(nameOf), inTensors: s.inputs.map(tensorOf), out: s.output, where: whereOf(s, tr.modules),
      hint: s.kind === 'module' ? s.path || s.module.constructor.name : `${s.scope ? `${s.scope}.` : ''}${s.op}` };
    valueName.set(s, s.kind === 'module' ? lowerModule(s, ctx) : lowerOp(s, ctx));
  }
  tr.outputs.forEach((r, i) => g.nodes.push({ name: g.fresh(`output_${i}`), op_type: 'Identity', input: [nameOf(r)], output: [outNames[i]], attribute: [] }));
  const graph = {
    name: model.constructor.name || 'model',
    node: g.nodes,
    initializer: g.initializers,
    input: tr.inputs.map((t, i) => valueInfo(inNames[i], t, dynamicOf(o, inNames[i], t.ndim))),
    output: tr.outputs.map((r, i) => valueInfo(outNames[i], tensorOf(r), dynamicOf(o, outNames[i], tensorOf(r).ndim))),
  };
  const proto = {
    ir_version: IR_FOR[opset], producer_name: 'layerwise', producer_version: '0.1.0', doc_string: o.docString ?? '',
    opset_import: [{ domain: '', version: opset }], graph,
  };
  const T = modelType();
  const err = T.verify(proto);
  if (err) throw new Error(`onnx.export: internal error: the model does not match onnx.proto: ${err}`);
  const bytes = T.encode(T.fromObject(proto)).finish();
  const ops: Record<string, number> = {};
  for (const n of g.nodes) ops[n.op_type] = (ops[n.op_type] ?? 0) + 1;
  return { bytes, info: { opset, inputs: inNames, outputs: outNames, ops, initializers: g.initializers.length } };
}

/** torch.onnx.export's shape: writes model(sampleInput) as an ONNX file at `path`. */
export function exportOnnx(model: Module, sampleInput: Tensor | Tensor[], path: string, options?: OnnxExportOptions): OnnxExportResult {
  if (typeof path !== 'string' || !path) throw new Error(`onnx.export: path must be a non-empty string, got ${typeof path}`);
  const { bytes, info } = onnxBytes(model, sampleInput, options);
  writeFileSync(path, bytes);
  return { path, bytes: bytes.byteLength, ...info };
}

/** Decodes ONNX bytes back into plain objects (for inspection and tests). */
export function decodeOnnx(bytes: Uint8Array): Record<string, unknown> {
  const T = modelType();
  return T.toObject(T.decode(bytes), { longs: Number, bytes: Array, defaults: false }) as Record<string, unknown>;
}

export const onnx = { export: exportOnnx, bytes: onnxBytes, decode: decodeOnnx };

/** Helpers for the export tests: run ONNX bytes in onnxruntime-web (pure WASM, loaded from node_modules). */
import type { Tensor } from '../../src/runtime/tensor';

type Ort = typeof import('onnxruntime-web');
let ortP: Promise<Ort> | null = null;

export function ort(): Promise<Ort> {
  ortP ??= (async () => {
    const m = (await import('onnxruntime-web')) as Ort & { default?: Ort };
    const o = (m.InferenceSession ? m : m.default) as Ort;
    o.env.wasm.numThreads = 1;
    return o;
  })();
  return ortP;
}

/** Runs ONNX bytes on the given inputs (float32 or int32 Layerwise tensors); returns each output as numbers + dims. */
export async function runOnnx(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, { data: Float32Array; dims: number[] }>> {
  const o = await ort();
  const session = await o.InferenceSession.create(bytes);
  try {
    const f: Record<string, InstanceType<Ort['Tensor']>> = {};
    for (const [k, t] of Object.entries(feeds)) {
      const data = t.dataSync();
      f[k] = t.dtype === 'int32' ? new o.Tensor('int32', Int32Array.from(data as ArrayLike<number>), [...t.shape]) : new o.Tensor('float32', Float32Array.from(data as ArrayLike<number>), [...t.shape]);
    }
    const res = await session.run(f);
    const out: Record<string, { data: Float32Array; dims: number[] }> = {};
    for (const [k, v] of Object.entries(res)) out[k] = { data: Float32Array.from(v.data as ArrayLike<number>), dims: [...v.dims] };
    return out;
  } finally {
    await session.release();
  }
}

/** max |a − b| / (max |b| + 1e-6): one relative error for a whole output. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return a.length !== b.length ? Infinity : diff / (scale + 1e-6);
}

/**
 * Exports `model` with a dynamic batch, runs the file in onnxruntime-web on `x` and on a batch of a different
 * size built by `more`, and returns the relative errors against Layerwise's own forward (eval mode).
 */
export async function onnxParity(model: any, x: Tensor, more: Tensor | null, opts: Record<string, unknown> = {}): Promise<{ err: number; errMore: number | null; ops: Record<string, number> }> {
  const { onnxBytes } = require('../../src/runtime/export/onnx');
  const { bytes, info } = onnxBytes(model, x, { dynamicAxes: { input: { 0: 'batch' }, output: { 0: 'batch' } }, ...opts });
  model.eval();
  const check = async (inp: Tensor): Promise<number> => {
    const ref = model(inp) as Tensor;
    const got = (await runOnnx(bytes, { input: inp })).output;
    if (got.dims.join() !== ref.shape.join()) throw new Error(`shape ${got.dims} vs ${ref.shape}`);
    return relErr(got.data, ref.dataSync() as ArrayLike<number>);
  };
  return { err: await check(x), errMore: more ? await check(more) : null, ops: info.ops };
}

/** Non-trivial BatchNorm running statistics (fresh ones are 0/1, which would hide a swapped mean/var). */
export function randomizeStats(model: any): void {
  const rt = require('../../src/runtime');
  for (const m of model.modules()) {
    if (m.runningMean) m.runningMean.copy_(rt.mul(rt.randn(m.runningMean.shape), 0.1));
    if (m.runningVar) m.runningVar.copy_(rt.add(rt.rand(m.runningVar.shape), 0.5));
    if (m.weight && m.bias && m.runningMean) {
      m.weight.data.copy_(rt.add(rt.rand(m.weight.shape), 0.5));
      m.bias.data.copy_(rt.mul(rt.randn(m.bias.shape), 0.1));
    }
  }
}

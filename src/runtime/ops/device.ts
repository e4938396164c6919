/**
 * Devices and dtype names as PyTorch code spells them. Layerwise computes on the CPU (WASM): 'cpu' is accepted
 * everywhere as a no-op, any other device is an error naming what is supported. PyTorch dtype names map onto
 * ours (int64/long → int32: Layerwise's integer dtype).
 */
import type { DType } from '../backend/types';

export type Device = 'cpu' | { type: 'cpu'; index?: number };

/** Throws unless `device` names the CPU. */
export function checkDevice(op: string, device: unknown): void {
  if (device === undefined || device === null) return;
  const name = typeof device === 'string' ? device : typeof device === 'object' && 'type' in (device as object) ? String((device as { type: unknown }).type) : String(device);
  if (name === 'cpu' || name === 'cpu:0') return;
  throw new Error(
    `${op}: device '${name}' is not available: Layerwise runs on the CPU (WebAssembly SIMD); the only supported device is 'cpu' ` +
      "(remove .to(device)/.cuda() or use device 'cpu')",
  );
}

const DTYPE_NAMES: Record<string, DType> = {
  float32: 'float32', float: 'float32', float64: 'float64', double: 'float64',
  int32: 'int32', int: 'int32', int64: 'int32', long: 'int32', bool: 'bool',
};

/** Our dtype for a dtype name, or undefined when `name` is not a dtype name. */
export function dtypeOf(name: string): DType | undefined {
  return DTYPE_NAMES[name.replace(/^torch\./, '')];
}

export function isDeviceName(s: string): boolean {
  return /^(cpu|cuda|mps|xla|meta|xpu|hip|vulkan|ipu|hpu|mkldnn|opengl|opencl|ideep|ort|ve|fpga|lazy|privateuseone)(:\d+)?$/.test(s);
}

/**
 * The JSON of the executor's 'variables' request (answered by src/executor/variables.ts, read by the Variables
 * view and the kernel-death notice in src/extension): one entry per top-level variable the cells declared.
 */
export interface TensorVariable {
  name: string;
  kind: 'tensor';
  shape: number[];
  dtype: string;
  /** Bytes of the tensor's elements (numel × element size). */
  bytes: number;
  requiresGrad: boolean;
  /** Values are not readable (meta tensors, disposed storage): no stats. */
  stats: { min: number; max: number; mean: number; histogram: number[] } | null;
}

export interface ModuleVariable {
  name: string;
  kind: 'module';
  type: string;
  parameters: number;
  trainable: number;
}

export interface ValueVariable {
  name: string;
  kind: 'number' | 'string' | 'boolean' | 'other';
  /** Constructor or typeof name. */
  type: string;
  /** One line, at most 120 characters. */
  summary: string;
}

export type VariableInfo = TensorVariable | ModuleVariable | ValueVariable;

export function isVariableList(v: unknown): v is VariableInfo[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && typeof (x as VariableInfo).name === 'string'
    && typeof (x as VariableInfo).kind === 'string');
}

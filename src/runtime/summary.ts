/**
 * summary(model, inputShape): torchinfo-like rows (name, type, shapes, parameters, MACs, arithmetic) from ONE
 * forward pass on meta tensors (shapes only: no kernels run, no memory is allocated), so
 * summary(nn.meta(() => models.vgg19()), [1, 3, 224, 224]) answers in milliseconds.
 */
import { Tensor } from './tensor';
import { Module } from './nn/module';
import { SpecLayer } from './nn/layer';
import { withMeta } from './backend/registry';
import { zeros } from './ops/creation';
import { noGrad } from './autograd/mode';
import { fmtShape, numel, thousands } from './shape';
import { MIME, PROTOCOL_VERSION, type MimeBundle } from '../protocol';
import type { SummaryPayload } from '../protocol/figures';

export type SummaryRow = SummaryPayload['rows'][number] & { paramsTotal: number; isLeaf: boolean };

export interface SummaryResult {
  model: string;
  rows: SummaryRow[];
  totals: SummaryPayload['totals'];
  inputShape: number[][];
  toString(): string;
}

function outShape(o: unknown): number[] | null {
  if (o instanceof Tensor) return [...o.shape];
  if (Array.isArray(o) && o[0] instanceof Tensor) return [...o[0].shape];
  return null;
}

/**
 * The arithmetic (with numbers) and warnings for one layer call: read from the layer's spec
 * (src/runtime/shape/layers), the same one its constructor and the Draft use. Modules without a spec (containers,
 * user blocks) have none.
 */
export function layerArithmetic(m: Module, input: number[] | null): { formulas: string[]; warnings: string[]; macs: number } {
  if (!(m instanceof SpecLayer)) return { formulas: [], warnings: [], macs: 0 };
  if (!input) {
    const text = m.spec.paramText?.(m.args);
    return { formulas: text ? [text] : [], warnings: [], macs: 0 };
  }
  try {
    const info = m.info(input);
    return { formulas: info.formulas, warnings: info.warnings, macs: info.macs };
  } catch (e) {
    return { formulas: [], warnings: [(e as Error).message], macs: 0 };
  }
}

function typeName(m: Module): string {
  return m.constructor.name || 'Module';
}

type SummaryOptions = { dtype?: 'float32' | 'float64' | 'int32' };

/** Where a summary's meta forward stopped: the innermost module running and its input. */
export interface SummaryFailure {
  error: unknown;
  module: Module | null;
  input: number[] | null;
  /** "layer 'features.3' (Conv2d) with input [1, 16, 6, 6]" */
  where: string;
}

/** Runs forward on meta tensors of `inputShape` with hooks on every module; see the file comment. */
export function summary(model: Module, inputShape: number[] | number[][], opts: SummaryOptions = {}): SummaryResult {
  const { result, failure } = traceSummary(model, inputShape, opts);
  if (failure) {
    const e = failure.error as Error;
    throw new Error(`summary: ${failure.where} failed for input shape ${result.inputShape.map(fmtShape).join(', ')}: ${e?.message ?? String(e)}`);
  }
  return result;
}

/**
 * summary() that keeps what it learned when the forward fails: rows of the calls that completed (later rows have
 * no shapes) and the failure. The Draft analyser uses it to show shapes up to the layer that does not fit.
 * Without an input shape, the rows carry structure, parameters and parameter formulas only.
 */
export function traceSummary(model: Module, inputShape: number[] | number[][] | null, opts: SummaryOptions = {}): { result: SummaryResult; failure: SummaryFailure | null } {
  if (!(model instanceof Module)) throw new Error('summary: expected an nn.Module as the first argument');
  const shapes = (inputShape === null ? [] : Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as number[][];
  const named = [...model.namedModules()];
  const depth = new Map<Module, number>(named.map(([n, m]) => [m, n === '' ? 0 : n.split('.').length]));
  const names = new Map<Module, string>(named.map(([n, m]) => [m, n]));
  const calls: Array<{ m: Module; input: number[] | null; output: number[] | null; order: number }> = [];
  const stack: Array<{ m: Module; input: number[] | null }> = [];
  let failure: SummaryFailure | null = null;
  const handles = named.flatMap(([, m]) => [
    m.registerForwardPreHook((mod, args) => {
      stack.push({ m: mod, input: outShape(args[0]) });
    }),
    m.registerForwardHook((mod, args, out) => {
      stack.pop();
      calls.push({ m: mod, input: outShape(args[0]), output: outShape(out), order: calls.length });
    }),
  ]);
  const wasTraining = new Map(named.map(([, m]) => [m, m.training]));
  model.eval();
  try {
    if (inputShape !== null) withMeta(() => noGrad(() => {
      const inputs = shapes.map((s) => zeros(s, { dtype: opts.dtype ?? 'float32' }));
      model(...inputs);
    }));
  } catch (error) {
    const f = stack[stack.length - 1] ?? null;
    const where = f ? `layer '${names.get(f.m) || '(model)'}' (${typeName(f.m)}) with input ${f.input ? fmtShape(f.input) : '?'}` : 'the model';
    failure = { error, module: f?.m ?? null, input: f?.input ?? null, where };
  } finally {
    handles.forEach((h) => h.remove());
    for (const [m, t] of wasTraining) m.training = t;
  }
  return { result: buildResult(model, shapes, calls, depth, names), failure };
}

function buildResult(model: Module, shapes: number[][], calls: Array<{ m: Module; input: number[] | null; output: number[] | null; order: number }>,
  depth: Map<Module, number>, names: Map<Module, string>): SummaryResult {
  const first = new Map<Module, (typeof calls)[number]>();
  for (const c of calls) if (!first.has(c.m)) first.set(c.m, c);
  const rows: SummaryRow[] = [];
  let macsTotal = 0;
  let actElems = 0;
  for (const m of model.modules()) {
    const c = first.get(m);
    const own = m.parameters(false);
    const params = own.reduce((a, p) => a + p.numel(), 0);
    const trainable = own.filter((p) => p.requiresGrad).reduce((a, p) => a + p.numel(), 0);
    const isLeaf = m.children().length === 0;
    const arith = layerArithmetic(m, c?.input ?? null);
    const callsOf = calls.filter((k) => k.m === m).length;
    if (isLeaf) {
      macsTotal += arith.macs * Math.max(1, callsOf);
      if (c?.output) actElems += numel(c.output);
    }
    rows.push({
      name: names.get(m) || '', type: typeName(m), depth: depth.get(m) ?? 0, inputShape: c?.input ?? null, outputShape: c?.output ?? null,
      params, trainable, macs: arith.macs, formulas: arith.formulas, warnings: arith.warnings,
      paramsTotal: m.parameters().reduce((a, p) => a + p.numel(), 0), isLeaf,
    });
  }
  const all = model.parameters();
  const total = all.reduce((a, p) => a + p.numel(), 0);
  const trainable = all.filter((p) => p.requiresGrad).reduce((a, p) => a + p.numel(), 0);
  const totals = { params: total, trainable, nonTrainable: total - trainable, macs: macsTotal, activationBytes: actElems * 4 };
  const result: SummaryResult = { model: typeName(model), rows, totals, inputShape: shapes, toString: () => formatSummary(result) };
  Object.defineProperty(result, Symbol.for('layerwise.display'), { value: () => summaryDisplay(result), enumerable: false });
  return result;
}

export function formatSummary(s: SummaryResult): string {
  const head = ['Layer (type)', 'Output Shape', 'Param #'];
  const body = s.rows.filter((r) => r.depth > 0).map((r) => [
    `${'  '.repeat(r.depth - 1)}${r.name.split('.').pop()} (${r.type})${r.warnings.length ? ' ⚠' : ''}`,
    r.outputShape ? fmtShape(r.outputShape) : '--',
    r.isLeaf ? thousands(r.params) : r.params ? thousands(r.params) : '--',
  ]);
  const rows = [head, ...body];
  const w = head.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('   ');
  const rule = '='.repeat(line(head).length);
  const t = s.totals;
  return [
    rule, line(head), rule, ...body.map(line), rule,
    `Total params: ${thousands(t.params)}`, `Trainable params: ${thousands(t.trainable)}`, `Non-trainable params: ${thousands(t.nonTrainable)}`,
    `Total mult-adds: ${thousands(t.macs)}`, `Input shape: ${s.inputShape.map(fmtShape).join(', ')}`,
    `Activations (forward): ${(t.activationBytes / 2 ** 20).toFixed(2)} MB`, rule,
  ].join('\n');
}

export function summaryDisplay(s: SummaryResult): MimeBundle {
  const payload: SummaryPayload = {
    v: PROTOCOL_VERSION, model: s.model,
    rows: s.rows.map(({ paramsTotal: _p, isLeaf: _l, ...r }) => r),
    totals: s.totals,
  };
  return { [MIME.summary]: payload, [MIME.text]: formatSummary(s) };
}

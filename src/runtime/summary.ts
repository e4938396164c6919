/**
 * summary(model, inputShape): torchinfo-like rows (name, type, shapes, parameters, MACs, arithmetic) from ONE
 * forward pass on meta tensors (shapes only: no kernels run, no memory is allocated), so
 * summary(nn.meta(() => models.vgg19()), [1, 3, 224, 224]) answers in milliseconds.
 */
import { Tensor } from './tensor';
import { Module } from './nn/module';
import { Conv1d, Conv2d, Linear, MaxPool2d, AvgPool2d, MaxPool1d } from './nn/layers';
import { BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm, InstanceNorm2d } from './nn/norm';
import { withMeta } from './backend/registry';
import { zeros } from './ops/creation';
import { noGrad } from './autograd/mode';
import { axisFormula, convMacs, convParams, fmtShape, linearMacs, linearParams, normParams, numel, pair, thousands } from './shape';
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

/** The arithmetic (with numbers) and warnings for one layer call. */
export function layerArithmetic(m: Module, input: number[] | null): { formulas: string[]; warnings: string[]; macs: number } {
  const formulas: string[] = [];
  const warnings: string[] = [];
  let macs = 0;
  if (m instanceof Conv2d && input && input.length >= 3) {
    const [h, w] = input.slice(-2);
    const pad = m.padding;
    const [ph, pw] = pad === 'valid' ? [0, 0] : pad === 'same' ? [null, null] : pad;
    const axes: Array<['H' | 'W', number, number, number, number | null, number]> = [
      ['H', h, m.kernelSize[0], m.stride[0], ph, m.dilation[0]], ['W', w, m.kernelSize[1], m.stride[1], pw, m.dilation[1]]];
    const outs: number[] = [];
    for (const [ax, inp, k, s, p, d] of axes) {
      const total = d * (k - 1);
      const f = p === null ? axisFormula(ax, inp, k, s, Math.floor(total / 2), d, { padAfter: total - Math.floor(total / 2) }) : axisFormula(ax, inp, k, s, p, d);
      formulas.push(f.text);
      if (f.warning) warnings.push(f.warning);
      outs.push(f.out);
    }
    formulas.push(convParams(m.kernelSize, m.inChannels, m.outChannels, m.groups, m.bias !== null).text);
    macs = convMacs(input.length === 4 ? input[0] : 1, m.outChannels, outs, m.inChannels, m.groups, m.kernelSize);
  } else if (m instanceof Conv1d && input) {
    const o = m.opts;
    const p = typeof o.padding === 'number' ? o.padding : 0;
    const f = axisFormula('L', input[input.length - 1], m.kernelSize, o.stride ?? 1, p, o.dilation ?? 1);
    formulas.push(f.text, convParams([m.kernelSize], m.inChannels, m.outChannels, o.groups ?? 1, m.bias !== null).text);
    if (f.warning) warnings.push(f.warning);
    macs = convMacs(input.length === 3 ? input[0] : 1, m.outChannels, [f.out], m.inChannels, o.groups ?? 1, [m.kernelSize]);
  } else if (m instanceof Linear) {
    formulas.push(linearParams(m.inFeatures, m.outFeatures, m.bias !== null).text);
    macs = input ? linearMacs(numel(input.slice(0, -1)), m.inFeatures, m.outFeatures) : 0;
  } else if ((m instanceof MaxPool2d || m instanceof AvgPool2d) && input && input.length >= 3) {
    const [kh, kw] = pair(m.kernelSize);
    const [sh, sw] = pair(m.opts.stride ?? m.kernelSize);
    const [ph, pw] = pair(m.opts.padding ?? 0);
    const [dh, dw] = pair((m.opts as { dilation?: number }).dilation ?? 1);
    const ceil = !!m.opts.ceilMode;
    for (const f of [axisFormula('H', input[input.length - 2], kh, sh, ph, dh, { ceil }), axisFormula('W', input[input.length - 1], kw, sw, pw, dw, { ceil })]) {
      formulas.push(f.text);
      if (f.warning) warnings.push(f.warning);
    }
  } else if (m instanceof MaxPool1d && input) {
    const f = axisFormula('L', input[input.length - 1], m.kernelSize, m.opts.stride ?? m.kernelSize, m.opts.padding ?? 0, m.opts.dilation ?? 1, { ceil: m.opts.ceilMode });
    formulas.push(f.text);
    if (f.warning) warnings.push(f.warning);
  } else if (m instanceof BatchNorm1d || m instanceof BatchNorm2d) {
    formulas.push(normParams(m.numFeatures, m.affine).text + (m.trackRunningStats ? `; buffers: running mean and var (2·${m.numFeatures})` : ''));
  } else if (m instanceof LayerNorm) {
    formulas.push(normParams(numel(m.normalizedShape), m.weight !== null).text);
  } else if (m instanceof GroupNorm) {
    formulas.push(normParams(m.numChannels, m.weight !== null).text + `; ${m.numGroups} groups of ${m.numChannels / m.numGroups} channels`);
  } else if (m instanceof InstanceNorm2d) {
    formulas.push(normParams(m.numFeatures, m.weight !== null).text);
  }
  return { formulas, warnings, macs };
}

function typeName(m: Module): string {
  return m.constructor.name || 'Module';
}

/** Runs forward on meta tensors of `inputShape` with hooks on every module; see the file comment. */
export function summary(model: Module, inputShape: number[] | number[][], opts: { dtype?: 'float32' | 'float64' } = {}): SummaryResult {
  if (!(model instanceof Module)) throw new Error('summary: expected an nn.Module as the first argument');
  const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as number[][];
  const named = [...model.namedModules()];
  const depth = new Map<Module, number>(named.map(([n, m]) => [m, n === '' ? 0 : n.split('.').length]));
  const names = new Map<Module, string>(named.map(([n, m]) => [m, n]));
  const calls: Array<{ m: Module; input: number[] | null; output: number[] | null; order: number }> = [];
  const stack: Array<{ m: Module; input: number[] | null }> = [];
  let failed: { m: Module; input: number[] | null } | null = null;
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
    withMeta(() => noGrad(() => {
      const inputs = shapes.map((s) => zeros(s, { dtype: opts.dtype ?? 'float32' }));
      try {
        model(...inputs);
      } catch (e) {
        failed = stack[stack.length - 1] ?? null;
        throw e;
      }
    }));
  } catch (e) {
    const f = failed as { m: Module; input: number[] | null } | null;
    const where = f ? `layer '${names.get(f.m) || '(model)'}' (${typeName(f.m)}) with input ${f.input ? fmtShape(f.input) : '?'}` : 'the model';
    throw new Error(`summary: ${where} failed for input shape ${shapes.map(fmtShape).join(', ')}: ${(e as Error).message}`);
  } finally {
    handles.forEach((h) => h.remove());
    for (const [m, t] of wasTraining) m.training = t;
  }
  return buildResult(model, shapes, calls, depth, names);
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

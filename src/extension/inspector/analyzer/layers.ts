/**
 * Draft layers: what a literal `new nn.Conv2d(3, 64, 3, {padding: 1})` will be, computed with the SAME pure
 * shape functions the runtime uses (src/runtime/shape). Anything not literal is UNKNOWN and yields `?`
 * (NaN parameters, null shapes), never a guess.
 */
import {
  adaptivePoolOutSize, axisFormula, conv2dGeometry, convMacs, convParams, linearMacs, linearParams, normParams, numel, pair,
  pool2dGeometry, poolOutSize, type Pair,
} from '../../../runtime/shape';

export const UNKNOWN = Symbol('unknown');
export type Value = number | string | boolean | null | undefined | typeof UNKNOWN | Value[] | { [k: string]: Value } | DraftLayer;

export interface LayerStep {
  out: number[] | null;
  formulas: string[];
  warnings: string[];
  macs: number;
  error?: string;
}

export interface DraftLayer {
  kind: 'layer';
  type: string;
  /** Own + children's parameters; NaN when not known. */
  params: number;
  children: DraftLayer[];
  /** The part of the formulas that does not depend on the input (parameter arithmetic). */
  paramFormulas: string[];
  apply(input: number[] | null): LayerStep;
  /** A class the analyser does not know (a user's block): `?` inside a model, never a draft model itself. */
  opaque?: boolean;
  /** Where it was written: source key and offsets (set by the analyser). */
  at?: { key: string; pos: number; end: number };
}

export const isLayer = (v: Value): v is DraftLayer => typeof v === 'object' && v !== null && !Array.isArray(v) && (v as DraftLayer).kind === 'layer';
const isInt = (v: Value): v is number => typeof v === 'number' && Number.isInteger(v);
const isPair = (v: Value): v is Pair => isInt(v) || (Array.isArray(v) && v.length === 2 && v.every(isInt));
const obj = (v: Value): Record<string, Value> | typeof UNKNOWN =>
  v === undefined ? {} : typeof v === 'object' && v !== null && !Array.isArray(v) && !isLayer(v) ? (v as Record<string, Value>) : UNKNOWN;
/** An option: its value, the default when absent, UNKNOWN when the options object or the value is not literal. */
function opt<T extends Value>(o: Record<string, Value> | typeof UNKNOWN, key: string, dflt: T, ok: (v: Value) => boolean): T | typeof UNKNOWN {
  if (o === UNKNOWN) return UNKNOWN;
  const v = o[key];
  if (v === undefined) return dflt;
  return ok(v) ? (v as T) : UNKNOWN;
}
const known = (...vs: unknown[]): boolean => vs.every((v) => v !== UNKNOWN);
const none = (out: number[] | null): LayerStep => ({ out, formulas: [], warnings: [], macs: 0 });
const fail = (error: string): LayerStep => ({ out: null, formulas: [], warnings: [], macs: 0, error });

function layer(type: string, params: number, apply: DraftLayer['apply'], paramFormulas: string[] = [], children: DraftLayer[] = []): DraftLayer {
  return { kind: 'layer', type, params, children, paramFormulas, apply };
}

/** (N, C, *spatial) or unbatched (C, *spatial) → [batch prefix, C, spatial]. */
function split(x: number[], spatial: number): { lead: number[]; c: number; sp: number[] } | null {
  if (x.length !== spatial + 2 && x.length !== spatial + 1) return null;
  const lead = x.length === spatial + 2 ? [x[0]] : [];
  return { lead, c: x[lead.length], sp: x.slice(lead.length + 1) };
}

function conv2d(args: Value[]): DraftLayer {
  const cin = args[0];
  const cout = args[1];
  const k = args[2];
  const o = obj(args[3]);
  const stride = opt(o, 'stride', 1 as Pair, isPair);
  const padding = opt(o, 'padding', 0 as Pair | 'same' | 'valid', (v) => isPair(v) || v === 'same' || v === 'valid');
  const dilation = opt(o, 'dilation', 1 as Pair, isPair);
  const groups = opt(o, 'groups', 1, isInt);
  const bias = opt(o, 'bias', true, (v) => typeof v === 'boolean');
  const pf = isInt(cin) && isInt(cout) && isPair(k) && groups !== UNKNOWN && bias !== UNKNOWN ? convParams(pair(k), cin, cout, groups, bias) : null;
  return layer('Conv2d', pf?.params ?? NaN, (x) => {
    if (!x || !pf || !isPair(k) || !known(stride, padding, dilation) || !isInt(cin) || !isInt(cout) || groups === UNKNOWN) return none(null);
    const s = split(x, 2);
    if (!s) return fail(`Conv2d expects a 3-D or 4-D input, got [${x.join(', ')}]`);
    if (s.c !== cin) return fail(`Conv2d(${cin}, …) expects ${cin} input channels, got ${s.c} (input [${x.join(', ')}])`);
    const [kh, kw] = pair(k);
    try {
      const g = conv2dGeometry([1, s.c, ...s.sp], [cout, cin / groups, kh, kw], { stride: stride as Pair, padding: padding as Pair, dilation: dilation as Pair, groups });
      const [sh, sw] = pair(stride as Pair);
      const [dh, dw] = pair(dilation as Pair);
      const ax = [axisFormula('H', s.sp[0], kh, sh, g.padTop, dh, { padAfter: g.padBottom }), axisFormula('W', s.sp[1], kw, sw, g.padLeft, dw, { padAfter: g.padRight })];
      const warnings = ax.flatMap((a) => (a.warning ? [a.warning] : []));
      const macs = convMacs(s.lead[0] ?? 1, cout, [g.oh, g.ow], cin, groups, [kh, kw]);
      return { out: [...s.lead, cout, g.oh, g.ow], formulas: [...ax.map((a) => a.text), pf.text], warnings, macs };
    } catch (e) {
      return fail((e as Error).message);
    }
  }, pf ? [pf.text] : []);
}

function conv1d(args: Value[]): DraftLayer {
  const cin = args[0];
  const cout = args[1];
  const k = args[2];
  const o = obj(args[3]);
  const stride = opt(o, 'stride', 1, isInt);
  const padding = opt(o, 'padding', 0, isInt);
  const dilation = opt(o, 'dilation', 1, isInt);
  const groups = opt(o, 'groups', 1, isInt);
  const bias = opt(o, 'bias', true, (v) => typeof v === 'boolean');
  const pf = isInt(cin) && isInt(cout) && isInt(k) && groups !== UNKNOWN && bias !== UNKNOWN ? convParams([k], cin, cout, groups, bias) : null;
  return layer('Conv1d', pf?.params ?? NaN, (x) => {
    if (!x || !pf || !isInt(k) || !isInt(cin) || !isInt(cout) || !known(stride, padding, dilation, groups)) return none(null);
    const s = split(x, 1);
    if (!s) return fail(`Conv1d expects a 2-D or 3-D input, got [${x.join(', ')}]`);
    if (s.c !== cin) return fail(`Conv1d(${cin}, …) expects ${cin} input channels, got ${s.c}`);
    const a = axisFormula('L', s.sp[0], k, stride as number, padding as number, dilation as number);
    if (a.out < 1) return fail(`Conv1d: input length ${s.sp[0]} is too small for kernel ${k}`);
    const macs = convMacs(s.lead[0] ?? 1, cout, [a.out], cin, groups as number, [k]);
    return { out: [...s.lead, cout, a.out], formulas: [a.text, pf.text], warnings: a.warning ? [a.warning] : [], macs };
  }, pf ? [pf.text] : []);
}

function linear(args: Value[]): DraftLayer {
  const inF = args[0];
  const outF = args[1];
  const o = obj(args[2]);
  const bias = opt(o, 'bias', true, (v) => typeof v === 'boolean');
  const pf = isInt(inF) && isInt(outF) && bias !== UNKNOWN ? linearParams(inF, outF, bias) : null;
  return layer('Linear', pf?.params ?? NaN, (x) => {
    if (!x || !pf || !isInt(inF) || !isInt(outF)) return none(null);
    if (x[x.length - 1] !== inF) return fail(`Linear(${inF}, ${outF}) expects ${inF} input features, got ${x[x.length - 1]} (input [${x.join(', ')}])`);
    return { out: [...x.slice(0, -1), outF], formulas: [pf.text], warnings: [], macs: linearMacs(numel(x.slice(0, -1)), inF, outF) };
  }, pf ? [pf.text] : []);
}

function pool2d(type: 'MaxPool2d' | 'AvgPool2d', args: Value[]): DraftLayer {
  const k = args[0];
  const o = obj(args[1]);
  const stride = opt(o, 'stride', null as Pair | null, (v) => v === null || isPair(v));
  const padding = opt(o, 'padding', 0 as Pair, isPair);
  const dilation = opt(o, 'dilation', 1 as Pair, isPair);
  const ceilMode = opt(o, 'ceilMode', false, (v) => typeof v === 'boolean');
  return layer(type, 0, (x) => {
    if (!x || !isPair(k) || !known(stride, padding, dilation, ceilMode)) return none(null);
    const s = split(x, 2);
    if (!s) return fail(`${type} expects a 3-D or 4-D input, got [${x.join(', ')}]`);
    try {
      const g = pool2dGeometry([1, s.c, ...s.sp], k, { stride: stride as Pair | null, padding: padding as Pair, dilation: dilation as Pair, ceilMode: ceilMode as boolean }, type);
      const ceil = ceilMode as boolean;
      const ax = [axisFormula('H', s.sp[0], g.kh, g.sh, g.ph, g.dh, { ceil }), axisFormula('W', s.sp[1], g.kw, g.sw, g.pw, g.dw, { ceil })];
      return { out: [...s.lead, s.c, g.oh, g.ow], formulas: ax.map((a) => a.text), warnings: ax.flatMap((a) => (a.warning ? [a.warning] : [])), macs: 0 };
    } catch (e) {
      return fail((e as Error).message);
    }
  });
}

function maxPool1d(args: Value[]): DraftLayer {
  const k = args[0];
  const o = obj(args[1]);
  const stride = opt(o, 'stride', isInt(k) ? k : 1, isInt);
  const padding = opt(o, 'padding', 0, isInt);
  const dilation = opt(o, 'dilation', 1, isInt);
  const ceil = opt(o, 'ceilMode', false, (v) => typeof v === 'boolean');
  return layer('MaxPool1d', 0, (x) => {
    if (!x || !isInt(k) || !known(stride, padding, dilation, ceil)) return none(null);
    const s = split(x, 1);
    if (!s) return fail(`MaxPool1d expects a 2-D or 3-D input, got [${x.join(', ')}]`);
    const a = axisFormula('L', s.sp[0], k, stride as number, padding as number, dilation as number, { ceil: ceil as boolean });
    const out = poolOutSize(s.sp[0], k, stride as number, padding as number, dilation as number, ceil as boolean);
    return { out: [...s.lead, s.c, out], formulas: [a.text], warnings: a.warning ? [a.warning] : [], macs: 0 };
  });
}

function adaptive(args: Value[]): DraftLayer {
  const size = args[0];
  return layer('AdaptiveAvgPool2d', 0, (x) => {
    const ok = isInt(size) || (Array.isArray(size) && size.length === 2 && size.every((v) => v === null || isInt(v)));
    if (!x || !ok) return none(null);
    if (x.length < 3) return fail(`AdaptiveAvgPool2d expects a 3-D or 4-D input, got [${x.join(', ')}]`);
    try {
      return none([...x.slice(0, -2), ...adaptivePoolOutSize(x, size as number | (number | null)[])]);
    } catch (e) {
      return fail((e as Error).message);
    }
  });
}

function flatten(args: Value[]): DraftLayer {
  const start = args[0] ?? 1;
  const end = args[1] ?? -1;
  return layer('Flatten', 0, (x) => {
    if (!x || !isInt(start) || !isInt(end)) return none(null);
    const n = x.length;
    const s = start < 0 ? start + n : start;
    const e = end < 0 ? end + n : end;
    if (s < 0 || e >= n || s > e) return fail(`Flatten(${start}, ${end}) does not fit input [${x.join(', ')}]`);
    return none([...x.slice(0, s), numel(x.slice(s, e + 1)), ...x.slice(e + 1)]);
  });
}

function norm(type: string, features: Value, affine: Value, channelAxis: number | null): DraftLayer {
  const pf = isInt(features) && typeof affine === 'boolean' ? normParams(features, affine) : null;
  return layer(type, pf?.params ?? NaN, (x) => {
    if (!x || !isInt(features)) return none(null);
    if (channelAxis !== null && x.length > channelAxis && x[channelAxis] !== features) {
      return fail(`${type}(${features}) expects ${features} channels, got ${x[channelAxis]} (input [${x.join(', ')}])`);
    }
    return { out: [...x], formulas: pf ? [pf.text] : [], warnings: [], macs: 0 };
  }, pf ? [pf.text] : []);
}

function sequential(args: Value[]): DraftLayer {
  const kids = args.map((a) => (isLayer(a) ? a : unknownLayer('?')));
  return layer('Sequential', kids.reduce((s, k) => s + k.params, 0), (x) => {
    let cur = x;
    for (const k of kids) cur = k.apply(cur).out;
    return none(cur);
  }, [], kids);
}

export const unknownLayer = (type: string): DraftLayer => ({ ...layer(type, NaN, () => none(null)), opaque: true });
const passThrough = (type: string): DraftLayer => layer(type, 0, (x) => none(x ? [...x] : null));

const PASS = ['ReLU', 'LeakyReLU', 'ELU', 'GELU', 'Sigmoid', 'Tanh', 'Softmax', 'LogSoftmax', 'Identity', 'Dropout', 'Dropout2d', 'ReLU6'];

/** Layer classes the analyser computes (bare names like `new Conv2d(...)` are only taken for these). */
export const KNOWN_LAYERS = new Set([...PASS, 'Conv2d', 'Conv1d', 'Linear', 'MaxPool2d', 'AvgPool2d', 'MaxPool1d', 'AdaptiveAvgPool2d', 'Flatten',
  'Sequential', 'BatchNorm2d', 'BatchNorm1d', 'InstanceNorm2d', 'GroupNorm', 'LayerNorm']);

/** The draft of `new nn.<type>(...args)`; unknown classes give a layer whose parameters and shapes are `?`. */
export function makeLayer(type: string, args: Value[]): DraftLayer {
  if (PASS.includes(type)) return passThrough(type);
  const o = (i: number) => obj(args[i]);
  switch (type) {
    case 'Conv2d': return conv2d(args);
    case 'Conv1d': return conv1d(args);
    case 'Linear': return linear(args);
    case 'MaxPool2d': case 'AvgPool2d': return pool2d(type, args);
    case 'MaxPool1d': return maxPool1d(args);
    case 'AdaptiveAvgPool2d': return adaptive(args);
    case 'Flatten': return flatten(args);
    case 'Sequential': return sequential(args);
    case 'BatchNorm2d': case 'BatchNorm1d': case 'InstanceNorm2d':
      return norm(type, args[0], opt(o(1), 'affine', type !== 'InstanceNorm2d', (v) => typeof v === 'boolean') as Value, 1);
    case 'GroupNorm': return norm(type, args[1], opt(o(2), 'affine', true, (v) => typeof v === 'boolean') as Value, 1);
    case 'LayerNorm': {
      const shape = isInt(args[0]) ? [args[0]] : Array.isArray(args[0]) && args[0].every(isInt) ? (args[0] as number[]) : null;
      const noBias = opt(o(1), 'bias', true, (v) => typeof v === 'boolean') !== true; // bias: false → γ only: not normParams' 2·n
      return norm(type, shape && !noBias ? numel(shape) : UNKNOWN, opt(o(1), 'elementwiseAffine', true, (v) => typeof v === 'boolean') as Value, null);
    }
    default: return unknownLayer(type);
  }
}

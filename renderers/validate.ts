// Payload validation: a short, human-readable reason why a payload cannot be drawn, or null. Pure.
import { MIME, PROTOCOL_VERSION } from '../src/protocol';
import { checkGraph } from './graph/model';

/** Checks one payload object; each check reads only fields that the checks before it have tested. */
type Check = (x: Record<string, unknown>) => string | null;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown) => typeof x === 'number';
const numOrNull = (x: unknown) => x === null || typeof x === 'number';
const str = (x: unknown) => typeof x === 'string';
const arr = (x: unknown): x is unknown[] => Array.isArray(x);
const nums = (x: unknown) => Array.isArray(x) && x.every((v) => v === null || typeof v === 'number');
const strs = (x: unknown) => Array.isArray(x) && x.every(str);

export function checkPacked(p: unknown, what: string): string | null {
  if (!isObj(p)) return `${what} is not a packed array`;
  if (p.dtype !== 'float32' && p.dtype !== 'int32' && p.dtype !== 'uint8') return `${what}.dtype must be float32, int32 or uint8`;
  if (!arr(p.shape) || !p.shape.every((d: unknown) => Number.isInteger(d) && (d as number) >= 0)) {
    return `${what}.shape must be a list of non-negative integers`;
  }
  return str(p.b64) ? null : `${what}.b64 must be a base64 string`;
}

/** Field checks: [field, predicate, expectation]. */
function fields(spec: Array<[string, (x: unknown) => boolean, string]>): Check {
  return (x) => {
    for (const [k, ok, want] of spec) if (!ok(x[k])) return `"${k}" should be ${want}`;
    return null;
  };
}

function each(key: string, check: Check, minLength = 0): Check {
  return (x) => {
    const list = x[key];
    if (!arr(list)) return `"${key}" should be a list`;
    if (list.length < minLength) return `"${key}" is empty`;
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      const e = isObj(item) ? check(item) : 'is not an object';
      if (e) return `${key}[${i}]: ${e}`;
    }
    return null;
  };
}

const all = (...checks: Check[]): Check => (x) => checks.reduce<string | null>((e, c) => e ?? c(x), null);

const gridLayer: Check = all(fields([['name', str, 'a string']]), (l) => checkPacked(l.data, 'data'));
const hist = fields([['name', str, 'a string'], ['edges', nums, 'a list of numbers'], ['counts', nums, 'a list of numbers']]);

const CHECKS: Record<string, Check> = {
  [MIME.tensor]: all(
    fields([['shape', nums, 'a list of numbers'], ['dtype', str, 'a string'], ['stats', isObj, 'an object'], ['text', str, 'a string']]),
    (x) => (x.data === undefined ? null : checkPacked(x.data, 'data')),
  ),
  [MIME.featureMaps]: all(each('layers', gridLayer, 1), (x) =>
    (x.layers as Array<{ data: { shape: number[] } }>).every((l) => l.data.shape.length === 3 || l.data.shape.length === 4) ? null : 'layer data must be [C, H, W]'),
  [MIME.weights]: all(each('layers', all(gridLayer, fields([['kind', (k) => k === 'conv' || k === 'linear', '"conv" or "linear"']]))),
    each('histograms', hist)),
  [MIME.gradFlow]: all(each('layers', fields([['name', str, 'a string'], ['meanAbs', numOrNull, 'a number'], ['maxAbs', numOrNull, 'a number']]))),
  [MIME.gradFlowWatch]: all(fields([['layers', strs, 'a list of names'], ['steps', nums, 'a list of numbers']]), (x) =>
    checkPacked(x.norms, 'norms') ??
    ((x.norms as { shape: number[] }).shape.join() === `${(x.layers as string[]).length},${(x.steps as number[]).length}` ? null : 'norms shape must be [layers, steps]')),
  [MIME.distributions]: each('layers', hist),
  [MIME.live]: all(fields([['xLabel', str, 'a string']]), each('series', fields([['name', str, 'a string'], ['x', nums, 'a list of numbers'], ['y', nums, 'a list of numbers']]))),
  [MIME.progress]: fields([['total', num, 'a number'], ['done', num, 'a number']]),
  [MIME.summary]: all(fields([['totals', isObj, 'an object']]), each('rows', fields([['name', str, 'a string'], ['params', num, 'a number']]))),
  [MIME.graph]: checkGraph,
};

/** Why `payload` cannot be drawn as `mime`, or null when it can. Plotly figures are checked loosely. */
export function validatePayload(mime: string, payload: unknown): string | null {
  if (mime === MIME.plotly) return isObj(payload) && arr(payload.data) ? null : 'a Plotly figure needs a "data" list';
  if (!isObj(payload)) return 'the payload is not a JSON object';
  if (typeof payload.v !== 'number') return 'the payload has no protocol version "v"';
  if (payload.v > PROTOCOL_VERSION) {
    return `the payload uses protocol version ${payload.v}, newer than this renderer (${PROTOCOL_VERSION}); update Layerwise`;
  }
  const check = CHECKS[mime];
  if (!check) return `no Layerwise view for ${mime}`;
  return check(payload);
}

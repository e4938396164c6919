/**
 * The layer-spec contract: ONE description per layer type that the nn classes, summary(), the Layers view and the
 * Draft analyser all read (modelled on tfjs's computeConv2DInfo: one info object every consumer uses). Pure: shapes
 * and numbers only, no tensors.
 */
import { signature, type Params, type Parsed, type Signature } from '../../args';
import { fmtShape, ShapeError } from '../index';

/** Everything about one layer call: output shape, cost, and the arithmetic with the numbers plugged in. */
export interface LayerInfo {
  outShape: number[];
  /** Multiply-accumulates for this call (0 for layers without a dot product). */
  macs: number;
  /** e.g. ["H_out = ⌊(28 − 5 + 2·2)/1⌋ + 1 = 28", "params = 5²·1·6 + 6 = 156"] */
  formulas: string[];
  /** e.g. a stride that does not tile the input. */
  warnings: string[];
}

export interface LayerSpec<S extends Params = Params> {
  readonly type: string;
  /** PyTorch's constructor signature (positional order, options, snake_case aliases, kinds). */
  readonly signature: Signature<S>;
  /** Checks across arguments (channels divisible by groups...); throws an Error naming the layer. */
  check?(a: Parsed<S>): void;
  /** Parameter shapes by name in registration order; null when absent (bias=false, affine=false). */
  parameters(a: Parsed<S>): Record<string, number[] | null>;
  /** Buffer shapes by name (running statistics); null when not tracked. */
  buffers?(a: Parsed<S>): Record<string, number[] | null>;
  /** The parameter arithmetic, known before any input ("params = 5²·1·6 + 6 = 156"). */
  paramText?(a: Parsed<S>): string | null;
  /** "Does it fit": the info for an input shape, or a ShapeError naming the layer and the shapes. */
  infer(a: Parsed<S>, input: readonly number[]): LayerInfo;
  /** The text inside the parentheses of the module's toString(). */
  repr(a: Parsed<S>): string;
}

/** Define a spec: the signature is named after the layer type, so every argument error names the layer. */
export function layerSpec<const S extends Params>(type: string, params: S, rest: Omit<LayerSpec<S>, 'type' | 'signature'>): LayerSpec<S> {
  return { type, signature: signature(type, params), ...rest };
}

/** Parse a constructor call against a spec (signature, then cross-argument checks). */
export function parseLayerArgs<S extends Params>(spec: LayerSpec<S>, args: readonly unknown[]): Parsed<S> {
  const a = spec.signature.parse(args);
  spec.check?.(a);
  return a;
}

export const numelOf = (s: readonly number[] | null): number => (s ? s.reduce((x, y) => x * y, 1) : 0);

/** Total parameter count from a spec's parameter shapes. */
export function paramCount<S extends Params>(spec: LayerSpec<S>, a: Parsed<S>): number {
  return Object.values(spec.parameters(a)).reduce((n, s) => n + numelOf(s), 0);
}

/** (N, C, *spatial) or unbatched (C, *spatial) → batch prefix, channels, spatial sizes; throws otherwise. */
export function splitBatch(type: string, x: readonly number[], spatial: number): { lead: number[]; c: number; sp: number[] } {
  if (x.length !== spatial + 2 && x.length !== spatial + 1) {
    const dims = spatial === 1 ? '[N, C, L] or [C, L]' : spatial === 2 ? '[N, C, H, W] or [C, H, W]' : `${spatial + 2}-D`;
    throw new ShapeError(`${type}: expected a ${spatial + 1}-D or ${spatial + 2}-D input (${dims}), got ${fmtShape(x)}`);
  }
  const lead = x.length === spatial + 2 ? [x[0]] : [];
  return { lead, c: x[lead.length], sp: x.slice(lead.length + 1) };
}

/** The identity-shaped info of an elementwise layer. */
export const sameShape = (x: readonly number[]): LayerInfo => ({ outShape: [...x], macs: 0, formulas: [], warnings: [] });

export const fmtArg = (v: unknown): string => (Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'string' ? `'${v}'` : String(v));

/** "a=1, b=[2, 2]" of the entries that differ from their default (always including `always`). */
export function reprArgs(a: Record<string, unknown>, defaults: Record<string, unknown>, always: string[] = []): string {
  return Object.entries(a)
    .filter(([k, v]) => always.includes(k) || (k in defaults && JSON.stringify(v) !== JSON.stringify(defaults[k])))
    .map(([k, v]) => `${k}=${fmtArg(v)}`)
    .join(', ');
}

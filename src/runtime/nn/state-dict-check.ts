/**
 * loadStateDict's validation, done before anything is copied (a failed load leaves the module untouched):
 * PyTorch's `strict` semantics and message — missing/unexpected keys only with strict; size mismatches and values
 * that are not tensors always — gathered into one "Error(s) in loading state_dict for <Module>:" error.
 */
import { Tensor } from '../tensor';
import { fmtShape } from '../shape';

export interface CheckedStateDict {
  src: Map<string, Tensor>;
  missingKeys: string[];
  unexpectedKeys: string[];
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  return `${typeof v} ${String(v).slice(0, 40)}`;
}

export function checkStateDict(moduleName: string, own: Map<string, Tensor>, sd: unknown, strict: boolean): CheckedStateDict {
  const op = 'loadStateDict';
  if (typeof strict !== 'boolean') throw new TypeError(`${op}: strict must be true or false, got ${describe(strict)}`);
  if (!(sd instanceof Map) && (sd === null || typeof sd !== 'object' || Array.isArray(sd) || sd instanceof Tensor)) {
    throw new TypeError(`${op}: expected a state dict (a Map or an object of name → Tensor, e.g. model.stateDict()), got ${describe(sd)}`);
  }
  const src = sd instanceof Map ? (sd as Map<string, unknown>) : new Map(Object.entries(sd as Record<string, unknown>));
  const missingKeys = [...own.keys()].filter((k) => !src.has(k));
  const unexpectedKeys = [...src.keys()].filter((k) => !own.has(k));
  const errors: string[] = [];
  const quoted = (ks: string[]): string => ks.map((k) => `"${k}"`).join(', ');
  if (strict && missingKeys.length) errors.push(`Missing key(s) in state_dict: ${quoted(missingKeys)}.`);
  if (strict && unexpectedKeys.length) errors.push(`Unexpected key(s) in state_dict: ${quoted(unexpectedKeys)}.`);
  for (const [k, dst] of own) {
    if (!src.has(k)) continue;
    const v = src.get(k);
    if (!(v instanceof Tensor)) {
      errors.push(`While copying the parameter named "${k}", expected a Tensor from the checkpoint but received ${describe(v)}.`);
    } else if (v.isMeta) {
      errors.push(`While copying the parameter named "${k}", the checkpoint holds a meta tensor (shape only, no values).`);
    } else if (v.shape.length !== dst.shape.length || v.shape.some((d, i) => d !== dst.shape[i])) {
      errors.push(`size mismatch for ${k}: copying a param with shape ${fmtShape(v.shape)} from checkpoint, the shape in current model is ${fmtShape(dst.shape)}.`);
    }
  }
  if (errors.length) throw new Error(`${op}: Error(s) in loading state_dict for ${moduleName}:\n\t${errors.join('\n\t')}`);
  return { src: src as Map<string, Tensor>, missingKeys, unexpectedKeys };
}

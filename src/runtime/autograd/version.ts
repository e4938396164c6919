/**
 * Version counters (PyTorch's tensor._version): every in-place op bumps the counter of the storage it writes, and
 * nodes remember the versions of the values their backward reads. Backward through a value that changed since
 * fails with PyTorch's message instead of returning a gradient computed from the new values.
 */
import type { Storage } from '../backend/types';
import type { Tensor } from '../tensor';
import type { Node } from './node';
import { fmtShape } from '../shape';

/** One counter per storage; nodes hold the counter cell (never the storage, which must stay collectable). */
interface Counter {
  v: number;
}
const counters = new WeakMap<Storage, Counter>();

function counterOf(s: Storage): Counter {
  let c = counters.get(s);
  if (!c) counters.set(s, (c = { v: 0 }));
  return c;
}

export function versionOf(t: Tensor): number {
  return t._storage ? counters.get(t._storage)?.v ?? 0 : 0;
}

/** Called by every in-place op after it wrote t's storage (views share the counter, as in PyTorch). */
export function bumpVersion(t: Tensor): void {
  if (t._storage) counterOf(t._storage).v++;
}

export interface SavedVersion {
  counter: Counter;
  version: number;
  what: string;
}

/** Ops whose backward reads none of their inputs' values (PyTorch saves nothing for them either). */
const READS_NOTHING = new Set([
  'add', 'sub', 'sum', 'mean', 'cast', 'clone', 'contiguous', 'reshape', 'view', 'permute', 'transpose', 'expand', 'squeeze',
  'unsqueeze', 'flatten', 'slice', 'narrow', 'select', 'indexSelect', 'embed', 'cat', 'stack', 'scatter', 'gather', 'where',
  'adaptiveAvgPool2d', 'avgPool2d', 'neg', 'repeat', 'index', 'maskedFill',
]);

/** Versions of the values a node's backward will read: its inputs (and, for one-input ops, its output). */
export function savedVersionsFor(op: string, inputs: Array<Tensor | null>, out: Tensor): SavedVersion[] | null {
  const ins = inputs.filter((t): t is Tensor => t !== null);
  if (READS_NOTHING.has(op) || (ins.length === 1 && (op === 'mul' || op === 'div'))) return null;
  const list: SavedVersion[] = [];
  const add = (t: Tensor, what: string): void => {
    if (t._storage) {
      const counter = counterOf(t._storage);
      list.push({ counter, version: counter.v, what: `${t.dtype} ${fmtShape(t.shape)} (${what})` });
    }
  };
  ins.forEach((t, i) => add(t, `input ${i}`));
  if (ins.length === 1) add(out, 'output');
  return list;
}

export function checkSavedVersions(node: Node): void {
  const saved = node.savedVersions;
  if (!saved) return;
  for (const s of saved) {
    const now = s.counter.v;
    if (now !== s.version) {
      throw new Error(
        `backward: one of the variables needed for gradient computation has been modified by an inplace operation: ` +
          `[${s.what} of ${node.name}] is at version ${now}; expected version ${s.version} instead. ` +
          'Hint: an in-place op (x.add_(), x.mul_(), optimizer.step() ...) changed it after the forward pass; use the out-of-place form or clone() first.',
      );
    }
  }
}

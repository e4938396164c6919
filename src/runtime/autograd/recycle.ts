/**
 * Frees gradient buffers during a backward pass as soon as the engine has consumed them, so a training loop does
 * not wait for the garbage collector to reclaim one activation-sized buffer per node.
 *
 * A storage is freed only when all of these hold:
 * - it was allocated during this backward pass (wasm storages carry an allocation serial; others are never freed),
 * - no gradient still waiting in the engine's queue uses it (a count per storage: views share storages),
 * - it never escaped: not the seed, not given to a leaf's .grad, a retained grad or a hook (which may keep it),
 *   not seen or made by user code (a module's full backward hook, a custom autograd.Function's backward).
 * The engine uses no recycler under createGraph (gradients are graph values then) or the stepper's onStep.
 */
import type { Tensor } from '../tensor';
import type { Node } from './node';
import type { Storage } from '../backend/types';
import { storageSerial } from '../backend/wasm/serial';

export class GradRecycler {
  private readonly start = storageSerial();
  private readonly held = new Map<Storage, number>();
  private readonly escaped = new Set<Storage>();
  private readonly candidates: Storage[] = [];

  private key(t: Tensor): Storage | null {
    const s = t._storage as (Storage & { serial?: number }) | null;
    return s && s.serial !== undefined && s.serial >= this.start ? s : null;
  }

  /** t now waits in the engine's queue. */
  hold(t: Tensor): void {
    const s = this.key(t);
    if (s) this.held.set(s, (this.held.get(s) ?? 0) + 1);
  }

  /** t may be kept by someone else: never free its storage. */
  escape(t: Tensor): void {
    const s = this.key(t);
    if (s) this.escaped.add(s);
  }

  /** t was consumed (by a backward function or a sum); `wasHeld` when it came out of the queue. */
  drop(t: Tensor, wasHeld: boolean): void {
    const s = this.key(t);
    if (!s) return;
    if (wasHeld) {
      const c = (this.held.get(s) ?? 0) - 1;
      if (c > 0) this.held.set(s, c);
      else this.held.delete(s);
    }
    this.candidates.push(s);
  }

  /** Frees the dropped storages nothing holds any more. */
  flush(): void {
    for (const s of this.candidates) {
      if (!s.released && !this.escaped.has(s) && !this.held.has(s)) s.release();
    }
    this.candidates.length = 0;
  }
}

/** Nodes whose backward runs user code: module full backward hooks and custom autograd.Function backwards. */
export function runsUserCode(node: Node): boolean {
  return node.op === 'backwardHook' || node.attrs.function !== undefined;
}

/**
 * Storages that only the autograd graph still reads once the forward is over (nn.Sequential's intermediates
 * between built-in modules without hooks: nn/seq-run.ts), each tied to every node that may read it. The engine
 * frees a storage when it has run and released all of those nodes (never under retainGraph, createGraph, the
 * stepper or grad(): see backwardFrom). If one of them never runs, the storage is left to the garbage collector.
 */
interface Owned {
  storage: Storage;
  pending: number;
}
const ownedByNode = new WeakMap<Node, Owned[]>();

/** Frees `s` once every node of `nodes` has run its backward and been released (see ownedByNode). */
export function freeAfterBackward(nodes: Iterable<Node>, s: Storage): void {
  const set = new Set(nodes);
  if (set.size === 0) return;
  const o: Owned = { storage: s, pending: set.size };
  for (const n of set) {
    const list = ownedByNode.get(n);
    if (list) list.push(o);
    else ownedByNode.set(n, [o]);
  }
}

/** Called by the engine right after it released `node` (backward ran, no retainGraph/createGraph). */
export function releaseOwned(node: Node): void {
  const list = ownedByNode.get(node);
  if (!list) return;
  ownedByNode.delete(node);
  for (const o of list) if (--o.pending === 0 && !o.storage.released) o.storage.release();
}

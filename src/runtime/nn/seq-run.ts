/**
 * nn.Sequential's forward loop, and what it may do because it knows who sees each intermediate tensor.
 *
 * Between two built-in modules without hooks, the output of one is seen only by the next one's forward (which
 * keeps nothing but what its autograd nodes save) and by the autograd graph. So its storage can be freed as soon
 * as the backward pass has run every node the two modules made (autograd/recycle.ts), instead of waiting for the
 * garbage collector: a training loop that never calls dispose() reuses those blocks in the next step.
 * Not done when a module is not one of the built-in classes (a subclass or a user module may keep its input or
 * output), has hooks, is in-place, when the intermediate shares its storage with the Sequential's input or
 * output, while the stepper traces values, or with forward-mode tangents.
 *
 * For the same reason a ReLU after a BatchNorm, Conv2d or Linear (both built-in, without hooks, not the last
 * pair) can run inside it: the BatchNorm's fused kernels apply it in their own passes, or it runs in place on the
 * Conv2d's / Linear's fresh output (ops/nn/epilogue-fused.ts). Values and gradients equal the unfused pair's.
 */
import { Tensor } from '../tensor';
import type { Storage } from '../backend/types';
import { mode } from '../autograd/mode';
import { nodeCapture, type Node } from '../autograd/node';
import { freeAfterBackward } from '../autograd/recycle';
import type { Module } from './module';
import { Conv1d, Conv2d } from './conv';
import { Linear, Identity, Flatten } from './linear';
import { MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './pooling';
import { ReLU, Sigmoid, Tanh, LeakyReLU, ELU, GELU, Softplus, Softmax, LogSoftmax } from './activation';
import { Hardswish, Hardsigmoid, Hardtanh, ReLU6, SELU, SiLU, Mish, Softsign } from './activation-table';
import { BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm } from './normalization';
import { Dropout, Dropout2d } from './dropout';
import { reluInPlace, withReluEpilogue } from '../ops/nn/epilogue-fused';
import { isFloat } from '../ops/raw';

/** Classes whose forward keeps no reference to its input or output outside the autograd graph. */
const PLAIN = new Set<unknown>([Conv1d, Conv2d, Linear, Identity, Flatten, MaxPool1d, MaxPool2d, AvgPool2d,
  AdaptiveAvgPool2d, ReLU, Sigmoid, Tanh, LeakyReLU, ELU, GELU, Softplus, Softmax, LogSoftmax, Hardswish, Hardsigmoid,
  Hardtanh, ReLU6, SELU, SiLU, Mish, Softsign, BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, Dropout, Dropout2d]);

/** Registers a container class whose `items` are run by runSequential (nn.Sequential). */
export function registerPlainContainer(cls: unknown): void {
  PLAIN.add(cls);
}

function hooked(m: Module): boolean {
  return m._forwardHooks.length > 0 || m._forwardPreHooks.length > 0 || m._backwardHooks.length > 0;
}

/** A built-in module without hooks (a container: all its items too). */
export function isPlain(m: Module): boolean {
  if (!PLAIN.has(m.constructor) || hooked(m)) return false;
  if ((m as { args?: { inplace?: unknown } }).args?.inplace === true) return false;
  const items = (m as { items?: unknown }).items;
  return !Array.isArray(items) || items.every((c) => isPlain(c as Module));
}

/**
 * How the ReLU after items[i] can run inside it (never for the last pair, whose output the caller sees):
 * 'kernel' for a BatchNorm (its fused kernels apply it), 'inplace' for a Conv2d / Linear (on its fresh output).
 */
function reluEpilogue(items: readonly Module[], i: number, plain: boolean[]): 'kernel' | 'inplace' | null {
  if (!(i + 2 < items.length && plain[i] && plain[i + 1] && items[i + 1].constructor === ReLU)) return null;
  const k = items[i].constructor;
  return k === BatchNorm2d || k === BatchNorm1d ? 'kernel' : k === Conv2d || k === Linear ? 'inplace' : null;
}

/**
 * Runs `items` in order, each module's output the next one's input. A BatchNorm followed by a ReLU (both built-in,
 * without hooks, not at the end) runs as one fused op when its fused kernels apply (./ops/nn/epilogue-fused):
 * the ReLU module is then not called; its output is the same tensor, with the same values and gradient.
 */
export function runSequential(items: readonly Module[], x: unknown): unknown {
  const call = (m: Module, a: unknown): unknown => (m as unknown as (a: unknown) => unknown)(a);
  const n = items.length;
  const canFuse = !mode.traceValues && mode.forwardLevel === 0;
  const track = x instanceof Tensor && n >= 2 && mode.gradEnabled && canFuse;
  const plain = canFuse ? items.map(isPlain) : [];
  const outs: unknown[] = [];
  const made: Node[][] = [];
  let y: unknown = x;
  const outer = nodeCapture.list;
  try {
    for (let i = 0; i < n; i++) {
      const nodes: Node[] = [];
      if (track) nodeCapture.list = nodes;
      let fused = false;
      const epi = canFuse ? reluEpilogue(items, i, plain) : null;
      if (epi === 'kernel') {
        const r = withReluEpilogue(() => call(items[i], y));
        y = r.out;
        fused = r.fused;
      } else {
        y = call(items[i], y);
        if (epi === 'inplace' && y instanceof Tensor && !y.isMeta && isFloat(y.dtype) && y.isContiguous()) {
          y = reluInPlace(y);
          fused = true;
        }
      }
      outs.push(y);
      made.push(nodes);
      outer?.push(...nodes);
      if (fused) {
        // the ReLU ran inside the module's op or in place on its output: the ReLU's output is the same tensor
        outs.push(y);
        made.push([]);
        i++;
      }
    }
  } finally {
    nodeCapture.list = outer;
  }
  if (track) tieIntermediates(items, x as Tensor, outs, made, plain);
  return y;
}

/** Ties each freeable intermediate storage to the nodes of every module that produced or read it. */
function tieIntermediates(items: readonly Module[], x: Tensor, outs: unknown[], made: Node[][], plain: boolean[]): void {
  if (!outs.every((o) => o instanceof Tensor)) return;
  const ts = outs as Tensor[];
  const n = items.length;
  const keep = new Set<Storage | null>([x._storage, ts[n - 1]._storage]);
  // storage -> [first module that produced it, last module that read it], or null when it must be kept
  const span = new Map<Storage, [number, number] | null>();
  for (let i = 0; i < n - 1; i++) {
    const s = ts[i]._storage;
    if (!s || keep.has(s)) continue;
    const ok = plain[i] && plain[i + 1];
    const prev = span.get(s);
    if (prev === null) continue;
    if (!ok) span.set(s, null);
    else span.set(s, [prev ? prev[0] : i, i + 1]);
  }
  for (const [s, r] of span) {
    if (!r) continue;
    const nodes: Node[] = [];
    for (let i = r[0]; i <= r[1]; i++) nodes.push(...made[i]);
    freeAfterBackward(nodes, s);
  }
}

/// <reference path="../../../runtime/wasm-globals.d.ts" />
/**
 * The Draft runs the real runtime on meta tensors (shapes only: no kernels, no memory), so a drafted layer's
 * arguments, shapes, parameters and arithmetic come from the same layer specs and the same summary() as the live
 * tree. The extension host loads the runtime bundle (dist/runtime.js, beside dist/extension.js) at run time through
 * this one file; nothing else in the extension host touches the runtime.
 */
import * as path from 'node:path';
import type * as Runtime from '../../../runtime';

export type RT = typeof Runtime;
export type Module = Runtime.nn.Module;

let loaded: RT | undefined;

/** The runtime bundle next to the extension bundle (or the repository's dist/ when running from sources). */
export function loadRuntime(): RT {
  if (loaded) return loaded;
  const candidates = [path.join(__dirname, 'runtime.js'), path.join(__dirname, '../../../../dist/runtime.js')];
  let last: unknown;
  for (const c of candidates) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(c) as RT;
      return loaded;
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

/** Run `fn` in meta mode with autograd off: what the Draft does with every runtime call. */
export const metaRun = <T>(rt: RT, fn: () => T): T => rt.nn.meta(() => rt.noGrad(fn));

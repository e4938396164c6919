/**
 * Full backward hooks of modules (PyTorch's register_full_backward_hook): the hook sees the gradients w.r.t. the
 * module's tensor inputs and output, and what it returns replaces the gradients w.r.t. the inputs.
 *
 * As in PyTorch, the inputs pass through an identity node before forward. With several inputs, each identity
 * node hands its gradient, zero-padded into one flat vector, to a shared 'backwardHook' node; that node runs
 * after all of them (topological order), so the hook sees every input gradient at once.
 */
import type { Tensor } from '../tensor';
import { Node, type Edge } from './node';
import { mode } from './mode';
import { fmtShape } from '../shape';
import { cat, sliceDim, reshape } from '../ops/views';
import { zeros } from '../ops/creation';
import { clone } from '../ops/basic';

export type FullBackwardHook = (gradInput: Array<Tensor | null>, gradOutput: Array<Tensor | null>) => Array<Tensor | null> | void | undefined;

function edgeOf(t: Tensor): Edge {
  return t.gradFn ? { node: t.gradFn, leaf: null, shape: t.shape } : { node: null, leaf: t, shape: t.shape };
}

/** An alias of x (same storage) whose gradFn is `node`. */
function aliasWith(x: Tensor, node: Node): Tensor {
  const Ctor = x.constructor as new (s: Tensor['_storage'], shape: number[], dtype: Tensor['dtype'], strides: number[], offset: number) => Tensor;
  const y = new Ctor(x._storage, x.shape, x.dtype, x._strides, x._offset);
  y.gradFn = node;
  y.requiresGrad = true;
  return y;
}

/**
 * Runs forward(args') where the tensor inputs requiring grad are replaced by hooked aliases; `hook` is called in
 * backward with (gradInput, gradOutput) and may return replacement input gradients.
 */
export function callWithFullBackwardHook(name: string, args: unknown[], forward: (args: unknown[]) => unknown, hook: FullBackwardHook): unknown {
  const isT = (a: unknown): a is Tensor => typeof a === 'object' && a !== null && 'gradFn' in a && 'shape' in a && '_storage' in a;
  const tensorArgs = args.map((a, i) => ({ a, i })).filter((e): e is { a: Tensor; i: number } => isT(e.a));
  const hooked = tensorArgs.filter((e) => e.a.requiresGrad);
  let gradOut: Tensor | null = null;
  const run = (gradIn: Array<Tensor | null>): Array<Tensor | null> => {
    const r = hook(gradIn, [gradOut]);
    if (r === undefined || r === null) return gradIn;
    if (!Array.isArray(r) || r.length !== gradIn.length) {
      throw new Error(`${name}: a full backward hook returned ${Array.isArray(r) ? r.length : typeof r} gradients; expected an array of ${gradIn.length} (one per tensor input)`);
    }
    r.forEach((g, k) => {
      const want = tensorArgs[k].a.shape;
      if (g && (g.shape.length !== want.length || g.shape.some((d, j) => d !== want[j]))) {
        throw new Error(`${name}: a full backward hook returned a gradient of shape ${fmtShape(g.shape)} for input ${k} of shape ${fmtShape(want)}`);
      }
    });
    return r;
  };
  if (!mode.gradEnabled || hooked.length === 0) {
    const out = forward(args);
    if (isT(out) && out.requiresGrad) {
      out.registerHook((g) => {
        gradOut = g;
        run(tensorArgs.map(() => null));
      });
    }
    return out;
  }
  const dtype = hooked[0].a.dtype;
  if (hooked.some((e) => e.a.dtype !== dtype)) throw new Error(`${name}: full backward hooks need all tensor inputs of one dtype (got ${hooked.map((e) => e.a.dtype).join(', ')})`);
  const sizes = hooked.map((e) => e.a.numel());
  const offsets = sizes.map((_, k) => sizes.slice(0, k).reduce((x, y) => x + y, 0));
  const total = sizes.reduce((x, y) => x + y, 0);
  const received = hooked.map(() => false);
  const shared = new Node('backwardHook', hooked.map((e) => edgeOf(e.a)), [total], (gFlat) => {
    const gradIn: Array<Tensor | null> = tensorArgs.map(() => null);
    // the hook may keep what it sees or returns (users store gradients): give it tensors of its own, and pass on
    // copies, so the engine's recycling of consumed gradient buffers can never free a tensor the user holds
    hooked.forEach((e, k) => {
      if (received[k]) gradIn[tensorArgs.indexOf(e)] = clone(reshape(sliceDim(gFlat, 0, offsets[k], offsets[k] + sizes[k]), e.a.shape));
    });
    const res = run(gradIn);
    received.fill(false);
    return hooked.map((e) => ((r) => (r ? clone(r) : null))(res[tensorArgs.indexOf(e)]));
  }, { module: name }, null);
  const newArgs = [...args];
  hooked.forEach((e, k) => {
    const id = new Node('backwardHookInput', [{ node: shared, leaf: null, shape: [total] }], e.a.shape, (g) => {
      received[k] = true;
      const parts: Tensor[] = [];
      if (offsets[k] > 0) parts.push(zeros([offsets[k]], { dtype }));
      parts.push(reshape(g, -1));
      if (total - offsets[k] - sizes[k] > 0) parts.push(zeros([total - offsets[k] - sizes[k]], { dtype }));
      return [parts.length === 1 ? parts[0] : cat(parts, 0)];
    }, { input: k }, null);
    newArgs[e.i] = aliasWith(e.a, id);
  });
  const out = forward(newArgs);
  if (isT(out) && out.requiresGrad) out.registerHook((g) => void (gradOut = g));
  else throw new Error(`${name}: full backward hooks need the module to return one tensor that requires grad`);
  return out;
}

/**
 * crossEntropy for the common training case as one recorded op on the wasm backend: input [N, C] float32, int32
 * class targets, no class weights, no label smoothing, reduction 'mean' or 'sum'. Forward = the log-softmax kernel
 * plus the picked sum; backward = (softmax − onehot)·scale in two elementwise passes and one row pass (ignored
 * rows zero). Returns null for every other case (the composite path handles it). Double backward (createGraph)
 * computes the same gradient with differentiable ops.
 */
import { Tensor } from '../../tensor';
import { record } from '../../autograd/node';
import { mode } from '../../autograd/mode';
import { mul, sub } from '../basic';
import { alloc, contig } from '../raw';
import { softmax } from './softmax';
import { fusedKernels } from '../../backend/wasm/fused';
import { floatTensorLike } from './util';

export function crossEntropyFused(input: Tensor, targets: ArrayLike<number>, ignoreIndex: number, reduction: 'mean' | 'sum'): Tensor | null {
  if (!fusedKernels(input.backend) || input.dtype !== 'float32' || input.ndim !== 2 || mode.traceValues) return null;
  if (mode.forwardLevel > 0 && input._tangent) return null;
  const [n, c] = input.shape;
  let count = 0;
  for (let i = 0; i < n; i++) if (targets[i] !== ignoreIndex) count++;
  if (n === 0 || c === 0 || count === 0) return null; // NaN mean and empty inputs: the composite path's rules
  const be = input.backend;
  const x = contig(input);
  const logp = alloc([n, c], 'float32', be);
  be.softmax(x.ref(), logp.ref(), n, c, true);
  const lv = logp.storage().view();
  let total = 0;
  for (let i = 0; i < n; i++) if (targets[i] !== ignoreIndex) total -= lv[i * c + targets[i]];
  const loss = alloc([], 'float32', be);
  loss.storage().view()[0] = reduction === 'mean' ? total / count : total;
  const denom = reduction === 'mean' ? count : 1;
  return record(loss, 'crossEntropy', [input], (g) => {
    if (mode.gradEnabled) {
      const onehot = new Float32Array(n * c);
      for (let i = 0; i < n; i++) if (targets[i] !== ignoreIndex) onehot[i * c + targets[i]] = 1;
      const rows = floatTensorLike(Array.from({ length: n }, (_, i) => (targets[i] === ignoreIndex ? 0 : 1)), [n, 1], input);
      const d = mul(sub(softmax(input, 1), floatTensorLike(onehot, [n, c], input)), rows);
      return [mul(d, g.div(denom))];
    }
    const scale = g.item() / denom;
    const dx = alloc([n, c], 'float32', be);
    be.unary('exp', logp.ref(), dx.ref(), n * c, 0, 0);
    be.unary('affine', dx.ref(), dx.ref(), n * c, scale, 0);
    const dv = dx.storage().view();
    for (let i = 0; i < n; i++) {
      if (targets[i] === ignoreIndex) dv.fill(0, i * c, (i + 1) * c);
      else dv[i * c + targets[i]] -= scale;
    }
    return [dx];
  }, { attrs: { reduction, ignoreIndex } });
}

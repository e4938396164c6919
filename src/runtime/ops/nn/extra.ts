/** embedding, oneHot, normalize, cosineSimilarity (PyTorch's F.embedding, F.one_hot, F.normalize, F.cosine_similarity). */
import { Tensor } from '../../tensor';
import { alloc } from '../raw';
import { clamp, detach, div, mul, sqrt, where } from '../basic';
import { norm, sum } from '../reduce';
import { expand, indexSelect, reshape } from '../views';
import { broadcastShapes, fmtShape, normDim, ShapeError } from '../../shape';
import { checkFloat, checkSameKind, intTensor, valuesOf } from './util';
import { checkIndexRange } from '../index-checks';
import { checkSize } from '../size-checks';

/** Rows of weight [numEmbeddings, dim] at int32 indices of any shape → [...indices.shape, dim]. paddingIdx rows get no gradient. */
export function embedding(input: Tensor, weight: Tensor, opts: { paddingIdx?: number | null } = {}): Tensor {
  const op = 'embedding';
  checkFloat(op, weight, 'weight');
  if (!(input instanceof Tensor) || input.dtype !== 'int32') {
    throw new TypeError(`${op}: expected input to hold int32 indices (use .int()), got ${input instanceof Tensor ? input.dtype : typeof input}`);
  }
  if (weight.ndim !== 2) throw new ShapeError(`${op}: expected a 2-D weight [numEmbeddings, embeddingDim], got ${fmtShape(weight.shape)}`);
  const n = weight.shape[0];
  checkIndexRange(op, input, 0, n); // PyTorch: no negative indices
  const vals = valuesOf(input);
  if (weight.isMeta) return alloc([...input.shape, weight.shape[1]], weight.dtype, weight.backend); // shapes only
  const rows = indexSelect(weight, 0, intTensor(vals, [vals.length], weight.backend));
  let out = reshape(rows, [...input.shape, weight.shape[1]]);
  let pad = opts.paddingIdx;
  if (pad !== undefined && pad !== null) {
    if (!Number.isInteger(pad) || pad < -n || pad >= n) throw new RangeError(`${op}: paddingIdx ${pad} must be within the ${n} embeddings`);
    if (pad < 0) pad += n;
    const isPad = intTensor(Array.from(vals, (v) => (v === pad ? 1 : 0)), [...input.shape, 1], weight.backend);
    out = where(isPad, detach(out), out); // same values; the padding row receives no gradient, as PyTorch
  }
  return out;
}

/** int32 one-hot encoding [...t.shape, numClasses] (numClasses = max + 1 when −1). */
export function oneHot(t: Tensor, numClasses = -1): Tensor {
  const op = 'oneHot';
  if (!(t instanceof Tensor) || t.dtype !== 'int32') throw new TypeError(`${op}: expected an int32 tensor of class indices, got ${t instanceof Tensor ? t.dtype : typeof t}`);
  const vals = t.dataSync();
  let c = numClasses;
  if (c === -1) c = vals.length === 0 ? 0 : Math.max(...Array.from(vals)) + 1;
  if (!Number.isInteger(c) || c < 0) throw new Error(`${op}: numClasses must be a non-negative integer or -1, got ${numClasses}`);
  checkSize(op, [...t.shape, c], 'int32', t.backend);
  const out = new Int32Array(vals.length * c);
  for (let i = 0; i < vals.length; i++) {
    if (vals[i] < 0 || vals[i] >= c) throw new RangeError(`${op}: class value ${vals[i]} is out of range for numClasses=${c}`);
    out[i * c + vals[i]] = 1;
  }
  return intTensor(out, [...t.shape, c], t.backend);
}

/** x / max(‖x‖_p, eps) along dim. */
export function normalize(x: Tensor, opts: { p?: number; dim?: number; eps?: number } = {}): Tensor {
  checkFloat('normalize', x);
  const dim = normDim(opts.dim ?? 1, x.ndim, 'normalize');
  return div(x, clamp(norm(x, opts.p ?? 2, dim, { keepdim: true }), opts.eps ?? 1e-12));
}

/** Σ x1·x2 / max(‖x1‖·‖x2‖, eps) along dim (inputs broadcast). */
export function cosineSimilarity(x1: Tensor, x2: Tensor, opts: { dim?: number; eps?: number } = {}): Tensor {
  checkFloat('cosineSimilarity', x1, 'x1');
  checkFloat('cosineSimilarity', x2, 'x2');
  checkSameKind('cosineSimilarity', x1, x2, 'x2');
  const shape = broadcastShapes(x1.shape, x2.shape, 'cosineSimilarity');
  const [a, b] = [expand(x1, shape), expand(x2, shape)];
  const dim = normDim(opts.dim ?? 1, shape.length, 'cosineSimilarity');
  const eps = opts.eps ?? 1e-8;
  return div(sum(mul(a, b), dim), sqrt(clamp(mul(sum(mul(a, a), dim), sum(mul(b, b), dim)), eps * eps)));
}

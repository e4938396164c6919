/** MIME bundles for notebook display of runtime values (tensors here; modules and figures add their own). */
import type { Tensor } from './tensor';
import { formatTensor } from './format';
import { MIME, PROTOCOL_VERSION, packArray, type MimeBundle, type TensorStats } from '../protocol';
import type { TensorPayload } from '../protocol/figures';

const MAX_DATA = 1 << 20;

export function tensorStats(values: ArrayLike<number>): TensorStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) nan++;
    else if (!Number.isFinite(v)) inf++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      n++;
    }
  }
  const mean = n ? sum / n : NaN;
  let sq = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) sq += (v - mean) * (v - mean);
  }
  return { min: n ? min : NaN, max: n ? max : NaN, mean, std: n > 1 ? Math.sqrt(sq / (n - 1)) : 0, nan, inf };
}

function chooseView(t: Tensor): TensorPayload['view'] {
  if (t.numel() <= 64 && t.ndim <= 2) return 'table';
  if (t.ndim === 3 && (t.shape[0] === 1 || t.shape[0] === 3) && t.shape[1] > 1 && t.shape[2] > 1) return 'image';
  if (t.ndim === 2) return 'heatmap';
  return 'stats';
}

export function tensorDisplay(t: Tensor): MimeBundle {
  const text = formatTensor(t);
  if (t.isMeta) return { [MIME.text]: text };
  const vals = t.dataSync();
  const payload: TensorPayload = {
    v: PROTOCOL_VERSION,
    shape: [...t.shape],
    dtype: t.dtype,
    stats: tensorStats(vals),
    text,
    requiresGrad: t.requiresGrad,
    view: chooseView(t),
  };
  if (t.numel() <= MAX_DATA) {
    const f = vals instanceof Float32Array ? vals : Float32Array.from(vals);
    payload.data = packArray(f, [...t.shape]);
  }
  return { [MIME.tensor]: payload, [MIME.text]: text };
}

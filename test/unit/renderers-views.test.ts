// Pure parts of the views (no DOM needed).
import { strict as assert } from 'node:assert';
import { packArray, type TensorPayload, type WeightsPayload } from '../../src/protocol';
import { featureShape } from '../../renderers/views/featureMaps';
import { imageRange, statsItems } from '../../renderers/views/tensor';
import { weightSource } from '../../renderers/views/weights';

type WeightLayer = WeightsPayload['layers'][number];
const layer = (kind: 'conv' | 'linear', shape: number[], rgb = false): WeightLayer => ({
  name: 'w', type: kind === 'conv' ? 'Conv2d' : 'Linear', kind, shape, rgb, colormap: 'diverging', normalize: 'channel',
  data: packArray(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i), shape),
});

describe('renderers: view builders', () => {
  it('reads feature maps as [C, H, W], accepting a batch of one', () => {
    assert.deepEqual(featureShape([8, 4, 5]), [8, 4, 5]);
    assert.deepEqual(featureShape([1, 8, 4, 5]), [8, 4, 5]);
    assert.throws(() => featureShape([2, 8, 4, 5]), /must be \[C, H, W\]/);
  });
  it('draws first-layer RGB filters in colour, deeper filters one input channel at a time, linear as one heatmap', () => {
    const rgb = weightSource(layer('conv', [4, 3, 2, 2], true), 0);
    assert.equal(rgb.rgb, true);
    assert.equal(rgb.src.channels, 3);
    assert.deepEqual(rgb.src.offsets, [0, 12, 24, 36]);
    const deep = weightSource(layer('conv', [4, 5, 2, 2]), 3);
    assert.equal(deep.rgb, false);
    assert.deepEqual(deep.src.offsets, [12, 32, 52, 72]);
    assert.equal(weightSource(layer('conv', [4, 5, 2, 2]), 99).src.offsets[0], 16, 'clamped to the last input channel');
    const lin = weightSource(layer('linear', [10, 64]), 0);
    assert.deepEqual([lin.src.offsets.length, lin.src.h, lin.src.w], [1, 10, 64]);
  });
  it('flags NaN and Inf counts in the stats line', () => {
    const p = { v: 1, shape: [3], dtype: 'float32', view: 'stats', text: '', stats: { min: 0, max: 1, mean: 0.5, std: 0.1, nan: 2, inf: 0 } } as TensorPayload;
    const items = statsItems(p);
    assert.deepEqual(items.find((i) => i.label === 'NaN'), { label: 'NaN', value: '2', flag: true });
    assert.deepEqual(items.find((i) => i.label === 'Inf'), { label: 'Inf', value: '0', flag: false });
  });
  it('shows images in [0, 1] as they are and rescales anything else', () => {
    assert.deepEqual(imageRange([0, 0.5, 1]), [0, 1]);
    assert.deepEqual(imageRange([0, 255]), [0, 255]);
    assert.deepEqual(imageRange([-1, 2]), [-1, 2]);
  });
});

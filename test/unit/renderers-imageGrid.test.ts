import { strict as assert } from 'node:assert';
import { buildLut, colorAt, lut } from '../../renderers/colormap';
import {
  gridLayout, hitTest, normalize, paintGrid, pickColormap, sourceFromNCHW, tileOrigin, tileRanges,
} from '../../renderers/imageGrid';

describe('renderers: colormaps', () => {
  it('viridis runs from dark purple to yellow, coolwarm is grey at the centre', () => {
    assert.deepEqual(colorAt('viridis', 0), [0x44, 0x01, 0x54]);
    assert.deepEqual(colorAt('viridis', 1), [0xfd, 0xe7, 0x25]);
    colorAt('coolwarm', 0.5).forEach((c) => assert.ok(Math.abs(c - 0xdd) <= 2, 'light grey centre'));
    assert.deepEqual(colorAt('coolwarm', 0), [0x3b, 0x4c, 0xc0]);
    assert.deepEqual(colorAt('coolwarm', 1), [0xb4, 0x04, 0x26]);
  });
  it('clamps out-of-range input and marks NaN in magenta', () => {
    assert.deepEqual(colorAt('viridis', -3), colorAt('viridis', 0));
    assert.deepEqual(colorAt('viridis', 7), colorAt('viridis', 1));
    assert.deepEqual(colorAt('viridis', NaN), [255, 0, 255]);
  });
  it('interpolates linearly between anchors', () => {
    const l = buildLut(['#000000', '#ffffff'], 3);
    assert.deepEqual([...l], [0, 0, 0, 128, 128, 128, 255, 255, 255]);
    assert.equal(lut('gray').length, 256 * 3);
  });
  it('picks viridis for non-negative data and a diverging map for signed data', () => {
    assert.equal(pickColormap('sequential', 0), 'viridis');
    assert.equal(pickColormap('sequential', -0.1), 'coolwarm');
    assert.equal(pickColormap('diverging', 1), 'coolwarm');
  });
});

describe('renderers: normalisation', () => {
  const data = Float32Array.from([0, 1, 2, 3, /* tile 1 */ -4, 0, 2, 4]);
  const src = sourceFromNCHW(data, [2, 2, 2]);
  it('per channel: each tile gets its own min/max', () => {
    assert.deepEqual(tileRanges(src, 'channel', false), [[0, 3], [-4, 4]]);
  });
  it('shared: every tile gets the global range', () => {
    assert.deepEqual(tileRanges(src, 'shared', false), [[-4, 4], [-4, 4]]);
  });
  it('diverging ranges are symmetric around zero', () => {
    assert.deepEqual(tileRanges(src, 'channel', true), [[-3, 3], [-4, 4]]);
  });
  it('maps values into [0, 1]; degenerate ranges map to the neutral colour', () => {
    assert.equal(normalize(1.5, [0, 3], false), 0.5);
    assert.equal(normalize(0, [-4, 4], true), 0.5);
    assert.equal(normalize(5, [5, 5], false), 0);
    assert.equal(normalize(0, [0, 0], true), 0.5);
    assert.ok(Number.isNaN(normalize(NaN, [0, 1], false)));
  });
  it('selects one input channel of a [O, I, kH, kW] bank, or all three for RGB', () => {
    const w = Float32Array.from({ length: 2 * 3 * 1 * 1 }, (_, i) => i);
    assert.deepEqual(sourceFromNCHW(w, [2, 3, 1, 1], 2).offsets, [2, 5]);
    const rgb = sourceFromNCHW(w, [2, 3, 1, 1], 0, true);
    assert.deepEqual(rgb.offsets, [0, 3]);
    assert.equal(rgb.channels, 3);
  });
});

describe('renderers: grid layout and hit testing', () => {
  it('lays 64 28×28 maps out in balanced rows that fit the width', () => {
    const l = gridLayout(64, 28, 28, { maxWidth: 720, target: 56, gap: 2 });
    assert.equal(l.scale, 2);
    assert.ok(l.width <= 720);
    assert.equal(l.cols * l.rows >= 64, true);
    assert.ok(l.cols * (l.rows - 1) < 64, 'no empty last row');
    assert.equal(l.width, l.cols * 56 + (l.cols - 1) * 2);
    assert.equal(l.zoom, 1);
  });
  it('shrinks a single large tile with zoom', () => {
    const l = gridLayout(1, 10, 1000, { maxWidth: 500 });
    assert.equal(l.scale, 1);
    assert.equal(l.zoom, 0.5);
  });
  it('maps positions to (tile, y, x) and gaps to null', () => {
    const l = gridLayout(5, 4, 4, { maxWidth: 30, target: 8, gap: 2 }); // tiles of 8 px, 3 per row
    assert.equal(l.cols, 3);
    assert.deepEqual(hitTest(l, 0, 0), { tile: 0, y: 0, x: 0 });
    assert.deepEqual(hitTest(l, 7, 3), { tile: 0, y: 1, x: 3 });
    assert.equal(hitTest(l, 8.5, 0), null, 'gap');
    assert.deepEqual(hitTest(l, 10, 10), { tile: 4, y: 0, x: 0 });
    assert.equal(hitTest(l, 20, 10), null, 'past the last tile');
    assert.deepEqual(tileOrigin(l, 4), { left: 10, top: 10 });
  });
});

describe('renderers: painting', () => {
  it('paints each tile with the colormap at the right pixels, gaps transparent', () => {
    const src = sourceFromNCHW(Float32Array.from([0, 1, 1, 1, 5, 5, 5, 5]), [2, 2, 2]);
    const l = gridLayout(2, 2, 2, { target: 4, gap: 1, maxWidth: 100 });
    const px = paintGrid(src, l, tileRanges(src, 'channel', false), 'viridis');
    const at = (x: number, y: number) => [...px.subarray((y * l.width + x) * 4, (y * l.width + x) * 4 + 4)];
    assert.deepEqual(at(0, 0), [...colorAt('viridis', 0), 255]);
    assert.deepEqual(at(3, 3), [...colorAt('viridis', 1), 255]);
    assert.deepEqual(at(4, 0), [0, 0, 0, 0], 'gap');
    assert.deepEqual(at(5, 0), [...colorAt('viridis', 0), 255], 'constant tile → bottom of the map');
  });
  it('paints NaN in magenta and a constant diverging tile in the neutral grey', () => {
    const src = sourceFromNCHW(Float32Array.from([NaN, 0]), [2, 1, 1]);
    const l = gridLayout(2, 1, 1, { target: 1, gap: 0 });
    const px = paintGrid(src, l, [[-1, 1], [0, 0]], 'coolwarm');
    assert.deepEqual([...px.subarray(0, 4)], [255, 0, 255, 255]);
    assert.deepEqual([...px.subarray(4, 8)], [...colorAt('coolwarm', 128 / 255), 255]);
  });
  it('paints RGB filters as colours', () => {
    const src = sourceFromNCHW(Float32Array.from([1, 0, 0]), [1, 3, 1, 1], 0, true);
    const l = gridLayout(1, 1, 1, { target: 1 });
    const px = paintGrid(src, l, [[0, 1]], 'viridis');
    assert.deepEqual([...px], [255, 0, 0, 255]);
  });
});

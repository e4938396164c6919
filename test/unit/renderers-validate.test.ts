import { strict as assert } from 'node:assert';
import { MIME, packArray, PROTOCOL_VERSION } from '../../src/protocol';
import { fmtDuration, fmtNum } from '../../renderers/format';
import { validatePayload } from '../../renderers/validate';
import { progressText } from '../../renderers/views/progress';
import { totalsLines } from '../../renderers/views/summary';
import { tableShape } from '../../renderers/views/tensor';

const fm = { v: 1, selected: 0, layers: [{ name: 'c1', type: 'Conv2d', colormap: 'sequential', normalize: 'channel',
  data: packArray(new Float32Array(8), [2, 2, 2]) }] };

describe('renderers: payload validation', () => {
  it('accepts well-formed payloads', () => {
    assert.equal(validatePayload(MIME.featureMaps, fm), null);
    assert.equal(validatePayload(MIME.progress, { v: 1, total: 10, done: 3, elapsed: 1, eta: null, metrics: {}, finished: false }), null);
    assert.equal(validatePayload(MIME.plotly, { data: [] }), null);
  });
  it('rejects newer protocol versions with an explanation', () => {
    const e = validatePayload(MIME.featureMaps, { ...fm, v: PROTOCOL_VERSION + 1 });
    assert.match(e!, /newer than this renderer/);
  });
  it('names the broken field', () => {
    assert.match(validatePayload(MIME.featureMaps, { v: 1, layers: [] })!, /"layers" is empty/);
    assert.match(validatePayload(MIME.featureMaps, { ...fm, layers: [{ ...fm.layers[0], data: { dtype: 'f16', shape: [1], b64: '' } }] })!, /dtype/);
    assert.match(validatePayload(MIME.live, { v: 1, xLabel: 'x', series: [{ name: 'a', x: 'nope', y: [] }] })!, /series\[0\].*"x"/);
    assert.match(validatePayload(MIME.gradFlowWatch, { v: 1, layers: ['a'], steps: [1, 2], norms: packArray(new Float32Array(3), [1, 3]) })!, /shape/);
    assert.match(validatePayload(MIME.tensor, 'hello')!, /not a JSON object/);
    assert.match(validatePayload(MIME.tensor, {})!, /version/);
    assert.match(validatePayload('application/vnd.layerwise.unknown+json', { v: 1 })!, /no Layerwise view/);
  });
});

describe('renderers: text formatting', () => {
  it('formats numbers, durations and progress', () => {
    assert.equal(fmtNum(0.000012345), '1.23e-5');
    assert.equal(fmtNum(3.14159), '3.142');
    assert.equal(fmtNum(null), 'NaN');
    assert.equal(fmtDuration(75), '1:15');
    assert.equal(fmtDuration(3725), '1:02:05');
    assert.equal(fmtDuration(null), '–');
    const t = progressText({ v: 1, total: 200, done: 50, elapsed: 10, eta: 30, metrics: { loss: 0.3125 }, finished: false });
    assert.deepEqual(t, { fraction: 0.25, count: '50/200 (25%)', time: '0:10 elapsed · ETA 0:30', metrics: ['loss 0.3125'] });
  });
  it('lays tensor tables out: 2-D as is, long 1-D wrapped every 16 values', () => {
    assert.deepEqual(tableShape([2, 3]), { rows: 2, cols: 3, wrapped: false });
    assert.deepEqual(tableShape([5]), { rows: 1, cols: 5, wrapped: false });
    assert.deepEqual(tableShape([40]), { rows: 3, cols: 16, wrapped: true });
    assert.deepEqual(tableShape([]), { rows: 1, cols: 1, wrapped: false });
  });
  it('formats summary totals like torchinfo', () => {
    const lines = totalsLines({ params: 61706, trainable: 61706, nonTrainable: 0, macs: 416520, activationBytes: 2 * 1024 * 1024 });
    assert.deepEqual(lines[0], ['Total params', '61,706']);
    assert.deepEqual(lines[3], ['Total mult-adds', '416.5K']);
    assert.deepEqual(lines[4], ['Activation memory', '2.00 MB']);
  });
});

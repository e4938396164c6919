import { strict as assert } from 'node:assert';
import { classifyGrad, histogram, MIME, packArray, type GradFlowPayload } from '../../src/protocol';
import { gradFlowBars, toPlotlyFigure } from '../../src/protocol/plotly';

const flow: GradFlowPayload = {
  v: 1, vanishThreshold: 1e-6, explodeThreshold: 1e3,
  layers: [
    { name: 'conv1', meanAbs: 1e-3, maxAbs: 1e-2, status: 'ok' },
    { name: 'conv2', meanAbs: 1e-8, maxAbs: 1e-7, status: 'vanishing' },
    { name: 'fc', meanAbs: 5e3, maxAbs: 2e4, status: 'exploding' },
    { name: 'frozen', meanAbs: null, maxAbs: null, status: 'none' },
  ],
};

describe('renderers: gradient flow', () => {
  it('classifies vanishing, exploding, ok and missing gradients', () => {
    assert.equal(classifyGrad(1e-3, 1e-2), 'ok');
    assert.equal(classifyGrad(1e-7, 1e-6), 'vanishing');
    assert.equal(classifyGrad(0, 0), 'vanishing');
    assert.equal(classifyGrad(1, 2e3), 'exploding');
    assert.equal(classifyGrad(NaN, 1), 'exploding');
    assert.equal(classifyGrad(null, null), 'none');
    assert.equal(classifyGrad(1e-5, 1e-4, 1e-4), 'vanishing', 'custom threshold');
  });
  it('builds log-scale bar data: zero/missing values are not drawable, range covers data and thresholds', () => {
    const b = gradFlowBars(flow);
    assert.deepEqual(b.mean, [1e-3, 1e-8, 5e3, null]);
    assert.deepEqual(b.status, ['ok', 'vanishing', 'exploding', 'none']);
    assert.ok(b.range[0] <= -8 && b.range[0] > -10);
    assert.ok(b.range[1] >= Math.log10(2e4));
  });
  it('recomputes a missing status', () => {
    const b = gradFlowBars({ ...flow, layers: [{ name: 'a', meanAbs: 1e-9, maxAbs: 1e-9 } as any] });
    assert.deepEqual(b.status, ['vanishing']);
  });
  it('draws two bar traces on a log axis, coloured and labelled by status', () => {
    const f = toPlotlyFigure(MIME.gradFlow, flow)!;
    assert.equal(f.data.length, 2);
    assert.equal((f.layout.yaxis as any).type, 'log');
    const colours = (f.data[1].marker as any).color as string[];
    assert.notEqual(colours[0], colours[1]);
    assert.notEqual(colours[1], colours[2]);
    const texts = (f.layout.annotations as any[]).map((a) => a.text);
    assert.ok(texts.includes('vanishing') && texts.includes('exploding') && texts.includes('no grad'));
  });
});

describe('renderers: histograms', () => {
  it('bins into equal-width bins with a closed last bin, skipping non-finite values', () => {
    const h = histogram([0, 0.5, 1, 2, 3, 4, NaN, Infinity], 4);
    assert.deepEqual(h.edges, [0, 1, 2, 3, 4]);
    assert.deepEqual(h.counts, [2, 1, 1, 2]);
    assert.equal(h.nonFinite, 2);
  });
  it('uses one unit-wide bin for constant input and no bins for empty input', () => {
    assert.deepEqual(histogram([2, 2, 2], 10), { edges: [1.5, 2.5], counts: [3], nonFinite: 0 });
    assert.deepEqual(histogram([], 10).counts, []);
  });
  it('respects an explicit range', () => {
    assert.deepEqual(histogram([-5, 0.1, 0.9, 5], 2, [0, 1]).counts, [1, 1]);
  });
});

describe('renderers: plotly figures', () => {
  it('live: one line per series, a second y axis when asked', () => {
    const f = toPlotlyFigure(MIME.live, { v: 1, xLabel: 'step', finished: false, series: [
      { name: 'loss', x: [1, 2, 3], y: [1, 0.5, 0.3] }, { name: 'acc', x: [1, 2, 3], y: [0.2, 0.6, 0.8], axis: 'y2' }] })!;
    assert.equal(f.data.length, 2);
    assert.equal(f.data[1].yaxis, 'y2');
    assert.equal((f.layout.yaxis2 as any).overlaying, 'y');
    assert.equal(f.layout.uirevision, 'live');
  });
  it('gradient watch: a layers × steps heatmap with zero gradients as gaps', () => {
    const norms = packArray(Float32Array.from([-1, -2, -Infinity, -3]), [2, 2]);
    const f = toPlotlyFigure(MIME.gradFlowWatch, { v: 1, layers: ['a', 'b'], steps: [0, 10], norms })!;
    assert.deepEqual((f.data[0] as any).z, [[-1, -2], [null, -3]]);
  });
  it('distributions: one subplot per layer on a grid', () => {
    const layer = (name: string) => ({ name, edges: [0, 1, 2], counts: [3, 4], mean: 1, std: 0.5 });
    const f = toPlotlyFigure(MIME.distributions, { v: 1, kind: 'activations', layers: ['a', 'b', 'c', 'd', 'e'].map(layer) })!;
    assert.equal(f.data.length, 5);
    assert.deepEqual(f.layout.grid, { rows: 2, columns: 4, pattern: 'independent', xgap: 0.12, ygap: 0.35 });
    assert.equal(f.data[4].xaxis, 'x5');
    assert.equal((f.layout.xaxis5 as any).matches, 'x', 'activations share one x range across layers');
    const w = toPlotlyFigure(MIME.distributions, { v: 1, kind: 'weights', layers: ['a', 'b'].map(layer) })!;
    assert.equal((w.layout.xaxis2 as any).matches, undefined, 'weights keep their own scales');
    assert.deepEqual(f.data[0].x, [0.5, 1.5]);
  });
  it('escapes payload strings, which Plotly would read as HTML', () => {
    const f = toPlotlyFigure(MIME.gradFlow, { ...flow, title: 'a <b>b</b>', layers: [{ name: '<img src=x>', meanAbs: 1, maxAbs: 1, status: 'ok' }] })!;
    assert.deepEqual(f.data[0].x, ['&lt;img src=x&gt;']);
    assert.equal((f.layout.title as any).text, 'a &lt;b&gt;b&lt;/b&gt;');
  });
  it('returns null for non-chart payloads', () => {
    assert.equal(toPlotlyFigure(MIME.summary, {}), null);
  });
});

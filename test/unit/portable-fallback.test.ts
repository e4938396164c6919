// Static fallbacks produced in the executor (src/executor/fallback): one per payload kind, within budget, with
// the renderers' colormaps, and a generic SVG for any Plotly figure (the gallery's new views emit Plotly JSON).
import { strict as assert } from 'node:assert';
import { PNG } from 'pngjs';
import { MIME, PROTOCOL_VERSION, packArray, quantizeArray, unpackArray, type MimeBundle } from '../../src/protocol';
import { lut } from '../../src/protocol/colormap';
import { FALLBACK_BUDGET, SVG, withFallback } from '../../src/executor/fallback';
import { createDisplayApi, toBundle } from '../../src/executor/display';
import type { ExecEvent } from '../../src/executor/messages';

const png = (b: MimeBundle) => PNG.sync.read(Buffer.from(String(b[MIME.png]), 'base64'));
const svgText = (b: MimeBundle) => String(b[SVG]);
const decodeHtmlImg = (b: MimeBundle) => {
  const m = /src="data:image\/svg\+xml;base64,([^"]+)"/.exec(String(b[MIME.html]));
  assert.ok(m, 'text/html wraps the SVG in an <img>');
  return Buffer.from(m![1], 'base64').toString('utf8');
};

describe('static fallbacks', () => {
  it('feature maps become a PNG in the shared viridis colormap, within the budget', () => {
    // one channel: a ramp 0..1 over 8 pixels, so its last pixel is viridis' top colour
    const values = Float32Array.from({ length: 64 }, (_, i) => (i % 8) / 7);
    const payload = { v: PROTOCOL_VERSION, title: 'Feature maps', selected: 0,
      layers: [{ name: 'conv1', type: 'Conv2d', data: packArray(values, [1, 8, 8]), colormap: 'sequential', normalize: 'channel' }] };
    const b = withFallback({ [MIME.featureMaps]: payload, [MIME.text]: 'Feature maps: conv1 [1, 8, 8]' });
    assert.ok(String(b[MIME.png]).length <= FALLBACK_BUDGET);
    const img = png(b);
    const top = [...lut('viridis').subarray(255 * 3, 255 * 3 + 3)];
    const bottom = [...lut('viridis').subarray(0, 3)];
    let foundTop = false;
    let foundBottom = false;
    for (let i = 0; i < img.data.length; i += 4) {
      const c = [img.data[i], img.data[i + 1], img.data[i + 2]];
      if (c.join() === top.join()) foundTop = true;
      if (c.join() === bottom.join()) foundBottom = true;
    }
    assert.ok(foundTop && foundBottom, 'both ends of viridis are painted');
    assert.deepEqual(Object.keys(b), [MIME.featureMaps, MIME.png, MIME.text], 'rich first, text last');
  });

  it('a Plotly figure with no fallback (a new gallery view) gets an SVG and an <img> wrapper', () => {
    const fig = { data: [{ type: 'scatter', mode: 'lines', name: 'σ per layer', x: [1, 2, 3], y: [1, 0.5, 0.25] },
      { type: 'contour', z: [[1, 2], [3, 4]], x: [0, 1], y: [0, 1], xaxis: 'x2', yaxis: 'y2' }],
    layout: { title: { text: 'Depth &amp; trajectory' }, xaxis: { domain: [0, 0.45] }, xaxis2: { domain: [0.55, 1] }, yaxis2: { anchor: 'x2' } } };
    const b = withFallback({ [MIME.plotly]: fig, [MIME.text]: 'σ vs depth' });
    const svg = svgText(b);
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /Depth &amp; trajectory|Depth & trajectory/);
    assert.match(svg, /rgb\(253,231,37\)/, 'the contour is drawn as a viridis heatmap');
    assert.match(String(b[MIME.html]), /alt="σ vs depth"/);
    assert.equal(decodeHtmlImg(b), svg);
    assert.doesNotMatch(String(b[MIME.html]), /<script/i);
  });

  it('a bundle that already has a static image is left alone', () => {
    const b = { [MIME.plotly]: { data: [], layout: {} }, [MIME.png]: 'AAAA', [MIME.text]: 'x' };
    assert.equal(withFallback(b), b);
  });

  it('charts of Layerwise payloads: live curves and gradient flow (log axis) as SVG', () => {
    const live = { v: PROTOCOL_VERSION, title: 'Training', xLabel: 'step', finished: true,
      series: [{ name: 'loss', x: [0, 1, 2], y: [2, 1, 0.5] }, { name: 'acc', x: [0, 1, 2], y: [0.1, 0.5, 0.9], axis: 'y2' }] };
    const lb = withFallback({ [MIME.live]: live, [MIME.text]: 'Training' });
    assert.match(svgText(lb), /loss/);
    assert.match(svgText(lb), /acc/);
    const flow = { v: PROTOCOL_VERSION, vanishThreshold: 1e-6, explodeThreshold: 1e3,
      layers: [{ name: 'fc1.weight', meanAbs: 1e-3, maxAbs: 1e-2, status: 'ok' }, { name: 'fc2.weight', meanAbs: 1e-8, maxAbs: 1e-7, status: 'vanishing' }] };
    const gb = withFallback({ [MIME.gradFlow]: flow, [MIME.text]: 'Gradient flow' });
    assert.match(svgText(gb), /fc2\.weight/);
    assert.match(svgText(gb), /vanishing/);
    assert.match(svgText(gb), /10⁻⁶/, 'log axis labelled in powers of ten');
  });

  it('summary becomes a script-free HTML table; progress a bar', () => {
    const summary = { v: PROTOCOL_VERSION, model: 'Net', totals: { params: 1234, trainable: 1234, nonTrainable: 0, macs: 99, activationBytes: 1024 },
      rows: [{ name: 'fc', type: 'Linear', depth: 1, inputShape: [1, 4], outputShape: [1, 2], params: 10, trainable: 10, macs: 8, formulas: [], warnings: [] }] };
    const sb = withFallback({ [MIME.summary]: summary, [MIME.text]: 'torchinfo text' });
    assert.match(String(sb[MIME.html]), /<table[\s\S]*fc \(Linear\)[\s\S]*\[1, 2\][\s\S]*Total params: 1,234/);
    assert.doesNotMatch(String(sb[MIME.html]), /<script/i);
    const pb = withFallback({ [MIME.progress]: { v: 1, total: 10, done: 5, elapsed: 1, eta: 1, metrics: {}, finished: false }, [MIME.text]: '5/10' });
    assert.match(String(pb[MIME.html]), /width:50%/);
  });

  it('tensors: small ones as a table, 2-D as a heatmap PNG, the rest keep their PyTorch text', () => {
    const stats = { min: -1, max: 1, mean: 0, std: 1, nan: 0, inf: 0 };
    const table = withFallback({ [MIME.tensor]: { v: 1, shape: [2, 2], dtype: 'float32', stats, text: 't', view: 'table', data: packArray(new Float32Array([1, 2.5, -3, 4]), [2, 2]) }, [MIME.text]: 't' });
    assert.match(String(table[MIME.html]), /2\.5000[\s\S]*-3/);
    const heat = withFallback({ [MIME.tensor]: { v: 1, shape: [20, 30], dtype: 'float32', stats, text: 't', view: 'heatmap', data: packArray(new Float32Array(600).fill(0.5), [20, 30]) }, [MIME.text]: 't' });
    assert.ok(png(heat).width > 30);
    const stat = { [MIME.tensor]: { v: 1, shape: [2, 3, 4, 5], dtype: 'float32', stats, text: 't', view: 'stats' }, [MIME.text]: 'tensor([...])' };
    assert.deepEqual(Object.keys(withFallback(stat)), [MIME.tensor, MIME.text]);
  });

  it('the stepper graph becomes an SVG with final values and gradients', () => {
    const v = (x: number) => ({ shape: [], text: String(x), scalar: x });
    const graph = { v: 1, output: 'f', edges: [{ from: 'x', to: 'f', arg: 0 }], steps: [], forward: [], leaves: [],
      nodes: [{ id: 'x', label: 'x', op: 'leaf', kind: 'input', expr: 'x', shape: [], value: v(3), grad: v(6) },
        { id: 'f', label: 'f', op: 'square', kind: 'output', expr: 'f = x²', shape: [], value: v(9), grad: v(1) }] };
    const b = withFallback({ [MIME.graph]: graph, [MIME.text]: 'graph' });
    assert.match(svgText(b), /∂f\/∂x = 6/);
    assert.match(svgText(b), /= 9/);
  });

  it('a payload the producer cannot read keeps the bundle and says why in text/plain', () => {
    const b = withFallback({ [MIME.featureMaps]: { v: 1, layers: [{ name: 'x', data: { dtype: 'float32', shape: [9, 9, 9], b64: 'AAAA' } }] }, [MIME.text]: 'fm' });
    assert.match(String(b[MIME.text]), /^fm\n\(static image of this figure failed: /);
    assert.ok(b[MIME.featureMaps]);
  });

  it('display: numbers and shapes print on one line, without a JSON block', () => {
    assert.deepEqual(toBundle([2, 10]), { [MIME.text]: '[2, 10]' });
    assert.deepEqual(toBundle(0.5), { [MIME.text]: '0.5' });
    assert.ok(toBundle({ a: 1 })[MIME.json], 'plain objects keep application/json');
  });

  it('in-place updates refresh the fallback at most every second and the cell end sends the final one', () => {
    const events: ExecEvent[] = [];
    const api = createDisplayApi((e) => events.push(e), () => undefined);
    const live = (n: number) => ({ [MIME.live]: { v: 1, xLabel: 'step', finished: false, series: [{ name: 'loss', x: [...Array(n).keys()], y: Array(n).fill(1) }] }, [MIME.text]: `${n}` });
    const h = api.display(live(1), { raw: true });
    for (let n = 2; n <= 5; n++) api.updateDisplay(h.displayId, live(n), { raw: true });
    const updates = () => events.filter((e) => e.type === 'update') as Array<ExecEvent & { bundle: MimeBundle }>;
    assert.equal(updates().length, 4);
    assert.ok(updates().every((e) => e.bundle[SVG]), 'every update still carries a (possibly older) static image');
    api.flushPending();
    const last = updates()[updates().length - 1];
    assert.equal(updates().length, 5, 'one final update with the fresh fallback');
    assert.equal(last.bundle[MIME.text], '5');
    assert.match(decodeHtmlImg(last.bundle), /<path/);
  });

  it('uint8 quantisation round-trips within half a step', () => {
    const v = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
    const q = quantizeArray(v, [10, 100]);
    const back = unpackArray(q);
    const step = 6 / 255;
    for (let i = 0; i < v.length; i++) assert.ok(Math.abs(back[i] - v[i]) <= step / 2 + 1e-6, `value ${i}`);
  });

  it('charts near the float limits and with dozens of panels still render, small and labelled', () => {
    const tiny = Array.from({ length: 30 }, (_, i) => ({ name: `${2 * i + 1} · Tanh`, edges: Array.from({ length: 41 }, (_, j) => (j - 20) * 1e-25),
      counts: Array.from({ length: 40 }, (_, j) => 100 * Math.exp(-(((j - 20) / 6) ** 2))), mean: 0, std: 1e-25 }));
    const b = withFallback({ [MIME.distributions]: { v: 1, kind: 'activations', layers: tiny }, [MIME.text]: 'dist' });
    assert.doesNotMatch(String(b[MIME.text]), /failed/);
    // raw SVG and its <img> wrapper together within the budget, or the wrapper alone when both would not fit
    const svg = b[SVG] ? svgText(b) : decodeHtmlImg(b);
    const total = String(b[SVG] ?? '').length + String(b[MIME.html]).length;
    assert.ok(total <= FALLBACK_BUDGET, `static forms take ${total} characters`);
    assert.match(svg, /×10⁻²[⁴⁵]/, 'the tiny axis is rescaled and says by how much');
    assert.match(String(b[MIME.html]), /12 of 30 panels drawn/);
    assert.match(svg, /59 · Tanh/, 'the last panel is among those kept');
  });
});

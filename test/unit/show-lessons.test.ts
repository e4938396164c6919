// The lesson views (show.curves, show.depth, show.histograms, show.trajectory), dead units in gradFlow/activations and
// log-scale live charts: payloads, Plotly figures, text fallbacks and option checking.
import { strict as assert } from 'node:assert';
import * as L from '../../src/runtime';
import { MIME } from '../../src/protocol';
import { toPlotlyFigure } from '../../src/protocol/plotly';
import { curvesFigure, depthFigure } from '../../src/runtime/show/curves';
import { trajectoryFigure } from '../../src/runtime/show/trajectory';
import { deadFraction } from '../../src/runtime/show/dead';

const { show, tensor, nn, F, optim, randn, manualSeed, noGrad } = L;
type Bundle = Record<string, any>;
const bundle = (fig: unknown): Bundle => (fig as { toJSON(): Bundle }).toJSON();

describe('show.curves', () => {
  it('draws each function and its autograd derivative, with the values at `at` in the text', () => {
    const fig = show.curves({ sigmoid: (x) => x.sigmoid(), relu: (x) => F.relu(x) }, { range: [-10, 10], at: [0, 5, 10] });
    const b = bundle(fig);
    const plot = b[MIME.plotly];
    assert.ok(plot && b[MIME.text], 'a Plotly figure and a text fallback');
    const names = plot.data.filter((d: any) => d.showlegend !== false).map((d: any) => d.name);
    assert.deepEqual(names, ['sigmoid', 'relu']);
    const deriv = plot.data.find((d: any) => d.name === 'sigmoid′');
    assert.equal(deriv.xaxis, 'x2');
    const mid = deriv.x.indexOf(0);
    assert.ok(Math.abs(deriv.y[mid] - 0.25) < 1e-12, 'σ′(0) = 0.25 from autograd');
    assert.match(b[MIME.text], /sigmoid: f\(0\) = 0\.5, f′\(0\) = 0\.25; f\(5\) = 0\.993307, f′\(5\) = 0\.00664806; f\(10\) = 0\.999955, f′\(10\) = 4\.5396e-5/);
    assert.match(b[MIME.text], /relu: f\(0\) = 0, f′\(0\) = 0; f\(5\) = 5, f′\(5\) = 1/);
  });

  it('without derivatives draws one panel; logY sets log axes', () => {
    const plot = bundle(show.curves({ exp: (x) => x.exp() }, { derivative: false, logY: true }))[MIME.plotly];
    assert.equal(plot.data.length, 1);
    assert.equal(plot.layout.yaxis.type, 'log');
    assert.equal(plot.layout.xaxis2, undefined);
  });

  it('rejects unknown options (listing the valid ones), non-elementwise functions and bad ranges', () => {
    assert.throws(() => show.curves({ a: (x) => x }, { rnage: [0, 1] } as never), /unknown option 'rnage'; valid options: range, points, derivative, at, title, logY, dtype/);
    assert.throws(() => show.curves({ s: (x) => x.sum() }), /'s' must be elementwise/);
    assert.throws(() => show.curves({ a: (x) => x }, { range: [1, 0] }), /range must be \[lo, hi\]/);
    assert.throws(() => show.curves({ a: 3 as never }), /'a' is not a function/);
  });

  it('builds a two-panel figure from plain data', () => {
    const f = curvesFigure('t', [0, 1], [{ name: '<b>', y: [0, 1], dy: [1, 1], at: [] }]);
    assert.equal(f.data[0].name, '&lt;b&gt;', 'names are escaped for Plotly');
    assert.ok(f.layout.grid);
  });
});

describe('show.depth', () => {
  const deep = (std: number, n = 6) => {
    const layers: L.nn.Module[] = [];
    for (let i = 0; i < n; i++) {
      const l = new nn.Linear(64, 64);
      nn.init.normal_(l.weight, 0, std);
      nn.init.zeros_(l.bias);
      layers.push(l, new nn.ReLU());
    }
    return new nn.Sequential(...layers);
  };

  it('measures σ after every activation layer, labelled 1…N, one line per model', () => {
    manualSeed(0);
    const x = randn([256, 64]);
    const b = bundle(show.depth({ small: deep(0.01), he: deep(Math.sqrt(2 / 64)) }, x, { logY: true }));
    const plot = b[MIME.plotly];
    assert.deepEqual(plot.data.map((d: any) => d.name), ['small', 'he']);
    assert.deepEqual(plot.data[0].x, [1, 2, 3, 4, 5, 6]);
    assert.equal(plot.layout.yaxis.type, 'log');
    assert.ok(plot.data[0].y[5] < 1e-6, 'too-small weights vanish');
    assert.ok(plot.data[1].y[5] > 0.3 && plot.data[1].y[5] < 3, 'He keeps σ of order 1');
    assert.match(b[MIME.text], /^σ of the activations vs depth\nsmall: layer 1 .*layer 6 /);
  });

  it('accepts value lists, other statistics and an x label; a log axis drops non-positive values', () => {
    const b = bundle(show.depth({ v: [1, 2, 0, 4] }, { stat: 'var', xLabel: 'block', logY: true }));
    assert.deepEqual(b[MIME.plotly].data[0].y, [1, 2, null, 4]);
    assert.equal(b[MIME.plotly].layout.xaxis.title.text, 'block');
    assert.match(b[MIME.text], /v: block 1 1, block 2 2, block 3 0, block 4 4/);
    assert.equal(depthFigure('t', 'y', [{ name: 'a', values: [1, 2] }]).layout.xaxis.title.text, 'layer');
  });

  it('needs an input batch for models and rejects bad options', () => {
    assert.throws(() => show.depth({ m: deep(0.1) }), /pass the input batch/);
    assert.throws(() => show.depth({ v: [1] }, { stats: 'std' } as never), /unknown option 'stats'; valid options: stat, logY, title, layers, xLabel/);
    assert.throws(() => show.depth({ v: [1] }, { stat: 'median' as never }), /stat must be one of std, mean, var, meanAbs/);
    assert.throws(() => show.depth({ m: new nn.Sequential(new nn.Linear(2, 2)) }, randn([3, 2])), /no activation layers/);
  });
});

describe('show.histograms', () => {
  it('titles the panels with the given names and reports dead units', () => {
    const alive = randn([32, 8]);
    const dead = F.relu(randn([32, 8])).mul(tensor([1, 1, 1, 1, 0, 0, 0, 0]));
    const b = bundle(show.histograms({ 'layer 1': alive, 'layer 2': dead }, { title: 'Activations' }));
    const p = b[MIME.distributions];
    assert.deepEqual(p.layers.map((l: any) => l.name), ['layer 1', 'layer 2']);
    assert.equal(p.layers[1].dead, 0.5);
    assert.equal(p.layers[0].dead, undefined);
    assert.match(b[MIME.text], /^Activations: layer 1 μ=.*; layer 2 μ=.* 50% dead$/);
    const fig = toPlotlyFigure(MIME.distributions, p)!;
    assert.ok((fig.layout.annotations as any[]).some((a) => /^layer 2 .*50% dead/.test(a.text)));
  });

  it('rejects non-tensors and unknown options', () => {
    assert.throws(() => show.histograms({ a: [1, 2] as never }), /'a' is not a Tensor/);
    assert.throws(() => show.histograms({ a: randn([3]) }, { bins: 3 } as never), /unknown option 'bins'; valid options: title, kind/);
  });
});

describe('show.trajectory', () => {
  const bowl = (x: L.Tensor, y: L.Tensor) => x.square().add(y.square().mul(10));

  it('runs each optimizer from the start on f and draws the paths over filled contours', () => {
    const b = bundle(show.trajectory(bowl, { SGD: (ps) => new optim.SGD(ps, { lr: 0.05 }), Adam: (ps) => new optim.Adam(ps, { lr: 0.3 }) },
      { x: [-3, 3], y: [-2, 2], start: [-2.5, 1.5], steps: 40, grid: 30 }));
    const plot = b[MIME.plotly];
    assert.equal(plot.data[0].type, 'contour');
    assert.equal(plot.data[0].z.length, 30);
    const sgd = plot.data.find((d: any) => d.name === 'SGD');
    assert.equal(sgd.x.length, 41);
    assert.deepEqual([sgd.x[0], sgd.y[0]], [-2.5, 1.5]);
    // SGD on 10y² with lr 0.05: y ← (1 − 2·10·0.05)·y = 0 after one step
    assert.equal(sgd.y[1], 0);
    assert.ok(Math.abs(sgd.x[1] - -2.5 * 0.9) < 1e-6);
    assert.match(b[MIME.text], /SGD: 40 steps from \(-2\.5, 1\.5\) to \(.*\), f = /);
  });

  it('accepts given points and marks a single point', () => {
    const b = bundle(show.trajectory(bowl, { p: [[1, 1]] }, { grid: 10, xLabel: 'f₀', yLabel: 'f₁' }));
    assert.match(b[MIME.text], /p: at \(1, 1\), f = 11/);
    const plot = b[MIME.plotly];
    assert.equal(plot.data.find((d: any) => d.name === 'p').mode, 'markers');
    assert.equal(plot.data.find((d: any) => d.name === 'start'), undefined, 'no start mark without a path');
    assert.deepEqual([plot.layout.xaxis.title.text, plot.layout.yaxis.title.text], ['f₀', 'f₁']);
    assert.equal(plot.data[0].colorbar.title.text, 'f');
  });

  it('stops a diverging path at the first non-finite point', () => {
    const b = bundle(show.trajectory(bowl, { big: (ps) => new optim.SGD(ps, { lr: 10 }) }, { start: [1, 1], steps: 500, grid: 10 }));
    const path = b[MIME.plotly].data.find((d: any) => d.name === 'big');
    assert.ok(path.x.length < 500);
  });

  it('validates its arguments', () => {
    assert.throws(() => show.trajectory(bowl, { a: (ps) => new optim.SGD(ps, { lr: 0.1 }) }), /pass \{start: \[x0, y0\]\}/);
    assert.throws(() => show.trajectory(bowl, { a: [[0, 0]] }, { start: [0, 0], step: 3 } as never), /unknown option 'step'; valid options: x, y, start, steps, grid, levels, logLevels, title, xLabel, yLabel/);
    assert.throws(() => show.trajectory((x) => x.sum(), { a: [[0, 0]] }), /f must be elementwise/);
    assert.throws(() => show.trajectory(bowl, { a: (() => ({})) as never }, { start: [0, 0] }), /must return an optimizer/);
  });

  it('log levels transform z into log10(f − min)', () => {
    const f = trajectoryFigure('t', { xs: [0, 1], ys: [0, 1], z: [[0, 1], [10, 100]] }, [], { logLevels: true, x: [0, 1], y: [0, 1] });
    const z = (f.data[0] as any).z as number[][];
    assert.ok(z[1][1] > z[1][0] && z[1][0] > z[0][1] && Math.abs(z[1][1] - 2) < 0.01);
  });
});

describe('dead units', () => {
  it('deadFraction counts slices along a dimension that are exactly zero', () => {
    assert.equal(deadFraction(tensor([[0, 1], [0, 2], [0, 0]]), 1), 0.5);
    assert.equal(deadFraction(tensor([[0, 1], [0, 2], [0, 0]]), 0), 1 / 3);
    assert.equal(deadFraction(tensor([[NaN, 0]]), 0), 0, 'NaN is not dead');
  });

  it('gradFlow reports a layer whose every unit gets exactly zero gradient as "dead", not "vanishing"', () => {
    manualSeed(0);
    const fc1 = new nn.Linear(10, 16);
    const net = new nn.Sequential(fc1, new nn.ReLU(), new nn.Linear(16, 3));
    noGrad(() => fc1.bias.fill_(-100));
    F.crossEntropy(net(randn([32, 10])), L.randint(0, 3, [32])).backward();
    const b = bundle(show.gradFlow(net));
    const p = b[MIME.gradFlow];
    assert.equal(p.layers[0].status, 'dead');
    assert.equal(p.layers[0].dead, 1);
    assert.match(b[MIME.text], /0\.weight: dead \(every unit gets exactly zero gradient\)/);
    const fig = toPlotlyFigure(MIME.gradFlow, p)!;
    assert.ok((fig.layout.annotations as any[]).some((a) => a.text === 'dead'));
  });

  it('activations report the share of units that never fire, titled with the layer type', () => {
    manualSeed(0);
    const fc1 = new nn.Linear(10, 8);
    noGrad(() => fc1.bias.copy_(tensor([-100, -100, 0, 0, 0, 0, 0, 0])));
    const b = bundle(show.activations(new nn.Sequential(fc1, new nn.ReLU()), randn([16, 10])));
    assert.equal(b[MIME.distributions].layers[0].name, '1 · ReLU');
    assert.equal(b[MIME.distributions].layers[0].dead, 0.25);
    assert.match(b[MIME.text], /1 · ReLU .* 25% dead/);
  });
});

describe('show.live logY and yLabel', () => {
  it('puts the y axis on a log scale, titles it, and rejects unknown options', () => {
    const c = show.live(['loss'], { logY: true });
    c.push(0, { loss: 1 }).push(1, { loss: 0.01 }).done();
    const b = bundle(c);
    assert.equal(b[MIME.live].logY, true);
    assert.equal(toPlotlyFigure(MIME.live, b[MIME.live])!.layout.yaxis && (toPlotlyFigure(MIME.live, b[MIME.live])!.layout.yaxis as any).type, 'log');
    const y = bundle(show.live(['a', 'b'], { yLabel: 'loss <1>' }).done());
    assert.equal((toPlotlyFigure(MIME.live, y[MIME.live])!.layout.yaxis as any).title.text, 'loss &lt;1&gt;');
    assert.equal((toPlotlyFigure(MIME.live, bundle(show.live(['a', 'b']).done())[MIME.live])!.layout.yaxis as any).title.text, 'a, b');
    assert.throws(() => show.live(['a'], { logy: true } as never), /unknown option 'logy'; valid options: title, xLabel, yLabel, logY/);
  });
});

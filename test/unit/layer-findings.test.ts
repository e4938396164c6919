// Layer findings as diagnostics with quick fixes (src/extension/diagnostics/layerFindings.ts), from the static
// analyser's hints on real cell text.
import * as assert from 'node:assert/strict';
import * as ts from 'typescript';
import { analyze } from '../../src/extension/inspector/analyzer';
import { layerFindings, type LayerFix } from '../../src/extension/diagnostics/layerFindings';
import * as lw from '../../src/runtime';

function findings(text: string) {
  const r = analyze([{ key: 'c', text, cellIndex: 0 }], { rt: lw });
  return layerFindings(ts, r.hints, new Map([['c', text]]));
}

const apply = (text: string, f: LayerFix) => text.slice(0, f.start) + f.text + text.slice(f.end);

describe('layer findings as diagnostics', () => {
  const src = [
    'const net = new nn.Sequential(',
    '  new nn.Conv2d(1, 8, 3),',
    '  new nn.MaxPool2d(2),',
    '  new nn.Flatten(),',
    '  new nn.Linear(100, 10),',
    ');',
    'summary(net, [1, 1, 27, 27]);',
  ].join('\n');

  it('a pool window that does not fit is one warning on the layer, fixed by ceilMode when no padding can fit it', () => {
    const w = findings(src).filter((f) => f.severity === 'warning');
    assert.equal(w.length, 1);
    assert.equal(src.slice(w[0].start, w[0].end), 'new nn.MaxPool2d(2)');
    assert.equal(w[0].code, 'layer-stride');
    assert.match(w[0].message, /not an integer/);
    const fixed = apply(src, w[0].fixes[0]);
    assert.match(w[0].fixes[0].title, /ceilMode/);
    assert.match(fixed, /new nn\.MaxPool2d\(2, \{ ceilMode: true \}\)/);
    assert.deepEqual(findings(fixed).filter((f) => f.severity === 'warning'), []);
  });

  it('a Linear whose inFeatures do not match is an error, fixed by the matching inFeatures', () => {
    const e = findings(src).filter((f) => f.severity === 'error');
    assert.equal(e.length, 1);
    assert.equal(src.slice(e[0].start, e[0].end), 'new nn.Linear(100, 10)');
    assert.equal(e[0].code, 'layer-shape');
    const fixed = apply(src, e[0].fixes[0]);
    assert.match(fixed, /new nn\.Linear\(1152, 10\)/);
    assert.deepEqual(findings(fixed).filter((f) => f.severity === 'error'), []);
  });

  it('a padding option already there is changed in place; a model that fits has no findings', () => {
    const withOpts = 'const p = new nn.Sequential(new nn.MaxPool2d(3, { stride: 3, padding: 0 }));\nsummary(p, [1, 1, 10, 10]);';
    const w = findings(withOpts);
    assert.equal(w.length, 1);
    assert.match(w[0].fixes[0].title, /padding: 1 so the window fits/);
    assert.match(apply(withOpts, w[0].fixes[0]), /\{ stride: 3, padding: 1 \}/);
    assert.deepEqual(findings(apply(withOpts, w[0].fixes[0])), []);
    assert.deepEqual(findings('const q = new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.MaxPool2d(2));\nsummary(q, [1, 1, 28, 28]);'), []);
  });
});

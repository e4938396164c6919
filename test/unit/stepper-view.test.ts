// The stepper view's pure parts: payload checks, the state after k steps, keys, and the dagre layout.
import { strict as assert } from 'node:assert';
import * as L from '../../src/runtime';
import type { GraphPayload } from '../../src/protocol';
import { checkGraph, keyStep, lastStepFor, stateAt, stepsOf } from '../../renderers/graph/model';
import { layoutGraph } from '../../renderers/graph/layout';
import { pathD } from '../../renderers/graph/draw';

let lecture: GraphPayload;
const recordLecture = () => {
  L.setBackend('reference');
  lecture = L.show.graph((x: L.Tensor, y: L.Tensor) => {
    const b = y.mul(x.log());
    return b.add(b.sqrt());
  }, [3, 2]).payload;
  L.setBackend('wasm');
};
const id = (label: string) => lecture.nodes.find((n) => n.label === label)!.id;

describe('stepper view: model', () => {
  before(recordLecture);
  it('accepts a recorded payload (also after a JSON round trip) and explains what is wrong otherwise', () => {
    assert.equal(checkGraph(lecture), null);
    assert.equal(checkGraph(JSON.parse(JSON.stringify(lecture))), null);
    const old = { v: 1, nodes: [{ id: 'a', label: 'a', op: 'leaf', kind: 'leaf', shape: [], value: '2', grad: null }], edges: [], steps: [], leaves: [] };
    assert.match(checkGraph(old)!, /expr/);
    assert.match(checkGraph({ ...lecture, output: 'nope' })!, /output/);
    assert.match(checkGraph({ ...lecture, steps: [{ ...lecture.steps[0], node: 'zz' }] })!, /steps\[0\]/);
    assert.match(checkGraph({ ...lecture, edges: [{ from: 'q', to: id('f'), arg: 0 }] })!, /edges/);
  });

  it('state after k steps: current step, highlighted edges, the "+=" target keeps its previous value until then', () => {
    const steps = stepsOf(lecture, 'reverse');
    const s0 = stateAt(steps, 0);
    assert.equal(s0.current, null);
    assert.equal(s0.shown.size, 0);
    const s3 = stateAt(steps, 3);
    assert.equal(s3.shown.get(id('b'))!.text, '1');
    const s4 = stateAt(steps, 4);
    assert.equal(s4.current!.node, id('c'));
    assert.equal(s4.current!.target, id('b'));
    assert.equal(s4.shown.get(id('b'))!.text, '1.337');
    assert.deepEqual([...s4.edges], [`${id('b')}→${id('c')}`]);
    assert.equal(stateAt(steps, 99).k, steps.length);
    assert.equal(lastStepFor(steps, id('x')), steps.length);
    const fwd = stepsOf(lecture, 'forward', 1);
    assert.equal(stateAt(fwd, fwd.length).shown.get(lecture.output)!.text, '1.469');
  });

  it('keys: → next, ← previous, Home, End; others are not the stepper\'s', () => {
    assert.equal(keyStep('ArrowRight', 2, 7), 3);
    assert.equal(keyStep('ArrowRight', 7, 7), 7);
    assert.equal(keyStep('ArrowLeft', 0, 7), 0);
    assert.equal(keyStep('Home', 5, 7), 0);
    assert.equal(keyStep('End', 0, 7), 7);
    assert.equal(keyStep('a', 0, 7), null);
  });
});

describe('stepper view: layout', () => {
  before(recordLecture);
  it('places every node without overlap and routes every edge', () => {
    const l = layoutGraph(lecture, 600);
    assert.equal(l.nodes.size, lecture.nodes.length);
    const boxes = [...l.nodes.values()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        const apart = Math.abs(a.x - b.x) >= (a.w + b.w) / 2 || Math.abs(a.y - b.y) >= (a.h + b.h) / 2;
        assert.ok(apart, `${a.id} overlaps ${b.id}`);
      }
    }
    assert.equal(l.edges.length, lecture.edges.length);
    for (const e of l.edges) assert.ok(e.points.length >= 2 && pathD(e.points).startsWith('M'));
    assert.ok(l.width <= 600 || l.rankdir === 'TB');
  });

  it('an op using one input twice (r · r) draws one edge that knows both arguments', () => {
    const p = L.show.graph((r: L.Tensor) => r.mul(r), [2]).payload;
    assert.equal(p.edges.length, 2);
    const l = layoutGraph(p, 600);
    assert.equal(l.edges.length, 1);
    assert.deepEqual(l.edges[0].args, [0, 1]);
    assert.deepEqual(p.steps.map((s) => s.accumulate), [false, false, true]);
  });
});

/**
 * The PyTorch parity fixtures of the families that reach GEMM, convolution and BatchNorm, run on the wasm backend
 * with 2 threads and the split thresholds lowered so that every such call is split over the worker pool (the
 * fixtures' shapes are small). `npm run test:parity-threads` runs the whole parity suite with LAYERWISE_THREADS=1
 * and =2 at the normal thresholds.
 */
import * as assert from 'node:assert/strict';
import { loadFamily } from '../parity/fixtures';
import { runCase } from '../parity/run-case';
import { setSplitThresholds } from '../../src/runtime/backend/wasm/pool-split';

const FAMILIES = ['linalg', 'conv', 'norm', 'losses'];

describe('PyTorch parity [wasm, 2 threads, every GEMM/conv/BatchNorm split]', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const rt = require('../../src/runtime');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { wasmBackend } = require('../../src/runtime/backend/wasm');
  let prevThreads = 1, prevThresholds = { macs: 0, elements: 0 }, splitsBefore = 0;
  before(function () {
    rt.setBackend('wasm');
    if (!wasmBackend().split) this.skip(); // no shared memory: nothing to split
    prevThreads = rt.getNumThreads();
    rt.setNumThreads(2);
    prevThresholds = setSplitThresholds({ macs: 1, elements: 1 });
    splitsBefore = wasmBackend().split.splits;
  });
  after(() => {
    if (!wasmBackend().split) return;
    setSplitThresholds(prevThresholds);
    rt.setNumThreads(prevThreads);
  });
  for (const family of FAMILIES) {
    const f = loadFamily(family);
    describe(family, () => {
      for (const c of f.cases) {
        it(c.name, () => {
          const errors = runCase(rt, c);
          if (errors.length) throw new Error(`${family}/${c.name} [wasm, 2 threads] op=${c.op}\n  ${errors.join('\n  ')}`);
        });
      }
    });
  }
  describe('afterwards', () => { // (a suite's own tests run before its child suites)
    it('calls were split over the worker pool', () => {
      const n = wasmBackend().split.splits - splitsBefore;
      assert.ok(n > 50, `only ${n} calls split`);
    });
  });
});

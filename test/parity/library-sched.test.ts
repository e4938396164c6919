/**
 * LR-scheduler parity: the lr sequences of test/fixtures/torch/sched.json (PyTorch 1.13) from optim.lrScheduler.
 * lrs[e] is the lr in effect during epoch e, read before scheduler.step() at the end of the epoch.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURE_DIR } from './fixtures';

interface SchedCase {
  name: string;
  scheduler: string;
  options: Record<string, any>;
  epochs: number;
  lrs: number[];
}
interface SchedFile {
  initialLr: number;
  lambdas: Record<string, string>;
  plateauMetrics: Record<'min' | 'max', number[]>;
  cases: SchedCase[];
}

const file = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'sched.json'), 'utf8')) as SchedFile;

/** Relative 1e-12: the recursive forms multiply in the same order as torch, so only pow() ulps may differ. */
function close(got: number, want: number): boolean {
  return Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want));
}

describe('PyTorch parity, library: LR schedulers (sched.json)', () => {
  const rt = require('../../src/runtime');
  for (const c of file.cases) {
    it(`${c.name}: ${c.scheduler} ${JSON.stringify(c.options)}`, () => {
      const p = rt.zeros([1], { requiresGrad: true });
      const opt = new rt.optim.SGD([p], { lr: file.initialLr });
      const opts = { ...c.options };
      if (typeof opts.lrLambda === 'string') opts.lrLambda = new Function(`return (${file.lambdas[opts.lrLambda]})`)();
      const sched = new rt.optim.lrScheduler[c.scheduler](opt, opts);
      const got: number[] = [];
      for (let e = 0; e < c.epochs; e++) {
        got.push(opt.paramGroups[0].lr);
        assert.equal(sched.getLastLr()[0], opt.paramGroups[0].lr, `getLastLr() at epoch ${e}`);
        p.grad = rt.onesLike(p);
        opt.step();
        if (c.scheduler === 'ReduceLROnPlateau') sched.step(file.plateauMetrics[(opts.mode ?? 'min') as 'min' | 'max'][e]);
        else sched.step();
      }
      const bad = got.findIndex((v, e) => !close(v, c.lrs[e]));
      assert.ok(bad < 0, `epoch ${bad}: lr ${got[bad]} expected ${c.lrs[bad]}\n  got      ${got.join(', ')}\n  expected ${c.lrs.join(', ')}`);
    });
  }
});

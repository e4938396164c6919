/**
 * Parameter groups with their own options, optimizers driven by LR schedulers (also chained), and the L1
 * proximal step: 100-step float64 trajectories from scripts/gen-library-fixtures.py (test/fixtures/library/groups.json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareTensor, toleranceFor } from './compare';
import { makeTensor, FixtureTensor } from './fixtures';

interface GroupsCase {
  name: string;
  optimizer: string;
  steps: number;
  defaults: Record<string, any>;
  groups: Array<Record<string, any>>;
  schedulers: Array<{ name: string; options: Record<string, any> }>;
  l1Prox: number | null;
  losses: number[];
  params: { w: number[][]; c: number[][] };
  lrs: number[][];
}
interface GroupsFile {
  problem: { X: FixtureTensor; y: FixtureTensor; w: FixtureTensor; c: FixtureTensor };
  cases: GroupsCase[];
}

const file = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'fixtures', 'library', 'groups.json'), 'utf8')) as GroupsFile;
const TOL = toleranceFor('float64');

function runCase(rt: any, c: GroupsCase): string | null {
  const pr = file.problem;
  const X = makeTensor(rt, pr.X);
  const y = makeTensor(rt, pr.y);
  const w = makeTensor(rt, pr.w, true);
  const b = makeTensor(rt, pr.c, true);
  const opt = new rt.optim[c.optimizer]([{ params: [w], ...c.groups[0] }, { params: [b], ...c.groups[1] }], { ...c.defaults });
  const scheds = c.schedulers.map((s) => new rt.optim.lrScheduler[s.name](opt, s.options));
  for (let k = 0; k < c.steps; k++) {
    opt.zeroGrad();
    const loss = rt.matmul(X, w).add(b).sub(y).square().mean();
    loss.backward();
    opt.step();
    if (c.l1Prox !== null) rt.optim.l1Prox([w, b], c.l1Prox);
    const lrs = opt.paramGroups.map((g: any) => g.lr);
    if (lrs.some((v: number, i: number) => Math.abs(v - c.lrs[k][i]) > 1e-12 * Math.abs(c.lrs[k][i]))) return `step ${k}: group lrs ${lrs} expected ${c.lrs[k]}`;
    for (const s of scheds) s.step();
    const got = loss.item();
    if (!(Math.abs(got - c.losses[k]) <= TOL.atol + TOL.rtol * Math.abs(c.losses[k]))) return `step ${k}: loss ${got} expected ${c.losses[k]}`;
    for (const [name, t, shape] of [['w', w, pr.w.shape], ['c', b, pr.c.shape]] as const) {
      const msg = compareTensor(`step ${k}: param ${name}`, t, { data: c.params[name][k], shape: [...shape], dtype: 'float64' });
      if (msg) return msg;
    }
  }
  return null;
}

describe('PyTorch parity, library: parameter groups, schedulers driving optimizers, l1Prox (groups.json)', () => {
  const rt = require('../../src/runtime');
  for (const c of file.cases) {
    it(c.name, () => {
      const err = runCase(rt, c);
      if (err) throw new Error(`${c.name} ${c.optimizer} defaults ${JSON.stringify(c.defaults)} groups ${JSON.stringify(c.groups)}\n  ${err}`);
    });
  }
});

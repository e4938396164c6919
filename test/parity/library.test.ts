/**
 * Phase 2 (library) parity: nn layers with fixed state dicts (layers.json), loss modules (nn_losses.json) and
 * optimizer trajectories (optim.json), on both backends. sched.json and zoo.json are checked by
 * library-sched.test.ts and library-zoo.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURE_DIR, loadFamily } from './fixtures';
import { runModuleCase } from './run-module-case';
import { OptimFile, runOptimCase } from './optim-run';

const BACKENDS = ['reference', 'wasm'] as const;
const moduleFiles = ['layers', 'nn_losses'].map(loadFamily);
const readJson = (name: string): any => JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8'));
const optimFile = readJson('optim') as OptimFile;

function fail(where: string, errors: string[], note?: string): void {
  if (errors.length) throw new Error(`${where}\n  ${errors.join('\n  ')}${note ? `\n  note: ${note}` : ''}`);
}

for (const backend of BACKENDS) {
  describe(`PyTorch parity, library [${backend}]`, () => {
    let rt: any;
    before(() => {
      rt = require('../../src/runtime');
    });
    beforeEach(async () => {
      await rt.setBackend(backend);
    });
    for (const f of moduleFiles) {
      describe(f.family, () => {
        for (const c of f.cases) {
          it(c.name, () => fail(`${f.family}/${c.name} [${backend}] ${c.op}`, runModuleCase(rt, c), c.note));
        }
      });
    }
    describe('optim (100-step trajectories, float64 and float32)', () => {
      for (const c of optimFile.cases) {
        it(c.name, () => fail(`optim/${c.name} [${backend}] ${c.optimizer} ${JSON.stringify(c.options)}`,
          runOptimCase(rt, optimFile, c)));
      }
    });
  });
}


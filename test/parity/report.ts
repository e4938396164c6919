/**
 * Compact parity report (not a mocha test): `npx tsx test/parity/report.ts [family ...]`.
 * Runs every op fixture (and the phase-2 layers / nn_losses / optim fixtures) on both backends and prints
 * per-family counts plus one line per failing case.
 */
import { loadFamily, OP_FAMILIES } from './fixtures';
import { runCase } from './run-case';
import { runModuleCase } from './run-module-case';
import { OptimFile, runOptimCase } from './optim-run';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURE_DIR } from './fixtures';

const LIBRARY = ['layers', 'nn_losses', 'optim'];

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n').slice(0, 2).join(' | ').slice(0, 300);
}

function readOptim(): OptimFile {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'optim.json'), 'utf8'));
}

async function main(): Promise<void> {
  const rt = require('../../src/runtime');
  const families = process.argv.slice(2).length ? process.argv.slice(2) : [...OP_FAMILIES, ...LIBRARY];
  const totals: Record<string, [number, number]> = {};
  for (const backend of ['reference', 'wasm']) {
    await rt.setBackend(backend);
    for (const fam of families) {
      const file: any = fam === 'optim' ? readOptim() : loadFamily(fam);
      let pass = 0;
      for (const c of file.cases) {
        let errs: string[];
        try {
          if (fam === 'optim') errs = runOptimCase(rt, file, c);
          else errs = fam === 'layers' || fam === 'nn_losses' ? runModuleCase(rt, c) : runCase(rt, c);
        } catch (e) {
          errs = [firstLine(e)];
        }
        if (errs.length === 0) pass++;
        else console.log(`FAIL ${backend.padEnd(9)} ${fam}/${c.name}: ${errs.map((m) => m.split('\n')[0]).join(' || ')}`);
      }
      totals[`${backend} ${fam}`] = [pass, file.cases.length];
    }
  }
  for (const [k, [p, n]] of Object.entries(totals)) console.log(`${k.padEnd(24)} ${p}/${n} pass`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

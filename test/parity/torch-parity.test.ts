/**
 * PyTorch parity: every op fixture (test/fixtures/torch/*.json, written by scripts/gen-torch-fixtures.py) is run
 * through the public runtime API on both backends. Forward values and every input gradient are compared with
 * rtol 1e-4 / atol 1e-5 (float32) and 1e-10 (float64); integer outputs exactly.
 *
 * The runtime is loaded lazily in a `before` hook, so a missing or broken runtime fails these tests loudly without
 * breaking the rest of the mocha run.
 */
import * as assert from 'node:assert/strict';
import { FixtureFile, loadFamily, OP_FAMILIES } from './fixtures';
import { OPS, runCase } from './run-case';

const BACKENDS = ['reference', 'wasm'] as const;
const files: FixtureFile[] = OP_FAMILIES.map(loadFamily);

function loadRuntime(): any {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const rt = require('../../src/runtime');
  for (const name of ['tensor', 'setBackend']) {
    if (!rt[name]) throw new Error(`src/runtime/index.ts does not export '${name}' (docs/api.md)`);
  }
  return rt;
}

describe('PyTorch parity fixtures (well-formed, mapped)', () => {
  for (const f of files) {
    it(`${f.family}: every case has a harness mapping and consistent grads`, () => {
      for (const c of f.cases) {
        assert.ok(OPS[c.op], `${f.family}/${c.name}: no harness mapping for op '${c.op}'`);
        assert.equal(c.seeds.length, c.outputs.length, `${c.name}: one seed slot per output`);
        const needGrad = c.inputs.filter((i) => i.requiresGrad).map((i) => i.name).sort();
        assert.deepEqual(Object.keys(c.grads).sort(), c.seeds.some((s) => s) ? needGrad : [], c.name);
      }
    });
  }
});

for (const backend of BACKENDS) {
  describe(`PyTorch parity [${backend}]`, () => {
    let rt: any;
    before(async () => {
      rt = loadRuntime();
    });
    beforeEach(async () => {
      await rt.setBackend(backend);
    });
    for (const f of files) {
      describe(f.family, () => {
        for (const c of f.cases) {
          it(c.name, () => {
            const errors = runCase(rt, c);
            if (errors.length) {
              const note = c.note ? `\n  note: ${c.note}` : '';
              throw new Error(`${f.family}/${c.name} [${backend}] op=${c.op}\n  ${errors.join('\n  ')}${note}`);
            }
          });
        }
      });
    }
  });
}

/**
 * Dropout is random, so it is not checked against PyTorch fixtures; instead its contract (PyTorch's) is checked
 * statistically on both backends: kept fraction ~ 1-p (within 5 binomial sigmas), kept values scaled by 1/(1-p),
 * no structure between neighbours (pairs kept ~ (1-p)^2), identity in eval mode and for p=0, all zeros for p=1, grad = mask / (1-p), dropout2d drops whole channels.
 */
import * as assert from 'node:assert/strict';

const BACKENDS = ['reference', 'wasm'] as const;

function loadRuntime(): any {
  return require('../../src/runtime');
}

function assertBinomial(kept: number, n: number, p: number, what: string): void {
  const mean = n * (1 - p);
  const sigma = Math.sqrt(n * p * (1 - p));
  assert.ok(Math.abs(kept - mean) <= 5 * sigma, `${what}: kept ${kept}/${n}, expected ${mean} ± ${5 * sigma}`);
}

for (const backend of BACKENDS) {
  describe(`dropout contract [${backend}]`, () => {
    let rt: any;
    before(async () => {
      rt = loadRuntime();
    });
    beforeEach(async () => {
      await rt.setBackend(backend);
      rt.manualSeed(1234);
    });

    for (const p of [0.1, 0.5, 0.8]) {
      it(`p=${p}: kept fraction and 1/(1-p) scaling, grad = mask/(1-p)`, () => {
        const n = 20000;
        const x = rt.full([n], 3, { requiresGrad: true });
        const y = rt.F.dropout(x, { p, training: true });
        const v: ArrayLike<number> = y.dataSync();
        let kept = 0;
        for (let i = 0; i < n; i++) {
          if (v[i] !== 0) {
            kept++;
            assert.ok(Math.abs(v[i] - 3 / (1 - p)) < 1e-5 * (3 / (1 - p)), `kept value ${v[i]} at ${i}`);
          }
        }
        assertBinomial(kept, n, p, `p=${p}`);
        let pairs = 0; // adjacent elements both kept: ~ (1-p)^2 if the mask has no structure
        for (let i = 0; i + 1 < n; i += 2) if (v[i] !== 0 && v[i + 1] !== 0) pairs++;
        const q = 1 - (1 - p) * (1 - p);
        assertBinomial(pairs, n / 2, q, `p=${p} adjacent pairs`);
        y.sum().backward();
        const g: ArrayLike<number> = x.grad.dataSync();
        for (let i = 0; i < n; i++) {
          const want = v[i] !== 0 ? 1 / (1 - p) : 0;
          assert.ok(Math.abs(g[i] - want) < 1e-5 * (1 + want), `grad ${g[i]} at ${i}, expected ${want}`);
        }
      });
    }

    it('eval mode (training=false) and p=0 are the identity; p=1 gives zeros', () => {
      const x = rt.randn([64]);
      const xs: ArrayLike<number> = x.dataSync();
      for (const y of [rt.F.dropout(x, { p: 0.5, training: false }), rt.F.dropout(x, { p: 0, training: true })]) {
        assert.deepEqual(Array.from(y.dataSync() as ArrayLike<number>), Array.from(xs));
      }
      const z: ArrayLike<number> = rt.F.dropout(x, { p: 1, training: true }).dataSync();
      assert.ok(Array.from(z).every((e) => e === 0), 'p=1 must zero everything');
    });

    it('two calls draw different masks; manualSeed makes them reproducible', () => {
      const x = rt.ones([4096]);
      rt.manualSeed(7);
      const a = Array.from(rt.F.dropout(x, { p: 0.5, training: true }).dataSync() as ArrayLike<number>);
      const b = Array.from(rt.F.dropout(x, { p: 0.5, training: true }).dataSync() as ArrayLike<number>);
      rt.manualSeed(7);
      const c = Array.from(rt.F.dropout(x, { p: 0.5, training: true }).dataSync() as ArrayLike<number>);
      assert.notDeepEqual(a, b);
      assert.deepEqual(a, c);
    });

    it('dropout2d zeroes whole channels with 1/(1-p) scaling', () => {
      const [n, c, h, w] = [8, 64, 3, 3];
      const p = 0.3;
      const y: ArrayLike<number> = rt.F.dropout2d(rt.ones([n, c, h, w]), { p, training: true }).dataSync();
      let kept = 0;
      for (let ch = 0; ch < n * c; ch++) {
        const plane = Array.from(y).slice(ch * h * w, (ch + 1) * h * w);
        const allZero = plane.every((e) => e === 0);
        const allKept = plane.every((e) => Math.abs(e - 1 / (1 - p)) < 1e-5);
        assert.ok(allZero || allKept, `channel ${ch} is partially dropped: ${plane}`);
        if (allKept) kept++;
      }
      assertBinomial(kept, n * c, p, 'dropout2d channels');
    });
  });
}

/**
 * End-to-end: models.lenet5() trained with optim.Adam on the synthetic digits (data.digits) reaches > 95%
 * held-out accuracy within a fixed, seeded budget (wasm backend). The budget is fixed in steps, not time.
 */
import { strict as assert } from 'node:assert';

const rt = require('../../src/runtime');

const TRAIN = 2400;
const TEST = 1000;
const EPOCHS = 2;
const BATCH = 64;

function accuracy(model: any, x: any, y: any): number {
  model.eval();
  const pred = rt.noGrad(() => model(x).argmax(1));
  const hits = pred.eq(y).int().sum().item();
  model.train();
  return hits / y.shape[0];
}

describe('library: LeNet-5 on synthetic digits', () => {
  it(`reaches > 95% held-out accuracy after ${EPOCHS} epochs of ${TRAIN} samples (Adam lr 2e-3, batch ${BATCH}, seeded)`, async () => {
    await rt.setBackend('wasm');
    rt.manualSeed(1234);
    const data = rt.data.digits(TRAIN + TEST);
    const [train, test] = rt.data.randomSplit(data, [TRAIN, TEST]);
    const testX = rt.stack(Array.from({ length: TEST }, (_, i) => test.get(i)[0]));
    const testY = rt.stack(Array.from({ length: TEST }, (_, i) => test.get(i)[1]));
    const model = rt.models.lenet5();
    const opt = new rt.optim.Adam(model.parameters(), { lr: 2e-3 });
    const loader = new rt.data.DataLoader(train, { batchSize: BATCH, shuffle: true });
    const before = accuracy(model, testX, testY);
    let last = Infinity;
    for (let e = 0; e < EPOCHS; e++) {
      for (const [x, y] of loader) {
        opt.zeroGrad();
        const loss = rt.F.crossEntropy(model(x), y);
        loss.backward();
        opt.step();
        last = loss.item();
      }
    }
    const acc = accuracy(model, testX, testY);
    assert.ok(before < 0.3, `untrained accuracy ${before}`);
    assert.ok(acc > 0.95, `held-out accuracy ${(acc * 100).toFixed(1)}% (last training loss ${last.toFixed(4)})`);
  });
});

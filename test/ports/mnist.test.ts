/**
 * Port of pytorch/examples mnist/main.py, written as a PyTorch user ports it:
 * https://github.com/pytorch/examples/blob/d0b7e3709407074ac64bb34c5af33fe226abb47c/mnist/main.py
 * (pytorch/examples commit 77f55b912142e11fcfdf5b530231fb9c52f181e8; the file last changed in d0b7e37).
 *
 * The same program runs in PyTorch in scripts/torchfix/port_mnist.py (fixture: test/fixtures/ports/mnist.json),
 * with the same three documented changes on both sides:
 * - data: the first 192 training and 128 test images of Fashion-MNIST (Debian's dataset-fashion-mnist; MNIST is not
 *   available offline), committed as small gzip IDX files and read with data.mnist like datasets.MNIST reads them;
 * - initial weights: a formula both sides compute (initFromFormula) instead of PyTorch's RNG draws;
 * - dropout: dropout1/dropout2 replaced by nn.Identity() after construction (masks come from each library's RNG);
 *   the model still trains in train mode, and the test loop runs in eval mode as in the original.
 * Arguments: batch_size 64, test_batch_size 64, epochs 3, lr 1.0, gamma 0.7 (the original's defaults except the
 * batch/epoch counts). Compared: every training loss, the learning rate of each epoch, the test loss (sum
 * reduction / N) and accuracy after each epoch, checksums of the initial and final weights, final test outputs.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as torch from '../../src/runtime';
import { nn, optim, F, data } from '../../src/runtime';
import type { Tensor } from '../../src/runtime';
import { FIX, same } from './helpers';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const want: any = JSON.parse(fs.readFileSync(path.join(FIX, 'mnist.json'), 'utf8'));

// class Net(nn.Module)
class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 32, 3, 1);
  conv2 = new nn.Conv2d(32, 64, 3, 1);
  dropout1: nn.Module = new nn.Dropout(0.25);
  dropout2: nn.Module = new nn.Dropout(0.5);
  fc1 = new nn.Linear(9216, 128);
  fc2 = new nn.Linear(128, 10);

  forward(x: Tensor): Tensor {
    x = this.conv1.call(x);
    x = F.relu(x);
    x = this.conv2.call(x);
    x = F.relu(x);
    x = F.maxPool2d(x, 2);
    x = this.dropout1.call(x);
    x = torch.flatten(x, 1);
    x = this.fc1.call(x);
    x = F.relu(x);
    x = this.dropout2.call(x);
    x = this.fc2.call(x);
    const output = F.logSoftmax(x, { dim: 1 });
    return output;
  }
}

interface Args { batchSize: number; testBatchSize: number; epochs: number; lr: number; gamma: number; logInterval: number }

function train(args: Args, model: Net, trainLoader: data.DataLoader, optimizer: optim.Optimizer<{ lr: number }>, epoch: number, losses: number[]): void {
  model.train();
  let batchIdx = 0;
  for (const [input, target] of trainLoader) {
    optimizer.zeroGrad();
    const output = model.call(input) as Tensor;
    const loss = F.nllLoss(output, target);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
    if (batchIdx % args.logInterval === 0 && process.env.LAYERWISE_PORT_LOG) {
      const n = trainLoader.dataset.length;
      console.log(`Train Epoch: ${epoch} [${batchIdx * input.shape[0]}/${n} (${((100 * batchIdx) / trainLoader.length).toFixed(0)}%)]\tLoss: ${loss.item().toFixed(6)}`);
    }
    batchIdx++;
  }
}

function test(model: Net, testLoader: data.DataLoader): { testLoss: number; correct: number } {
  model.eval();
  let testLoss = 0;
  let correct = 0;
  torch.noGrad(() => {
    for (const [input, target] of testLoader) {
      const output = model.call(input) as Tensor;
      testLoss += F.nllLoss(output, target, { reduction: 'sum' }).item(); // sum up batch loss
      const pred = output.argmax(1, { keepdim: true }); // get the index of the max log-probability
      correct += pred.eq(target.viewAs(pred)).sum().item();
    }
  });
  testLoss /= testLoader.dataset.length;
  return { testLoss, correct };
}

/** The formula both sides use for the initial weights (scripts/torchfix/port_mnist.py, formula_init). */
function initFromFormula(model: nn.Module): void {
  const sd = model.stateDict();
  [...sd.entries()].forEach(([name, p], k) => {
    const weight = sd.get(name.replace(/\.bias$/, '.weight')) as Tensor;
    const fanIn = weight.shape.slice(1).reduce((a, b) => a * b, 1);
    const w = new Float32Array(p.numel());
    for (let i = 0; i < w.length; i++) w[i] = (Math.sin(i * 0.37 + k) * Math.cos(i * 0.0123 * (k + 1)) * Math.sqrt(2 / 3)) / Math.sqrt(fanIn);
    torch.noGrad(() => p.copy_(torch.tensor(Array.from(w), { dtype: 'float32' }).reshape(p.shape)));
  });
}

/** float64 sum, sum of |w| and sum of w·cos(0.1 i) of each tensor (the generator's checksums()). */
function checksums(model: nn.Module): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, p] of model.stateDict()) {
    const d = p.dataSync();
    let s = 0, a = 0, c = 0;
    for (let i = 0; i < d.length; i++) {
      s += d[i];
      a += Math.abs(d[i]);
      c += d[i] * Math.cos(i * 0.1);
    }
    out[name] = [s, a, c];
  }
  return out;
}

function sameChecksums(got: Record<string, number[]>, exp: Record<string, number[]>, what: string, tol: number): void {
  assert.deepEqual(Object.keys(got), Object.keys(exp), `${what}: state_dict keys`);
  for (const k of Object.keys(exp)) same(got[k], exp[k], `${what} ${k}`, tol);
}

describe('ports: pytorch/examples mnist/main.py (numbers equal PyTorch)', function () {
  this.timeout(600000);
  const file = (name: string): string => path.join(FIX, name);
  const args: Args = { batchSize: want.args.batch_size, testBatchSize: want.args.test_batch_size, epochs: want.args.epochs, lr: want.args.lr, gamma: want.args.gamma, logInterval: 10 };

  it('the initial weights from the shared formula equal the generator\'s', () => {
    const model = new Net();
    initFromFormula(model);
    sameChecksums(checksums(model), want.initChecksums, 'init', 1e-6);
  });

  it(`trains ${want.epochs.length} epochs with Adadelta(lr=1.0) + StepLR(step_size=1, gamma=0.7): losses, lr, test loss and accuracy, final weights`, () => {
    // transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))]): data.mnist gives x/255
    const transform = data.transforms.compose((x) => data.transforms.normalize(x, [0.1307], [0.3081]));
    const mnist = (images: string, labels: string): data.TensorDataset => {
      const raw = data.mnist(file(images), file(labels));
      return new data.TensorDataset(transform(raw.tensors[0]), raw.tensors[1]);
    };
    const dataset1 = mnist(want.files.train[0], want.files.train[1]);
    const dataset2 = mnist(want.files.test[0], want.files.test[1]);
    const trainLoader = new data.DataLoader(dataset1, { batchSize: args.batchSize });
    const testLoader = new data.DataLoader(dataset2, { batchSize: args.testBatchSize });

    const model = new Net();
    initFromFormula(model);
    model.dropout1 = new nn.Identity();
    model.dropout2 = new nn.Identity();
    const optimizer = new optim.Adadelta(model.parameters(), { lr: args.lr });
    const scheduler = new optim.lrScheduler.StepLR(optimizer, { step_size: 1, gamma: args.gamma });
    for (let epoch = 1; epoch <= args.epochs; epoch++) {
      const exp = want.epochs[epoch - 1];
      same(optimizer.paramGroups[0].lr, exp.lr, `epoch ${epoch} lr`, 1e-12);
      const losses: number[] = [];
      train(args, model, trainLoader, optimizer, epoch, losses);
      same(losses, exp.losses, `epoch ${epoch} training losses`, 1e-4);
      const { testLoss, correct } = test(model, testLoader);
      same(testLoss, exp.testLoss, `epoch ${epoch} test loss`, 1e-4);
      assert.equal(correct, exp.correct, `epoch ${epoch}: ${correct}/${dataset2.length} correct vs PyTorch ${exp.correct}`);
      scheduler.step();
    }
    sameChecksums(checksums(model), want.finalChecksums, 'final weights', 1e-4);
    const outputs = torch.noGrad(() => model.call(dataset2.tensors[0].narrow(0, 0, 4)) as Tensor);
    same(outputs, want.firstTestOutputs, 'final log-probabilities of the first 4 test images', 1e-4);
  });
});

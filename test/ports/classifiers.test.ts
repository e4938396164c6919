/**
 * Ports of well-known PyTorch classifiers, written as a PyTorch user ports them, starting from PyTorch's own
 * initial weights (safetensors) and trained on the same batch: every loss and the eval logits equal PyTorch's.
 * - the CIFAR-10 tutorial Net: https://pytorch.org/tutorials/beginner/blitz/cifar10_tutorial.html
 * - d2l LeNet (7.6) and LeNet with batch norm (8.5): https://d2l.ai/chapter_convolutional-neural-networks/lenet.html
 */
import * as torch from '../../src/runtime';
import { nn, optim, F } from '../../src/runtime';
import type { Tensor } from '../../src/runtime';
import { expected, load, same, weights } from './helpers';

// class Net(nn.Module) from the CIFAR-10 tutorial
class Net extends nn.Module {
  conv1 = new nn.Conv2d(3, 6, 5);
  pool = new nn.MaxPool2d(2, 2);
  conv2 = new nn.Conv2d(6, 16, 5);
  fc1 = new nn.Linear(16 * 5 * 5, 120);
  fc2 = new nn.Linear(120, 84);
  fc3 = new nn.Linear(84, 10);

  forward(x: Tensor): Tensor {
    x = this.pool.call(F.relu(this.conv1.call(x)));
    x = this.pool.call(F.relu(this.conv2.call(x)));
    x = torch.flatten(x, 1);
    x = F.relu(this.fc1.call(x));
    x = F.relu(this.fc2.call(x));
    return this.fc3.call(x);
  }
}

function lenet(bn: boolean): nn.Module {
  if (!bn) {
    return new nn.Sequential(
      new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.Sigmoid(), new nn.AvgPool2d(2, { stride: 2 }),
      new nn.Conv2d(6, 16, 5), new nn.Sigmoid(), new nn.AvgPool2d(2, { stride: 2 }), new nn.Flatten(),
      new nn.Linear(16 * 5 * 5, 120), new nn.Sigmoid(), new nn.Linear(120, 84), new nn.Sigmoid(), new nn.Linear(84, 10));
  }
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5), new nn.BatchNorm2d(6), new nn.Sigmoid(), new nn.AvgPool2d(2, { stride: 2 }),
    new nn.Conv2d(6, 16, 5), new nn.BatchNorm2d(16), new nn.Sigmoid(), new nn.AvgPool2d(2, { stride: 2 }),
    new nn.Flatten(), new nn.Linear(256, 120), new nn.BatchNorm1d(120), new nn.Sigmoid(),
    new nn.Linear(120, 84), new nn.BatchNorm1d(84), new nn.Sigmoid(), new nn.Linear(84, 10));
}

function trainAndEval(name: string, net: nn.Module, makeOpt: (m: nn.Module) => optim.Optimizer<{ lr: number }>): void {
  const want = expected[name];
  net.load(weights(name));
  const x = load(want.x);
  const y = load(want.y);
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = makeOpt(net);
  const losses: number[] = [];
  for (let i = 0; i < want.losses.length; i++) {
    optimizer.zeroGrad();
    const loss = criterion.call(net.call(x), y) as Tensor;
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  same(losses, want.losses, `${name} losses`, 1e-4);
  net.eval();
  const logits = torch.noGrad(() => net.call(x) as Tensor);
  same(logits, want.evalLogits, `${name} eval logits`, 1e-4);
}

describe('ports: classifiers (numbers equal PyTorch)', () => {
  it('CIFAR-10 tutorial Net, SGD(lr=0.001, momentum=0.9), 5 steps', () => {
    trainAndEval('cifar_net', new Net(), (m) => new optim.SGD(m.parameters(), { lr: 0.001, momentum: 0.9 }));
  });
  it('d2l LeNet (sigmoid, avg pooling), SGD(lr=0.9), 4 steps', () => {
    trainAndEval('d2l_lenet', lenet(false), (m) => new optim.SGD(m.parameters(), 0.9));
  });
  it('d2l LeNet with BatchNorm, SGD(lr=1.0), 4 steps, then eval with running statistics', () => {
    trainAndEval('d2l_lenet_bn', lenet(true), (m) => new optim.SGD(m.parameters(), 1.0));
  });
});

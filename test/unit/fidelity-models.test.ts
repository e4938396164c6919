/** Issue #10 §3 models: ResNet-101/152 (torchvision parameter counts), the pre-activation block and CIFAR variants. */
import * as assert from 'node:assert/strict';
import * as lw from '../../src/runtime';

const count = (m: lw.nn.Module): number => m.parameters().reduce((a, p) => a + p.numel(), 0);

describe('models (issue #10 §3)', () => {
  it('resnet101 / resnet152 have torchvision\'s parameter counts', () => {
    assert.equal(count(lw.nn.meta(() => lw.models.resnet101())), 44549160);
    assert.equal(count(lw.nn.meta(() => lw.models.resnet152())), 60192808);
  });
  it('preactResnet18 (CIFAR-10): PyTorch\'s parameter count, output [N, 10], gradients reach the stem', () => {
    const m = lw.models.preactResnet18();
    assert.equal(count(m), 11172170);
    const y = m.call(lw.randn(2, 3, 32, 32)) as lw.Tensor;
    assert.deepEqual(y.shape, [2, 10]);
    y.sum().backward();
    assert.ok(m.conv1.weight.grad && m.conv1.weight.grad.abs().sum().item() > 0);
  });
  it('CIFAR variants of ResNet-34/50 keep 32×32 detail (3×3 stem, no max pool)', () => {
    const m = lw.nn.meta(() => lw.models.resnet50Cifar10());
    assert.equal(m.maxpool, null);
    assert.deepEqual(m.conv1.weight.shape, [64, 3, 3, 3]);
    assert.deepEqual(m.fc.weight.shape, [10, 2048]);
    assert.deepEqual(lw.nn.meta(() => lw.models.resnet34Cifar10()).fc.weight.shape, [10, 512]);
  });
});

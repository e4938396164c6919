/**
 * ResNet-101/152 (torchvision) and the pre-activation ResNet (He et al. 2016, "Identity Mappings in Deep
 * Residual Networks"): PreActBlock and PreActResNet18 for CIFAR-10 in the layout of kuangliu/pytorch-cifar, with
 * the paper's final BN → ReLU before pooling (11,172,170 parameters, as the same model in PyTorch), plus the CIFAR
 * variants of ResNet-34/50 (3×3 stem, no max pool).
 */
import type { Tensor } from '../tensor';
import { Module } from '../nn/module';
import { Conv2d } from '../nn/conv';
import { Linear } from '../nn/linear';
import { Sequential } from '../nn/container';
import { BatchNorm2d } from '../nn/normalization';
import { add, relu } from '../ops/basic';
import { flatten } from '../ops/views';
import { avgPool2d } from '../ops/nn';
import { BasicBlock, Bottleneck, resnetBuilder } from './resnet';
import { builderSigs, classSigs } from './sigs';
import type { BuilderOptions, PreActResNetArgs } from './sigs';

export const resnet101 = resnetBuilder('resnet101', Bottleneck, [3, 4, 23, 3]);
export const resnet152 = resnetBuilder('resnet152', Bottleneck, [3, 8, 36, 3]);
/** ResNet-34 / ResNet-50 for CIFAR-10 (3×3 stem, no max pool, 10 classes). */
export const resnet34Cifar10 = resnetBuilder('resnet34Cifar10', BasicBlock, [3, 4, 6, 3], { cifar: true });
export const resnet50Cifar10 = resnetBuilder('resnet50Cifar10', Bottleneck, [3, 4, 6, 3], { cifar: true });

/** Pre-activation basic block: BN → ReLU → conv3×3 → BN → ReLU → conv3×3, plus the (projected) shortcut. */
export class PreActBlock extends Module {
  static readonly expansion = 1;
  bn1: BatchNorm2d; conv1: Conv2d; bn2: BatchNorm2d; conv2: Conv2d; shortcut: Sequential | null;
  constructor(inPlanes: number, planes: number, ...args: [stride?: number] | [options: { stride?: number }]) {
    super();
    const { stride } = classSigs.PreActBlock.parse(args);
    this.bn1 = new BatchNorm2d(inPlanes);
    this.conv1 = new Conv2d(inPlanes, planes, 3, { stride, padding: 1, bias: false });
    this.bn2 = new BatchNorm2d(planes);
    this.conv2 = new Conv2d(planes, planes, 3, { stride: 1, padding: 1, bias: false });
    this.shortcut = stride !== 1 || inPlanes !== planes ? new Sequential(new Conv2d(inPlanes, planes, 1, { stride, bias: false })) : null;
  }
  forward(x: Tensor): Tensor {
    const out = relu(this.bn1.call(x) as Tensor);
    const shortcut = this.shortcut ? (this.shortcut.call(out) as Tensor) : x;
    const h = this.conv1.call(out) as Tensor;
    return add(this.conv2.call(relu(this.bn2.call(h) as Tensor)) as Tensor, shortcut);
  }
}

/** PreActResNet (CIFAR): 3×3 stem, four stages of PreActBlocks, 4×4 average pool, linear classifier. */
export class PreActResNet extends Module {
  conv1: Conv2d; layer1: Sequential; layer2: Sequential; layer3: Sequential; layer4: Sequential; bn: BatchNorm2d; linear: Linear;
  private inPlanes = 64;
  constructor(numBlocks: number[], ...args: PreActResNetArgs) {
    super();
    const { numClasses } = classSigs.PreActResNet.parse(args);
    this.conv1 = new Conv2d(3, 64, 3, { stride: 1, padding: 1, bias: false });
    this.layer1 = this.makeLayer(64, numBlocks[0], 1);
    this.layer2 = this.makeLayer(128, numBlocks[1], 2);
    this.layer3 = this.makeLayer(256, numBlocks[2], 2);
    this.layer4 = this.makeLayer(512, numBlocks[3], 2);
    this.bn = new BatchNorm2d(512);
    this.linear = new Linear(512, numClasses);
  }
  private makeLayer(planes: number, n: number, stride: number): Sequential {
    const blocks: Module[] = [];
    for (const s of [stride, ...Array(n - 1).fill(1)]) {
      blocks.push(new PreActBlock(this.inPlanes, planes, s));
      this.inPlanes = planes;
    }
    return new Sequential(...blocks);
  }
  forward(x: Tensor): Tensor {
    let out = this.conv1.call(x) as Tensor;
    for (const l of [this.layer1, this.layer2, this.layer3, this.layer4]) out = l.call(out) as Tensor;
    out = relu(this.bn.call(out) as Tensor);
    return this.linear.call(flatten(avgPool2d(out, 4), 1)) as Tensor;
  }
}

/** PreActResNet18 for CIFAR-10 (kuangliu/pytorch-cifar). */
export const preactResnet18 = (...args: [numClasses?: number] | [options: BuilderOptions<typeof builderSigs.preactResnet18>]): PreActResNet =>
  new PreActResNet([2, 2, 2, 2], builderSigs.preactResnet18.parse(args).numClasses);

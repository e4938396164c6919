/** ResNet 18/34/50, ResNeXt-50 32×4d (torchvision definitions, v1.5 stride placement by default) and ResNet18 for CIFAR-10. */
import type { Tensor } from '../tensor';
import { Module } from '../nn/module';
import { AdaptiveAvgPool2d, MaxPool2d } from '../nn/pooling';
import { Conv2d } from '../nn/conv';
import { Linear } from '../nn/linear';
import { ReLU } from '../nn/activation';
import { Sequential } from '../nn/container';
import { BatchNorm2d } from '../nn/normalization';
import { add, relu } from '../ops/basic';
import { flatten } from '../ops/views';
import * as init from '../nn/init';
import { classSigs, resnetSig } from './sigs';
import type { BlockArgs, BuilderOptions, ResNetArgs } from './sigs';

const conv3x3 = (cin: number, cout: number, stride = 1, groups = 1): Conv2d => new Conv2d(cin, cout, 3, { stride, padding: 1, groups, bias: false });
const conv1x1 = (cin: number, cout: number, stride = 1): Conv2d => new Conv2d(cin, cout, 1, { stride, bias: false });

const basicSig = classSigs.block('BasicBlock');
const bottleneckSig = classSigs.block('Bottleneck');

export class BasicBlock extends Module {
  static readonly expansion = 1;
  conv1: Conv2d; bn1: BatchNorm2d; relu = new ReLU(); conv2: Conv2d; bn2: BatchNorm2d; downsample: Module | null;
  /** torchvision's order: (inplanes, planes, stride = 1, downsample = null, groups = 1, base_width = 64, dilation = 1). */
  constructor(inplanes: number, planes: number, ...args: BlockArgs) {
    super();
    const o = basicSig.parse(args);
    if (o.groups !== 1 || o.baseWidth !== 64) throw new Error('BasicBlock only supports groups=1 and base_width=64');
    this.conv1 = conv3x3(inplanes, planes, o.stride);
    this.bn1 = new BatchNorm2d(planes);
    this.conv2 = conv3x3(planes, planes);
    this.bn2 = new BatchNorm2d(planes);
    this.downsample = o.downsample;
  }
  forward(x: Tensor): Tensor {
    const identity = this.downsample ? this.downsample(x) : x;
    const out = this.bn2(this.conv2(this.relu(this.bn1(this.conv1(x)))));
    return relu(add(out, identity));
  }
}

export class Bottleneck extends Module {
  static readonly expansion = 4;
  conv1: Conv2d; bn1: BatchNorm2d; conv2: Conv2d; bn2: BatchNorm2d; conv3: Conv2d; bn3: BatchNorm2d; relu = new ReLU(); downsample: Module | null;
  /** torchvision's order: (inplanes, planes, stride = 1, downsample = null, groups = 1, base_width = 64, dilation = 1). */
  constructor(inplanes: number, planes: number, ...args: BlockArgs) {
    super();
    const o = bottleneckSig.parse(args);
    const width = Math.floor(planes * (o.baseWidth / 64)) * o.groups;
    // v1.5 puts the stride on the 3×3 conv; v1 on the first 1×1 (which ignores 75% of the inputs)
    this.conv1 = conv1x1(inplanes, width, o.v1 ? o.stride : 1);
    this.bn1 = new BatchNorm2d(width);
    this.conv2 = conv3x3(width, width, o.v1 ? 1 : o.stride, o.groups);
    this.bn2 = new BatchNorm2d(width);
    this.conv3 = conv1x1(width, planes * 4);
    this.bn3 = new BatchNorm2d(planes * 4);
    this.downsample = o.downsample;
  }
  forward(x: Tensor): Tensor {
    const identity = this.downsample ? this.downsample(x) : x;
    let out = this.relu(this.bn1(this.conv1(x)));
    out = this.relu(this.bn2(this.conv2(out)));
    out = this.bn3(this.conv3(out));
    return relu(add(out, identity));
  }
}

type BlockClass = (typeof BasicBlock | typeof Bottleneck);

export interface ResNetOptions { numClasses?: number; groups?: number; widthPerGroup?: number; v1?: boolean; cifar?: boolean }

export class ResNet extends Module {
  conv1: Conv2d; bn1: BatchNorm2d; relu = new ReLU(); maxpool: Module | null;
  layer1: Sequential; layer2: Sequential; layer3: Sequential; layer4: Sequential;
  avgpool = new AdaptiveAvgPool2d([1, 1]); fc: Linear;
  private inplanes = 64;
  readonly opts: ResNetOptions;
  /** torchvision's order: (block, layers, num_classes = 1000, zero_init_residual = false, groups = 1, width_per_group = 64), or options. */
  constructor(block: BlockClass, layers: number[], ...args: ResNetArgs) {
    super();
    const p = classSigs.ResNet.parse(args);
    const opts: ResNetOptions = { numClasses: p.numClasses ?? undefined, groups: p.groups, widthPerGroup: p.widthPerGroup, v1: p.v1, cifar: p.cifar };
    this.opts = opts;
    // CIFAR stem: 3×3 stride 1, no max pool (32×32 inputs)
    this.conv1 = opts.cifar ? conv3x3(3, 64) : new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false });
    this.bn1 = new BatchNorm2d(64);
    this.maxpool = opts.cifar ? null : new MaxPool2d(3, { stride: 2, padding: 1 });
    this.layer1 = this.makeLayer(block, 64, layers[0], 1);
    this.layer2 = this.makeLayer(block, 128, layers[1], 2);
    this.layer3 = this.makeLayer(block, 256, layers[2], 2);
    this.layer4 = this.makeLayer(block, 512, layers[3], 2);
    this.fc = new Linear(512 * block.expansion, opts.numClasses ?? (opts.cifar ? 10 : 1000));
    for (const m of this.modules()) if (m instanceof Conv2d) init.kaimingNormal_(m.weight, { mode: 'fanOut', nonlinearity: 'relu' });
  }
  private makeLayer(block: BlockClass, planes: number, blocks: number, stride: number): Sequential {
    const exp = block.expansion;
    const downsample = stride !== 1 || this.inplanes !== planes * exp
      ? new Sequential(conv1x1(this.inplanes, planes * exp, stride), new BatchNorm2d(planes * exp)) : null;
    const o = { groups: this.opts.groups ?? 1, baseWidth: this.opts.widthPerGroup ?? 64, v1: !!this.opts.v1 };
    const list: Module[] = [new block(this.inplanes, planes, { ...o, stride, downsample })];
    this.inplanes = planes * exp;
    for (let i = 1; i < blocks; i++) list.push(new block(this.inplanes, planes, { ...o, stride: 1, downsample: null }));
    return new Sequential(...list);
  }
  forward(x: Tensor): Tensor {
    let h = this.relu(this.bn1(this.conv1(x)));
    if (this.maxpool) h = this.maxpool(h);
    h = this.layer4(this.layer3(this.layer2(this.layer1(h))));
    return this.fc(flatten(this.avgpool(h), 1));
  }
}

/** A torchvision builder: keyword-only options (`{numClasses: 10}` or `{num_classes: 10}`), checked by resnetSig. */
export function resnetBuilder(name: string, block: BlockClass, layers: number[], defaults: ResNetOptions = {}) {
  const sig = resnetSig(name, defaults);
  return (options?: BuilderOptions<ReturnType<typeof resnetSig>>): ResNet => {
    const o = sig.parse([options]);
    return new ResNet(block, layers, { numClasses: o.numClasses, groups: o.groups, widthPerGroup: o.widthPerGroup, v1: o.v1, cifar: o.cifar });
  };
}
export const resnet18 = resnetBuilder('resnet18', BasicBlock, [2, 2, 2, 2]);
export const resnet34 = resnetBuilder('resnet34', BasicBlock, [3, 4, 6, 3]);
export const resnet50 = resnetBuilder('resnet50', Bottleneck, [3, 4, 6, 3]);
export const resnext50_32x4d = resnetBuilder('resnext50_32x4d', Bottleneck, [3, 4, 6, 3], { groups: 32, widthPerGroup: 4 });
/** ResNet18 for CIFAR-10 (lectures): 3×3 stem, no max pool, 10 classes. */
export const resnet18Cifar10 = resnetBuilder('resnet18Cifar10', BasicBlock, [2, 2, 2, 2], { cifar: true });

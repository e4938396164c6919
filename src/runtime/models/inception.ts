/** GoogLeNet (Inception v1, torchvision definition without aux heads). */
import type { Tensor } from '../tensor';
import { Module } from '../nn/module';
import { builderSigs, classSigs } from './sigs';
import type { BuilderOptions, GoogLeNetArgs } from './sigs';
import { noExtraArgs } from './common';
import { AdaptiveAvgPool2d, MaxPool2d } from '../nn/pooling';
import { Conv2d } from '../nn/conv';
import { Linear } from '../nn/linear';
import { Sequential } from '../nn/container';
import { BatchNorm2d } from '../nn/normalization';
import { Dropout } from '../nn/dropout';
import { cat, flatten } from '../ops/views';
import { relu } from '../ops/basic';

/** torchvision's BasicConv2d: conv (no bias) → bn (eps 0.001) → relu, with the attribute names conv / bn. */
export class BasicConv2d extends Module {
  conv: Conv2d;
  bn: BatchNorm2d;
  constructor(cin: number, cout: number, k: number, padding = 0, stride = 1, ...rest: unknown[]) {
    super();
    noExtraArgs('BasicConv2d', 5, rest);
    this.conv = new Conv2d(cin, cout, k, { stride, padding, bias: false });
    this.bn = new BatchNorm2d(cout, { eps: 0.001 });
  }
  forward(x: Tensor): Tensor {
    return relu(this.bn(this.conv(x)));
  }
}

const basic = (cin: number, cout: number, k: number, padding = 0, stride = 1): BasicConv2d => new BasicConv2d(cin, cout, k, padding, stride);

export class Inception extends Module {
  branch1: BasicConv2d; branch2: Sequential; branch3: Sequential; branch4: Sequential;
  constructor(cin: number, ch1x1: number, ch3x3red: number, ch3x3: number, ch5x5red: number, ch5x5: number, poolProj: number, ...rest: unknown[]) {
    super();
    noExtraArgs('Inception', 7, rest);
    this.branch1 = basic(cin, ch1x1, 1);
    this.branch2 = new Sequential(basic(cin, ch3x3red, 1), basic(ch3x3red, ch3x3, 3, 1));
    // torchvision uses a 3×3 here (a known deviation from the paper's 5×5), kept for identical parameter counts
    this.branch3 = new Sequential(basic(cin, ch5x5red, 1), basic(ch5x5red, ch5x5, 3, 1));
    this.branch4 = new Sequential(new MaxPool2d(3, { stride: 1, padding: 1, ceilMode: true }), basic(cin, poolProj, 1));
  }
  forward(x: Tensor): Tensor {
    return cat([this.branch1(x), this.branch2(x), this.branch3(x), this.branch4(x)], 1);
  }
}

export class GoogLeNet extends Module {
  conv1 = basic(3, 64, 7, 3, 2);
  maxpool1 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  conv2 = basic(64, 64, 1);
  conv3 = basic(64, 192, 3, 1);
  maxpool2 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  inception3a = new Inception(192, 64, 96, 128, 16, 32, 32);
  inception3b = new Inception(256, 128, 128, 192, 32, 96, 64);
  maxpool3 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  inception4a = new Inception(480, 192, 96, 208, 16, 48, 64);
  inception4b = new Inception(512, 160, 112, 224, 24, 64, 64);
  inception4c = new Inception(512, 128, 128, 256, 24, 64, 64);
  inception4d = new Inception(512, 112, 144, 288, 32, 64, 64);
  inception4e = new Inception(528, 256, 160, 320, 32, 128, 128);
  maxpool4 = new MaxPool2d(2, { stride: 2, ceilMode: true });
  inception5a = new Inception(832, 256, 160, 320, 32, 128, 128);
  inception5b = new Inception(832, 384, 192, 384, 48, 128, 128);
  avgpool = new AdaptiveAvgPool2d([1, 1]);
  dropout = new Dropout(0.2);
  fc: Linear;
  /** new GoogLeNet(num_classes = 1000, aux_logits = false, transform_input = false); aux classifiers are not built. */
  constructor(...args: GoogLeNetArgs) {
    super();
    const { numClasses } = classSigs.GoogLeNet.parse(args);
    this.fc = new Linear(1024, numClasses);
  }
  forward(x: Tensor): Tensor {
    let h = this.maxpool1(this.conv1(x));
    h = this.maxpool2(this.conv3(this.conv2(h)));
    h = this.maxpool3(this.inception3b(this.inception3a(h)));
    h = this.inception4e(this.inception4d(this.inception4c(this.inception4b(this.inception4a(h)))));
    h = this.inception5b(this.inception5a(this.maxpool4(h)));
    return this.fc(this.dropout(flatten(this.avgpool(h), 1)));
  }
}

export const googlenet = (options?: BuilderOptions<typeof builderSigs.googlenet>): GoogLeNet => new GoogLeNet(builderSigs.googlenet.parse([options]).numClasses);

/** DenseNet-121, MobileNetV2 and SqueezeNet 1.0 (torchvision definitions). */
import type { Tensor } from '../tensor';
import { Module } from '../nn/module';
import { builderSigs, classSigs } from './sigs';
import type { BuilderOptions, DenseNetArgs, MobileNetV2Args, SqueezeNetArgs } from './sigs';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../nn/pooling';
import { Conv2d } from '../nn/conv';
import { Flatten, Linear } from '../nn/linear';
import { ReLU } from '../nn/activation';
import { Sequential } from '../nn/container';
import { BatchNorm2d } from '../nn/normalization';
import { Dropout } from '../nn/dropout';
import { add, relu } from '../ops/basic';
import { cat, flatten } from '../ops/views';
import { adaptiveAvgPool2d } from '../ops/nn/pool';
import { convBnAct, noExtraArgs } from './common';

export class DenseLayer extends Module {
  norm1: BatchNorm2d; relu1 = new ReLU(); conv1: Conv2d; norm2: BatchNorm2d; relu2 = new ReLU(); conv2: Conv2d;
  constructor(cin: number, growth: number, bnSize: number) {
    super();
    this.norm1 = new BatchNorm2d(cin);
    this.conv1 = new Conv2d(cin, bnSize * growth, 1, { bias: false });
    this.norm2 = new BatchNorm2d(bnSize * growth);
    this.conv2 = new Conv2d(bnSize * growth, growth, 3, { padding: 1, bias: false });
  }
  forward(x: Tensor): Tensor {
    const y = this.conv2(this.relu2(this.norm2(this.conv1(this.relu1(this.norm1(x))))));
    return cat([x, y], 1);
  }
}

/**
 * PyTorch's Sequential(OrderedDict(...)) (DenseNet's features.conv0 / features.denseblock1.denselayer1 / ...): now
 * simply nn.Sequential's named form, `new nn.Sequential(new Map(entries))`; kept as a name for existing code.
 */
export class NamedSequential extends Sequential {
  constructor(entries: Array<[string, Module]>) {
    super(entries);
  }
}

export class DenseNet extends Module {
  features: NamedSequential;
  classifier: Linear;
  /** torchvision's order: (growth_rate, block_config, num_init_features, bn_size, drop_rate = 0, num_classes, memory_efficient). */
  constructor(...args: DenseNetArgs) {
    super();
    const { growthRate: growth, blockConfig: blocks, numInitFeatures: initFeatures, bnSize, numClasses } = classSigs.DenseNet.parse(args);
    const layers: Array<[string, Module]> = [['conv0', new Conv2d(3, initFeatures, 7, { stride: 2, padding: 3, bias: false })],
      ['norm0', new BatchNorm2d(initFeatures)], ['relu0', new ReLU()], ['pool0', new MaxPool2d(3, { stride: 2, padding: 1 })]];
    let c = initFeatures;
    blocks.forEach((n, i) => {
      const block: Array<[string, Module]> = [];
      for (let k = 0; k < n; k++) block.push([`denselayer${k + 1}`, new DenseLayer(c + k * growth, growth, bnSize)]);
      layers.push([`denseblock${i + 1}`, new NamedSequential(block)]);
      c += n * growth;
      if (i !== blocks.length - 1) {
        layers.push([`transition${i + 1}`, new NamedSequential([['norm', new BatchNorm2d(c)], ['relu', new ReLU()],
          ['conv', new Conv2d(c, Math.floor(c / 2), 1, { bias: false })], ['pool', new AvgPool2d(2, { stride: 2 })]])]);
        c = Math.floor(c / 2);
      }
    });
    layers.push(['norm5', new BatchNorm2d(c)]);
    this.features = new NamedSequential(layers);
    this.classifier = new Linear(c, numClasses);
  }
  forward(x: Tensor): Tensor {
    return this.classifier(flatten(adaptiveAvgPool2d(relu(this.features(x)), [1, 1]), 1));
  }
}

export const densenet121 = (options?: BuilderOptions<typeof builderSigs.densenet121>): DenseNet =>
  new DenseNet(32, [6, 12, 24, 16], 64, 4, 0, builderSigs.densenet121.parse([options]).numClasses);

const makeDivisible = (v: number, d = 8): number => {
  const n = Math.max(d, Math.floor((v + d / 2) / d) * d);
  return n < 0.9 * v ? n + d : n;
};

export class InvertedResidual extends Module {
  conv: Sequential;
  readonly useRes: boolean;
  constructor(inp: number, oup: number, stride: number, expand: number, ...rest: unknown[]) {
    super();
    noExtraArgs('InvertedResidual', 4, rest);
    const hidden = Math.round(inp * expand);
    this.useRes = stride === 1 && inp === oup;
    const layers: Module[] = [];
    if (expand !== 1) layers.push(convBnAct(inp, hidden, 1, { act: 'relu6' }));
    layers.push(convBnAct(hidden, hidden, 3, { stride, groups: hidden, act: 'relu6' }),
      new Conv2d(hidden, oup, 1, { bias: false }), new BatchNorm2d(oup));
    this.conv = new Sequential(...layers);
  }
  forward(x: Tensor): Tensor {
    return this.useRes ? add(x, this.conv(x)) : this.conv(x);
  }
}

export class MobileNetV2 extends Module {
  features: Sequential;
  classifier: Sequential;
  /** new MobileNetV2(num_classes = 1000, width_mult = 1), torchvision's order (or options). */
  constructor(...args: MobileNetV2Args) {
    super();
    const { numClasses, widthMult } = classSigs.MobileNetV2.parse(args);
    const settings = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];
    let cin = makeDivisible(32 * widthMult);
    const last = makeDivisible(1280 * Math.max(1, widthMult));
    const layers: Module[] = [convBnAct(3, cin, 3, { stride: 2, act: 'relu6' })];
    for (const [t, c, n, s] of settings) {
      const cout = makeDivisible(c * widthMult);
      for (let i = 0; i < n; i++) {
        layers.push(new InvertedResidual(cin, cout, i === 0 ? s : 1, t));
        cin = cout;
      }
    }
    layers.push(convBnAct(cin, last, 1, { act: 'relu6' }));
    this.features = new Sequential(...layers);
    this.classifier = new Sequential(new Dropout(0.2), new Linear(last, numClasses));
  }
  forward(x: Tensor): Tensor {
    return this.classifier(flatten(adaptiveAvgPool2d(this.features(x), [1, 1]), 1));
  }
}

export const mobilenetV2 = (options?: BuilderOptions<typeof builderSigs.mobilenetV2>): MobileNetV2 => {
  const o = builderSigs.mobilenetV2.parse([options]);
  return new MobileNetV2(o.numClasses, o.widthMult);
};

export class Fire extends Module {
  squeeze: Conv2d; squeezeActivation = new ReLU(); expand1x1: Conv2d; expand1x1Activation = new ReLU(); expand3x3: Conv2d; expand3x3Activation = new ReLU();
  constructor(cin: number, squeeze: number, e1: number, e3: number, ...rest: unknown[]) {
    super();
    noExtraArgs('Fire', 4, rest);
    this.squeeze = new Conv2d(cin, squeeze, 1);
    this.expand1x1 = new Conv2d(squeeze, e1, 1);
    this.expand3x3 = new Conv2d(squeeze, e3, 3, { padding: 1 });
  }
  forward(x: Tensor): Tensor {
    const s = this.squeezeActivation(this.squeeze(x));
    return cat([this.expand1x1Activation(this.expand1x1(s)), this.expand3x3Activation(this.expand3x3(s))], 1);
  }
}

export class SqueezeNet extends Module {
  features: Sequential;
  classifier: Sequential;
  /** new SqueezeNet(version = '1_0', num_classes = 1000, dropout = 0.5), torchvision's order (or options). */
  constructor(...args: SqueezeNetArgs) {
    super();
    const { numClasses, dropout } = classSigs.SqueezeNet.parse(args);
    const pool = (): MaxPool2d => new MaxPool2d(3, { stride: 2, ceilMode: true });
    this.features = new Sequential(new Conv2d(3, 96, 7, { stride: 2 }), new ReLU(), pool(),
      new Fire(96, 16, 64, 64), new Fire(128, 16, 64, 64), new Fire(128, 32, 128, 128), pool(),
      new Fire(256, 32, 128, 128), new Fire(256, 48, 192, 192), new Fire(384, 48, 192, 192), new Fire(384, 64, 256, 256), pool(),
      new Fire(512, 64, 256, 256));
    this.classifier = new Sequential(new Dropout(dropout), new Conv2d(512, numClasses, 1), new ReLU(), new AdaptiveAvgPool2d([1, 1]));
  }
  forward(x: Tensor): Tensor {
    return flatten(this.classifier(this.features(x)), 1);
  }
}

export const squeezenet1_0 = (options?: BuilderOptions<typeof builderSigs.squeezenet1_0>): SqueezeNet => {
  const o = builderSigs.squeezenet1_0.parse([options]);
  return new SqueezeNet('1_0', o.numClasses, o.dropout);
};

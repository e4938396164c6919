/** LeNet-5 (the lectures' modern variant), AlexNet and VGG (torchvision definitions), NiN and VGG for CIFAR-10. */
import type { Tensor } from '../tensor';
import { Module } from '../nn/module';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../nn/pooling';
import { Conv2d } from '../nn/conv';
import { Flatten, Linear } from '../nn/linear';
import { ReLU } from '../nn/activation';
import { Sequential } from '../nn/container';
import { BatchNorm2d } from '../nn/normalization';
import { Dropout } from '../nn/dropout';
import { flatten } from '../ops/views';
import * as init from '../nn/init';
import { builderSigs, classSigs, vggBnSig, vggSig } from './sigs';
import type { AlexNetArgs, BuilderOptions, VGGArgs } from './sigs';

/** LeNet-5 as the lectures teach it today: 1×28×28 padded to 32×32, ReLU, max pooling, full connections. */
export function lenet5(options?: BuilderOptions<typeof builderSigs.lenet5>): Sequential {
  const opts = builderSigs.lenet5.parse([options]);
  return new Sequential(
    new Conv2d(opts.inChannels ?? 1, 6, 5, { padding: 2 }), new ReLU(), new MaxPool2d(2),
    new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(16 * 5 * 5, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, opts.numClasses ?? 10),
  );
}

export class AlexNet extends Module {
  features: Sequential;
  avgpool = new AdaptiveAvgPool2d([6, 6]);
  classifier: Sequential;
  /** new AlexNet(num_classes = 1000, dropout = 0.5), torchvision's order (or an options object). */
  constructor(...args: AlexNetArgs) {
    super();
    const { numClasses, dropout } = classSigs.AlexNet.parse(args);
    this.features = new Sequential(
      new Conv2d(3, 64, 11, { stride: 4, padding: 2 }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(64, 192, 5, { padding: 2 }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(192, 384, 3, { padding: 1 }), new ReLU(),
      new Conv2d(384, 256, 3, { padding: 1 }), new ReLU(),
      new Conv2d(256, 256, 3, { padding: 1 }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
    );
    this.classifier = new Sequential(
      new Dropout(dropout), new Linear(256 * 6 * 6, 4096), new ReLU(),
      new Dropout(dropout), new Linear(4096, 4096), new ReLU(), new Linear(4096, numClasses),
    );
  }
  forward(x: Tensor): Tensor {
    return this.classifier(flatten(this.avgpool(this.features(x)), 1));
  }
}

export const alexnet = (options?: BuilderOptions<typeof builderSigs.alexnet>): AlexNet => {
  const o = builderSigs.alexnet.parse([options]);
  return new AlexNet(o.numClasses, o.dropout);
};

const VGG_CFG: Record<string, Array<number | 'M'>> = {
  A: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  D: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  E: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
};

function vggFeatures(cfg: Array<number | 'M'>, batchNorm: boolean, inChannels = 3): Sequential {
  const layers: Module[] = [];
  let c = inChannels;
  for (const v of cfg) {
    if (v === 'M') layers.push(new MaxPool2d(2, { stride: 2 }));
    else {
      layers.push(new Conv2d(c, v, 3, { padding: 1 }));
      if (batchNorm) layers.push(new BatchNorm2d(v));
      layers.push(new ReLU());
      c = v;
    }
  }
  return new Sequential(...layers);
}

export class VGG extends Module {
  features: Sequential;
  avgpool = new AdaptiveAvgPool2d([7, 7]);
  classifier: Sequential;
  /** new VGG(features, num_classes = 1000, init_weights = true, dropout = 0.5), torchvision's order (or options). */
  constructor(features: Sequential, ...args: VGGArgs) {
    super();
    const { numClasses, initWeights, dropout } = classSigs.VGG.parse(args);
    this.features = features;
    this.classifier = new Sequential(
      new Linear(512 * 7 * 7, 4096), new ReLU(), new Dropout(dropout),
      new Linear(4096, 4096), new ReLU(), new Dropout(dropout), new Linear(4096, numClasses),
    );
    // torchvision's VGG init
    for (const m of initWeights ? this.modules() : []) {
      if (m instanceof Conv2d) {
        init.kaimingNormal_(m.weight, { mode: 'fanOut', nonlinearity: 'relu' });
        if (m.bias) init.zeros_(m.bias);
      } else if (m instanceof Linear) {
        init.normal_(m.weight, 0, 0.01);
        if (m.bias) init.zeros_(m.bias);
      }
    }
  }
  forward(x: Tensor): Tensor {
    return this.classifier(flatten(this.avgpool(this.features(x)), 1));
  }
}

const vggBuilder = (name: string, cfg: Array<number | 'M'>) => {
  const sig = vggSig(name);
  return (options?: BuilderOptions<typeof sig>): VGG => {
    const o = sig.parse([options]);
    return new VGG(vggFeatures(cfg, o.batchNorm), o.numClasses, true, o.dropout);
  };
};
const vggBnBuilder = (name: string, cfg: Array<number | 'M'>) => {
  const sig = vggBnSig(name);
  return (options?: BuilderOptions<typeof sig>): VGG => {
    const o = sig.parse([options]);
    return new VGG(vggFeatures(cfg, true), o.numClasses, true, o.dropout);
  };
};
export const vgg11 = vggBuilder('vgg11', VGG_CFG.A);
export const vgg16 = vggBuilder('vgg16', VGG_CFG.D);
export const vgg19 = vggBuilder('vgg19', VGG_CFG.E);
export const vgg11Bn = vggBnBuilder('vgg11Bn', VGG_CFG.A);
export const vgg16Bn = vggBnBuilder('vgg16Bn', VGG_CFG.D);
export const vgg19Bn = vggBnBuilder('vgg19Bn', VGG_CFG.E);

/** VGG for CIFAR-10 (the lectures' 13-conv modification): VGG16's conv stack on 32×32, then Linear(512, classes). */
export function vggCifar10(options?: BuilderOptions<typeof builderSigs.vggCifar10>): Sequential {
  const o = builderSigs.vggCifar10.parse([options]);
  return new Sequential(vggFeatures(VGG_CFG.D, o.batchNorm ?? true), new Flatten(), new Linear(512, o.numClasses ?? 10));
}

function ninBlock(cin: number, cout: number, k: number, padding: number, mid: [number, number]): Module[] {
  return [
    new Conv2d(cin, cout, k, { padding }), new ReLU(),
    new Conv2d(cout, mid[0], 1), new ReLU(),
    new Conv2d(mid[0], mid[1], 1), new ReLU(),
  ];
}

/** Network in Network for CIFAR-10 (lectures): 3×3/2 max pools with ceilMode (32 → 16 → 8), global average pool. */
export function nin(options?: BuilderOptions<typeof builderSigs.nin>): Sequential {
  const k = builderSigs.nin.parse([options]).numClasses;
  return new Sequential(
    ...ninBlock(3, 192, 5, 2, [160, 96]), new MaxPool2d(3, { stride: 2, ceilMode: true }), new Dropout(0.5),
    ...ninBlock(96, 192, 5, 2, [192, 192]), new MaxPool2d(3, { stride: 2, ceilMode: true }), new Dropout(0.5),
    ...ninBlock(192, 192, 3, 1, [192, k]), new AvgPool2d(8), new Flatten(),
  );
}

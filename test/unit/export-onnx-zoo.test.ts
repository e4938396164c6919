/**
 * onnx.export on the model zoo: every zoo model is exported with a dynamic batch, run in onnxruntime-web (pure
 * WASM, from node_modules) and compared with Layerwise's forward (≤ 1e-4 relative), at the traced batch (2) and
 * at another (3). AlexNet and VGG-11/16/19(-BN) carry a 25088×4096 classifier (0.5 GB of weights, ~75 s per model
 * on this machine): they run with LAYERWISE_EXPORT_FULL=1; their conv stacks are covered by vggCifar10 below.
 */
import { strict as assert } from 'node:assert';
import { onnxParity, randomizeStats } from './export-helpers';

const rt = require('../../src/runtime');
const { models } = rt;

const CASES: Array<[string, () => any, number[]]> = [
  ['lenet5', () => models.lenet5(), [1, 28, 28]],
  ['vggCifar10', () => models.vggCifar10(), [3, 32, 32]],
  ['nin', () => models.nin(), [3, 32, 32]],
  ['resnet18', () => models.resnet18({ numClasses: 10 }), [3, 64, 64]],
  ['resnet18Cifar10', () => models.resnet18Cifar10(), [3, 32, 32]],
  ['resnet34', () => models.resnet34({ numClasses: 10 }), [3, 32, 32]],
  ['resnet50', () => models.resnet50({ numClasses: 10 }), [3, 32, 32]],
  ['resnext50_32x4d', () => models.resnext50_32x4d({ numClasses: 10 }), [3, 32, 32]],
  ['googlenet', () => models.googlenet({ numClasses: 10 }), [3, 64, 64]],
  ['densenet121', () => models.densenet121({ numClasses: 10 }), [3, 32, 32]],
  ['mobilenetV2', () => models.mobilenetV2({ numClasses: 10 }), [3, 32, 32]],
  ['squeezenet1_0', () => models.squeezenet1_0({ numClasses: 10 }), [3, 64, 64]],
];
const FULL: Array<[string, () => any, number[]]> = [
  ['alexnet', () => models.alexnet(), [3, 63, 63]],
  ['vgg11', () => models.vgg11(), [3, 32, 32]], ['vgg11Bn', () => models.vgg11Bn(), [3, 32, 32]],
  ['vgg16', () => models.vgg16(), [3, 32, 32]], ['vgg16Bn', () => models.vgg16Bn(), [3, 32, 32]],
  ['vgg19', () => models.vgg19(), [3, 32, 32]], ['vgg19Bn', () => models.vgg19Bn(), [3, 32, 32]],
];

describe('onnx.export: every zoo model runs in onnxruntime-web with Layerwise\'s outputs', function () {
  this.timeout(600_000);
  const cases = process.env.LAYERWISE_EXPORT_FULL ? [...CASES, ...FULL] : CASES;
  for (const [name, make, chw] of cases) {
    it(`${name} (${chw.join('×')}, batch 2 traced, batch 3 run)`, async () => {
      rt.manualSeed(1);
      const m = make();
      randomizeStats(m);
      const { err, errMore } = await onnxParity(m, rt.randn([2, ...chw]), rt.randn([3, ...chw]));
      assert.ok(err <= 1e-4, `${name}: relative error ${err}`);
      assert.ok(errMore! <= 1e-4, `${name} (batch 3): relative error ${errMore}`);
    });
  }
});

/**
 * `models.resnet18()`-style calls: the zoo's parameter counts (torchvision-identical; checked against the runtime
 * by test/unit/inspector-analyzer.test.ts) and the classifier's input width, so `{numClasses: k}` is exact too.
 * The draft shows such a model as one row: [N, numClasses] out of a 4-D input, its parameters; inner layers `?`.
 */
import { linearParams } from '../../../runtime/shape';
import { UNKNOWN, type DraftLayer, type Value } from './layers';

/** name → [parameters with the default classes, classifier input width, default classes] */
export const ZOO: Record<string, [number, number, number]> = {
  lenet5: [61_706, 84, 10],
  alexnet: [61_100_840, 4096, 1000],
  vgg11: [132_863_336, 4096, 1000],
  vgg16: [138_357_544, 4096, 1000],
  vgg19: [143_667_240, 4096, 1000],
  vgg11Bn: [132_868_840, 4096, 1000],
  vgg16Bn: [138_365_992, 4096, 1000],
  vgg19Bn: [143_678_248, 4096, 1000],
  vggCifar10: [14_728_266, 512, 10],
  nin: [966_986, 192, 10],
  resnet18: [11_689_512, 512, 1000],
  resnet34: [21_797_672, 512, 1000],
  resnet50: [25_557_032, 2048, 1000],
  resnext50_32x4d: [25_028_904, 2048, 1000],
  resnet18Cifar10: [11_173_962, 512, 10],
  googlenet: [6_624_904, 1024, 1000],
  densenet121: [7_978_856, 1024, 1000],
  mobilenetV2: [3_504_872, 1280, 1000],
  squeezenet1_0: [1_248_424, 512, 1000],
};

const TYPE: Record<string, string> = { lenet5: 'Sequential', alexnet: 'AlexNet', vggCifar10: 'Sequential', nin: 'Sequential', squeezenet1_0: 'Sequential',
  googlenet: 'GoogLeNet', densenet121: 'DenseNet', mobilenetV2: 'MobileNetV2' };
const typeOf = (name: string): string => TYPE[name] ?? (name.startsWith('vgg') ? 'VGG' : name.startsWith('res') ? 'ResNet' : name);

/** The draft of `models.<name>(opts)`, or undefined when the name is not in the zoo. */
export function zooModel(name: string, opts: Value): DraftLayer | undefined {
  const entry = ZOO[name];
  if (!entry) return undefined;
  const [base, cin, dflt] = entry;
  const o = opts === undefined ? {} : opts;
  const literal = typeof o === 'object' && o !== null && !Array.isArray(o) && (o as { kind?: string }).kind !== 'layer';
  const rec = literal ? (o as Record<string, Value>) : null;
  // Options other than numClasses change the architecture: unknown (never guessed).
  const onlyClasses = rec !== null && Object.keys(rec).every((k) => k === 'numClasses');
  const k = rec?.numClasses === undefined ? dflt : rec.numClasses;
  const ok = onlyClasses && typeof k === 'number' && Number.isInteger(k) && k > 0 && k !== (UNKNOWN as unknown);
  const params = ok ? base - linearParams(cin, dflt).params + linearParams(cin, k as number).params : NaN;
  return {
    kind: 'layer', type: typeOf(name), params, children: [], paramFormulas: ok ? [`models.${name}: ${params.toLocaleString('en-US')} parameters`] : [],
    apply: (x) => ({ out: ok && x && x.length === 4 ? [x[0], k as number] : null, formulas: [], warnings: [], macs: NaN }),
  };
}

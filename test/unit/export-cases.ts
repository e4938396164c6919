/** The layer cases both exports are checked on (ONNX in onnxruntime-web, PyTorch in the interop suite). */
const rt = require('../../src/runtime');
const { nn, F } = rt;

class Custom extends nn.Module {
  fc1 = new nn.Linear(6, 8);
  fc2 = new nn.Linear(8, 6);
  mix = new nn.Parameter(rt.randn([6, 4]));
  forward(x: any): any {
    const h = rt.relu(this.fc1(x));
    const a = rt.sigmoid(rt.mul(h, 0.5));
    const b = rt.cat([rt.sub(h, 1), rt.div(a, 2)], 1);                         // [N, 16]
    const c = rt.add(rt.sum(b.reshape([b.shape[0], 4, 4]), 2), rt.exp(rt.neg(rt.tanh(b.narrow(1, 0, 4))))); // [N, 4]
    const d = rt.max(rt.unsqueeze(c, 2).expand(c.shape[0], 4, 3), 2).values;  // [N, 4]
    // a 2-D matmul with a weight (a batched matmul broadcasting a weight is traced at the sample's batch size)
    const e = rt.matmul(F.softmax(d, 1), rt.permute(this.mix, [1, 0])).unsqueeze(1);          // [N, 1, 6]
    return rt.add(this.fc2(h), rt.mul(rt.pow(rt.clamp(rt.squeeze(e, 1), -1, 1), 2), rt.sqrt(rt.add(rt.abs(x), 1))));
  }
}

/** Functional activations whose autograd nodes carry their parameters (or, for GELU, not: read off the values). */
class Activations extends nn.Module {
  fc = new nn.Linear(4, 4);
  forward(x: any): any {
    const h = this.fc(x);
    const a = rt.add(F.gelu(h), F.gelu(h, { approximate: 'tanh' }));
    const b = rt.add(F.leakyRelu(h, 0.3), rt.add(F.elu(h, 0.7), F.softplus(h, { beta: 3, threshold: 2 })));
    return rt.add(rt.clamp(a, null, 1.5), rt.mul(rt.clamp(b, -0.5), rt.expm1(rt.log1p(rt.abs(h)))));
  }
}

export const LAYER_CASES: Array<[string, () => any, number[]]> = [
  ['Linear', () => new nn.Linear(5, 4), [5]],
  ['Linear on 3-D input, no bias', () => new nn.Linear(5, 4, { bias: false }), [3, 5]],
  ['Conv2d stride/padding/dilation/groups', () => new nn.Conv2d(4, 6, 3, { stride: 2, padding: 2, dilation: 2, groups: 2 }), [4, 9, 9]],
  ["Conv2d padding 'same', no bias", () => new nn.Conv2d(3, 4, [4, 3], { padding: 'same', bias: false }), [3, 7, 6]],
  ['Conv1d', () => new nn.Conv1d(3, 5, 3, { stride: 2, padding: 1 }), [3, 11]],
  ['MaxPool2d k3 s2 p1', () => new nn.MaxPool2d(3, { stride: 2, padding: 1 }), [2, 9, 9]],
  ['MaxPool2d ceilMode', () => new nn.MaxPool2d(3, { stride: 2, ceilMode: true }), [2, 10, 10]],
  ['MaxPool1d', () => new nn.MaxPool1d(2), [3, 8]],
  ['AvgPool2d padding, countIncludePad false', () => new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }), [2, 7, 7]],
  ['AvgPool2d divisorOverride', () => new nn.AvgPool2d(2, { divisorOverride: 3 }), [2, 6, 6]],
  ['AdaptiveAvgPool2d [2, 2] from 6×4', () => new nn.AdaptiveAvgPool2d([2, 2]), [3, 6, 4]],
  ['AdaptiveAvgPool2d 1', () => new nn.AdaptiveAvgPool2d(1), [3, 5, 5]],
  ['Flatten', () => new nn.Flatten(), [2, 3, 4]],
  ['Flatten(2)', () => new nn.Flatten(2), [2, 3, 4]],
  ['ReLU', () => new nn.ReLU(), [7]],
  ['LeakyReLU(0.2)', () => new nn.LeakyReLU(0.2), [7]],
  ['ELU(0.5)', () => new nn.ELU(0.5), [7]],
  ['GELU', () => new nn.GELU(), [7]],
  ["GELU('tanh')", () => new nn.GELU('tanh'), [7]],
  ['Sigmoid', () => new nn.Sigmoid(), [7]],
  ['Tanh', () => new nn.Tanh(), [7]],
  ['Softmax(1)', () => new nn.Softmax(1), [7]],
  ['LogSoftmax(-1)', () => new nn.LogSoftmax(-1), [3, 7]],
  ['Identity', () => new nn.Identity(), [7]],
  ['Softplus beta 2 threshold 5', () => new nn.Softplus({ beta: 2, threshold: 5 }), [9]],
  ['BatchNorm1d (N, C)', () => new nn.BatchNorm1d(5), [5]],
  ['BatchNorm1d (N, C, L)', () => new nn.BatchNorm1d(3, { eps: 1e-3 }), [3, 6]],
  ['BatchNorm2d', () => new nn.BatchNorm2d(3), [3, 4, 4]],
  ['LayerNorm', () => new nn.LayerNorm([3, 4]), [2, 3, 4]],
  ['LayerNorm without affine', () => new nn.LayerNorm(4, { elementwiseAffine: false }), [3, 4]],
  ['GroupNorm', () => new nn.GroupNorm(2, 6), [6, 3, 3]],
  ['InstanceNorm2d affine', () => new nn.InstanceNorm2d(3, { affine: true }), [3, 5, 5]],
  ['InstanceNorm2d trackRunningStats', () => new nn.InstanceNorm2d(3, { trackRunningStats: true }), [3, 5, 5]],
  ['Dropout (eval)', () => new nn.Dropout(0.3), [7]],
  ['Dropout2d (eval)', () => new nn.Dropout2d(0.3), [2, 3, 3]],
  ['Maxout', () => new nn.Maxout(5, 3, 4), [5]],
  ['Sequential of layers', () => new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(18, 3)), [1, 5, 5]],
  ['custom nn.Module with functional ops', () => new Custom(), [6]],
  ['functional activations (gelu both forms, leakyRelu, elu, softplus, one-sided clamp)', () => new Activations(), [4]],
];

export function randomAffine(m: any): void {
  for (const x of m.modules()) {
    if (x.weight && x.bias && !(x instanceof nn.Linear) && !(x instanceof nn.Conv2d)) {
      x.weight.data.copy_(rt.add(rt.rand(x.weight.shape), 0.5));
      x.bias.data.copy_(rt.randn(x.bias.shape));
    }
  }
}


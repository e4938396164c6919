/**
 * src/runtime/args.ts: the one argument normaliser behind every public signature (PyTorch positional order,
 * trailing options object, snake_case aliases, and the errors for everything else).
 */
import { strict as assert } from 'node:assert';
import { signature, kinds, nullable, oneOf, either, type CallForms, type OptionsOf, type Parsed } from '../../src/runtime/args';

const conv = signature('Conv2d', {
  inChannels: { kind: kinds.positiveInt, required: true },
  outChannels: { kind: kinds.positiveInt, required: true },
  kernelSize: { kind: kinds.intOrPair, required: true },
  stride: { kind: kinds.intOrPair, default: 1 },
  padding: { kind: either(kinds.nonNegIntOrPair, oneOf('same', 'valid')), default: 0 },
  dilation: { kind: kinds.intOrPair, default: 1 },
  groups: { kind: kinds.positiveInt, default: 1 },
  bias: { kind: kinds.boolean, default: true },
  paddingMode: { kind: oneOf('zeros', 'reflect', 'replicate', 'circular'), default: 'zeros' },
});

const sgd = signature('SGD', {
  params: { kind: kinds.shape, required: true },
  lr: { kind: kinds.positiveNumber, required: true },
  momentum: { kind: kinds.nonNegativeNumber, default: 0 },
  maximize: { kind: kinds.boolean, default: false, keywordOnly: true },
  tMax: { kind: nullable(kinds.positiveInt), default: null, aliases: ['T_max'] },
});

describe('args: one signature normaliser', () => {
  it('reads PyTorch positional order and fills the defaults', () => {
    const a = conv.parse([1, 2, 3, 2]);
    assert.deepEqual(a, {
      inChannels: 1,
      outChannels: 2,
      kernelSize: 3,
      stride: 2,
      padding: 0,
      dilation: 1,
      groups: 1,
      bias: true,
      paddingMode: 'zeros',
    });
    assert.equal(conv.parse([1, 2, 3, 1, 1]).padding, 1);
    assert.equal(conv.parse([1, 2, 3, 1, 0, 1, 1, false]).bias, false);
  });

  it('accepts a trailing options object beside positionals, and everything by name', () => {
    assert.equal(conv.parse([1, 2, 3, { stride: 2 }]).stride, 2);
    assert.equal(conv.parse([1, 2, 3, 1, { padding: 'same' }]).padding, 'same');
    assert.deepEqual(conv.parse([{ inChannels: 1, outChannels: 2, kernelSize: [3, 5] }]).kernelSize, [3, 5]);
    assert.equal(conv.parseOptions({ in_channels: 1, out_channels: 2, kernel_size: 3 }).inChannels, 1);
  });

  it('accepts the snake_case spelling and explicit aliases', () => {
    assert.equal(conv.parse([1, 2, 3, { padding_mode: 'reflect' }]).paddingMode, 'reflect');
    assert.equal(sgd.parse([[1], 0.1, { T_max: 10 }]).tMax, 10);
    assert.equal(sgd.parse([[1], 0.1, { t_max: 10 }]).tMax, 10);
  });

  it('treats undefined as not given', () => {
    assert.equal(conv.parse([1, 2, 3, undefined, 1]).stride, 1);
    assert.equal(conv.parse([1, 2, 3, { stride: undefined }]).stride, 1);
    assert.equal(conv.parse([1, 2, 3, undefined]).stride, 1);
  });

  it('rejects an unknown option, listing the valid ones', () => {
    assert.throws(
      () => conv.parse([1, 2, 3, { strides: 2 }]),
      /^Error: Conv2d: unknown option 'strides'; valid options are inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode \(or in_channels, .*padding_mode\)$/,
    );
  });

  it('rejects an argument given twice', () => {
    assert.throws(
      () => conv.parse([1, 2, 3, 2, { stride: 2 }]),
      /^Error: Conv2d: stride given twice \(positionally and as option 'stride'\)$/,
    );
    assert.throws(
      () => conv.parse([1, 2, 3, { padding_mode: 'zeros', paddingMode: 'zeros' }]),
      /Conv2d: paddingMode given twice \(as 'padding_mode' and 'paddingMode'\)/,
    );
  });

  it("rejects a missing required argument with PyTorch's message", () => {
    assert.throws(() => sgd.parse([[1]]), /^Error: SGD: lr is required$/);
    assert.throws(() => sgd.parse([[1], { momentum: 0.9 }]), /^Error: SGD: lr is required$/);
  });

  it('rejects a value of the wrong type, quoting it', () => {
    assert.throws(() => conv.parse([1, 2, 3, '2']), /^Error: Conv2d: stride must be a positive integer or a pair, got "2"$/);
    assert.throws(() => conv.parse([1, 2, 3, [1, 0]]), /stride must be a positive integer or a pair, got \[1, 0\]/);
    assert.throws(
      () => conv.parse([1, 2, 3, { padding: 'full' }]),
      /padding must be a non-negative integer or a pair or one of "same", "valid", got "full"/,
    );
    assert.throws(() => conv.parse([1.5, 2, 3]), /Conv2d: inChannels must be a positive integer, got 1.5/);
    assert.throws(() => sgd.parse([[1], 0.1, { tMax: new Map() }]), /tMax must be a positive integer or null, got a Map/);
  });

  it('rejects too many positionals and keeps keyword-only parameters keyword-only', () => {
    assert.throws(
      () => conv.parse([1, 2, 3, 1, 0, 1, 1, true, 'zeros', 5]),
      /^Error: Conv2d: takes at most 9 positional arguments \(inChannels, .*paddingMode\), got 10$/,
    );
    assert.throws(
      () => sgd.parse([[1], 0.1, 0, true, 5]),
      /SGD: takes at most 4 positional arguments \(params, lr, momentum, tMax\), got 5/,
    );
    assert.equal(sgd.parse([[1], 0.1, { maximize: true }]).maximize, true);
  });

  it('types both call forms and the parsed object (compile-time checks)', () => {
    type S = typeof conv.params;
    const p: Parsed<S> = conv.parse([1, 2, 3]);
    const stride: number | [number, number] = p.stride; // defaulted: not undefined
    const o: OptionsOf<S> = { ceil_mode: 1 } as unknown as OptionsOf<S>;
    // @ts-expect-error unknown option key in a typed options object
    const bad: OptionsOf<S> = { strides: 2 };
    const snake: OptionsOf<S> = { padding_mode: 'zeros', kernel_size: 3 };
    type Forms = CallForms<[inChannels: number, outChannels: number], [stride: number, bias: boolean], { bias?: boolean }>;
    const f1: Forms = [1, 2];
    const f2: Forms = [1, 2, 3, { bias: false }];
    const f3: Forms = [1, 2, 3, false];
    // @ts-expect-error a positional out of order
    const f4: Forms = [1, 2, false];
    assert.ok(stride && o && bad && snake && f1 && f2 && f3 && f4);
  });
});

describe("Module calls return forward()'s value", () => {
  it('model(x) is a Tensor for layers, Sequential and subclasses', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const L = require('../../src/runtime') as typeof import('../../src/runtime');
    class Net extends L.nn.Module {
      fc = new L.nn.Linear(4, 2);
      forward(x: InstanceType<typeof L.Tensor>): InstanceType<typeof L.Tensor> {
        return this.fc(x).relu();
      }
    }
    const x = L.randn([3, 4]);
    const a: InstanceType<typeof L.Tensor> = new L.nn.Linear(4, 2)(x);
    const b: InstanceType<typeof L.Tensor> = new L.nn.Sequential(new L.nn.Linear(4, 2), new L.nn.ReLU())(x);
    const c: InstanceType<typeof L.Tensor> = new Net()(x);
    assert.throws(() => new L.nn.Linear(4, 2)(3 as never));
    assert.deepEqual(
      [a.shape, b.shape, c.shape].map((s) => [...s]),
      [
        [3, 2],
        [3, 2],
        [3, 2],
      ],
    );
  });
});

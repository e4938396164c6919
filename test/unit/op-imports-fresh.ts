/**
 * Run by test/unit/op-imports.test.ts in a fresh process: the runtime's ops, nn layers, F, losses, init, clipping
 * and every optimizer work WITHOUT ops/methods.ts having installed the Tensor prototype methods (src/runtime/index.ts
 * is not imported). Prints one JSON line with the results; any hidden reliance on a method throws here.
 */
import { Tensor } from '../../src/runtime/tensor';
import * as P from '../../src/runtime/ops/public';
import * as R from '../../src/runtime/ops/reduce';
import { tensor, randn, manualSeed } from '../../src/runtime/ops/creation';
import { runBackward } from '../../src/runtime/autograd/engine';
import { grad } from '../../src/runtime/autograd/engine';
import { noGrad } from '../../src/runtime/autograd/mode';
import * as nn from '../../src/runtime/nn';
import * as optim from '../../src/runtime/optim';
import { F } from '../../src/runtime/functional';
import { BINARY } from '../../src/runtime/ops/binary-table';
import { REDUCTIONS } from '../../src/runtime/ops/reduce-table';
import { binaryOp, coerce } from '../../src/runtime/ops/basic';
import { setBackend } from '../../src/runtime/backend/registry';

const proto = Tensor.prototype as unknown as Record<string, unknown>;
const installed = ['add', 'mul', 'sum', 'reshape', 'add_', 'zero_', 'detach', 'clone'].filter((k) => k in proto);
const out: Record<string, unknown> = { installed };
setBackend(process.argv[2] === 'wasm' ? 'wasm' : 'reference');
manualSeed(0);

// every binary and reduction entry, backward and double backward included
const x = tensor([[0.4], [1.3], [2.6]], { requiresGrad: true });
const y = tensor([[0.7, 1.9, 0.25, 2.2]], { requiresGrad: true });
for (const op of Object.keys(BINARY) as Array<keyof typeof BINARY>) {
  const z = binaryOp(op, ...coerce(op, x, y));
  if (z.requiresGrad) {
    const [gx] = grad(R.sum(z), [x, y], { createGraph: true, allowUnused: true });
    if (gx?.requiresGrad) grad(R.sum(gx), [x], { allowUnused: true });
  }
}
const m = tensor(
  [
    [0.3, -1.2, 2.1],
    [1.5, -0.4, -2.2],
  ],
  { requiresGrad: true },
);
for (const e of Object.values(REDUCTIONS)) for (const d of [null, 0, 1]) runBackward(R.sum(e.apply(m, d)), null);

// layers, losses, F, init, clipping and every optimizer
const model = new nn.Sequential(
  new nn.Conv2d(1, 2, 3, { padding: 1 }),
  new nn.BatchNorm2d(2),
  new nn.ReLU(),
  new nn.Flatten(),
  new nn.Linear(32, 3),
);
const img = randn([2, 1, 4, 4]);
const target = tensor([0, 2], { dtype: 'int32' });
const names = Object.keys(optim).filter(
  (k) => /^[A-Z]/.test(k) && k !== 'Optimizer' && typeof (optim as Record<string, unknown>)[k] === 'function',
);
const losses: number[] = [];
for (const name of names) {
  const Opt = (optim as unknown as Record<string, new (p: unknown, o: unknown) => optim.Optimizer>)[name];
  const opt = new Opt(model.parameters(), { lr: 0.01 });
  const closure = (): Tensor => {
    opt.zeroGrad();
    const loss = P.add(F.crossEntropy(model.forward(img) as Tensor, target), F.mseLoss(P.sigmoid(R.mean(img)), tensor(0.5)));
    runBackward(loss, null);
    nn.utils.clipGradNorm_(model.parameters(), 1);
    return loss;
  };
  const r: unknown = opt.step(closure);
  losses.push(typeof r === 'number' ? r : r instanceof Tensor ? r.item() : closure().item());
}
noGrad(() => nn.init.kaimingUniform_(model.parameters()[0]));
out.optimizers = names;
out.losses = losses.map((l) => Number.isFinite(l));
out.stillNotInstalled = ['add', 'mul', 'sum', 'reshape', 'add_', 'zero_'].filter((k) => k in proto);
process.stdout.write(JSON.stringify(out) + '\n');

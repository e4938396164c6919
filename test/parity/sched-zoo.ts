/**
 * Phase 2 runners for sched.json (LR-scheduler lr sequences) and zoo.json (torchvision parameter counts and
 * shapes, checked on meta modules via `summary`, so no weights are allocated and no kernels run).
 */
import { makeTensor } from './fixtures';

export interface SchedCase {
  name: string;
  scheduler: string;
  options: Record<string, any>;
  epochs: number;
  lrs: number[];
}
export interface SchedFile {
  initialLr: number;
  plateauMetrics: { min: number[]; max: number[] };
  cases: SchedCase[];
}

/** The named lambdas of sched.json (the fixture stores their TS text in `lambdas`). */
const LAMBDAS: Record<string, (epoch: number) => number> = {
  exp095: (epoch) => 0.95 ** epoch,
  warmup5: (epoch) => Math.min(1, (epoch + 1) / 5),
};

export function runSchedCase(rt: any, file: SchedFile, c: SchedCase): string[] {
  const ns = rt.optim?.lrScheduler;
  if (!ns || typeof ns[c.scheduler] !== 'function') return [`runtime: optim.lrScheduler.${c.scheduler} is not exported`];
  const p = makeTensor(rt, { data: [0], shape: [1], dtype: 'float32' }, true);
  const opt = new rt.optim.SGD([p], { lr: file.initialLr });
  const options = { ...c.options };
  if (typeof options.lrLambda === 'string') options.lrLambda = LAMBDAS[options.lrLambda];
  const sched = new ns[c.scheduler](opt, options);
  const plateau = c.scheduler === 'ReduceLROnPlateau';
  const metrics = plateau ? file.plateauMetrics[c.options.mode as 'min' | 'max'] : [];
  for (let e = 0; e < c.epochs; e++) {
    const lr = opt.paramGroups[0].lr;
    if (!(Math.abs(lr - c.lrs[e]) <= 1e-12 + 1e-10 * Math.abs(c.lrs[e]))) {
      return [`epoch ${e}: lr ${lr} expected ${c.lrs[e]} (sequence so far ok; expected all: ${c.lrs.slice(0, e + 2).join(', ')}...)`];
    }
    opt.step();
    if (plateau) sched.step(metrics[e]);
    else sched.step();
  }
  return [];
}

export interface ZooCase {
  name: string;
  inputShape: number[];
  outputShape: number[];
  totalParams: number;
  trainableParams: number;
  childOutputShapes: [string, number[]][];
}

/** torchvision name → runtime `models` export. */
export function zooExport(name: string): string {
  return name.replace(/_(bn|v2)$/, (_, s: string) => s[0].toUpperCase() + s.slice(1));
}

function metaSummary(rt: any, c: ZooCase): any {
  const fn = rt.models?.[zooExport(c.name)];
  if (typeof fn !== 'function') throw new Error(`runtime: models.${zooExport(c.name)} is not exported`);
  return rt.summary(rt.nn.meta(() => fn()), c.inputShape);
}

export function runZooCounts(rt: any, c: ZooCase): string[] {
  const s = metaSummary(rt, c);
  const errors: string[] = [];
  if (s.totals.params !== c.totalParams) errors.push(`total params ${s.totals.params} expected ${c.totalParams}`);
  if (s.totals.trainable !== c.trainableParams) errors.push(`trainable params ${s.totals.trainable} expected ${c.trainableParams}`);
  const top = s.rows.find((r: any) => r.depth === 0);
  const out = top?.outputShape ? [...top.outputShape] : null;
  if (!out || out.join(',') !== c.outputShape.join(',')) errors.push(`output shape [${out}] expected [${c.outputShape}]`);
  return errors;
}

/** Top-level children (torchvision names, call order) and their output shapes: the structure state dicts rely on. */
export function runZooChildren(rt: any, c: ZooCase): string[] {
  const s = metaSummary(rt, c);
  const got = s.rows.filter((r: any) => r.depth === 1).map((r: any) => `${r.name}:[${r.outputShape ?? ''}]`);
  const want = c.childOutputShapes.map(([n, sh]) => `${n}:[${sh}]`);
  return got.join(' ') === want.join(' ') ? [] : [`top-level children\n    got      ${got.join(' ')}\n    expected ${want.join(' ')}`];
}

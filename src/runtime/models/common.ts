/** Building blocks shared by the model zoo. */
import type { Tensor } from '../tensor';
import { Module } from '../nn/module';
import { Conv2d } from '../nn/conv';
import { ReLU } from '../nn/activation';
import { Sequential } from '../nn/container';
import { BatchNorm2d } from '../nn/normalization';
import { clamp } from '../ops/basic';

export class ReLU6 extends Module {
  forward(x: Tensor): Tensor {
    return clamp(x, 0, 6);
  }
}

/** Building blocks take their numbers positionally (torchvision's order); one argument too many is an error, not ignored. */
export function noExtraArgs(name: string, takes: number, rest: readonly unknown[]): void {
  if (rest.some((v) => v !== undefined)) throw new Error(`${name}: takes at most ${takes} arguments, got ${takes + rest.length}`);
}

/** Conv (no bias) + BatchNorm + activation, the unit most zoo models are made of. */
export function convBnAct(cin: number, cout: number, k: number, opts: { stride?: number; padding?: number; groups?: number; eps?: number; act?: 'relu' | 'relu6' | null } = {}): Sequential {
  const layers: Module[] = [
    new Conv2d(cin, cout, k, { stride: opts.stride ?? 1, padding: opts.padding ?? Math.floor((k - 1) / 2), groups: opts.groups ?? 1, bias: false }),
    new BatchNorm2d(cout, { eps: opts.eps ?? 1e-5 }),
  ];
  if (opts.act !== null) layers.push(opts.act === 'relu6' ? new ReLU6() : new ReLU());
  return new Sequential(...layers);
}

/**
 * train.py for exportPyTorch: the same optimizer (class and hyper-parameters, read off the Layerwise optimizer)
 * and the same loss, in a loop that runs as one process or under torchrun with DistributedDataParallel.
 */
import { Module } from '../nn/module';
import * as Loss from '../nn/loss';
import * as optim from '../optim';
import { py } from './pytorch-modules';

type AnyOptimizer = { constructor: { name: string }; defaults: Record<string, unknown>; paramGroups: Array<Record<string, unknown>> };

/** torch.optim constructor call for a Layerwise optimizer (SGD, Adam, AdamW, RMSprop, Adagrad). */
export function optimizerExpr(opt: unknown): string {
  if (opt === undefined || opt === null) return 'torch.optim.SGD(params, lr=0.01)';
  const o = opt as AnyOptimizer;
  if (!o.defaults || !Array.isArray(o.paramGroups)) throw new Error('exportPyTorch: optimizer must be a Layerwise optimizer (optim.SGD, optim.Adam, …)');
  if (o.paramGroups.length > 1) throw new Error(`exportPyTorch: the optimizer has ${o.paramGroups.length} parameter groups; train.py reproduces one group (edit make_optimizer for more)`);
  const g = { ...o.defaults, ...o.paramGroups[0] } as Record<string, unknown>;
  const k = (pairs: Array<[string, string]>): string => pairs.filter(([, v]) => g[v] !== undefined).map(([t, v]) => `${t}=${py(g[v])}`).join(', ');
  if (opt instanceof optim.SGD) return `torch.optim.SGD(params, ${k([['lr', 'lr'], ['momentum', 'momentum'], ['dampening', 'dampening'], ['weight_decay', 'weightDecay'], ['nesterov', 'nesterov'], ['maximize', 'maximize']])})`;
  if (opt instanceof optim.AdamW) return `torch.optim.AdamW(params, ${k([['lr', 'lr'], ['betas', 'betas'], ['eps', 'eps'], ['weight_decay', 'weightDecay'], ['amsgrad', 'amsgrad'], ['maximize', 'maximize']])})`;
  if (opt instanceof optim.Adam) return `torch.optim.Adam(params, ${k([['lr', 'lr'], ['betas', 'betas'], ['eps', 'eps'], ['weight_decay', 'weightDecay'], ['amsgrad', 'amsgrad'], ['maximize', 'maximize']])})`;
  if (opt instanceof optim.RMSprop) return `torch.optim.RMSprop(params, ${k([['lr', 'lr'], ['alpha', 'alpha'], ['eps', 'eps'], ['weight_decay', 'weightDecay'], ['momentum', 'momentum'], ['centered', 'centered']])})`;
  if (opt instanceof optim.Adagrad) return `torch.optim.Adagrad(params, ${k([['lr', 'lr'], ['lr_decay', 'lrDecay'], ['weight_decay', 'weightDecay'], ['initial_accumulator_value', 'initialAccumulatorValue'], ['eps', 'eps']])})`;
  throw new Error(`exportPyTorch: optimizer ${o.constructor.name} has no torch.optim counterpart here (SGD, Adam, AdamW, RMSprop, Adagrad do)`);
}

const F_LOSSES: Record<string, string> = {
  crossEntropy: 'nn.CrossEntropyLoss()', mseLoss: 'nn.MSELoss()', l1Loss: 'nn.L1Loss()', nllLoss: 'nn.NLLLoss()',
  binaryCrossEntropy: 'nn.BCELoss()', binaryCrossEntropyWithLogits: 'nn.BCEWithLogitsLoss()', smoothL1Loss: 'nn.SmoothL1Loss()', huberLoss: 'nn.HuberLoss()',
};

/** torch.nn loss for a Layerwise loss module or the name of an F loss ('crossEntropy'). */
export function lossExpr(loss: unknown): string {
  if (loss === undefined || loss === null) return 'nn.CrossEntropyLoss()';
  if (typeof loss === 'string') {
    const e = F_LOSSES[loss];
    if (!e) throw new Error(`exportPyTorch: loss '${loss}' is not one of ${Object.keys(F_LOSSES).join(', ')} (or pass a loss module such as new nn.CrossEntropyLoss())`);
    return e;
  }
  if (!(loss instanceof Module)) throw new Error(`exportPyTorch: loss must be a loss module (new nn.CrossEntropyLoss()) or a name such as 'crossEntropy', got ${typeof loss}`);
  const red = (loss as unknown as { reduction: string }).reduction;
  const opts = (loss as unknown as { opts?: Record<string, unknown> }).opts ?? {};
  const noTensors = (name: string, keys: string[]): void => {
    for (const k of keys) if (opts[k]) throw new Error(`exportPyTorch: ${name} with a '${k}' tensor is not written to train.py; set it in make_loss()`);
  };
  if (loss instanceof Loss.CrossEntropyLoss) {
    noTensors('CrossEntropyLoss', ['weight']);
    return `nn.CrossEntropyLoss(reduction=${py(red)}, ignore_index=${py(opts.ignoreIndex ?? -100)}, label_smoothing=${py(opts.labelSmoothing ?? 0)})`;
  }
  if (loss instanceof Loss.NLLLoss) {
    noTensors('NLLLoss', ['weight']);
    return `nn.NLLLoss(reduction=${py(red)}, ignore_index=${py(opts.ignoreIndex ?? -100)})`;
  }
  if (loss instanceof Loss.MSELoss) return `nn.MSELoss(reduction=${py(red)})`;
  if (loss instanceof Loss.L1Loss) return `nn.L1Loss(reduction=${py(red)})`;
  if (loss instanceof Loss.SmoothL1Loss) return `nn.SmoothL1Loss(reduction=${py(red)}, beta=${py(loss.beta)})`;
  if (loss instanceof Loss.HuberLoss) return `nn.HuberLoss(reduction=${py(red)}, delta=${py(loss.delta)})`;
  if (loss instanceof Loss.BCELoss) {
    noTensors('BCELoss', ['weight']);
    return `nn.BCELoss(reduction=${py(red)})`;
  }
  if (loss instanceof Loss.BCEWithLogitsLoss) {
    noTensors('BCEWithLogitsLoss', ['weight', 'posWeight']);
    return `nn.BCEWithLogitsLoss(reduction=${py(red)})`;
  }
  throw new Error(`exportPyTorch: loss ${loss.constructor.name} is not written to train.py (CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss are)`);
}

export function trainPy(className: string, optimizer: string, loss: string, classification: boolean): string {
  return `"""Continue training the exported Layerwise model in PyTorch: same weights, optimizer and loss.

One process (CPU, or one GPU when available):
    python train.py --data batch.safetensors --steps 100
Many GPUs on one machine, DistributedDataParallel (one process per GPU):
    torchrun --nproc_per_node=4 train.py --data batch.safetensors --epochs 10
A cluster (run on every node, node_rank 0..N-1):
    torchrun --nnodes=2 --node_rank=0 --master_addr=HOST --master_port=29500 --nproc_per_node=8 train.py ...

--data is a safetensors file with tensors 'x' (inputs) and 'y' (targets), e.g. written from Layerwise with
saveSafetensors(new Map([['x', x], ['y', y]]), 'batch.safetensors'); replace make_dataset() for real data.
"""
import argparse
import os

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

from model import ${className}, load_safetensors


def make_optimizer(params):
    return ${optimizer}


def make_loss():
    return ${loss}


def make_dataset(args):
    if not args.data:
        raise SystemExit('pass --data FILE.safetensors (tensors x and y) or write make_dataset() for your data')
    t = load_safetensors(args.data)
    y = t['y']${classification ? `
    if not torch.is_floating_point(y):
        y = y.long()  # class indices: torch's losses want int64` : ''}
    return TensorDataset(t['x'], y)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', help='safetensors file with tensors x and y')
    p.add_argument('--weights', default=os.path.join(here, 'weights.safetensors'))
    p.add_argument('--epochs', type=int, default=1)
    p.add_argument('--steps', type=int, default=0, help='stop after this many steps (0: run all epochs)')
    p.add_argument('--batch-size', type=int, default=0, help='per process (0: the whole dataset in one batch)')
    p.add_argument('--shuffle', action='store_true', help='shuffle every epoch (off: the file order, as exported)')
    p.add_argument('--out', default=os.path.join(here, 'weights.trained.pt'))
    args = p.parse_args()

    distributed = int(os.environ.get('WORLD_SIZE', '1')) > 1
    if distributed:
        dist.init_process_group('nccl' if torch.cuda.is_available() else 'gloo')
    rank = dist.get_rank() if distributed else 0
    local_rank = int(os.environ.get('LOCAL_RANK', '0'))
    device = torch.device(f'cuda:{local_rank}' if torch.cuda.is_available() else 'cpu')
    if device.type == 'cuda':
        torch.cuda.set_device(device)

    model = ${className}()
    model.load_state_dict(load_safetensors(args.weights), strict=True)
    model.to(device).train()
    net = DistributedDataParallel(model, device_ids=[local_rank] if device.type == 'cuda' else None) if distributed else model
    optimizer = make_optimizer(net.parameters())
    loss_fn = make_loss()

    data = make_dataset(args)
    sampler = DistributedSampler(data, shuffle=args.shuffle) if distributed else None
    loader = DataLoader(data, batch_size=args.batch_size or len(data), sampler=sampler, shuffle=args.shuffle and sampler is None)

    step = 0
    for epoch in range(args.epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            loss = loss_fn(net(x), y)
            loss.backward()
            optimizer.step()
            step += 1
            if rank == 0:
                print(f'epoch {epoch + 1} step {step} loss {loss.item():.8f}', flush=True)
            if args.steps and step >= args.steps:
                break
        if args.steps and step >= args.steps:
            break

    if rank == 0:
        torch.save(model.state_dict(), args.out)
        print(f'saved {args.out}')
    if distributed:
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
`;
}

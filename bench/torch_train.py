#!/usr/bin/env python3
"""PyTorch side of `npm run bench`'s training rows (spawned by bench/training-torch.mjs).

A line server on stdin/stdout so the Node bench can interleave its own runs with PyTorch's one step at a time:
  step <model> <threads>          -> one SGD+momentum step (batch 64), prints "wall_ms cpu_ms" of that step
                                     (cpu = this process's CPU time, all threads)
  init <limit> <seed> <path>      -> writes the epoch's initial LeNet-5 weights and its batch order (the same
                                     seed gives the same ones to `epoch`) as JSON, so Layerwise can run the
                                     identical experiment; prints "ok"
  epoch <threads> <limit> <seed>  -> LeNet-5, Adam 1e-3, batch 64 over Fashion-MNIST (first `limit` train images,
                                     0 = all 60000), then test accuracy on the 10000 test images; prints
                                     "wall_ms cpu_ms acc"
The models are the same as bench/training.mjs builds with the Layerwise API (PyTorch's default inits).
"""
import gzip
import json
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

B = 64
FMNIST = '/usr/share/datasets/fashion-mnist'


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def vgg():
    def block(c, o):
        return [nn.Conv2d(c, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
    return nn.Sequential(*block(3, 32), *block(32, 32), nn.MaxPool2d(2), *block(32, 64), *block(64, 64),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 8 * 8, 128), nn.ReLU(), nn.Linear(128, 10))


class BasicBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(h)) + x)


def resnet():
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                         BasicBlock(16), BasicBlock(16), BasicBlock(16),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))


SHAPES = {'mlp': (mlp, [B, 784]), 'lenet': (lenet, [B, 1, 28, 28]), 'vgg': (vgg, [B, 3, 32, 32]),
          'resnet': (resnet, [B, 3, 32, 32])}
_setups = {}


def setup(name):
    if name not in _setups:
        make, shape = SHAPES[name]
        torch.manual_seed(0)
        model = make()
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        x = torch.randn(shape)
        y = torch.arange(B) * 7 % 10
        _setups[name] = (model, opt, x, y)
    return _setups[name]


def step(name):
    model, opt, x, y = setup(name)
    t, c = time.perf_counter(), time.process_time()
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    loss.item()
    return (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    ndim = data[3]
    shape = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(shape)


_fm = {}


def fashion():
    if not _fm:
        _fm['xtr'] = read_idx(f'{FMNIST}/train-images-idx3-ubyte.gz').float().div_(255).unsqueeze(1)
        _fm['ytr'] = read_idx(f'{FMNIST}/train-labels-idx1-ubyte.gz').long()
        _fm['xte'] = read_idx(f'{FMNIST}/t10k-images-idx3-ubyte.gz').float().div_(255).unsqueeze(1)
        _fm['yte'] = read_idx(f'{FMNIST}/t10k-labels-idx1-ubyte.gz').long()
    return _fm


def start(limit, seed):
    """The epoch's initial model and batch order: a function of (limit, seed) only."""
    d = fashion()
    n = d['xtr'].shape[0] if limit <= 0 else min(limit, d['xtr'].shape[0])
    torch.manual_seed(seed)
    model = lenet()
    g = torch.Generator().manual_seed(seed)
    return d, n, model, torch.randperm(n, generator=g)


def init(limit, seed, path):
    _, _, model, perm = start(limit, seed)
    state = {k: {'shape': list(v.shape), 'data': v.flatten().tolist()} for k, v in model.state_dict().items()}
    with open(path, 'w') as f:
        json.dump({'state': state, 'perm': perm.tolist()}, f)


def epoch(limit, seed):
    d, n, model, perm = start(limit, seed)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    t, c = time.perf_counter(), time.process_time()
    model.train()
    for i in range(0, n, B):
        idx = perm[i:i + B]
        opt.zero_grad()
        loss = F.cross_entropy(model(d['xtr'][idx]), d['ytr'][idx])
        loss.backward()
        opt.step()
    ms, cpu = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, d['xte'].shape[0], 1000):
            correct += (model(d['xte'][i:i + 1000]).argmax(1) == d['yte'][i:i + 1000]).sum().item()
    return ms, cpu, correct / d['xte'].shape[0]


def main():
    print(f'ready torch {torch.__version__}', flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        try:
            if parts[0] == 'step':
                torch.set_num_threads(int(parts[2]))
                wall, cpu = step(parts[1])
                print(f'{wall:.4f} {cpu:.4f}', flush=True)
            elif parts[0] == 'init':
                init(int(parts[1]), int(parts[2]), parts[3])
                print('ok', flush=True)
            elif parts[0] == 'epoch':
                torch.set_num_threads(int(parts[1]))
                ms, cpu, acc = epoch(int(parts[2]), int(parts[3]))
                print(f'{ms:.2f} {cpu:.2f} {acc:.4f}', flush=True)
            elif parts[0] == 'quit':
                break
            else:
                print(f'error unknown command {parts[0]}', flush=True)
        except Exception as e:  # report, keep serving
            print(f'error {type(e).__name__}: {e}'.replace('\n', ' '), flush=True)


if __name__ == '__main__':
    main()

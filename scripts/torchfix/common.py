"""Shared machinery for the PyTorch parity fixtures.

A fixture file is {"family", "torch", "format", "cases": [case...]}; a case is
  { name, op, kwargs,
    inputs:  [{name, data, shape, dtype, requiresGrad}],
    outputs: [{data, shape, dtype}],
    seeds:   [tensor | null]   # upstream gradient per output (null = not differentiable / not seeded)
    grads:   {inputName: tensor}  # d(sum_i <out_i, seed_i>)/d input, for every input with requiresGrad
    extra:   {inputName: tensor}  # inputs mutated in place by the op, read back after the call
    note?:   str, meta?: {...} (phase-2 extras, e.g. a layer's parameter count) }
Tensors are flat row-major `data` + `shape`; float32 values are rounded to 9 significant digits,
float64 keep full repr; non-finite values are the strings "inf", "-inf", "nan".
"""
import json
import math
import os
import zlib

import torch

FORMAT = 1
DT = {torch.float32: 'float32', torch.float64: 'float64', torch.int64: 'int32',
      torch.int32: 'int32', torch.bool: 'bool'}


def _num(v, dtype):
    if dtype in ('int32', 'bool'):
        return int(v)
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    if dtype == 'float32':
        return float('%.9g' % v)
    return float(repr(float(v)))


def ser(t):
    """Serialize a tensor (or python number) as {data, shape, dtype}."""
    if not isinstance(t, torch.Tensor):
        t = torch.tensor(t)
    t = t.detach()
    dtype = DT[t.dtype]
    flat = t.reshape(-1).tolist()
    return {'data': [_num(v, dtype) for v in flat], 'shape': list(t.shape), 'dtype': dtype}


class In:
    """One named input. grad=True makes it a leaf that requires grad (floating inputs only)."""

    def __init__(self, name, tensor, grad=True):
        self.name, self.tensor = name, tensor
        self.grad = bool(grad) and tensor.is_floating_point()


class Rng:
    """Deterministic inputs: each case gets its own generator seeded from its name."""

    def __init__(self, name, dtype=torch.float32):
        self.g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
        self.dtype = dtype

    def randn(self, *shape, scale=1.0):
        return torch.randn(tuple(shape), generator=self.g, dtype=torch.float64).to(self.dtype) * scale

    def rand(self, *shape, lo=0.0, hi=1.0):
        r = torch.rand(tuple(shape), generator=self.g, dtype=torch.float64)
        return (lo + (hi - lo) * r).to(self.dtype)

    def randint(self, lo, hi, *shape):
        return torch.randint(lo, hi, shape, generator=self.g)

    def pos(self, *shape, lo=0.5, hi=2.0):
        return self.rand(*shape, lo=lo, hi=hi)

    def distinct(self, *shape, spacing=0.05):
        """Values with no ties (a shuffled grid plus jitter), for max/min/sort-like ops."""
        n = 1
        for s in shape:
            n *= s
        perm = torch.randperm(n, generator=self.g).to(torch.float64)
        v = (perm - n / 2) * spacing + torch.rand(n, generator=self.g, dtype=torch.float64) * spacing * 0.3
        return v.reshape(shape).to(self.dtype)


def _outs(res):
    if isinstance(res, (tuple, list)):
        return list(res)
    if hasattr(res, '_fields'):  # torch.return_types
        return list(res)
    return [res]


class Family:
    def __init__(self, family):
        self.family = family
        self.cases = []
        self.names = set()

    def add(self, name, op, ins, fn, kw=None, dtype=torch.float32, mutated=(), note=None, seed_outputs=None, meta=None):
        """ins: Rng -> [In]; fn(*tensors) -> output(s). kw goes to JSON (TS-side option names)."""
        assert name not in self.names, name
        self.names.add(name)
        r = Rng(name, dtype)
        inputs = ins(r)
        leaves = []
        for i in inputs:
            t = i.tensor.detach().clone()
            if i.grad:
                t.requires_grad_(True)
            leaves.append(t)
        snapshot = [ser(t) for t in leaves]
        outs = _outs(fn(*leaves))
        seeds, seeded = [], []
        for k, o in enumerate(outs):
            want = seed_outputs is None or k in seed_outputs
            if want and isinstance(o, torch.Tensor) and o.requires_grad:
                s = torch.randn(o.shape, generator=r.g, dtype=torch.float64).to(o.dtype)
                seeds.append(s)
                seeded.append(o)
            else:
                seeds.append(None)
        grads = {}
        if seeded:
            torch.autograd.backward(seeded, [s for s in seeds if s is not None])
            for i, t in zip(inputs, leaves):
                if i.grad:
                    grads[i.name] = ser(t.grad if t.grad is not None else torch.zeros_like(t))
        case = {
            'name': name, 'op': op, 'kwargs': kw or {},
            'inputs': [dict(name=i.name, requiresGrad=i.grad, **s) for i, s in zip(inputs, snapshot)],
            'outputs': [ser(o) for o in outs],
            'seeds': [ser(s) if s is not None else None for s in seeds],
            'grads': grads,
            'extra': {m: ser(leaves[[i.name for i in inputs].index(m)]) for m in mutated},
        }
        if note:
            case['note'] = note
        if meta:
            case['meta'] = meta
        self.cases.append(case)

    def write(self, outdir):
        path = os.path.join(outdir, self.family + '.json')
        doc = {'family': self.family, 'format': FORMAT, 'torch': torch.__version__, 'cases': self.cases}
        with open(path, 'w') as f:
            json.dump(doc, f, separators=(',', ':'))
            f.write('\n')
        return path, len(self.cases), os.path.getsize(path)

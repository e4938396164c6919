"""Issue #10 §2 semantics: what PyTorch does where Layerwise used to differ silently.

Writes test/fixtures/torch/semantics.json: {name: value}, values serialized with common.ser (tensors) or plain
JSON (dtypes, shapes, messages). Read by test/unit/fidelity-semantics.test.ts. Run:
  /usr/bin/python3 scripts/gen-torch-fixtures.py semantics
"""
import json
import os

import torch
import torch.nn as nn

from .common import ser


def _wgan_gp(out):
    g = torch.Generator().manual_seed(10)
    D = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
    with torch.no_grad():
        for p in D.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    real = torch.randn(5, 4, generator=g)
    fake = torch.randn(5, 4, generator=g)
    alpha = torch.rand(5, 1, generator=g)
    out['wgan.params'] = [ser(p) for p in D.parameters()]
    out['wgan.real'], out['wgan.fake'], out['wgan.alpha'] = ser(real), ser(fake), ser(alpha)
    xh = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    d = D(xh)
    (gx,) = torch.autograd.grad(d, xh, grad_outputs=torch.ones_like(d), create_graph=True)
    out['wgan.params_grad_after_grad'] = [p.grad is None for p in D.parameters()]
    out['wgan.gx'] = ser(gx)
    gp = ((gx.norm(2, dim=1) - 1) ** 2).mean()
    out['wgan.gp'] = ser(gp)
    loss = D(fake).mean() - D(real).mean() + 10 * gp
    loss.backward()
    out['wgan.loss'] = ser(loss)
    out['wgan.param_grads'] = [ser(p.grad) for p in D.parameters()]


def _unused(out):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    try:
        torch.autograd.grad((a * 2).sum(), [a, b])
        out['grad.unused_error'] = None
    except RuntimeError as e:
        out['grad.unused_error'] = str(e)
    ga, gb = torch.autograd.grad((a * 2).sum(), [a, b], allow_unused=True)
    out['grad.allow_unused'] = [ser(ga), gb]


def _hook(out):
    g = torch.Generator().manual_seed(11)
    lin = nn.Linear(3, 2)
    with torch.no_grad():
        lin.weight.copy_(torch.randn(2, 3, generator=g))
        lin.bias.copy_(torch.randn(2, generator=g))
    x = torch.randn(4, 3, generator=g, requires_grad=True)
    seen = {}

    def hook(m, gin, gout):
        seen['gin'], seen['gout'] = gin[0].clone(), gout[0].clone()
        return (gin[0] * 3 + 1,)

    lin.register_full_backward_hook(hook)
    (lin(x) ** 2).sum().backward()
    out['hook.weight'], out['hook.bias'], out['hook.x'] = ser(lin.weight), ser(lin.bias), ser(x)
    out['hook.gin'], out['hook.gout'], out['hook.xgrad'] = ser(seen['gin']), ser(seen['gout']), ser(x.grad)
    out['hook.wgrad'] = ser(lin.weight.grad)


def _indexing(out):
    x = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4).requires_grad_(True)
    cases = {
        'pairs': lambda x: x[torch.tensor([0, 1, 1]), torch.tensor([2, 0, 1])],
        'pairs_last2': lambda x: x[:, torch.tensor([0, 2]), torch.tensor([1, 3])],
        'broadcast': lambda x: x[:, torch.tensor([[0], [1]]), torch.tensor([1, 3])],
        'split_front': lambda x: x[torch.tensor([0, 1]), :, torch.tensor([1, 2])],
        'int_then_list': lambda x: x[0, :, torch.tensor([1, 2])],
        'mask_full': lambda x: x[x > 10.5],
        'mask_dim1': lambda x: x[:, torch.tensor([True, False, True])],
        'mask_2d': lambda x: x[torch.tensor([[True, False, True], [False, True, False]])],
        'negative': lambda x: x[torch.tensor([-1, 0]), torch.tensor([-1, -2])],
        'masked_fill': lambda x: x.masked_fill(torch.tensor([True, False, False, True]), -5.0),
        'masked_select': lambda x: x.masked_select(torch.tensor([[True], [False], [True]])),
    }
    for name, f in cases.items():
        if x.grad is not None:
            x.grad = None
        y = f(x)
        seed = torch.arange(y.numel(), dtype=torch.float32).reshape(y.shape) + 1
        (y * seed).sum().backward()
        out['index.' + name] = ser(y)
        out['index.' + name + '.grad'] = ser(x.grad)
    m = torch.tensor([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]])
    out['nonzero'] = ser(torch.nonzero(m))
    out['where1'] = [ser(t) for t in torch.where(m != 0)]
    try:
        x[torch.tensor([0, 2])]
    except IndexError as e:
        out['index.oob_error'] = str(e)


def _dtypes(out):
    out['dtype.int_list'] = str(torch.tensor([1, 2, 3]).dtype)
    out['dtype.float_list'] = str(torch.tensor([1.5, 2]).dtype)
    out['dtype.bool_list'] = str(torch.tensor([True, False]).dtype)
    out['dtype.arange_int'] = str(torch.arange(4).dtype)
    out['dtype.arange_float'] = str(torch.arange(0, 1, 0.25).dtype)
    out['dtype.int_plus_float'] = ser(torch.tensor([1, 2]) + 0.5)
    out['dtype.int_div'] = ser(torch.tensor([1, 2]) / 2)


def _version(out):
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = torch.tensor([4.0, 5.0, 6.0])
    y = (x * w).sum()
    x.mul_(2)
    try:
        y.backward()
        out['version.error'] = None
    except RuntimeError as e:
        out['version.error'] = str(e)
    out['version.x_version'] = x._version
    s = torch.tensor([1.0, -2.0], requires_grad=True)
    z = s.sigmoid()
    with torch.no_grad():
        z.mul_(2)
    try:
        z.sum().backward()
        out['version.sigmoid_error'] = None
    except RuntimeError as e:
        out['version.sigmoid_error'] = str(e)
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0])
    c = (a + b).sum()
    b.add_(1)
    c.backward()
    out['version.add_ok'] = ser(a.grad)


def _named_tuples(out):
    x = torch.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
    v, i = x.max(1)
    out['max1'] = [ser(v), ser(i)]
    v, i = x.min(0)
    out['min0'] = [ser(v), ser(i)]


def write_semantics(out_dir):
    torch.manual_seed(0)
    out = {'torch': torch.__version__}
    for f in (_wgan_gp, _unused, _hook, _indexing, _dtypes, _version, _named_tuples):
        f(out)
    path = os.path.join(out_dir, 'semantics.json')
    text = json.dumps(out, indent=1, sort_keys=True)
    with open(path, 'w') as fh:
        fh.write(text + '\n')
    return path, len(out), len(text)

"""Issue #10's last gaps against PyTorch: LBFGS with line_search_fn='strong_wolfe', einsum with '...' and repeated
letters, in-place writes into views, named Sequential state-dict keys, forward-hook return values.

Writes test/fixtures/torch/fidelity_gaps.json, read by test/unit/fidelity-gaps-*.test.ts.
"""
import collections
import json
import os

import torch
from torch import nn

from .common import ser


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def lbfgs_run(name, params0, loss_fn, kw, steps, dtype):
    ps = [torch.tensor(p, dtype=dtype, requires_grad=True) for p in params0]
    opt = torch.optim.LBFGS(ps, **kw)
    evals = [0]

    def closure():
        opt.zero_grad()
        loss = loss_fn(*ps)
        loss.backward()
        evals[0] += 1
        return loss

    traj, losses, func_evals = [], [], []
    for _ in range(steps):
        losses.append(float(opt.step(closure)))
        traj.append([[float(v) for v in p.detach().reshape(-1)] for p in ps])
        func_evals.append(evals[0])
    return {'name': name, 'dtype': str(dtype).replace('torch.', ''), 'params0': params0, 'options': kw,
            'trajectory': traj, 'losses': losses, 'funcEvals': func_evals}


def logistic_data():
    g = torch.Generator().manual_seed(7)
    X = torch.randn(24, 3, generator=g, dtype=torch.float64)
    w_true = torch.tensor([1.5, -2.0, 0.5], dtype=torch.float64)
    y = ((X @ w_true + 0.3 * torch.randn(24, generator=g, dtype=torch.float64)) > 0).double()
    return X, y


def lbfgs_cases():
    X, y = logistic_data()

    def logreg(w, b):
        z = X @ w + b
        return torch.nn.functional.binary_cross_entropy_with_logits(z, y) + 0.01 * (w * w).sum()

    sw = {'line_search_fn': 'strong_wolfe'}
    cases = [
        lbfgs_run('rosenbrock', [[-1.2, 1.0]], rosenbrock, {'lr': 1, 'max_iter': 20, **sw}, 4, torch.float64),
        lbfgs_run('rosenbrock_hist3', [[-1.5, 2.0]], rosenbrock, {'lr': 1, 'max_iter': 10, 'history_size': 3, **sw}, 4, torch.float64),
        lbfgs_run('rosenbrock_f32', [[-1.2, 1.0]], rosenbrock, {'lr': 1, 'max_iter': 8, **sw}, 2, torch.float32),
        lbfgs_run('logreg', [[0.0, 0.0, 0.0], [0.0]], logreg, {'lr': 1, 'max_iter': 15, **sw}, 3, torch.float64),
        lbfgs_run('logreg_lr05_maxeval', [[0.1, -0.1, 0.2], [0.5]], logreg, {'lr': 0.5, 'max_iter': 10, 'max_eval': 12, **sw}, 3, torch.float64),
    ]
    return {'logistic': {'X': ser(X), 'y': ser(y)}, 'cases': cases}


def einsum_cases():
    g = torch.Generator().manual_seed(2024)
    r = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64)  # noqa: E731
    sq, bsq, cube = r(4, 4), r(2, 3, 3), r(3, 3, 3)
    a, b = r(2, 1, 3, 4), r(5, 4, 2)
    return [
        ('ii->i', [sq]), ('ii->', [sq]), ('ii', [sq]), ('bii->bi', [bsq]), ('bii->b', [bsq]), ('iii->i', [cube]),
        ('iij->j', [cube]), ('ij,jj->i', [r(2, 3), r(3, 3)]), ('bij,bjj->bi', [r(2, 4, 3), bsq]),
        ('...ij->...ji', [r(2, 3, 4)]), ('...ij->ij', [r(2, 3, 4)]), ('i...', [r(2, 3, 4)]), ('...', [r(2, 3)]),
        ('...ij,...jk->...ik', [a, b]), ('...i,...i->...', [r(2, 1, 3), r(4, 3)]), ('ij...,j->i...', [r(2, 3, 4, 2), r(3)]),
        ('b...i,b...i', [r(2, 3, 4), r(2, 1, 4)]), ('...ii->...i', [r(2, 3, 3)]), ('i...i', [r(3, 2, 3)]),
    ]


def write_einsum():
    out = []
    for eq, ins in einsum_cases():
        xs = [t.clone().requires_grad_(True) for t in ins]
        y = torch.einsum(eq, *xs)
        seed = torch.arange(1, y.numel() + 1, dtype=torch.float64).reshape(y.shape)
        (y * seed).sum().backward()
        out.append({'equation': eq, 'inputs': [ser(t) for t in ins], 'value': ser(y), 'grads': [ser(t.grad) for t in xs]})
    return out


# In-place writes into views: each op runs on a fresh base = arange(24).reshape(4, 6); the base after it is recorded.
INPLACE = [
    ('t_fill', lambda x: x.t().fill_(7)),
    ('narrow_fill', lambda x: x[:, 1:3].fill_(-1)),
    ('step_rows_zero', lambda x: x[::2].zero_()),
    ('step_cols_fill', lambda x: x[:, 1::3].fill_(5)),
    ('t_narrow_mul', lambda x: x.t()[1:3].mul_(10)),
    ('select_col_add', lambda x: x[:, 2].add_(100)),
    ('t_copy', lambda x: x.t().copy_(torch.arange(24.0).reshape(6, 4) * -1)),
    ('step_add_tensor', lambda x: x[1::2, ::2].add_(torch.tensor([1.0, 2.0, 3.0]))),
    ('t_clamp', lambda x: x.t()[::2].clamp_(3, 15)),
    ('permute3d_sub', lambda x: x.reshape(2, 3, 4).permute(2, 0, 1)[1:3].sub_(0.5)),
    ('masked_fill_view', lambda x: x.t().masked_fill_(x.t() > 11, 0)),
    ('addcmul_view', lambda x: x[:, ::2].addcmul_(x[:, 1::2], x[:, 1::2], value=0.5)),
]


def write_inplace():
    out = []
    for name, fn in INPLACE:
        x = torch.arange(24.0).reshape(4, 6)
        fn(x)
        out.append({'name': name, 'base': ser(x)})
    return out


def write_sequential():
    torch.manual_seed(0)
    seq = nn.Sequential(collections.OrderedDict([('conv1', nn.Conv2d(1, 2, 3)), ('relu1', nn.ReLU()), ('bn', nn.BatchNorm2d(2)),
                                                 ('flat', nn.Flatten()), ('fc', nn.Linear(8, 3))]))
    x = torch.randn(2, 1, 4, 4)
    seq.train()
    y = seq(x)
    plain = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    plain.add_module('head', nn.Sigmoid())
    plain.add_module('extra', nn.Linear(1, 1))
    plain.append(nn.Tanh())
    popped = nn.Sequential(collections.OrderedDict([('a', nn.Linear(1, 1)), ('b', nn.ReLU()), ('c', nn.Linear(1, 2))]))
    popped.pop(1)
    ins = nn.Sequential(nn.Linear(1, 1), nn.Linear(1, 2))
    ins.insert(0, nn.Linear(3, 1))
    ins.insert(-1, nn.ReLU())
    ins.extend([nn.Tanh()])
    ml = nn.ModuleList([nn.Linear(1, 1), nn.ReLU(), nn.Linear(1, 2)])
    ml.pop(0)
    at_end = nn.Sequential(collections.OrderedDict([('a', nn.ReLU()), ('b', nn.Tanh())]))
    at_end.insert(2, nn.Sigmoid())
    return {
        'popNamedKeys': list(popped.state_dict().keys()),
        'insertChildren': [[k, type(m).__name__] for k, m in ins.named_children()],
        'moduleListPopKeys': list(ml.state_dict().keys()),
        'insertAtEndOfNamed': [k for k, _ in at_end.named_children()],
        'namedKeys': list(seq.state_dict().keys()),
        'namedState': {k: ser(v) for k, v in seq.state_dict().items() if k.endswith(('weight', 'bias'))},
        'x': ser(x), 'y': ser(y.detach()),
        'sliceKeys': list(seq[2:].state_dict().keys()),
        'addModuleKeys': list(plain.state_dict().keys()),
        'addModuleChildren': [k for k, _ in plain.named_children()],
        'sliceOfPlainKeys': list(plain[1:].state_dict().keys()),
        'repr': repr(nn.Sequential(collections.OrderedDict([('fc', nn.Linear(2, 2)), ('act', nn.ReLU())]))),
    }


def write_hooks():
    """What PyTorch does with a forward hook's return value: any non-None value replaces the output."""
    out = {}
    lin = nn.Linear(2, 2)
    h = lin.register_forward_hook(lambda m, i, o: 3)
    out['numberReplaces'] = lin(torch.zeros(1, 2)) == 3
    h.remove()
    h = lin.register_forward_hook(lambda m, i, o: 'text')
    out['stringReplaces'] = lin(torch.zeros(1, 2)) == 'text'
    h.remove()
    h = lin.register_forward_hook(lambda m, i, o: None)
    out['noneKeeps'] = isinstance(lin(torch.zeros(1, 2)), torch.Tensor)
    h.remove()
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    seq[0].register_forward_hook(lambda m, i, o: 3)
    try:
        seq(torch.zeros(1, 2))
        out['nextLayerError'] = None
    except TypeError as e:
        out['nextLayerError'] = str(e)
    pre = nn.Linear(2, 2)
    pre.register_forward_pre_hook(lambda m, i: torch.ones(1, 2))  # a single (non-tuple) return is the one input
    out['preHookSingle'] = ser(pre(torch.zeros(1, 2)) - pre.bias - pre.weight.sum(1))
    return out


def write_fidelity_gaps(out_dir):
    torch.manual_seed(0)
    out = {'torch': torch.__version__, 'lbfgs': lbfgs_cases(), 'einsum': write_einsum(), 'inplace': write_inplace(),
           'sequential': write_sequential(), 'hooks': write_hooks()}
    path = os.path.join(out_dir, 'fidelity_gaps.json')
    text = json.dumps(out)
    with open(path, 'w') as fh:
        fh.write(text + '\n')
    n = len(out['lbfgs']['cases']) + len(out['einsum']) + len(out['inplace']) + 2
    return path, n, len(text)

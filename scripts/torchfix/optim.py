"""Phase 2: optimizer trajectories (100 steps) on a fixed float64 least-squares problem, and LR-scheduler
lr sequences. Not op-case files: each writes its own JSON layout (documented in the file's `about`)."""
import json
import os

import torch

from .common import ser, Rng

STEPS = 100
OPTIMS = [  # (name, class, options in torch names)
    ('sgd', 'SGD', {'lr': 0.05}),
    ('sgd_momentum', 'SGD', {'lr': 0.05, 'momentum': 0.9}),
    ('sgd_momentum_dampening', 'SGD', {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.5}),
    ('sgd_nesterov', 'SGD', {'lr': 0.05, 'momentum': 0.9, 'nesterov': True}),
    ('sgd_weight_decay', 'SGD', {'lr': 0.05, 'weight_decay': 0.1}),
    ('sgd_all', 'SGD', {'lr': 0.03, 'momentum': 0.8, 'nesterov': True, 'weight_decay': 0.05}),
    ('sgd_momentum_dampening_wd', 'SGD', {'lr': 0.05, 'momentum': 0.7, 'dampening': 0.3, 'weight_decay': 0.02}),
    ('adam', 'Adam', {'lr': 0.05}),
    ('adam_amsgrad', 'Adam', {'lr': 0.05, 'amsgrad': True}),
    ('adam_betas_eps', 'Adam', {'lr': 0.02, 'betas': [0.8, 0.99], 'eps': 1e-6}),
    ('adam_weight_decay', 'Adam', {'lr': 0.05, 'weight_decay': 0.1}),
    ('adam_amsgrad_wd', 'Adam', {'lr': 0.05, 'amsgrad': True, 'weight_decay': 0.1}),
    ('adamw', 'AdamW', {'lr': 0.05}),
    ('adamw_wd', 'AdamW', {'lr': 0.05, 'weight_decay': 0.1}),
    ('adamw_amsgrad', 'AdamW', {'lr': 0.05, 'weight_decay': 0.1, 'amsgrad': True}),
    ('rmsprop', 'RMSprop', {'lr': 0.01}),
    ('rmsprop_alpha', 'RMSprop', {'lr': 0.003, 'alpha': 0.9}),
    ('rmsprop_momentum', 'RMSprop', {'lr': 0.01, 'momentum': 0.5}),
    ('rmsprop_centered', 'RMSprop', {'lr': 0.01, 'centered': True}),
    ('rmsprop_all', 'RMSprop', {'lr': 0.005, 'alpha': 0.95, 'momentum': 0.7, 'centered': True, 'weight_decay': 0.05}),
    ('adagrad', 'Adagrad', {'lr': 0.5}),
    ('adagrad_lr_decay', 'Adagrad', {'lr': 0.5, 'lr_decay': 0.01}),
    ('adagrad_wd_init_acc', 'Adagrad', {'lr': 0.5, 'weight_decay': 0.1, 'initial_accumulator_value': 0.1}),
]


def _camel(k):
    return ''.join(p if i == 0 else p.capitalize() for i, p in enumerate(k.split('_')))


def _problem():
    r = Rng('optim-problem', torch.float64)
    return {'X': r.randn(8, 3), 'y': r.randn(8, 2), 'w': r.randn(3, 2) * 0.5, 'c': torch.zeros(2, dtype=torch.float64)}


def _loss(p, w, c):
    return ((p['X'] @ w + c - p['y']) ** 2).mean()


FLOAT32 = ['sgd_all', 'adam_amsgrad_wd', 'adamw_wd', 'rmsprop_all', 'adagrad_wd_init_acc']


def _trajectory(p, cls, opts, dtype=torch.float64, perturb=0.0):
    p = {k: v.to(dtype) for k, v in p.items()}
    w = (p['w'] * (1 + perturb)).clone().requires_grad_(True)
    c = p['c'].clone().requires_grad_(True)
    kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in opts.items()}
    opt = getattr(torch.optim, cls)([w, c], **kw)
    losses, ws, cs = [], [], []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = _loss(p, w, c)
        loss.backward()
        opt.step()
        losses.append(ser(loss)['data'][0])
        ws.append(ser(w)['data'])
        cs.append(ser(c)['data'])
    return {'losses': losses, 'params': {'w': ws, 'c': cs}}


def _check_conditioning(name, p, cls, opts, dtype, base):
    """Refuse chaotic trajectories: a 1-ulp change of the start must move every recorded parameter vector by
    < 100 ulp (norm-wise), so the harness tolerance (1e-10 float64, 1e-4 float32) measures the optimizer, not
    rounding. (rmsprop with lr 0.01, alpha 0.9 failed this: 1 ulp -> 7e-2.)"""
    eps = torch.finfo(dtype).eps
    other = _trajectory(p, cls, opts, dtype, perturb=eps)
    worst = 0.0
    for name_ in ('w', 'c'):
        for a, b in zip(base['params'][name_], other['params'][name_]):
            scale = max(abs(x) for x in a) or 1.0  # norm-wise: the harness's atol covers tiny entries
            worst = max(worst, max(abs(x - y) for x, y in zip(a, b)) / scale)
    if worst > 100 * eps:
        raise SystemExit('optim fixture %s (%s) is ill-conditioned: 1-ulp start change moves it by %.2e'
                         % (name, dtype, worst))


def write_optim(outdir):
    p = _problem()
    doc = {
        'family': 'optim', 'format': 1, 'torch': torch.__version__,
        'about': 'params w [3,2], c [2] (problem stored in float64; cases with dtype float32 cast it first) minimise loss = mean((X @ w + c - y)^2). Each step: zeroGrad, '
                 'loss, backward, step. losses[k] = loss before step k; params.w[k]/params.c[k] = flat values '
                 'after step k. options use camelCase.',
        'problem': {k: ser(v) for k, v in p.items()}, 'steps': STEPS, 'cases': [],
    }
    for name, cls, opts in OPTIMS:
        for dtype in [torch.float64] + ([torch.float32] if name in FLOAT32 else []):
            suffix = '_float32' if dtype == torch.float32 else ''
            case = {'name': name + suffix, 'optimizer': cls, 'options': {_camel(k): v for k, v in opts.items()},
                    'dtype': 'float32' if suffix else 'float64'}
            traj = _trajectory(p, cls, opts, dtype)
            _check_conditioning(name, p, cls, opts, dtype, traj)
            case.update(traj)
            doc['cases'].append(case)
    return _dump(outdir, 'optim', doc)


def _dump(outdir, family, doc):
    path = os.path.join(outdir, family + '.json')
    with open(path, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')
    return path, len(doc['cases']), os.path.getsize(path)

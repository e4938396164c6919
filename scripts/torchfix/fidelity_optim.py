"""Issue #10: optimizer and scheduler trajectories for the new optimizers/schedulers and the PyTorch call forms.

Writes test/fixtures/torch/fidelity_optim.json, read by test/unit/fidelity-optim.test.ts. Each optimizer case
minimises f(w) = sum((A w - b)^2) + 0.1 * sum(w^4) from a fixed start for `steps` steps and records w after
each step; each scheduler case records the lr (and momentum/beta1) after each step.
"""
import json
import os

import torch

A = [[1.0, 0.5, -0.3], [0.2, -1.0, 0.4], [0.7, 0.1, 1.5], [-0.6, 0.9, 0.3]]
B = [0.5, -1.0, 2.0, 0.3]
W0 = [0.3, -0.2, 0.8]


def loss_fn(w):
    a, b = torch.tensor(A), torch.tensor(B)
    return ((a @ w - b) ** 2).sum() + 0.1 * (w ** 4).sum()


OPT_CASES = [
    ('Adadelta', 'Adadelta', {'lr': 1.0}),
    ('Adadelta_wd', 'Adadelta', {'lr': 0.5, 'rho': 0.8, 'weight_decay': 0.1}),
    ('Adamax', 'Adamax', {'lr': 0.05}),
    ('Adamax_wd', 'Adamax', {'lr': 0.02, 'betas': (0.8, 0.99), 'weight_decay': 0.05}),
    ('NAdam', 'NAdam', {'lr': 0.05}),
    ('NAdam_wd', 'NAdam', {'lr': 0.02, 'weight_decay': 0.1, 'momentum_decay': 0.01}),
    ('RAdam', 'RAdam', {'lr': 0.05}),
    ('RAdam_wd', 'RAdam', {'lr': 0.02, 'weight_decay': 0.1}),
    ('SGD_weight_decay', 'SGD', {'lr': 0.02, 'momentum': 0.9, 'weight_decay': 0.1}),
]


def opt_case(name, cls, kw, steps=25):
    w = torch.tensor(W0, requires_grad=True)
    opt = getattr(torch.optim, cls)([w], **kw)
    traj = []
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(w).backward()
        opt.step()
        traj.append([float(v) for v in w.detach()])
    return {'name': name, 'optimizer': cls, 'options': {k: list(v) if isinstance(v, tuple) else v for k, v in kw.items()}, 'trajectory': traj}


def lbfgs_case(name, kw, steps=4):
    w = torch.tensor(W0, requires_grad=True)
    opt = torch.optim.LBFGS([w], **kw)
    traj, losses = [], []

    def closure():
        opt.zero_grad()
        loss = loss_fn(w)
        loss.backward()
        return loss

    for _ in range(steps):
        losses.append(float(opt.step(closure)))
        traj.append([float(v) for v in w.detach()])
    return {'name': name, 'optimizer': 'LBFGS', 'options': kw, 'trajectory': traj, 'losses': losses}


SCHED_CASES = [
    ('OneCycle_sgd', 'SGD', {'lr': 0.1, 'momentum': 0.9}, 'OneCycleLR', {'max_lr': 1.0, 'total_steps': 20}, 20),
    ('OneCycle_adam_linear_3phase', 'Adam', {'lr': 0.1}, 'OneCycleLR', {'max_lr': 0.5, 'epochs': 4, 'steps_per_epoch': 5, 'anneal_strategy': 'linear', 'three_phase': True, 'pct_start': 0.25}, 20),
    ('Cyclic_triangular', 'SGD', {'lr': 0.1, 'momentum': 0.9}, 'CyclicLR', {'base_lr': 0.01, 'max_lr': 0.1, 'step_size_up': 4}, 20),
    ('Cyclic_triangular2', 'SGD', {'lr': 0.1, 'momentum': 0.9}, 'CyclicLR', {'base_lr': 0.01, 'max_lr': 0.1, 'step_size_up': 3, 'step_size_down': 2, 'mode': 'triangular2'}, 20),
    ('Cyclic_exp_range_adam', 'Adam', {'lr': 0.1}, 'CyclicLR', {'base_lr': 0.01, 'max_lr': 0.1, 'step_size_up': 3, 'mode': 'exp_range', 'gamma': 0.9, 'cycle_momentum': False}, 20),
    ('MultiStep', 'SGD', {'lr': 0.1}, 'MultiStepLR', {'milestones': [3, 7, 7], 'gamma': 0.5}, 12),
    ('CosineAnnealing_T_max', 'SGD', {'lr': 0.1}, 'CosineAnnealingLR', {'T_max': 10, 'eta_min': 0.001}, 15),
]


def sched_case(name, ocls, okw, scls, skw, steps):
    w = torch.tensor(W0, requires_grad=True)
    opt = getattr(torch.optim, ocls)([w], **okw)
    sched = getattr(torch.optim.lr_scheduler, scls)(opt, **skw)
    lrs, moms = [opt.param_groups[0]['lr']], []
    g = opt.param_groups[0]
    mom = lambda: g['betas'][0] if 'betas' in g else g.get('momentum', 0)
    moms.append(mom())
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(g['lr'])
        moms.append(mom())
    return {'name': name, 'optimizer': ocls, 'optimizerOptions': okw, 'scheduler': scls, 'options': skw, 'lrs': lrs, 'momenta': moms}


def write_fidelity_optim(out_dir):
    torch.manual_seed(0)
    out = {'torch': torch.__version__, 'A': A, 'B': B, 'W0': W0,
           'optim': [opt_case(*c) for c in OPT_CASES] + [lbfgs_case('LBFGS', {'lr': 1, 'max_iter': 5}), lbfgs_case('LBFGS_hist', {'lr': 0.5, 'max_iter': 8, 'history_size': 3})],
           'sched': [sched_case(*c) for c in SCHED_CASES]}
    path = os.path.join(out_dir, 'fidelity_optim.json')
    text = json.dumps(out, indent=1)
    with open(path, 'w') as fh:
        fh.write(text + '\n')
    return path, len(out['optim']) + len(out['sched']), len(text)

"""Phase 2: LR scheduler sequences. lrs[e] = the lr in effect during epoch e (read before scheduler.step()
at the end of epoch e); optimizer is SGD(lr=initialLr) on one dummy parameter, stepped each epoch."""
import torch
from torch.optim import lr_scheduler as S

from .optim import _camel, _dump

LAMBDAS = {  # name -> (python, description for the TS side)
    'exp095': (lambda e: 0.95 ** e, 'epoch => 0.95 ** epoch'),
    'warmup5': (lambda e: min(1.0, (e + 1) / 5), 'epoch => Math.min(1, (epoch + 1) / 5)'),
}
PLATEAU_METRICS = [1.0, 0.9, 0.85, 0.86, 0.851, 0.849, 0.86, 0.87, 0.88, 0.7, 0.69, 0.695, 0.7, 0.71, 0.72, 0.73,
                   0.6, 0.61, 0.62, 0.63, 0.64, 0.65, 0.66, 0.67, 0.68, 0.69, 0.7, 0.71, 0.72, 0.73]
SCHEDS = [  # (name, class, options, epochs)
    ('step', 'StepLR', {'step_size': 3, 'gamma': 0.5}, 12),
    ('step_default_gamma', 'StepLR', {'step_size': 4}, 10),
    ('multistep', 'MultiStepLR', {'milestones': [2, 5, 9], 'gamma': 0.1}, 12),
    ('multistep_repeated', 'MultiStepLR', {'milestones': [3, 3, 6], 'gamma': 0.5}, 10),
    ('exponential', 'ExponentialLR', {'gamma': 0.9}, 15),
    ('lambda_exp095', 'LambdaLR', {'lr_lambda': 'exp095'}, 12),
    ('lambda_warmup5', 'LambdaLR', {'lr_lambda': 'warmup5'}, 10),
    ('cosine', 'CosineAnnealingLR', {'T_max': 10}, 11),
    ('cosine_eta_min_past_tmax', 'CosineAnnealingLR', {'T_max': 8, 'eta_min': 0.01}, 25),
    ('plateau_min', 'ReduceLROnPlateau', {'mode': 'min', 'factor': 0.5, 'patience': 2}, 30),
    ('plateau_all', 'ReduceLROnPlateau', {'mode': 'min', 'factor': 0.3, 'patience': 1, 'threshold': 0.01,
                                          'threshold_mode': 'abs', 'cooldown': 2, 'min_lr': 0.002}, 30),
    ('plateau_max_rel', 'ReduceLROnPlateau', {'mode': 'max', 'factor': 0.5, 'patience': 2, 'threshold': 0.05}, 30),
]


def _sequence(cls, opts, epochs, lr0):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=lr0)
    kw = dict(opts)
    if 'lr_lambda' in kw:
        kw['lr_lambda'] = LAMBDAS[kw['lr_lambda']][0]
    sched = getattr(S, cls)(opt, **kw)
    lrs = []
    for e in range(epochs):
        lrs.append(float(repr(opt.param_groups[0]['lr'])))
        opt.step()
        if cls == 'ReduceLROnPlateau':
            metric = PLATEAU_METRICS[e] if opts['mode'] == 'min' else 1 - PLATEAU_METRICS[e]
            sched.step(metric)
        else:
            sched.step()
    return lrs


def write_sched(outdir):
    lr0 = 0.1
    doc = {'family': 'sched', 'format': 1, 'torch': torch.__version__, 'about': __doc__.strip(),
           'initialLr': lr0, 'lambdas': {k: v[1] for k, v in LAMBDAS.items()},
           'plateauMetrics': {'min': PLATEAU_METRICS, 'max': [1 - m for m in PLATEAU_METRICS]}, 'cases': []}
    for name, cls, opts, epochs in SCHEDS:
        doc['cases'].append({'name': name, 'scheduler': cls,
                             'options': {_camel(k) if k != 'T_max' else 'tMax': v for k, v in opts.items()},
                             'epochs': epochs, 'lrs': _sequence(cls, opts, epochs, lr0)})
    return _dump(outdir, 'sched', doc)

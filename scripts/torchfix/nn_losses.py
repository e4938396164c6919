"""Phase 2: loss modules with all their options (nn.CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, SmoothL1Loss,
HuberLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss, MarginRankingLoss: inputs input1, input2, target). op = 'nn.<Class>'; kwargs.options = ctor keywords in camelCase
(tensor-valued options such as weight / pos_weight are inputs named weight / pos_weight); inputs input, target."""
import itertools
import warnings

import torch
import torch.nn as nn

from .common import Family, In
from .layers import camel


def _ins(kind, n=4, c=3, weight=None):
    def ins(r):
        if kind == 'class':
            x, t = r.randn(n, c) * 1.5, r.randint(0, c, n)
            t[0], t[1] = 0, 1  # class 1 is the ignore_index of the *_ii1 cases: keep one ignored, one not
        elif kind == 'nll':
            x, t = torch.log_softmax(r.randn(n, c), 1), r.randint(0, c, n)
        elif kind == 'prob':
            x, t = r.rand(n, c, lo=0.05, hi=0.95), r.rand(n, c)
        elif kind == 'logit':
            x, t = r.randn(n, c) * 2, r.rand(n, c)
        elif kind in ('kl', 'kl_log'):
            x, t = torch.log_softmax(r.randn(n, c), 1), torch.softmax(r.randn(n, c), 1)
            t = t.log() if kind == 'kl_log' else t
        else:
            x, t = r.randn(n, c), r.randn(n, c)
        res = [In('input', x), In('target', t, grad=False)]
        for w in weight or []:
            res.append(In(w, r.pos(c, lo=0.2, hi=2.0), grad=False))
        return res
    return ins


def _mod(f, label, cls, kind, opts, weight=None):
    def fn(x, t, *ws):
        return cls(**dict(zip(weight or [], ws)), **opts)(x, t)
    f.add('nn_%s_%s' % (cls.__name__, label), 'nn.' + cls.__name__, _ins(kind, weight=weight), fn,
          {'args': [], 'options': {camel(k): v for k, v in opts.items()}})


def build():
    warnings.filterwarnings('ignore', message='reduction: .mean. divides')
    f = Family('nn_losses')
    for red, ls, ii in itertools.product(['mean', 'sum', 'none'], [0.0, 0.1], [-100, 1]):
        opts = {'reduction': red, 'label_smoothing': ls, 'ignore_index': ii}
        _mod(f, '%s_ls%s_ii%s' % (red, ls, ii), nn.CrossEntropyLoss, 'class', opts)
        _mod(f, 'w_%s_ls%s_ii%s' % (red, ls, ii), nn.CrossEntropyLoss, 'class', opts, weight=['weight'])
    _mod(f, 'probs_w_ls', nn.CrossEntropyLoss, 'prob', {'label_smoothing': 0.2}, weight=['weight'])
    for red, ii in itertools.product(['mean', 'sum', 'none'], [-100, 1]):
        _mod(f, 'w_%s_ii%s' % (red, ii), nn.NLLLoss, 'nll', {'reduction': red, 'ignore_index': ii}, weight=['weight'])
    for red in ['mean', 'sum', 'none']:
        _mod(f, red, nn.MSELoss, 'reg', {'reduction': red})
        _mod(f, red, nn.L1Loss, 'reg', {'reduction': red})
        for beta in [1.0, 0.3]:
            _mod(f, '%s_beta%s' % (red, beta), nn.SmoothL1Loss, 'reg', {'reduction': red, 'beta': beta})
            _mod(f, '%s_delta%s' % (red, beta), nn.HuberLoss, 'reg', {'reduction': red, 'delta': beta})
        _mod(f, red, nn.BCELoss, 'prob', {'reduction': red})
        _mod(f, 'w_' + red, nn.BCELoss, 'prob', {'reduction': red}, weight=['weight'])
        _mod(f, red, nn.BCEWithLogitsLoss, 'logit', {'reduction': red})
        _mod(f, 'w_pw_' + red, nn.BCEWithLogitsLoss, 'logit', {'reduction': red}, weight=['weight', 'pos_weight'])
        _mod(f, 'pw_' + red, nn.BCEWithLogitsLoss, 'logit', {'reduction': red}, weight=['pos_weight'])
    for red, margin in [('mean', 0.0), ('sum', 0.5), ('none', 0.2)]:
        f.add('nn_MarginRankingLoss_%s_m%s' % (red, margin), 'nn.MarginRankingLoss',
              lambda r: [In('input1', r.randn(6)), In('input2', r.randn(6)),
                         In('target', torch.sign(r.randn(6)), grad=False)],
              lambda a, b, t, red=red, margin=margin: nn.MarginRankingLoss(margin, reduction=red)(a, b, t),
              {'args': [], 'options': {'margin': margin, 'reduction': red}})
    for red in ['batchmean', 'sum', 'mean', 'none']:
        _mod(f, red, nn.KLDivLoss, 'kl', {'reduction': red})
    _mod(f, 'batchmean_log_target', nn.KLDivLoss, 'kl_log', {'reduction': 'batchmean', 'log_target': True})
    return f

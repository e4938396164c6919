"""Phase 2: every nn layer with its default init replaced by a fixed (seeded) state dict: forward + grads w.r.t.
the input and every parameter; buffers mutated in training mode (batch norm) are recorded in `extra`.

Case: op = 'nn.<Class>', kwargs = {args: positional ctor args, options: ctor keywords in camelCase,
training: bool}; inputs = x (or input/target for losses) then the state dict in order (names = state-dict keys,
parameters require grad, buffers do not); meta = {numParams, trainableParams, stateDict: [keys]}."""
import re
import warnings

import torch
import torch.nn as nn
from torch.nn.utils.stateless import functional_call

from .common import Family, In


def camel(k):
    return re.sub(r'_([a-z])', lambda m: m.group(1).upper(), k)


LAYERS = [  # (label, class, args, kwargs, input shape, training)
    ('Linear', nn.Linear, [5, 3], {}, (4, 5), True),
    ('Linear_nobias', nn.Linear, [4, 2], {'bias': False}, (2, 3, 4), True),
    ('Conv1d', nn.Conv1d, [2, 3, 3], {'stride': 2, 'padding': 1}, (2, 2, 7), True),
    ('Conv2d', nn.Conv2d, [3, 4, 3], {'padding': 1}, (2, 3, 5, 5), True),
    ('Conv2d_groups_dil', nn.Conv2d, [4, 4, (3, 2)], {'stride': (2, 1), 'dilation': 2, 'groups': 2, 'bias': False},
     (1, 4, 9, 8), True),
    ('Conv2d_same', nn.Conv2d, [2, 3, 4], {'padding': 'same'}, (1, 2, 6, 5), True),
    ('MaxPool1d', nn.MaxPool1d, [3], {'stride': 2, 'ceil_mode': True}, (2, 2, 8), True),
    ('MaxPool2d', nn.MaxPool2d, [3], {'stride': 2, 'padding': 1}, (1, 2, 6, 6), True),
    ('AvgPool2d', nn.AvgPool2d, [3], {'stride': 2, 'padding': 1, 'count_include_pad': False}, (1, 2, 6, 6), True),
    ('AdaptiveAvgPool2d', nn.AdaptiveAvgPool2d, [(2, 3)], {}, (2, 2, 5, 7), True),
    ('BatchNorm1d_train', nn.BatchNorm1d, [3], {}, (5, 3), True),
    ('BatchNorm1d_3d_eval', nn.BatchNorm1d, [2], {}, (3, 2, 4), False),
    ('BatchNorm2d_train', nn.BatchNorm2d, [3], {'momentum': 0.2}, (2, 3, 3, 3), True),
    ('BatchNorm2d_eval', nn.BatchNorm2d, [3], {}, (2, 3, 3, 3), False),
    ('BatchNorm2d_noaffine', nn.BatchNorm2d, [2], {'affine': False}, (3, 2, 2, 2), True),
    ('LayerNorm', nn.LayerNorm, [[3, 4]], {}, (2, 3, 4), True),
    ('GroupNorm', nn.GroupNorm, [2, 4], {}, (2, 4, 3, 3), True),
    ('InstanceNorm2d_affine', nn.InstanceNorm2d, [3], {'affine': True}, (2, 3, 4, 4), True),
    ('Embedding', nn.Embedding, [6, 3], {}, None, True),
    ('Flatten', nn.Flatten, [], {}, (2, 3, 2, 2), True),
    ('Dropout_eval', nn.Dropout, [0.5], {}, (3, 4), False),
    ('Dropout2d_eval', nn.Dropout2d, [0.3], {}, (2, 3, 2, 2), False),
    ('Identity', nn.Identity, [], {}, (3, 4), True),
    ('ReLU', nn.ReLU, [], {}, (3, 4), True),
    ('LeakyReLU', nn.LeakyReLU, [0.1], {}, (3, 4), True),
    ('ELU', nn.ELU, [], {'alpha': 0.5}, (3, 4), True),
    ('GELU', nn.GELU, [], {}, (3, 4), True),
    ('GELU_tanh', nn.GELU, [], {'approximate': 'tanh'}, (3, 4), True),
    ('Sigmoid', nn.Sigmoid, [], {}, (3, 4), True),
    ('Tanh', nn.Tanh, [], {}, (3, 4), True),
    ('Softplus', nn.Softplus, [], {'beta': 2, 'threshold': 5}, (3, 4), True),
    ('Softmax', nn.Softmax, [], {'dim': 1}, (3, 4), True),
    ('LogSoftmax', nn.LogSoftmax, [], {'dim': -1}, (3, 4), True),
]


def _jsonable(v):
    if isinstance(v, tuple):
        return [_jsonable(e) for e in v]
    return v


def _add_module(f, label, make, args, kw, xs, training, x_input=None, op=None):
    proto = make()
    keys = list(proto.state_dict().keys())
    meta = {'numParams': sum(p.numel() for p in proto.parameters()),
            'trainableParams': sum(p.numel() for p in proto.parameters() if p.requires_grad), 'stateDict': keys}
    pnames = {n for n, _ in proto.named_parameters()}

    def ins(r):
        x = x_input(r) if x_input else In('x', r.randn(*xs))
        res = [x]
        for k, v in proto.state_dict().items():
            if v.is_floating_point():
                t = r.pos(*v.shape) if k.endswith('running_var') else r.randn(*v.shape, scale=0.5)
            else:
                t = torch.tensor(3)  # num_batches_tracked
            res.append(In(k, t, grad=k in pnames))
        return res

    def fn(x, *state):
        m = make()
        m.train(training)
        return functional_call(m, dict(zip(keys, state)), (x,))
    mutated = [k for k in keys if training and ('running_' in k or 'num_batches' in k)]
    f.add('layer_' + label, op or 'nn.' + type(proto).__name__, ins, fn,
          {'args': _jsonable(args), 'options': {camel(k): _jsonable(v) for k, v in kw.items()}, 'training': training},
          mutated=mutated, meta=meta)


def _sequential(f):
    def mlp():
        return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))

    def cnn():
        return nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(8, 3))
    _add_module(f, 'Sequential_mlp', mlp, [], {}, (5, 4), True, op='nn.Sequential')
    _add_module(f, 'Sequential_cnn', cnn, [], {}, (2, 1, 4, 4), True, op='nn.Sequential')
    f.cases[-2]['kwargs']['layers'] = ['Linear(4, 8)', 'ReLU()', 'Linear(8, 3)']
    f.cases[-1]['kwargs']['layers'] = ['Conv2d(1, 2, 3, padding=1)', 'BatchNorm2d(2)', 'ReLU()', 'MaxPool2d(2)',
                                       'Flatten()', 'Linear(8, 3)']


def build():
    warnings.filterwarnings('ignore', message="Using padding='same'")
    f = Family('layers')
    for label, cls, args, kw, xs, training in LAYERS:
        make = lambda cls=cls, args=args, kw=kw: cls(*args, **kw)
        x_input = None
        if cls is nn.Embedding:
            x_input = lambda r: In('x', r.randint(0, 6, 2, 4), grad=False)
        _add_module(f, label, make, args, kw, xs, training, x_input)
    _sequential(f)
    return f

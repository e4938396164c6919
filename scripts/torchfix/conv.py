"""conv1d / conv2d: stride, padding (int, pair, 'same' incl. even kernels and dilation, 'valid'), dilation,
groups incl. depthwise, with and without bias. TS kwargs mirror F.conv2d options (camelCase == torch names)."""
import warnings

import torch
import torch.nn.functional as F

from .common import Family, In

CONV2D = [  # (label, x shape, w shape, bias, kwargs)
    ('basic', (2, 3, 5, 5), (4, 3, 3, 3), True, {}),
    ('nobias', (1, 2, 4, 5), (3, 2, 2, 2), False, {}),
    ('stride2', (2, 2, 7, 7), (3, 2, 3, 3), True, {'stride': 2}),
    ('stride_pair', (1, 2, 7, 8), (2, 2, 3, 2), True, {'stride': [2, 3]}),
    ('padding1', (2, 3, 5, 4), (2, 3, 3, 3), True, {'padding': 1}),
    ('padding_pair', (1, 2, 5, 5), (3, 2, 3, 3), True, {'padding': [2, 0]}),
    ('stride2_pad1', (2, 3, 8, 8), (4, 3, 3, 3), True, {'stride': 2, 'padding': 1}),
    ('dilation2', (1, 2, 9, 9), (3, 2, 3, 3), True, {'dilation': 2}),
    ('dilation_pair_pad', (1, 2, 8, 9), (2, 2, 3, 2), True, {'dilation': [2, 3], 'padding': [1, 2]}),
    ('groups2', (2, 4, 5, 5), (6, 2, 3, 3), True, {'groups': 2}),
    ('groups3_stride', (1, 6, 7, 6), (3, 2, 3, 3), True, {'groups': 3, 'stride': 2, 'padding': 1}),
    ('depthwise', (2, 3, 6, 6), (3, 1, 3, 3), True, {'groups': 3, 'padding': 1}),
    ('depthwise_mult2', (1, 3, 5, 5), (6, 1, 3, 3), False, {'groups': 3}),
    ('same_odd', (1, 2, 5, 6), (3, 2, 3, 3), True, {'padding': 'same'}),
    ('same_even_kernel', (1, 2, 5, 6), (3, 2, 4, 2), True, {'padding': 'same'}),
    ('same_dilation', (1, 2, 7, 7), (2, 2, 3, 2), True, {'padding': 'same', 'dilation': 2}),
    ('valid', (1, 2, 5, 6), (3, 2, 3, 4), True, {'padding': 'valid'}),
    ('padding_gt_kernel', (1, 2, 3, 3), (2, 2, 2, 2), True, {'padding': 3}),
    ('kernel1x1', (2, 4, 3, 3), (5, 4, 1, 1), True, {}),
    ('full_kernel', (2, 2, 3, 4), (3, 2, 3, 4), True, {}),
    ('all_options', (2, 4, 11, 10), (4, 2, 3, 3), True, {'stride': [2, 1], 'padding': [1, 2], 'dilation': [1, 2], 'groups': 2}),
    ('larger_gemm', (2, 8, 12, 12), (16, 8, 3, 3), True, {'padding': 1}),
]

CONV1D = [
    ('basic', (2, 3, 8), (4, 3, 3), True, {}),
    ('nobias', (1, 2, 6), (3, 2, 2), False, {}),
    ('stride2_pad1', (2, 2, 9), (3, 2, 3), True, {'stride': 2, 'padding': 1}),
    ('dilation3', (1, 2, 12), (2, 2, 3), True, {'dilation': 3}),
    ('groups2', (2, 4, 7), (4, 2, 3), True, {'groups': 2}),
    ('depthwise', (1, 3, 8), (3, 1, 5), True, {'groups': 3, 'padding': 2}),
    ('same_odd', (1, 2, 7), (3, 2, 5), True, {'padding': 'same'}),
    ('same_even_kernel', (1, 2, 7), (3, 2, 4), True, {'padding': 'same'}),
    ('same_even_dilation', (2, 2, 9), (2, 2, 2), True, {'padding': 'same', 'dilation': 3}),
    ('valid', (1, 2, 7), (3, 2, 4), True, {'padding': 'valid'}),
]


def _tuple(v):
    return tuple(v) if isinstance(v, list) else v


def _add(f, op, fn, label, xs, ws, bias, kw, dtype=torch.float32):
    def ins(r):
        res = [In('x', r.randn(*xs)), In('w', r.randn(*ws, scale=0.5))]
        if bias:
            res.append(In('b', r.randn(ws[0])))
        return res
    pykw = {k: _tuple(v) for k, v in kw.items()}
    f.add('%s_%s' % (op, label) + ('_float64' if dtype == torch.float64 else ''), op, ins,
          lambda x, w, b=None: fn(x, w, b, **pykw), kw, dtype=dtype)


def build():
    warnings.filterwarnings('ignore', message="Using padding='same'")
    f = Family('conv')
    for c in CONV1D:
        _add(f, 'conv1d', F.conv1d, *c)
    for c in CONV2D:
        _add(f, 'conv2d', F.conv2d, *c)
    _add(f, 'conv2d', F.conv2d, *CONV2D[-2], dtype=torch.float64)
    _add(f, 'conv1d', F.conv1d, *CONV1D[7], dtype=torch.float64)
    return f

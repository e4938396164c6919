"""max_pool1d, max_pool2d (kernel, stride, padding, dilation, ceil_mode, return_indices), avg_pool2d
(ceil_mode, count_include_pad, divisor_override), adaptive_avg_pool2d (non-divisible sizes).
Max-pool inputs are tie-free (distinct values)."""
import torch
import torch.nn.functional as F

from .common import Family, In

MAX2D = [  # (label, x shape, kernel, kwargs)
    ('k2', (2, 3, 4, 4), 2, {}),
    ('k3_s1', (1, 2, 5, 5), 3, {'stride': 1}),
    ('k3_s2_p1', (2, 2, 7, 7), 3, {'stride': 2, 'padding': 1}),
    ('k2_ceil', (1, 2, 5, 5), 2, {'ceilMode': True}),
    ('k3_s2_ceil', (1, 2, 6, 7), 3, {'stride': 2, 'ceilMode': True}),
    ('k3_s2_p1_ceil', (1, 1, 8, 8), 3, {'stride': 2, 'padding': 1, 'ceilMode': True}),
    ('k_pair', (1, 2, 6, 5), [3, 2], {'stride': [2, 1]}),
    ('dilation2', (1, 2, 7, 7), 2, {'stride': 1, 'dilation': 2}),
    ('overlap_nonsquare', (2, 1, 5, 9), [2, 3], {'stride': [1, 2], 'padding': [1, 1]}),
]
AVG2D = [
    ('k2', (2, 3, 4, 4), 2, {}),
    ('k3_s2_p1_incl', (1, 2, 7, 7), 3, {'stride': 2, 'padding': 1}),
    ('k3_s2_p1_excl', (1, 2, 7, 7), 3, {'stride': 2, 'padding': 1, 'countIncludePad': False}),
    ('k2_ceil', (1, 2, 5, 5), 2, {'ceilMode': True}),
    ('k3_s2_p1_ceil_incl', (1, 1, 6, 6), 3, {'stride': 2, 'padding': 1, 'ceilMode': True}),
    ('k3_s2_p1_ceil_excl', (1, 1, 6, 6), 3, {'stride': 2, 'padding': 1, 'ceilMode': True, 'countIncludePad': False}),
    ('divisor_override', (1, 2, 4, 4), 2, {'divisorOverride': 3}),
    ('divisor_override_pad', (1, 1, 5, 5), 3, {'stride': 2, 'padding': 1, 'divisorOverride': 5}),
    ('k_pair', (2, 1, 6, 5), [3, 2], {'stride': [1, 2], 'padding': [1, 0]}),
]
MAX1D = [
    ('k2', (2, 3, 8), 2, {}),
    ('k3_s2_p1', (1, 2, 9), 3, {'stride': 2, 'padding': 1}),
    ('k2_ceil', (1, 2, 7), 2, {'ceilMode': True}),
    ('k3_s1_dil2', (1, 1, 9), 3, {'stride': 1, 'dilation': 2}),
]
ADAPT = [  # (label, x shape, output size)
    ('divisible', (1, 2, 4, 6), [2, 3]), ('nondiv_7x5_to_3x2', (2, 2, 7, 5), [3, 2]),
    ('int_size', (1, 3, 5, 5), 3), ('to_1x1', (2, 3, 3, 4), 1), ('upsample_3x2_to_4x5', (1, 1, 3, 2), [4, 5]),
]
PY = {'ceilMode': 'ceil_mode', 'countIncludePad': 'count_include_pad', 'divisorOverride': 'divisor_override'}


def _py(kw):
    return {PY.get(k, k): (tuple(v) if isinstance(v, list) else v) for k, v in kw.items()}


def _tup(v):
    return tuple(v) if isinstance(v, list) else v


def build():
    f = Family('pool')
    for label, xs, k, kw in MAX2D:
        f.add('max_pool2d_' + label, 'max_pool2d', lambda r, xs=xs: [In('x', r.distinct(*xs))],
              lambda x, k=k, kw=kw: F.max_pool2d(x, _tup(k), **_py(kw)), dict(kw, kernelSize=k))
    f.add('max_pool2d_return_indices', 'max_pool2d', lambda r: [In('x', r.distinct(1, 2, 5, 5))],
          lambda x: tuple(F.max_pool2d(x, 3, stride=2, padding=1, return_indices=True)),
          {'kernelSize': 3, 'stride': 2, 'padding': 1, 'returnIndices': True},
          note='indices are flat offsets into each H*W plane (torch convention)')
    for label, xs, k, kw in AVG2D:
        f.add('avg_pool2d_' + label, 'avg_pool2d', lambda r, xs=xs: [In('x', r.randn(*xs))],
              lambda x, k=k, kw=kw: F.avg_pool2d(x, _tup(k), **_py(kw)), dict(kw, kernelSize=k))
    for label, xs, k, kw in MAX1D:
        f.add('max_pool1d_' + label, 'max_pool1d', lambda r, xs=xs: [In('x', r.distinct(*xs))],
              lambda x, k=k, kw=kw: F.max_pool1d(x, k, **_py(kw)), dict(kw, kernelSize=k))
    for label, xs, o in ADAPT:
        f.add('adaptive_avg_pool2d_' + label, 'adaptive_avg_pool2d', lambda r, xs=xs: [In('x', r.randn(*xs))],
              lambda x, o=o: F.adaptive_avg_pool2d(x, _tup(o)), {'outputSize': o})
    f.add('max_pool2d_ceil_drop_last_window', 'max_pool2d', lambda r: [In('x', r.distinct(1, 1, 5, 5))],
          lambda x: F.max_pool2d(x, 2, 2, 1, ceil_mode=True), {'kernelSize': 2, 'stride': 2, 'padding': 1, 'ceilMode': True},
          note='ceil mode: a last window starting inside the right padding is dropped (3x3 output, not 4x4)')
    f.add('avg_pool2d_ceil_drop_last_window', 'avg_pool2d', lambda r: [In('x', r.randn(1, 1, 5, 5))],
          lambda x: F.avg_pool2d(x, 2, 2, 1, ceil_mode=True), {'kernelSize': 2, 'stride': 2, 'padding': 1, 'ceilMode': True})
    f.add('avg_pool2d_ceil_window_past_input', 'avg_pool2d', lambda r: [In('x', r.randn(1, 1, 6, 6))],
          lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True), {'kernelSize': 3, 'stride': 2, 'padding': 1, 'ceilMode': True},
          note='ceil-mode windows that run past input+padding: divisor counts only the padded-input part')
    f.add('max_pool2d_tie', 'max_pool2d', lambda r: [In('x', torch.tensor([[[[1., 1.], [0., 1.]]]]))],
          lambda x: F.max_pool2d(x, 2), {'kernelSize': 2},
          note='window with ties: torch sends the grad to the first max (row-major)')
    f.add('avg_pool2d_float64', 'avg_pool2d', lambda r: [In('x', r.randn(1, 2, 5, 5))],
          lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
          {'kernelSize': 3, 'stride': 2, 'padding': 1, 'ceilMode': True, 'countIncludePad': False},
          dtype=torch.float64)
    return f

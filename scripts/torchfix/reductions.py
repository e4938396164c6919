"""Reductions over dims with keepdim: sum, mean, var/std (unbiased both ways), max/min (values+indices),
argmax/argmin, logsumexp, prod, norm. Inputs for max/min/argmax use tie-free values except *_tie* cases."""
import torch

from .common import Family, In

DIMS = [  # (label, dim or None, keepdim)
    ('all', None, False), ('d0', 0, False), ('d1_keep', 1, True), ('dneg', -1, False),
    ('d02', [0, 2], False), ('d12_keep', [1, 2], True),
]


def _tkw(dim, keep):
    kw = {}
    if dim is not None:
        kw['dim'] = dim
    if keep:
        kw['keepdim'] = True
    return kw


def _pyred(fn, dim, keep, **extra):
    if dim is None:
        return lambda x: fn(x, **extra)
    return lambda x: fn(x, dim=dim, keepdim=keep, **extra)


def _basic(f):
    x = lambda r: [In('x', r.randn(2, 3, 4))]
    for op, fn in [('sum', torch.sum), ('mean', torch.mean), ('logsumexp', torch.logsumexp)]:
        for label, dim, keep in DIMS:
            if op == 'logsumexp' and dim is None:
                continue  # torch.logsumexp requires dim
            f.add('%s_%s' % (op, label), op, x, _pyred(fn, dim, keep), _tkw(dim, keep))
    f.add('logsumexp_large', 'logsumexp', lambda r: [In('x', r.randn(3, 4) * 3 + 1000.0)],
          lambda x: torch.logsumexp(x, 1), {'dim': 1})
    f.add('logsumexp_very_negative', 'logsumexp', lambda r: [In('x', r.randn(3, 4) * 3 - 1000.0)],
          lambda x: torch.logsumexp(x, 0, keepdim=True), {'dim': 0, 'keepdim': True})
    f.add('logsumexp_neg_inf_row', 'logsumexp',
          lambda r: [In('x', torch.tensor([[float('-inf'), float('-inf')], [0.5, float('-inf')], [1.0, 2.0]]))],
          lambda x: torch.logsumexp(x, 1), {'dim': 1}, note='an all -inf row gives -inf; record torch grads')
    f.add('prod_all', 'prod', lambda r: [In('x', r.pos(2, 3) * torch.sign(r.randn(2, 3)))], torch.prod)
    f.add('prod_d1', 'prod', lambda r: [In('x', r.pos(3, 4) * torch.sign(r.randn(3, 4)))],
          lambda x: torch.prod(x, 1), {'dim': 1})
    f.add('prod_d0_keep', 'prod', lambda r: [In('x', r.pos(3, 2, 2))], lambda x: torch.prod(x, 0, keepdim=True),
          {'dim': 0, 'keepdim': True})
    f.add('prod_with_one_zero', 'prod', lambda r: [In('x', torch.tensor([[1.5, 0.0, -2.0], [0.5, 3.0, 2.0]]))],
          lambda x: torch.prod(x, 1), {'dim': 1}, note='grad of the zero entry is the product of the others')
    f.add('prod_with_two_zeros', 'prod', lambda r: [In('x', torch.tensor([0.0, 2.0, 0.0, 3.0]))], torch.prod,
          note='two zeros: every grad is 0')


def _var_std(f):
    x = lambda r: [In('x', r.randn(3, 4, 5))]
    for op, fn in [('var', torch.var), ('std', torch.std)]:
        for unb in (True, False):
            for label, dim, keep in [('all', None, False), ('d1', 1, False), ('d02_keep', [0, 2], True),
                                     ('dneg', -1, True)]:
                kw = _tkw(dim, keep)
                kw['unbiased'] = unb
                f.add('%s_%s_%s' % (op, 'unbiased' if unb else 'biased', label), op, x,
                      _pyred(fn, dim, keep, unbiased=unb), kw)
    f.add('var_single_element_unbiased', 'var', lambda r: [In('x', r.randn(3, 1))], lambda x: torch.var(x, 1),
          {'dim': 1, 'unbiased': True}, note='N=1 with Bessel correction: torch gives nan (and nan grads)')
    f.add('std_single_element_biased', 'std', lambda r: [In('x', r.randn(2, 1))], lambda x: torch.std(x, 1, unbiased=False),
          {'dim': 1, 'unbiased': False}, note='std of one element is 0; torch masks the 0/0 in the backward to a zero grad')
    f.add('var_large_mean', 'var', lambda r: [In('x', r.randn(4, 6) + 100.0)], lambda x: torch.var(x, 1),
          {'dim': 1, 'unbiased': True}, note='catastrophic-cancellation check: mean 100, var ~1')


def _maxmin(f):
    x = lambda r: [In('x', r.distinct(3, 4, 5))]
    for op in ('max', 'min'):
        fn = getattr(torch, op)
        f.add('%s_all' % op, op, x, fn, {})
        for label, dim, keep in [('d0', 0, False), ('d1_keep', 1, True), ('dneg', -1, False)]:
            f.add('%s_%s' % (op, label), op, x, lambda t, dim=dim, keep=keep, fn=fn: tuple(fn(t, dim, keep)),
                  {'dim': dim, 'keepdim': keep})
        arg = getattr(torch, 'arg' + op)
        f.add('arg%s_all' % op, 'arg' + op, x, arg, {})
        f.add('arg%s_d1' % op, 'arg' + op, x, lambda t, arg=arg: arg(t, 1), {'dim': 1})
        f.add('arg%s_d2_keep' % op, 'arg' + op, x, lambda t, arg=arg: arg(t, 2, keepdim=True),
              {'dim': 2, 'keepdim': True})
    tie = lambda r: [In('x', torch.tensor([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, -1.0, 2.0]]))]
    f.add('max_all_tie', 'max', tie, torch.max, {}, note='full max with ties: torch splits the grad evenly')
    f.add('min_all_tie', 'min', lambda r: [In('x', torch.tensor([1.0, -1.0, 4.0, -1.0]))], torch.min, {},
          note='full min with ties: torch splits the grad evenly')
    f.add('argmax_tie', 'argmax', tie, lambda t: torch.argmax(t, 1), {'dim': 1},
          note='ties: torch returns the first occurrence')
    f.add('argmin_all_tie', 'argmin', lambda r: [In('x', torch.tensor([[2.0, -1.0], [-1.0, 0.0]]))], torch.argmin, {},
          note='ties: torch returns the first occurrence (flat index)')
    f.add('max_dim_tie', 'max', tie, lambda t: tuple(torch.max(t, 1)), {'dim': 1, 'keepdim': False},
          note='max over a dim with ties: the grad goes to the returned index only (torch returns the first)')


def _norm(f):
    x = lambda r: [In('x', r.randn(3, 4))]
    f.add('norm_all', 'norm', x, lambda t: torch.norm(t), {})
    f.add('norm_zero_row', 'norm', lambda r: [In('x', torch.cat([torch.zeros(1, 3), r.randn(2, 3)]))],
          lambda t: torch.norm(t, 2, 1), {'p': 2, 'dim': 1}, note='2-norm of a zero vector: torch gives a zero grad')
    f.add('norm_p2_d1', 'norm', x, lambda t: torch.norm(t, 2, 1), {'p': 2, 'dim': 1})
    f.add('norm_p1_d0_keep', 'norm', x, lambda t: torch.norm(t, 1, 0, keepdim=True), {'p': 1, 'dim': 0, 'keepdim': True})


def build():
    f = Family('reductions')
    _basic(f)
    _var_std(f)
    _maxmin(f)
    _norm(f)
    f.add('float64_var_d1', 'var', lambda r: [In('x', r.randn(3, 5))], lambda x: torch.var(x, 1),
          {'dim': 1, 'unbiased': True}, dtype=torch.float64)
    f.add('float64_logsumexp', 'logsumexp', lambda r: [In('x', r.randn(3, 5))], lambda x: torch.logsumexp(x, 1),
          {'dim': 1}, dtype=torch.float64)
    f.add('float64_sum_d02', 'sum', lambda r: [In('x', r.randn(2, 3, 2))], lambda x: x.sum((0, 2)), {'dim': [0, 2]},
          dtype=torch.float64)
    return f

"""Elementwise math with broadcasting: add sub mul div pow neg exp log sqrt abs sign clamp maximum minimum where,
plus rsqrt square reciprocal sin cos. Tie/kink points appear only in cases named *_tie* / *_at_zero."""
import torch

from .common import Family, In

BCAST = [  # (label, shape a, shape b)
    ('same', (2, 3), (2, 3)),
    ('row', (2, 3), (3,)),
    ('col', (4, 1), (1, 3)),
    ('3d', (2, 1, 4), (3, 1)),
    ('scalar_tensor', (2, 3), ()),
]


def _binary(f):
    ops = {
        'add': lambda a, b: a + b, 'sub': lambda a, b: a - b,
        'mul': lambda a, b: a * b, 'div': lambda a, b: a / b,
        'maximum': torch.maximum, 'minimum': torch.minimum,
    }
    for op, fn in ops.items():
        for label, sa, sb in BCAST:
            if op == 'div':
                ins = lambda r, sa=sa, sb=sb: [In('a', r.randn(*sa)), In('b', r.pos(*sb) * torch.sign(r.randn(*sb)))]
            else:
                ins = lambda r, sa=sa, sb=sb: [In('a', r.randn(*sa)), In('b', r.randn(*sb))]
            f.add('%s_%s' % (op, label), op, ins, fn)
    f.add('add_alpha', 'add', lambda r: [In('a', r.randn(2, 3)), In('b', r.randn(3))],
          lambda a, b: torch.add(a, b, alpha=-2.5), {'alpha': -2.5})
    f.add('sub_alpha', 'sub', lambda r: [In('a', r.randn(2, 3)), In('b', r.randn(2, 1))],
          lambda a, b: torch.sub(a, b, alpha=0.5), {'alpha': 0.5})
    for op, fn in [('add', lambda a: a + 1.5), ('sub', lambda a: a - 1.5), ('mul', lambda a: a * -3.0),
                   ('div', lambda a: a / 4.0), ('maximum', None)]:
        if fn is None:
            continue
        f.add('%s_number' % op, op, lambda r: [In('a', r.randn(2, 3))], fn,
              {'other': {'add': 1.5, 'sub': 1.5, 'mul': -3.0, 'div': 4.0}[op]})
    f.add('maximum_tie', 'maximum', lambda r: [In('a', torch.tensor([1., 2., 3., -1.])), In('b', torch.tensor([1., 0., 3., 2.]))],
          torch.maximum, note='ties at 0 and 2: torch splits the gradient evenly between a and b')
    f.add('minimum_tie', 'minimum', lambda r: [In('a', torch.tensor([1., 2., 3., -1.])), In('b', torch.tensor([1., 0., 3., 2.]))],
          torch.minimum, note='ties at 0 and 2: torch splits the gradient evenly between a and b')


def _pow(f):
    f.add('pow_tensor_tensor', 'pow', lambda r: [In('a', r.pos(2, 3)), In('b', r.randn(2, 3))], torch.pow)
    f.add('pow_tensor_bcast', 'pow', lambda r: [In('a', r.pos(3, 1)), In('b', r.randn(4))], torch.pow)
    for e in [2.0, 3.0, 0.5, -1.5, 0.0]:
        pos = e != 2.0 and e != 3.0
        f.add('pow_scalar_%s' % str(e).replace('.', 'p').replace('-', 'm'), 'pow',
              lambda r, pos=pos: [In('a', r.pos(2, 3) if pos else r.randn(2, 3))],
              lambda a, e=e: torch.pow(a, e), {'exponent': e})
    f.add('pow_zero_exp_at_zero', 'pow', lambda r: [In('a', torch.tensor([0.0, 2.0, -1.5]))], lambda a: a ** 0.0,
          {'exponent': 0.0}, note='x ** 0 has zero grad everywhere, including x = 0')
    f.add('pow_square_at_zero', 'pow', lambda r: [In('a', torch.tensor([0.0, 2.0, -1.5]))], lambda a: a ** 2.0,
          {'exponent': 2.0})
    f.add('pow_tensor_zero_base', 'pow', lambda r: [In('a', torch.tensor([0.0, 0.0, 2.0])), In('b', torch.tensor([2.0, 0.5, 1.5]))],
          torch.pow, note='d/db at base 0 (b > 0): torch masks log(0) * 0 to 0; d/da at (0, 0.5) = ±inf (0.5 * 0 ** -0.5 times the seed)')
    f.add('pow_negbase_int_exp', 'pow', lambda r: [In('a', -r.pos(4))], lambda a: a ** 3.0, {'exponent': 3.0})


def _unary(f):
    un = {
        'neg': (torch.neg, 'randn'), 'exp': (torch.exp, 'randn'), 'log': (torch.log, 'pos'),
        'sqrt': (torch.sqrt, 'pos'), 'rsqrt': (torch.rsqrt, 'pos'), 'abs': (torch.abs, 'randn'),
        'sign': (torch.sign, 'randn'), 'square': (torch.square, 'randn'),
        'reciprocal': (torch.reciprocal, 'signed_pos'), 'sin': (torch.sin, 'randn'), 'cos': (torch.cos, 'randn'),
    }
    for op, (fn, kind) in un.items():
        def ins(r, kind=kind):
            if kind == 'signed_pos':
                return [In('x', r.pos(3, 4) * torch.sign(r.randn(3, 4)))]
            return [In('x', getattr(r, kind)(3, 4))]
        f.add(op, op, ins, fn)
    f.add('abs_at_zero', 'abs', lambda r: [In('x', torch.tensor([-1., 0., 2., -0.]))], torch.abs,
          note="abs'(0) = 0 in torch")
    f.add('sign_at_zero', 'sign', lambda r: [In('x', torch.tensor([-1., 0., 2.]))], torch.sign)
    f.add('sqrt_at_zero', 'sqrt', lambda r: [In('x', torch.tensor([0.0, 1.0, 4.0]))], torch.sqrt,
          note="sqrt'(0) = inf in torch (grad = seed * inf)")
    f.add('exp_large', 'exp', lambda r: [In('x', torch.tensor([-80., -10., 0.5, 10., 40.]))], torch.exp)


def _clamp_where(f):
    f.add('clamp_both', 'clamp', lambda r: [In('x', r.randn(3, 4))], lambda x: x.clamp(-0.5, 0.7),
          {'min': -0.5, 'max': 0.7})
    f.add('clamp_min_only', 'clamp', lambda r: [In('x', r.randn(3, 4))], lambda x: x.clamp(min=0.1), {'min': 0.1})
    f.add('clamp_max_only', 'clamp', lambda r: [In('x', r.randn(3, 4))], lambda x: x.clamp(max=-0.2), {'max': -0.2})
    f.add('clamp_min_gt_max', 'clamp', lambda r: [In('x', r.randn(5))], lambda x: torch.clamp(x, 0.5, -0.5),
          {'min': 0.5, 'max': -0.5}, note='min > max: torch returns max everywhere (zero grad)')
    f.add('clamp_at_bounds_tie', 'clamp', lambda r: [In('x', torch.tensor([-1., -0.5, 0., 0.5, 1.]))],
          lambda x: x.clamp(-0.5, 0.5), {'min': -0.5, 'max': 0.5},
          note='x exactly at min/max: torch passes the gradient through (inclusive bounds)')

    def cond(r, *shape):
        return In('cond', r.randn(*shape) > 0, grad=False)
    f.add('where_same', 'where', lambda r: [cond(r, 3, 4), In('a', r.randn(3, 4)), In('b', r.randn(3, 4))], torch.where)
    f.add('where_bcast', 'where', lambda r: [cond(r, 3, 1), In('a', r.randn(1, 4)), In('b', r.randn(3, 4))],
          torch.where)
    f.add('where_bcast_cond', 'where', lambda r: [cond(r, 2, 3, 4), In('a', r.randn(4)), In('b', r.randn(3, 1))],
          torch.where)


def build():
    f = Family('math')
    _binary(f)
    _pow(f)
    _unary(f)
    _clamp_where(f)
    f.add('float64_mul_bcast', 'mul', lambda r: [In('a', r.randn(2, 3)), In('b', r.randn(3))], torch.mul,
          dtype=torch.float64)
    f.add('float64_div_exp', 'div', lambda r: [In('a', r.randn(3, 1)), In('b', r.pos(1, 2))], torch.div,
          dtype=torch.float64)
    f.add('float64_pow', 'pow', lambda r: [In('a', r.pos(4)), In('b', r.randn(4))], torch.pow, dtype=torch.float64)
    return f

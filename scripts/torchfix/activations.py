"""relu, leaky_relu, elu, gelu (none/tanh), sigmoid, tanh, softplus (beta, threshold), softmax, log_softmax.
Kinks are avoided (|x| >= 0.01) except in *_at_zero cases."""
import torch
import torch.nn.functional as F

from .common import Family, In


def _x(r, *shape, scale=2.0):
    v = r.randn(*shape) * scale
    return v + torch.sign(v) * 0.01


def _acts(f):
    x = lambda r: [In('x', _x(r, 3, 5))]
    f.add('relu', 'relu', x, F.relu)
    f.add('relu_at_zero', 'relu', lambda r: [In('x', torch.tensor([-1., 0., 1., -0.]))], F.relu,
          note="relu'(0) = 0 in torch")
    f.add('leaky_relu_default', 'leaky_relu', x, F.leaky_relu)
    f.add('leaky_relu_0p2', 'leaky_relu', x, lambda t: F.leaky_relu(t, 0.2), {'negativeSlope': 0.2})
    f.add('leaky_relu_at_zero', 'leaky_relu', lambda r: [In('x', torch.tensor([-1., 0., 1.]))],
          lambda t: F.leaky_relu(t, 0.3), {'negativeSlope': 0.3}, note='grad at 0 is the negative slope in torch')
    f.add('elu_default', 'elu', x, F.elu)
    f.add('elu_at_zero', 'elu', lambda r: [In('x', torch.tensor([-1.0, 0.0, 1.0]))], lambda t: F.elu(t, 0.5),
          {'alpha': 0.5}, note="torch's elu grad at 0 takes the negative branch: alpha * exp(0) = alpha")
    f.add('elu_alpha', 'elu', x, lambda t: F.elu(t, 0.7), {'alpha': 0.7})
    f.add('gelu_none', 'gelu', x, F.gelu, {'approximate': 'none'})
    f.add('gelu_default', 'gelu', x, F.gelu, {})
    f.add('gelu_tanh', 'gelu', x, lambda t: F.gelu(t, approximate='tanh'), {'approximate': 'tanh'})
    f.add('gelu_wide_range', 'gelu', lambda r: [In('x', torch.linspace(-8, 8, 17) + 0.013)], F.gelu, {})
    f.add('sigmoid', 'sigmoid', x, torch.sigmoid)
    f.add('sigmoid_extreme', 'sigmoid', lambda r: [In('x', torch.tensor([-100., -20., -0.5, 0.5, 20., 100.]))],
          torch.sigmoid)
    f.add('tanh', 'tanh', x, torch.tanh)
    f.add('tanh_extreme', 'tanh', lambda r: [In('x', torch.tensor([-50., -5., 0.3, 5., 50.]))], torch.tanh)
    f.add('softplus_default', 'softplus', x, F.softplus)
    f.add('softplus_beta2', 'softplus', x, lambda t: F.softplus(t, beta=2.0), {'beta': 2.0})
    f.add('softplus_threshold', 'softplus', lambda r: [In('x', torch.tensor([-3., -0.5, 0.7, 1.9, 2.1, 4., 30.]))],
          lambda t: F.softplus(t, beta=1.5, threshold=3.0), {'beta': 1.5, 'threshold': 3.0},
          note='beta*x > threshold switches to the identity')
    f.add('softplus_large', 'softplus', lambda r: [In('x', torch.tensor([-100., -30., 15., 25., 100.]))], F.softplus)
    f.add('gelu_tanh_float64', 'gelu', lambda r: [In('x', r.randn(6) * 2)],
          lambda t: F.gelu(t, approximate='tanh'), {'approximate': 'tanh'}, dtype=torch.float64)
    # the activation table (src/runtime/ops/activations.ts); inputs avoid the kinks at ±3, ±1, 0 and 6
    wide = lambda r: [In('x', _x(r, 4, 6, scale=3.0))]
    f.add('hardswish', 'hardswish', wide, F.hardswish)
    f.add('hardsigmoid', 'hardsigmoid', wide, F.hardsigmoid)
    f.add('hardtanh_default', 'hardtanh', wide, F.hardtanh)
    f.add('hardtanh_range', 'hardtanh', wide, lambda t: F.hardtanh(t, -2.0, 1.5), {'minVal': -2.0, 'maxVal': 1.5})
    f.add('relu6', 'relu6', lambda r: [In('x', _x(r, 4, 6, scale=4.0))], F.relu6)
    f.add('selu', 'selu', wide, F.selu)
    f.add('silu', 'silu', wide, F.silu)
    f.add('mish', 'mish', wide, F.mish)
    f.add('mish_large', 'mish', lambda r: [In('x', torch.tensor([-30., -10., 15., 25., 60.]))], F.mish)
    f.add('softsign', 'softsign', wide, F.softsign)
    f.add('silu_float64', 'silu', lambda r: [In('x', r.randn(6) * 3)], F.silu, dtype=torch.float64)
    f.add('gelu_none_float64', 'gelu', lambda r: [In('x', r.randn(6) * 2)], F.gelu, {'approximate': 'none'},
          dtype=torch.float64)


def _softmax(f):
    for op, fn in [('softmax', F.softmax), ('log_softmax', F.log_softmax)]:
        f.add(op + '_d1', op, lambda r: [In('x', r.randn(3, 5))], lambda t, fn=fn: fn(t, 1), {'dim': 1})
        f.add(op + '_d0', op, lambda r: [In('x', r.randn(4, 3))], lambda t, fn=fn: fn(t, 0), {'dim': 0})
        f.add(op + '_dneg_3d', op, lambda r: [In('x', r.randn(2, 3, 4))], lambda t, fn=fn: fn(t, -1), {'dim': -1})
        f.add(op + '_middle_dim', op, lambda r: [In('x', r.randn(2, 4, 3))], lambda t, fn=fn: fn(t, 1), {'dim': 1})
        f.add(op + '_large_logits', op, lambda r: [In('x', r.randn(3, 4) * 5 + 1000.0)],
              lambda t, fn=fn: fn(t, 1), {'dim': 1}, note='logits ~1000: naive exp overflows')
        f.add(op + '_mixed_extreme', op, lambda r: [In('x', torch.tensor([[-1000., 0., 1000.], [88., 89., -500.]]))],
              lambda t, fn=fn: fn(t, 1), {'dim': 1})
        f.add(op + '_masked_neg_inf', op,
              lambda r: [In('x', r.randn(3, 4).masked_fill(torch.tensor([[0, 1, 0, 1], [0, 0, 0, 1], [1, 1, 0, 0]]).bool(),
                                                           float('-inf')))],
              lambda t, fn=fn: fn(t, -1), {'dim': -1}, note='masked attention: -inf logits get probability 0')
        f.add(op + '_size1_dim', op, lambda r: [In('x', r.randn(3, 1))], lambda t, fn=fn: fn(t, 1), {'dim': 1})
        f.add(op + '_float64', op, lambda r: [In('x', r.randn(3, 4) * 3)], lambda t, fn=fn: fn(t, 1), {'dim': 1},
              dtype=torch.float64)


def build():
    f = Family('activations')
    _acts(f)
    _softmax(f)
    return f

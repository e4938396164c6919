"""batch_norm (training: running stats update recorded in `extra`; eval), layer_norm, group_norm, instance_norm.
Optional tensors (runningMean/runningVar/weight/bias) are inputs named running_mean/running_var/weight/bias;
absent ones are simply not listed."""
import torch
import torch.nn.functional as F

from .common import Family, In


def _bn_ins(xs, stats=True, affine=True, var_lo=0.5):
    def ins(r):
        c = xs[1]
        res = [In('x', r.randn(*xs) * 2 + 0.5)]
        if stats:
            res += [In('running_mean', r.randn(c) * 0.1, grad=False), In('running_var', r.pos(c, lo=var_lo), grad=False)]
        if affine:
            res += [In('weight', r.randn(c)), In('bias', r.randn(c))]
        return res
    return ins


def _bn(f):
    def bn(name, xs, training, momentum=0.1, eps=1e-5, stats=True, affine=True, dtype=torch.float32):
        def fn(x, *rest):
            named = dict(zip([n for n in ('running_mean', 'running_var') if stats] +
                             (['weight', 'bias'] if affine else []), rest))
            return F.batch_norm(x, named.get('running_mean'), named.get('running_var'), named.get('weight'),
                                named.get('bias'), training=training, momentum=momentum, eps=eps)
        kw = {'training': training, 'momentum': momentum, 'eps': eps}
        mutated = ('running_mean', 'running_var') if (training and stats) else ()
        f.add(name, 'batch_norm', _bn_ins(xs, stats, affine), fn, kw, mutated=mutated, dtype=dtype)

    bn('batch_norm_train_2d', (4, 3), True)
    bn('batch_norm_train_4d', (3, 2, 3, 4), True)
    bn('batch_norm_train_3d_momentum', (2, 3, 5), True, momentum=0.3)
    bn('batch_norm_train_noaffine', (4, 2, 2, 2), True, affine=False)
    bn('batch_norm_train_no_running_stats', (3, 2, 4), True, stats=False)
    bn('batch_norm_train_eps', (2, 2, 3, 3), True, eps=1e-2, momentum=0.5)
    bn('batch_norm_eval_2d', (4, 3), False)
    bn('batch_norm_eval_4d', (2, 3, 3, 2), False)
    bn('batch_norm_eval_noaffine', (2, 2, 4), False, affine=False)
    bn('batch_norm_train_4d_float64', (2, 3, 2, 3), True, dtype=torch.float64)


def _ln_gn(f):
    def ln(name, xs, nshape, affine=True, eps=1e-5, dtype=torch.float32):
        def ins(r):
            res = [In('x', r.randn(*xs) * 1.5 - 0.3)]
            if affine:
                res += [In('weight', r.randn(*nshape)), In('bias', r.randn(*nshape))]
            return res
        f.add(name, 'layer_norm', ins, lambda x, w=None, b=None: F.layer_norm(x, nshape, w, b, eps),
              {'normalizedShape': list(nshape), 'eps': eps}, dtype=dtype)
    ln('layer_norm_last', (3, 5), (5,))
    ln('layer_norm_last2', (2, 3, 4), (3, 4))
    ln('layer_norm_noaffine', (2, 3, 4), (4,), affine=False)
    ln('layer_norm_eps', (4, 6), (6,), eps=1e-3)
    f.add('layer_norm_constant_row', 'layer_norm',
          lambda r: [In('x', torch.cat([torch.full((1, 5), 0.75), r.randn(1, 5)])), In('weight', r.randn(5)), In('bias', r.randn(5))],
          lambda x, w, b: F.layer_norm(x, (5,), w, b), {'normalizedShape': [5], 'eps': 1e-5},
          note='zero-variance row (exactly representable constant): xhat = 0, output = bias; grads scale with 1/sqrt(eps)')
    ln('layer_norm_float64', (2, 3, 4), (3, 4), dtype=torch.float64)

    def gn(name, xs, g, affine=True, eps=1e-5):
        def ins(r):
            res = [In('x', r.randn(*xs) + 0.2)]
            if affine:
                res += [In('weight', r.randn(xs[1])), In('bias', r.randn(xs[1]))]
            return res
        f.add(name, 'group_norm', ins, lambda x, w=None, b=None: F.group_norm(x, g, w, b, eps),
              {'numGroups': g, 'eps': eps})
    gn('group_norm_2groups', (2, 4, 3, 3), 2)
    gn('group_norm_1group', (2, 3, 4), 1)
    gn('group_norm_per_channel', (2, 3, 2, 3), 3)
    gn('group_norm_noaffine', (3, 6, 2, 2), 3, affine=False)


def _inorm(f):
    def inorm(name, xs, stats, affine, use_input_stats=True, momentum=0.1):
        def ins(r):
            c = xs[1]
            res = [In('x', r.randn(*xs) * 2 + 1)]
            if stats:
                res += [In('running_mean', r.randn(c) * 0.1, grad=False), In('running_var', r.pos(c), grad=False)]
            if affine:
                res += [In('weight', r.randn(c)), In('bias', r.randn(c))]
            return res

        def fn(x, *rest):
            named = dict(zip((['running_mean', 'running_var'] if stats else []) + (['weight', 'bias'] if affine else []), rest))
            return F.instance_norm(x, named.get('running_mean'), named.get('running_var'), named.get('weight'),
                                   named.get('bias'), use_input_stats, momentum, 1e-5)
        mutated = ('running_mean', 'running_var') if (stats and use_input_stats) else ()
        f.add(name, 'instance_norm', ins, fn, {'useInputStats': use_input_stats, 'momentum': momentum, 'eps': 1e-5},
              mutated=mutated)
    inorm('instance_norm_plain', (2, 3, 4, 4), False, False)
    inorm('instance_norm_affine', (2, 3, 3, 4), False, True)
    inorm('instance_norm_1d_affine', (3, 2, 5), False, True)
    inorm('instance_norm_running_stats', (2, 3, 3, 3), True, True, momentum=0.2)
    inorm('instance_norm_eval_running_stats', (2, 2, 3, 3), True, True, use_input_stats=False)


def build():
    f = Family('norm')
    _bn(f)
    _ln_gn(f)
    _inorm(f)
    return f

"""cross_entropy (class indices incl. spatial, probabilities, weight, ignore_index, label_smoothing, reductions),
nll_loss, mse, l1, smooth_l1 (beta), bce (weight), bce_with_logits (weight, pos_weight). Targets are int32 inputs
(no grad) or float inputs; loss targets never require grad here."""
import torch
import torch.nn.functional as F

from .common import Family, In

RED = ['mean', 'sum', 'none']
PY = {'ignoreIndex': 'ignore_index', 'labelSmoothing': 'label_smoothing', 'posWeight': 'pos_weight'}


def _py(kw):
    return {PY.get(k, k): v for k, v in kw.items()}


def _ce(f):
    def ce(name, xs, kw, probs=False, weight=False, ignore_at=None, op='cross_entropy', fn=F.cross_entropy, shift=0.0):
        c = xs[1]

        def ins(r):
            x = r.randn(*xs) * 1.5 + shift
            tshape = (xs[0],) + tuple(xs[2:])
            if probs:
                t = torch.softmax(r.randn(*xs) * 2, 1)
            else:
                t = r.randint(0, c, *tshape)
                for i in (ignore_at or []):
                    t.view(-1)[i] = kw['ignoreIndex']
            if op == 'nll_loss':
                x = torch.log_softmax(x, 1)
            res = [In('input', x), In('target', t, grad=False)]
            if weight:
                res.append(In('weight', r.pos(c, lo=0.2, hi=2.0), grad=False))
            return res
        f.add(name, op, ins, lambda x, t, w=None: fn(x, t, weight=w, **_py(kw)), kw)

    for red in RED:
        ce('ce_idx_' + red, (4, 5), {'reduction': red})
        ce('ce_idx_weight_' + red, (5, 3), {'reduction': red}, weight=True)
        ce('ce_probs_' + red, (3, 4), {'reduction': red}, probs=True)
        ce('ce_ignore_' + red, (6, 4), {'reduction': red, 'ignoreIndex': 2}, ignore_at=[1, 4])
        ce('ce_smooth_' + red, (4, 5), {'reduction': red, 'labelSmoothing': 0.1})
        ce('nll_' + red, (4, 5), {'reduction': red}, op='nll_loss', fn=F.nll_loss)
        ce('nll_weight_ignore_' + red, (6, 3), {'reduction': red, 'ignoreIndex': -100}, weight=True, ignore_at=[0, 3],
           op='nll_loss', fn=F.nll_loss)
    ce('ce_default', (3, 4), {})
    ce('ce_spatial', (2, 3, 2, 3), {})
    ce('ce_spatial_weight_sum', (2, 4, 3), {'reduction': 'sum'}, weight=True)
    ce('ce_weight_ignore', (6, 4), {'ignoreIndex': 1}, weight=True, ignore_at=[0, 2])
    ce('ce_ignore_negative', (5, 3), {'ignoreIndex': -1}, ignore_at=[3])
    ce('ce_weight_smooth', (5, 4), {'labelSmoothing': 0.2}, weight=True)
    ce('ce_weight_smooth_ignore', (6, 4), {'labelSmoothing': 0.15, 'ignoreIndex': 0}, weight=True, ignore_at=[1, 5])
    ce('ce_probs_weight', (4, 3), {}, probs=True, weight=True)
    ce('ce_probs_smooth', (4, 3), {'labelSmoothing': 0.3}, probs=True)
    ce('ce_large_logits', (3, 4), {}, shift=1000.0)
    f.add('ce_extreme_logits', 'cross_entropy',
          lambda r: [In('input', torch.tensor([[1000., 0., -1000.], [50., 60., 70.]])),
                     In('target', torch.tensor([2, 0]), grad=False)],
          lambda x, t: F.cross_entropy(x, t), {}, note='stability: loss ~2000 must not be inf/nan')
    f.add('ce_all_ignored_mean', 'cross_entropy',
          lambda r: [In('input', r.randn(3, 4)), In('target', torch.tensor([-100, -100, -100]), grad=False)],
          lambda x, t: F.cross_entropy(x, t), {}, note='every target ignored, mean reduction: torch gives nan (0/0)')
    f.add('ce_all_ignored_sum', 'cross_entropy',
          lambda r: [In('input', r.randn(3, 4)), In('target', torch.tensor([-100, -100, -100]), grad=False)],
          lambda x, t: F.cross_entropy(x, t, reduction='sum'), {'reduction': 'sum'})
    ce('nll_spatial', (2, 3, 2, 2), {}, op='nll_loss', fn=F.nll_loss)


def _pointwise(f):
    def pw(name, op, fn, kw, kind='randn', weight=None):
        def ins(r):
            if kind == 'bce':
                res = [In('input', r.rand(3, 4, lo=0.05, hi=0.95)), In('target', r.rand(3, 4), grad=False)]
            elif kind == 'bce_logits':
                res = [In('input', r.randn(3, 4) * 2), In('target', r.rand(3, 4), grad=False)]
            else:
                res = [In('input', r.randn(3, 4)), In('target', r.randn(3, 4), grad=False)]
            if weight == 'weight':
                res.append(In('weight', r.pos(4), grad=False))
            if weight in ('posWeight', 'both'):
                if weight == 'both':
                    res.append(In('weight', r.pos(3, 1), grad=False))
                res.append(In('pos_weight', r.pos(4), grad=False))
            return res

        def call(x, t, *rest):
            names = {'weight': ['weight'], 'posWeight': ['pos_weight'], 'both': ['weight', 'pos_weight']}.get(weight, [])
            return fn(x, t, **dict(zip(names, rest)), **_py(kw))
        f.add(name, op, ins, call, kw)

    for red in RED:
        pw('mse_' + red, 'mse_loss', F.mse_loss, {'reduction': red})
        pw('l1_' + red, 'l1_loss', F.l1_loss, {'reduction': red})
        pw('smooth_l1_' + red, 'smooth_l1_loss', F.smooth_l1_loss, {'reduction': red})
        pw('bce_' + red, 'binary_cross_entropy', F.binary_cross_entropy, {'reduction': red}, kind='bce')
        pw('bce_logits_' + red, 'binary_cross_entropy_with_logits', F.binary_cross_entropy_with_logits,
           {'reduction': red}, kind='bce_logits')
    pw('smooth_l1_beta0p5', 'smooth_l1_loss', F.smooth_l1_loss, {'beta': 0.5})
    pw('smooth_l1_beta2', 'smooth_l1_loss', F.smooth_l1_loss, {'beta': 2.0, 'reduction': 'sum'})
    pw('bce_weight', 'binary_cross_entropy', F.binary_cross_entropy, {}, kind='bce', weight='weight')
    pw('bce_logits_weight', 'binary_cross_entropy_with_logits', F.binary_cross_entropy_with_logits, {},
       kind='bce_logits', weight='weight')
    pw('bce_logits_pos_weight', 'binary_cross_entropy_with_logits', F.binary_cross_entropy_with_logits,
       {'reduction': 'sum'}, kind='bce_logits', weight='posWeight')
    pw('bce_logits_weight_pos_weight', 'binary_cross_entropy_with_logits', F.binary_cross_entropy_with_logits,
       {}, kind='bce_logits', weight='both')
    f.add('l1_zero_diff', 'l1_loss', lambda r: [In('input', torch.tensor([1.0, 2.0, -0.5])),
                                                 In('target', torch.tensor([1.0, 1.0, -0.5]), grad=False)],
          lambda x, t: F.l1_loss(x, t, reduction='sum'), {'reduction': 'sum'}, note="l1 grad at zero difference is 0 (sign(0))")
    f.add('bce_input_at_0_and_1', 'binary_cross_entropy',
          lambda r: [In('input', torch.tensor([0.0, 1.0, 0.5, 1.0, 0.0])),
                     In('target', torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0]), grad=False)],
          lambda x, t: F.binary_cross_entropy(x, t, reduction='none'), {'reduction': 'none'},
          note='torch clamps log() at -100; grad = (x - y) / max(x (1 - x), 1e-12)')
    f.add('bce_logits_extreme', 'binary_cross_entropy_with_logits',
          lambda r: [In('input', torch.tensor([-200., -30., 30., 200.])),
                     In('target', torch.tensor([1., 0.5, 0., 1.]), grad=False)],
          lambda x, t: F.binary_cross_entropy_with_logits(x, t), {}, note='stable for large |logits|')
    f.add('mse_float64', 'mse_loss', lambda r: [In('input', r.randn(2, 3)), In('target', r.randn(2, 3), grad=False)],
          lambda x, t: F.mse_loss(x, t), {}, dtype=torch.float64)
    f.add('mse_target_requires_grad', 'mse_loss', lambda r: [In('input', r.randn(2, 3)), In('target', r.randn(2, 3))],
          lambda x, t: F.mse_loss(x, t), {}, note='grad flows to both input and target')


def build():
    f = Family('losses')
    _ce(f)
    _pointwise(f)
    return f

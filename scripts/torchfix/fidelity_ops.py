"""Issue #10 §3 tensor/functional ops against PyTorch: values, and gradients of sum(out * seed) with
seed = 1..n, for each case. Writes test/fixtures/torch/fidelity_ops.json (read by test/unit/fidelity-ops.test.ts).
"""
import json
import os

import torch
import torch.nn.functional as F

from .common import ser


WEIGHT5 = torch.tensor([0.6, 1.3, 0.9, 1.1, 0.75])


def _x(g, *shape):
    return torch.randn(*shape, generator=g)


def cases():
    g = torch.Generator().manual_seed(1234)
    x34 = _x(g, 3, 4)
    x234 = _x(g, 2, 3, 4)
    img = _x(g, 2, 3, 4, 5)
    a23, b34, c45 = _x(g, 2, 3), _x(g, 3, 4), _x(g, 4, 5)
    bat = _x(g, 2, 3, 4)
    bat2 = _x(g, 2, 4, 5)
    v3 = _x(g, 3)
    ties = torch.tensor([[3.0, 1.0, 3.0, 2.0], [0.5, 0.5, -1.0, 2.0]])
    logits, tgt = _x(g, 4, 5), torch.tensor([1, 0, 4, 2])
    w5 = WEIGHT5
    seq = _x(g, 2, 3, 6)
    return [
        ('sort_last', [x34], lambda x: x.sort()[0], lambda x: x.sort()[1]),
        ('sort_dim0_desc', [x34], lambda x: x.sort(0, True)[0], lambda x: x.sort(0, True)[1]),
        ('sort_ties_stable', [ties], lambda x: x.sort(stable=True)[0], lambda x: x.sort(stable=True)[1]),
        ('argsort_desc', [x234], None, lambda x: x.argsort(1, True)),
        ('topk_2', [x34], lambda x: x.topk(2)[0], lambda x: x.topk(2)[1]),
        ('topk_smallest_dim0', [x34], lambda x: x.topk(2, 0, False)[0], lambda x: x.topk(2, 0, False)[1]),
        ('repeat', [x34], lambda x: x.repeat(2, 1, 3), None),
        ('tile_short', [x234], lambda x: x.tile((2,)), None),
        ('all_dim', [x34], None, lambda x: (x > -1).all(1)),
        ('any_keepdim', [x34], None, lambda x: (x > 1).any(0, keepdim=True)),
        ('all_full', [x34], None, lambda x: (x > -5).all()),
        ('einsum_mm', [a23, b34], lambda a, b: torch.einsum('ij,jk->ik', a, b), None),
        ('einsum_chain3', [a23, b34, c45], lambda a, b, c: torch.einsum('ij,jk,kl->il', a, b, c), None),
        ('einsum_bmm', [bat, bat2], lambda a, b: torch.einsum('bij,bjk->bik', a, b), None),
        ('einsum_outer', [v3, v3 * 2], lambda a, b: torch.einsum('i,j->ij', a, b), None),
        ('einsum_implicit_trace_like', [x34, x34 * 0.5], lambda a, b: torch.einsum('ij,ij', a, b), None),
        ('einsum_transpose_sum', [x234], lambda a: torch.einsum('bij->jb', a), None),
        ('addcmul', [x34, x34 * 2, x34 + 3], lambda a, b, c: torch.addcmul(a, b, c, value=0.5), None),
        ('addcdiv', [x34, x34 * 2, x34.abs() + 1], lambda a, b, c: torch.addcdiv(a, b, c, value=-2), None),
        ('pad_constant', [img], lambda x: F.pad(x, (1, 2, 0, 1), value=0.5), None),
        ('pad_reflect', [img], lambda x: F.pad(x, (2, 1, 1, 2), mode='reflect'), None),
        ('pad_replicate', [img], lambda x: F.pad(x, (1, 3, 2, 0), mode='replicate'), None),
        ('pad_crop', [img], lambda x: F.pad(x, (-1, 1)), None),
        ('pad_reflect_1d', [seq], lambda x: F.pad(x, (2, 3), mode='reflect'), None),
        ('interp_nearest_size', [img], lambda x: F.interpolate(x, size=(7, 3)), None),
        ('interp_nearest_scale', [img], lambda x: F.interpolate(x, scale_factor=2), None),
        ('interp_bilinear', [img], lambda x: F.interpolate(x, size=(6, 9), mode='bilinear'), None),
        ('interp_bilinear_ac', [img], lambda x: F.interpolate(x, scale_factor=1.5, mode='bilinear', align_corners=True), None),
        ('interp_bilinear_down', [img], lambda x: F.interpolate(x, size=(3, 2), mode='bilinear'), None),
        ('interp_linear_1d', [seq], lambda x: F.interpolate(x, size=10, mode='linear'), None),
        ('multi_margin', [logits], lambda x: F.multi_margin_loss(x, tgt), None),
        ('multi_margin_p2_w', [logits], lambda x: F.multi_margin_loss(x, tgt, p=2, margin=0.7, weight=w5, reduction='sum'), None),
        ('multi_margin_none', [logits], lambda x: F.multi_margin_loss(x, tgt, reduction='none'), None),
    ]


def write_fidelity_ops(out_dir):
    out = {'torch': torch.__version__, 'cases': []}
    out['weight5'] = ser(WEIGHT5)
    for name, inputs, fval, fidx in cases():
        ins = [t.clone().requires_grad_(True) for t in inputs]
        case = {'name': name, 'inputs': [ser(t) for t in inputs]}
        if fval is not None:
            y = fval(*ins)
            seed = torch.arange(1, y.numel() + 1, dtype=torch.float32).reshape(y.shape)
            (y * seed).sum().backward()
            case['value'] = ser(y)
            case['grads'] = [ser(t.grad) if t.grad is not None else None for t in ins]
        if fidx is not None:
            case['aux'] = ser(fidx(*[t.detach() for t in inputs]))
        out['cases'].append(case)
    # clip_grad_norm_ / clip_grad_value_
    g = torch.Generator().manual_seed(99)
    ps = [torch.randn(3, 4, generator=g), torch.randn(5, generator=g)]
    gs = [torch.randn(3, 4, generator=g) * 3, torch.randn(5, generator=g)]
    clip = {'grads': [ser(t) for t in gs]}
    for label, kw in (('norm2', {'max_norm': 1.0}), ('norm1', {'max_norm': 2.0, 'norm_type': 1}), ('inf', {'max_norm': 0.5, 'norm_type': float('inf')}), ('noop', {'max_norm': 100.0})):
        qs = [p.clone().requires_grad_(True) for p in ps]
        for q, gr in zip(qs, gs):
            q.grad = gr.clone()
        total = torch.nn.utils.clip_grad_norm_(qs, **kw)
        clip[label] = {'options': {k: ('Infinity' if v == float('inf') else v) for k, v in kw.items()}, 'total': float(total), 'grads': [ser(q.grad) for q in qs]}
    qs = [p.clone().requires_grad_(True) for p in ps]
    for q, gr in zip(qs, gs):
        q.grad = gr.clone()
    torch.nn.utils.clip_grad_value_(qs, 0.8)
    clip['value'] = [ser(q.grad) for q in qs]
    out['clip'] = clip
    out['layers'] = layer_cases()
    out['convTranspose'] = conv_transpose_cases()
    path = os.path.join(out_dir, 'fidelity_ops.json')
    text = json.dumps(out)
    with open(path, 'w') as fh:
        fh.write(text + '\n')
    return path, len(out['cases']), len(text)


def layer_cases():
    """nn layers of issue #10 §3 (Upsample, Unflatten, PReLU, LocalResponseNorm): output and input/weight grads."""
    g = torch.Generator().manual_seed(77)
    x = torch.randn(2, 4, 3, 5, generator=g)
    out = []
    for name, make in (
        ('upsample_nearest', lambda: torch.nn.Upsample(scale_factor=2)),
        ('upsample_bilinear_ac', lambda: torch.nn.Upsample(size=(5, 7), mode='bilinear', align_corners=True)),
        ('unflatten', lambda: torch.nn.Unflatten(1, (2, 2))),
        ('prelu_1', lambda: torch.nn.PReLU()),
        ('prelu_4', lambda: torch.nn.PReLU(4, 0.1)),
        ('lrn_3', lambda: torch.nn.LocalResponseNorm(3)),
        ('lrn_4_params', lambda: torch.nn.LocalResponseNorm(4, alpha=0.01, beta=0.5, k=2.0)),
    ):
        m = make()
        xi = x.clone().requires_grad_(True)
        y = m(xi)
        seed = torch.arange(1, y.numel() + 1, dtype=torch.float32).reshape(y.shape)
        (y * seed).sum().backward()
        case = {'name': name, 'value': ser(y), 'xgrad': ser(xi.grad)}
        if hasattr(m, 'weight'):
            case['wgrad'] = ser(m.weight.grad)
        out.append(case)
    return {'x': ser(x), 'cases': out}


def conv_transpose_cases():
    """ConvTranspose1d/2d modules (weights recorded), outputs and grads of x, weight, bias."""
    g = torch.Generator().manual_seed(88)
    out = []
    for name, make, shape in (
        ('ct2d_basic', lambda: torch.nn.ConvTranspose2d(4, 3, 3), (2, 4, 5, 5)),
        ('ct2d_stride_pad_outpad', lambda: torch.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1), (2, 4, 4, 5)),
        ('ct2d_groups_dilation', lambda: torch.nn.ConvTranspose2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0), groups=2, dilation=(1, 2), bias=False), (1, 4, 3, 4)),
        ('ct1d', lambda: torch.nn.ConvTranspose1d(3, 2, 4, stride=3, padding=1, output_padding=2), (2, 3, 6)),
    ):
        torch.manual_seed(1)
        m = make()
        x = torch.randn(*shape, generator=g, requires_grad=True)
        y = m(x)
        seed = torch.arange(1, y.numel() + 1, dtype=torch.float32).reshape(y.shape) / y.numel()
        (y * seed).sum().backward()
        out.append({'name': name, 'x': ser(x), 'weight': ser(m.weight), 'bias': ser(m.bias) if m.bias is not None else None,
                    'value': ser(y), 'xgrad': ser(x.grad), 'wgrad': ser(m.weight.grad), 'bgrad': ser(m.bias.grad) if m.bias is not None else None})
    return out

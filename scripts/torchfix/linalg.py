"""matmul (PyTorch batching rules incl. 1-D operands and broadcast batch dims), mm, bmm, F.linear."""
import torch
import torch.nn.functional as F

from .common import Family, In

MATMUL = [  # (label, a shape, b shape)
    ('1d_1d', (4,), (4,)), ('1d_2d', (3,), (3, 5)), ('2d_1d', (4, 3), (3,)), ('2d_2d', (2, 3), (3, 4)),
    ('3d_1d', (2, 3, 4), (4,)), ('1d_3d', (3,), (2, 3, 4)), ('3d_2d', (2, 3, 4), (4, 5)),
    ('2d_3d', (3, 4), (2, 4, 5)), ('3d_3d', (2, 3, 4), (2, 4, 2)),
    ('bcast_batch', (2, 1, 3, 4), (5, 4, 2)), ('bcast_batch_both', (3, 1, 2, 3), (1, 4, 3, 2)),
    ('4d_1d', (2, 2, 3, 4), (4,)), ('1d_4d', (3,), (2, 1, 3, 2)),
]


def build():
    f = Family('linalg')
    for label, sa, sb in MATMUL:
        f.add('matmul_' + label, 'matmul', lambda r, sa=sa, sb=sb: [In('a', r.randn(*sa)), In('b', r.randn(*sb))],
              torch.matmul)
    f.add('mm', 'mm', lambda r: [In('a', r.randn(3, 5)), In('b', r.randn(5, 2))], torch.mm)
    f.add('mm_transposed_view', 'mm_t', lambda r: [In('a', r.randn(5, 3)), In('b', r.randn(5, 2))],
          lambda a, b: torch.mm(a.t(), b), note='a.t() is a non-contiguous view')
    f.add('bmm', 'bmm', lambda r: [In('a', r.randn(3, 2, 4)), In('b', r.randn(3, 4, 3))], torch.bmm)
    f.add('matmul_odd_sizes', 'matmul', lambda r: [In('a', r.randn(7, 13)), In('b', r.randn(13, 9))], torch.matmul)
    f.add('matmul_gemm_17', 'matmul', lambda r: [In('a', r.randn(17, 33)), In('b', r.randn(33, 19))], torch.matmul)
    f.add('linear_bias', 'linear', lambda r: [In('x', r.randn(4, 5)), In('w', r.randn(3, 5)), In('b', r.randn(3))],
          F.linear)
    f.add('linear_nobias_3d', 'linear', lambda r: [In('x', r.randn(2, 3, 5)), In('w', r.randn(4, 5))], F.linear)
    f.add('linear_1d_input', 'linear', lambda r: [In('x', r.randn(5)), In('w', r.randn(2, 5)), In('b', r.randn(2))],
          F.linear)
    f.add('float64_matmul_bcast', 'matmul', lambda r: [In('a', r.randn(2, 1, 3, 4)), In('b', r.randn(3, 4, 2))],
          torch.matmul, dtype=torch.float64)
    f.add('float64_bmm', 'bmm', lambda r: [In('a', r.randn(2, 3, 4)), In('b', r.randn(2, 4, 2))], torch.bmm,
          dtype=torch.float64)
    return f

"""Views and movement: reshape, permute, transpose, flatten, squeeze/unsqueeze, expand, narrow, select,
indexing (ranges, steps, int index tensors), chunk/split, cat, stack, and composite view chains."""
import torch

from .common import Family, In


def _py_index(specs, tensors):
    out = []
    for s in specs:
        if s is None:
            out.append(None)
        elif s == '...':
            out.append(Ellipsis)
        elif isinstance(s, str):
            parts = [int(p) if p else None for p in s.split(':')]
            out.append(slice(*parts))
        elif isinstance(s, dict):
            out.append(tensors[s['tensor']])
        elif isinstance(s, list):
            out.append(torch.tensor(s))
        else:
            out.append(int(s))
    return tuple(out)


def _chain(x, steps):
    for method, args in steps:
        kw = args[-1] if args and isinstance(args[-1], dict) else {}
        x = getattr(x, method)(*(args[:-1] if kw else args), **kw)
    return x


def _simple(f):
    x1 = lambda *shape: (lambda r: [In('x', r.randn(*shape))])
    f.add('reshape_2x6_to_3x4', 'reshape', x1(2, 6), lambda x: x.reshape(3, 4), {'shape': [3, 4]})
    f.add('reshape_infer', 'reshape', x1(2, 3, 4), lambda x: x.reshape(4, -1), {'shape': [4, -1]})
    f.add('reshape_to_scalar', 'reshape', x1(1, 1), lambda x: x.reshape([]), {'shape': []})
    f.add('view_2x3x4_to_6x4', 'view', x1(2, 3, 4), lambda x: x.view(6, 4), {'shape': [6, 4]})
    f.add('permute_3d', 'permute', x1(2, 3, 4), lambda x: x.permute(2, 0, 1), {'dims': [2, 0, 1]})
    f.add('permute_4d_neg', 'permute', x1(2, 3, 2, 3), lambda x: x.permute(0, -1, 1, -2), {'dims': [0, -1, 1, -2]})
    f.add('transpose_0_2', 'transpose', x1(2, 3, 4), lambda x: x.transpose(0, 2), {'dim0': 0, 'dim1': 2})
    f.add('transpose_neg', 'transpose', x1(2, 3, 4), lambda x: x.transpose(-1, -2), {'dim0': -1, 'dim1': -2})
    f.add('t_2d', 't', x1(3, 5), lambda x: x.t())
    f.add('flatten_all', 'flatten', x1(2, 3, 4), lambda x: x.flatten(), {})
    f.add('flatten_1_2', 'flatten', x1(2, 3, 4, 2), lambda x: x.flatten(1, 2), {'startDim': 1, 'endDim': 2})
    f.add('flatten_from_1', 'flatten', x1(2, 3, 4), lambda x: x.flatten(1), {'startDim': 1})
    f.add('squeeze_all', 'squeeze', x1(1, 3, 1, 2), lambda x: x.squeeze(), {})
    f.add('squeeze_dim', 'squeeze', x1(1, 3, 1, 2), lambda x: x.squeeze(2), {'dim': 2})
    f.add('squeeze_dim_noop', 'squeeze', x1(2, 3), lambda x: x.squeeze(1), {'dim': 1})
    f.add('unsqueeze_0', 'unsqueeze', x1(3, 2), lambda x: x.unsqueeze(0), {'dim': 0})
    f.add('unsqueeze_neg1', 'unsqueeze', x1(3, 2), lambda x: x.unsqueeze(-1), {'dim': -1})
    f.add('expand_row', 'expand', x1(1, 4), lambda x: x.expand(3, 4), {'shape': [3, 4]})
    f.add('expand_new_dims', 'expand', x1(3, 1), lambda x: x.expand(2, 3, 5), {'shape': [2, 3, 5]})
    f.add('expand_minus1', 'expand', x1(2, 1, 3), lambda x: x.expand(-1, 4, -1), {'shape': [-1, 4, -1]})
    f.add('expand_scalar', 'expand', lambda r: [In('x', r.randn())], lambda x: x.expand(2, 3), {'shape': [2, 3]})
    f.add('narrow_dim1', 'narrow', x1(3, 6), lambda x: x.narrow(1, 2, 3), {'dim': 1, 'start': 2, 'length': 3})
    f.add('narrow_neg_dim', 'narrow', x1(2, 5, 3), lambda x: x.narrow(-2, 1, 2), {'dim': -2, 'start': 1, 'length': 2})
    f.add('select_dim0', 'select', x1(3, 4), lambda x: x.select(0, 1), {'dim': 0, 'index': 1})
    f.add('select_neg_index', 'select', x1(2, 3, 4), lambda x: x.select(2, -1), {'dim': 2, 'index': -1})


def _index(f):
    def idx(name, shape, specs, extra=None):
        def ins(r):
            res = [In('x', r.randn(*shape))]
            for k, v in (extra or {}).items():
                res.append(In(k, torch.tensor(v), grad=False))
            return res

        def fn(x, *rest):
            named = {k: t for k, t in zip((extra or {}).keys(), rest)}
            return x[_py_index(specs, named)]
        f.add(name, 'index', ins, fn, {'specs': specs})

    idx('index_int', [4, 3], [2])
    idx('index_neg_int', [4, 3], [-1])
    idx('index_range', [6, 3], ['1:5'])
    idx('index_step', [7, 3], ['::2'])
    idx('index_range_step_2d', [6, 7], ['1:6:2', '::3'])
    idx('index_full_then_int', [3, 4, 5], [':', 1])
    idx('index_ellipsis_int', [2, 3, 4], ['...', 2])
    idx('index_newaxis', [3, 4], [None, ':', '1:3'])
    idx('index_open_end', [5, 4], ['2:', ':-1'])
    idx('index_tensor_dim0', [5, 3], [{'tensor': 'idx'}], {'idx': [4, 0, 2]})
    idx('index_tensor_repeats', [5, 3], [{'tensor': 'idx'}], {'idx': [1, 3, 1, 1]})
    idx('index_tensor_dim1', [3, 6], [':', {'tensor': 'idx'}], {'idx': [5, 0, 2, 2]})
    idx('index_tensor_2d_idx', [6, 2], [{'tensor': 'idx'}], {'idx': [[0, 5], [3, 3]]})
    idx('index_list_dim1', [2, 5, 3], [':', [4, 1]])
    idx('index_range_and_tensor', [6, 5], ['1:5', {'tensor': 'idx'}], {'idx': [0, 4, 4]})


def _split_cat(f):
    f.add('chunk_even', 'chunk', lambda r: [In('x', r.randn(6, 4))], lambda x: x.chunk(3, 0), {'chunks': 3, 'dim': 0})
    f.add('chunk_uneven', 'chunk', lambda r: [In('x', r.randn(2, 7))], lambda x: x.chunk(3, 1), {'chunks': 3, 'dim': 1})
    f.add('split_size', 'split', lambda r: [In('x', r.randn(5, 3))], lambda x: x.split(2, 0), {'size': 2, 'dim': 0})
    f.add('split_sizes_list', 'split', lambda r: [In('x', r.randn(2, 6))], lambda x: x.split([1, 2, 3], 1),
          {'size': [1, 2, 3], 'dim': 1})

    def many(*shapes):
        return lambda r: [In('x%d' % i, r.randn(*s)) for i, s in enumerate(shapes)]
    f.add('cat_dim0', 'cat', many((2, 3), (1, 3), (3, 3)), lambda *xs: torch.cat(xs, 0), {'dim': 0})
    f.add('cat_dim1', 'cat', many((2, 1, 4), (2, 3, 4)), lambda *xs: torch.cat(xs, 1), {'dim': 1})
    f.add('cat_neg_dim', 'cat', many((2, 3, 2), (2, 3, 1)), lambda *xs: torch.cat(xs, -1), {'dim': -1})
    f.add('cat_single', 'cat', many((2, 3)), lambda *xs: torch.cat(xs, 1), {'dim': 1})
    f.add('stack_single', 'stack', many((2, 3)), lambda *xs: torch.stack(xs, 1), {'dim': 1})
    f.add('stack_dim0', 'stack', many((2, 3), (2, 3), (2, 3)), lambda *xs: torch.stack(xs, 0), {'dim': 0})
    f.add('stack_dim_last', 'stack', many((2, 3), (2, 3)), lambda *xs: torch.stack(xs, 2), {'dim': 2})
    f.add('stack_neg_dim', 'stack', many((4,), (4,), (4,)), lambda *xs: torch.stack(xs, -1), {'dim': -1})


def _chains(f):
    def chain(name, shape, steps):
        f.add(name, 'chain', lambda r: [In('x', r.randn(*shape))], lambda x: _chain(x, steps), {'steps': steps})
    chain('chain_permute_reshape', [2, 3, 4], [['permute', [2, 0, 1]], ['reshape', [4, 6]]])
    chain('chain_transpose_flatten', [3, 4, 2], [['transpose', [0, 1]], ['flatten', [0, 1]]])
    chain('chain_expand_mul_like_reshape', [3, 1], [['expand', [3, 4]], ['reshape', [2, 6]]])
    chain('chain_narrow_transpose_select', [4, 5, 3], [['narrow', [1, 1, 3]], ['transpose', [0, 2]], ['select', [1, 2]]])
    chain('chain_t_contiguous_view', [3, 4], [['t', []], ['contiguous', []], ['view', [2, 6]]])
    chain('chain_unsqueeze_expand_permute', [3, 2], [['unsqueeze', [0]], ['expand', [2, 3, 2]], ['permute', [2, 1, 0]]])
    # math and reductions on non-contiguous views (strided operands)
    chain('chain_transpose_exp', [3, 4], [['transpose', [0, 1]], ['exp', []]])
    chain('chain_narrow_step_sum', [4, 6], [['narrow', [1, 1, 4]], ['sum', [0]]])
    chain('chain_permute_mean_keepdim', [2, 3, 4], [['permute', [2, 0, 1]], ['mean', [1, {'keepdim': True}]]])
    chain('chain_expand_mul_scalar_sum', [3, 1], [['expand', [3, 5]], ['mul', [2.5]], ['sum', [1]]])


def build():
    f = Family('views')
    _simple(f)
    _index(f)
    _split_cat(f)
    _chains(f)
    f.add('float64_permute_reshape', 'chain', lambda r: [In('x', r.randn(2, 3, 2))],
          lambda x: _chain(x, [['permute', [1, 2, 0]], ['reshape', [3, 4]]]),
          {'steps': [['permute', [1, 2, 0]], ['reshape', [3, 4]]]}, dtype=torch.float64)
    return f

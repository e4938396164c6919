#!/usr/bin/env python3
"""Generate PyTorch parity fixtures (JSON) under test/fixtures/torch/.

Run: /usr/bin/python3 scripts/gen-torch-fixtures.py [family ...]   (npm run fixtures; zoo takes ~45 s)
Tests never run Python: they read the committed JSON. Format: see scripts/torchfix/common.py.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from torchfix import (activations, fidelity_gaps, fidelity_ops, port_mnist, ports, fidelity_optim, conv, layers, linalg, losses, math_ops, nn_losses, norm,  # noqa: E402
                      optim, pool, reductions, sched, semantics, views)

FAMILIES = {
    'views': views.build,
    'math': math_ops.build,
    'reductions': reductions.build,
    'linalg': linalg.build,
    'conv': conv.build,
    'pool': pool.build,
    'norm': norm.build,
    'activations': activations.build,
    'losses': losses.build,
    'layers': layers.build,
    'nn_losses': nn_losses.build,
    'optim': lambda: optim.write_optim(OUT),
    'sched': lambda: sched.write_sched(OUT),
    'zoo': lambda: __import__('torchfix.zoo').zoo.write_zoo(OUT),  # imported on use: needs torchvision
    'semantics': lambda: semantics.write_semantics(OUT),
    'fidelity_optim': lambda: fidelity_optim.write_fidelity_optim(OUT),
    'fidelity_ops': lambda: fidelity_ops.write_fidelity_ops(OUT),
    'fidelity_gaps': lambda: fidelity_gaps.write_fidelity_gaps(OUT),
    'ports': lambda: ports.write_ports(OUT),
    'mnist_port': lambda: port_mnist.write_mnist_port(OUT),
}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'torch')


def main(argv):
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT, exist_ok=True)
    unknown = [n for n in argv if n not in FAMILIES]
    if unknown:
        raise SystemExit('unknown families %s; known: %s' % (unknown, ', '.join(FAMILIES)))
    names = argv or list(FAMILIES)
    total = 0
    for n in names:
        fam = FAMILIES[n]()
        if hasattr(fam, 'write'):
            path, count, size = fam.write(OUT)
        else:
            path, count, size = fam  # (path, count, size) from non-case writers
        total += size
        print('%-44s %4d cases %8d bytes' % (os.path.relpath(path), count, size))
    print('total %d bytes' % total)


if __name__ == '__main__':
    main(sys.argv[1:])

"""Phase 2: torchvision model-zoo parameter counts and output shapes (no weights downloaded)."""
import torch
import torchvision.models as M

from .optim import _dump

MODELS = [  # (name, constructor kwargs beyond weights=None, native input size)
    ('alexnet', {}, 224), ('vgg11', {}, 224), ('vgg16', {}, 224), ('vgg19', {}, 224),
    ('vgg11_bn', {}, 224), ('vgg16_bn', {}, 224), ('vgg19_bn', {}, 224),
    ('googlenet', {'aux_logits': False, 'init_weights': False}, 224),
    ('resnet18', {}, 224), ('resnet34', {}, 224), ('resnet50', {}, 224), ('resnext50_32x4d', {}, 224),
    ('densenet121', {}, 224), ('mobilenet_v2', {}, 224), ('squeezenet1_0', {}, 224),
]


def _entry(name, kw, size):
    torch.manual_seed(0)
    m = getattr(M, name)(weights=None, **kw).eval()
    params = list(m.parameters())
    children = []
    hooks = [c.register_forward_hook(lambda mod, i, o, n=n: children.append([n, list(o.shape)]))
             for n, c in m.named_children()]
    with torch.no_grad():
        out = m(torch.zeros(1, 3, size, size))
    for h in hooks:
        h.remove()
    buffers = sum(b.numel() for n, b in m.named_buffers() if not n.endswith('num_batches_tracked'))
    return {
        'name': name, 'options': {k: v for k, v in kw.items()}, 'numClasses': 1000,
        'inputShape': [1, 3, size, size], 'outputShape': list(out.shape),
        'totalParams': sum(p.numel() for p in params),
        'trainableParams': sum(p.numel() for p in params if p.requires_grad),
        'numParamTensors': len(params), 'bufferElements': buffers,
        'childOutputShapes': children,
    }


def write_zoo(outdir):
    torch.set_grad_enabled(False)
    try:
        cases = [_entry(*m) for m in MODELS]
    finally:
        torch.set_grad_enabled(True)
    doc = {'family': 'zoo', 'format': 1, 'torch': torch.__version__,
           'about': 'torchvision models built with weights=None (default num_classes=1000), eval mode, one zero '
                    'image at the native size; bufferElements excludes num_batches_tracked; childOutputShapes = output shape of '
                    'each top-level child module in call order (forward hooks).',
           'cases': cases}
    return _dump(outdir, 'zoo', doc)

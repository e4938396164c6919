#!/usr/bin/env python3
"""Library fixtures the shared generator (scripts/gen-torch-fixtures.py) does not cover, written to
test/fixtures/library/*.json (torch 1.13, float64, deterministic):
  torch_small.safetensors + torch_small.json - a trained torch Conv2d/BatchNorm2d/Linear state dict (incl. the
                  int64 num_batches_tracked) written per the safetensors spec, with an eval-mode input/output pair.
  names.json    - torchvision's named_parameters() / named_buffers() names (and shapes) for a few zoo models.
  groups.json   - 100-step trajectories with parameter groups that carry their own options, an optimizer
                  combined with an LR scheduler, chained schedulers, and the L1 proximal step after SGD.
Run: /usr/bin/python3 scripts/gen-library-fixtures.py
"""
import json, math, os
import torch

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'library')
torch.set_default_dtype(torch.float64)


def problem():
    g = torch.Generator().manual_seed(1234)
    X = torch.randn(16, 4, generator=g)
    y = torch.randn(16, 3, generator=g)
    w = torch.randn(4, 3, generator=g) * 0.5
    c = torch.randn(3, generator=g) * 0.1
    return X, y, w, c


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def run(case, perturb=0.0):
    X, y, w0, c0 = problem()
    w0 = w0 * (1 + perturb)
    w = w0.clone().requires_grad_(True)
    c = c0.clone().requires_grad_(True)
    opt_cls = getattr(torch.optim, case['optimizer'])
    groups = [dict(params=[w], **case['torchGroups'][0]), dict(params=[c], **case['torchGroups'][1])]
    opt = opt_cls(groups, **case['torchDefaults'])
    scheds = [make_sched(opt, s) for s in case.get('torchSchedulers', [])]
    losses, ws, cs, lrs = [], [], [], []
    for k in range(case['steps']):
        opt.zero_grad()
        loss = ((X @ w + c - y) ** 2).mean()
        loss.backward()
        opt.step()
        if case.get('l1Prox'):
            with torch.no_grad():
                for p in (w, c):
                    p.sub_(p.sign() * torch.clamp(p.abs(), max=case['l1Prox']))
        lrs.append([g['lr'] for g in opt.param_groups])
        for s in scheds:
            s.step()
        losses.append(float(loss))
        ws.append(flat(w))
        cs.append(flat(c))
    return dict(losses=losses, params=dict(w=ws, c=cs), lrs=lrs)


def make_sched(opt, s):
    cls = getattr(torch.optim.lr_scheduler, s['torch'])
    return cls(opt, **s['torchKwargs'])


def camel(d):
    m = {'weight_decay': 'weightDecay', 'lr_decay': 'lrDecay', 'initial_accumulator_value': 'initialAccumulatorValue'}
    return {m.get(k, k): v for k, v in d.items()}


CASES = [
    dict(name='sgd_groups', optimizer='SGD', torchDefaults=dict(lr=0.05, momentum=0.9),
         torchGroups=[dict(weight_decay=0.01), dict(lr=0.2, momentum=0.5, nesterov=True)]),
    dict(name='adam_groups', optimizer='Adam', torchDefaults=dict(lr=0.02),
         torchGroups=[dict(amsgrad=True, weight_decay=0.05), dict(lr=0.1, betas=(0.8, 0.9))]),
    dict(name='adamw_groups', optimizer='AdamW', torchDefaults=dict(lr=0.03),
         torchGroups=[dict(weight_decay=0.2), dict(weight_decay=0.0)]),
    dict(name='rmsprop_groups', optimizer='RMSprop', torchDefaults=dict(lr=0.003, eps=1e-3),
         torchGroups=[dict(centered=True, momentum=0.3), dict(alpha=0.9, weight_decay=0.1, lr=0.002, eps=0.05)]),
    dict(name='adagrad_groups', optimizer='Adagrad', torchDefaults=dict(lr=0.3),
         torchGroups=[dict(lr_decay=0.05), dict(initial_accumulator_value=0.5, eps=1e-6)]),
    dict(name='sgd_steplr', optimizer='SGD', torchDefaults=dict(lr=0.1, momentum=0.9),
         torchGroups=[{}, dict(lr=0.05)],
         torchSchedulers=[dict(torch='StepLR', torchKwargs=dict(step_size=10, gamma=0.5))],
         schedulers=[dict(name='StepLR', options=dict(stepSize=10, gamma=0.5))]),
    dict(name='adam_cosine', optimizer='Adam', torchDefaults=dict(lr=0.05),
         torchGroups=[{}, {}],
         torchSchedulers=[dict(torch='CosineAnnealingLR', torchKwargs=dict(T_max=30, eta_min=0.001))],
         schedulers=[dict(name='CosineAnnealingLR', options=dict(tMax=30, etaMin=0.001))]),
    dict(name='sgd_chained_step_exp', optimizer='SGD', torchDefaults=dict(lr=0.1),
         torchGroups=[{}, {}],
         torchSchedulers=[dict(torch='StepLR', torchKwargs=dict(step_size=7, gamma=0.5)),
                          dict(torch='ExponentialLR', torchKwargs=dict(gamma=0.98))],
         schedulers=[dict(name='StepLR', options=dict(stepSize=7, gamma=0.5)),
                     dict(name='ExponentialLR', options=dict(gamma=0.98))]),
    dict(name='sgd_l1prox', optimizer='SGD', torchDefaults=dict(lr=0.05), torchGroups=[{}, {}], l1Prox=0.01),
]


# safetensors writer per the spec (the `safetensors` package is not installed here): tensors ordered like the
# reference implementation (dtype descending in its enum order, then name), compact JSON, space padding to 8.
ST_DTYPES = {torch.float64: ('F64', 10), torch.float32: ('F32', 9), torch.int64: ('I64', 11), torch.int32: ('I32', 7)}


def save_safetensors(sd, path, metadata=None):
    import struct
    items = sorted(sd.items(), key=lambda kv: (-ST_DTYPES[kv[1].dtype][1], kv[0]))
    header, blobs, off = {}, [], 0
    if metadata:
        header['__metadata__'] = metadata
    for name, t in items:
        b = t.detach().contiguous().numpy().tobytes()
        header[name] = dict(dtype=ST_DTYPES[t.dtype][0], shape=list(t.shape), data_offsets=[off, off + len(b)])
        blobs.append(b)
        off += len(b)
    js = json.dumps(header, separators=(',', ':')).encode()
    js += b' ' * ((8 - len(js) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(js)) + js + b''.join(blobs))


def small_model():
    torch.manual_seed(7)
    m = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3, padding=1), torch.nn.BatchNorm2d(3), torch.nn.ReLU(),
                            torch.nn.Flatten(), torch.nn.Linear(3 * 4 * 4, 5)).float()
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    for _ in range(3):  # non-trivial running stats and num_batches_tracked = 3
        opt.zero_grad()
        m(torch.randn(4, 2, 4, 4, dtype=torch.float32)).square().mean().backward()
        opt.step()
    m.eval()
    x = torch.randn(2, 2, 4, 4, dtype=torch.float32)
    with torch.no_grad():
        y = m(x)
    save_safetensors(m.state_dict(), os.path.join(OUT, 'torch_small.safetensors'), {'format': 'pt', 'source': 'torch ' + torch.__version__})
    t = lambda v: dict(data=[float(a) for a in v.reshape(-1).tolist()], shape=list(v.shape), dtype='float32')
    with open(os.path.join(OUT, 'torch_small.json'), 'w') as f:
        json.dump(dict(about='Sequential(Conv2d(2,3,3,padding=1), BatchNorm2d(3), ReLU(), Flatten(), Linear(48,5)) in eval mode; '
                             'weights in torch_small.safetensors (PyTorch key names)',
                       keys=list(m.state_dict().keys()), input=t(x), output=t(y)), f)


def zoo_names():
    import torchvision.models as tvm
    out = {}
    for name, kw in [('resnet18', {}), ('resnet50', {}), ('mobilenet_v2', {}), ('googlenet', dict(aux_logits=False, init_weights=False)),
                     ('densenet121', {}), ('vgg11_bn', {}), ('squeezenet1_0', {}), ('alexnet', {})]:
        m = getattr(tvm, name)(weights=None, **kw)
        out[name] = dict(parameters=[[k, list(p.shape)] for k, p in m.named_parameters()],
                         buffers=[[k, list(b.shape)] for k, b in m.named_buffers()])
    with open(os.path.join(OUT, 'names.json'), 'w') as f:
        json.dump(dict(about='torchvision 0.14 named_parameters()/named_buffers() in order, with shapes', models=out), f)


def main():
    os.makedirs(OUT, exist_ok=True)
    zoo_names()
    small_model()
    X, y, w, c = problem()
    t = lambda v: dict(data=flat(v), shape=list(v.shape), dtype='float64')
    out = dict(family='library-groups', format=1, torch=torch.__version__,
               about='like optim.json but params w [4,3] and c [3] sit in two groups with their own options; '
                     'lrs[k] = each group lr used by step k (schedulers step after it); l1Prox: p -= sign(p)*min(|p|, lambda) after each step',
               problem=dict(X=t(X), y=t(y), w=t(w), c=t(c)), cases=[])
    for case in CASES:
        case = dict(case, steps=100)
        res = run(case)
        # Guard against chaotic trajectories: a 1e-13 relative perturbation must stay far below the tests' 1e-10.
        alt = run(case, 1e-13)
        drift = max(abs(a - b) for k in range(case['steps']) for a, b in zip(res['params']['w'][k] + res['params']['c'][k],
                                                                             alt['params']['w'][k] + alt['params']['c'][k]))
        assert drift < 1e-11, (case["name"], drift)
        out['cases'].append(dict(
            name=case['name'], optimizer=case['optimizer'], steps=case['steps'],
            defaults=camel(case['torchDefaults']), groups=[camel(g) for g in case['torchGroups']],
            schedulers=case.get('schedulers', []), l1Prox=case.get('l1Prox'), **res))
    with open(os.path.join(OUT, 'groups.json'), 'w') as f:
        json.dump(out, f)
    print('wrote', len(out['cases']), 'cases')


if __name__ == '__main__':
    main()

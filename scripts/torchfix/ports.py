"""Port suite fixtures (test/ports/): well-known PyTorch programs run in PyTorch, their seeded initial weights
saved as safetensors so the TypeScript ports start from the same state, and their outputs (losses per step,
final predictions, gradients) saved as JSON. Run: /usr/bin/python3 scripts/gen-torch-fixtures.py ports

Sources:
- cifar_net: PyTorch "Training a Classifier" tutorial (CIFAR-10), class Net
  https://pytorch.org/tutorials/beginner/blitz/cifar10_tutorial.html
- d2l_lenet, d2l_lenet_bn: Dive into Deep Learning, 7.6 LeNet and 8.5 Batch Normalization (LeNet with BatchNorm)
  https://d2l.ai/chapter_convolutional-neural-networks/lenet.html, https://d2l.ai/chapter_convolutional-modern/batch-norm.html
- autograd_tutorial: "A Gentle Introduction to torch.autograd" (Q = 3a^3 - b^2) and "Learning PyTorch with Examples"
  (autograd polynomial fit of sin(x)) https://pytorch.org/tutorials/beginner/blitz/autograd_tutorial.html,
  https://pytorch.org/tutorials/beginner/pytorch_with_examples.html
- focal_loss: torchvision.ops.sigmoid_focal_loss and the multi-class FocalLoss of clcarwin/focal_loss_pytorch
- wgan_gp: compute_gradient_penalty of eriklindernoren/PyTorch-GAN (implementations/wgan_gp/wgan_gp.py)
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import ser

ST_DTYPES = {torch.float32: 'F32', torch.int64: 'I64'}


def save_safetensors(sd, path):
    import struct
    header, blobs, off = {}, [], 0
    for name, t in sorted(sd.items()):
        b = t.detach().contiguous().numpy().tobytes()
        header[name] = dict(dtype=ST_DTYPES[t.dtype], shape=list(t.shape), data_offsets=[off, off + len(b)])
        blobs.append(b)
        off += len(b)
    js = json.dumps(header, separators=(',', ':')).encode()
    js += b' ' * ((8 - len(js) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(js)) + js + b''.join(blobs))


class CifarNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def lenet(bn):
    if not bn:
        return nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2), nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5), nn.BatchNorm2d(6), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.BatchNorm2d(16), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(), nn.Linear(256, 120), nn.BatchNorm1d(120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.BatchNorm1d(84), nn.Sigmoid(), nn.Linear(84, 10))


def train(model, opt, x, y, steps, loss_fn):
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        losses.append(float(loss))
    return losses


def classifier_port(out_dir, name, model, x, y, opt_fn, steps):
    save_safetensors(model.state_dict(), os.path.join(out_dir, name + '.safetensors'))
    losses = train(model, opt_fn(model), x, y, steps, nn.CrossEntropyLoss())
    model.eval()
    with torch.no_grad():
        logits = model(x)
    return {'x': ser(x), 'y': ser(y), 'losses': losses, 'evalLogits': ser(logits)}


def autograd_tutorial():
    a = torch.tensor([2., 3.], requires_grad=True)
    b = torch.tensor([6., 4.], requires_grad=True)
    Q = 3 * a ** 3 - b ** 2
    Q.backward(gradient=torch.tensor([1., 1.]))
    out = {'Q': ser(Q), 'a_grad': ser(a.grad), 'b_grad': ser(b.grad)}
    dtype = torch.float32
    x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
    y = torch.sin(x)
    # the tutorial draws a, b, c, d with torch.randn; fixed starting values keep both sides equal
    a, b, c, d = (torch.tensor(v, dtype=dtype, requires_grad=True) for v in (0.1, -0.2, 0.3, 0.05))
    lr, losses = 1e-6, []
    for t in range(300):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        if t % 50 == 49:
            losses.append(float(loss))
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= lr * p.grad
                p.grad = None
    out['poly_losses'] = losses
    out['poly_coeffs'] = [float(p) for p in (a, b, c, d)]
    return out


class FocalLoss(nn.Module):
    """clcarwin/focal_loss_pytorch (gamma, alpha list, size_average)."""

    def __init__(self, gamma=0, alpha=None, size_average=True):
        super().__init__()
        self.gamma, self.alpha, self.size_average = gamma, torch.tensor(alpha), size_average

    def forward(self, input, target):
        target = target.view(-1, 1)
        logpt = F.log_softmax(input, dim=1)
        logpt = logpt.gather(1, target)
        logpt = logpt.view(-1)
        pt = logpt.exp()
        at = self.alpha.gather(0, target.view(-1))
        logpt = logpt * at
        loss = -1 * (1 - pt) ** self.gamma * logpt
        return loss.mean() if self.size_average else loss.sum()


def torchvision_focal(logits, targets, alpha=0.25, gamma=2, reduction='mean'):
    # torchvision.ops.sigmoid_focal_loss, verbatim formula
    p = torch.sigmoid(logits)
    ce_loss = F.binary_cross_entropy_with_logits(logits, targets, reduction='none')
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    return loss.mean() if reduction == 'mean' else loss.sum()


def wgan_gp(out_dir):
    torch.manual_seed(9)
    D = nn.Sequential(nn.Flatten(), nn.Linear(16, 32), nn.LeakyReLU(0.2, inplace=True), nn.Linear(32, 1))
    save_safetensors(D.state_dict(), os.path.join(out_dir, 'wgan_gp.safetensors'))
    real, fake = torch.randn(6, 1, 4, 4), torch.randn(6, 1, 4, 4)
    alphas = torch.rand(3, 6, 1, 1, 1)
    opt = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    d_losses, gps = [], []
    for step in range(3):
        opt.zero_grad()
        alpha = alphas[step]
        interpolates = (alpha * real + ((1 - alpha) * fake)).requires_grad_(True)
        d_interpolates = D(interpolates)
        ones = torch.ones(real.shape[0], 1)
        gradients = torch.autograd.grad(outputs=d_interpolates, inputs=interpolates, grad_outputs=ones,
                                        create_graph=True, retain_graph=True, only_inputs=True)[0]
        gradients = gradients.view(gradients.size(0), -1)
        gradient_penalty = ((gradients.norm(2, dim=1) - 1) ** 2).mean()
        d_loss = -torch.mean(D(real)) + torch.mean(D(fake)) + 10 * gradient_penalty
        d_loss.backward()
        opt.step()
        d_losses.append(float(d_loss))
        gps.append(float(gradient_penalty))
    return {'real': ser(real), 'fake': ser(fake), 'alphas': ser(alphas), 'dLosses': d_losses, 'gradientPenalties': gps,
            'finalWeight': ser(D[3].weight)}


def write_ports(out_dir):
    out_dir = os.path.join(out_dir, '..', 'ports')
    os.makedirs(out_dir, exist_ok=True)
    res = {'torch': torch.__version__}
    torch.manual_seed(0)
    net = CifarNet()
    g = torch.Generator().manual_seed(1)
    x, y = torch.randn(4, 3, 32, 32, generator=g), torch.tensor([3, 8, 0, 6])
    res['cifar_net'] = classifier_port(out_dir, 'cifar_net', net, x, y, lambda m: torch.optim.SGD(m.parameters(), lr=0.001, momentum=0.9), 5)
    for name, bn, lr in (('d2l_lenet', False, 0.9), ('d2l_lenet_bn', True, 1.0)):
        torch.manual_seed(2)
        m = lenet(bn)
        g = torch.Generator().manual_seed(3)
        x, y = torch.rand(8, 1, 28, 28, generator=g), torch.tensor([0, 1, 2, 3, 4, 5, 6, 7])
        res[name] = classifier_port(out_dir, name, m, x, y, lambda mm: torch.optim.SGD(mm.parameters(), lr=lr), 4)
    res['autograd_tutorial'] = autograd_tutorial()
    torch.manual_seed(5)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 4))
    save_safetensors(model.state_dict(), os.path.join(out_dir, 'focal_loss.safetensors'))
    x, y = torch.randn(12, 6), torch.randint(0, 4, (12,))
    losses = train(model, torch.optim.Adam(model.parameters(), lr=0.01), x, y, 5, FocalLoss(gamma=2, alpha=[0.25, 0.5, 0.75, 1.0]))
    logits, targets = torch.randn(3, 5, requires_grad=True), (torch.rand(3, 5) > 0.5).float()
    tv = torchvision_focal(logits, targets)
    tv.backward()
    res['focal_loss'] = {'x': ser(x), 'y': ser(y), 'losses': losses, 'logits': ser(logits), 'targets': ser(targets),
                         'torchvisionLoss': float(tv), 'torchvisionGrad': ser(logits.grad)}
    res['wgan_gp'] = wgan_gp(out_dir)
    path = os.path.join(out_dir, 'ports.json')
    text = json.dumps(res)
    with open(path, 'w') as fh:
        fh.write(text + '\n')
    return path, len(res) - 1, len(text)

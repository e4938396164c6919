"""Port fixture for pytorch/examples mnist/main.py (test/ports/mnist.test.ts).

Source: https://github.com/pytorch/examples/blob/d0b7e3709407074ac64bb34c5af33fe226abb47c/mnist/main.py
(the file as of pytorch/examples commit 77f55b912142e11fcfdf5b530231fb9c52f181e8; last changed in d0b7e37).

The program is run here as written (Net, train(), test(), Adadelta + StepLR, nll_loss, reduction='sum' and argmax
accuracy in test()), with three documented changes that keep both sides equal without a multi-megabyte fixture:
- data: the first TRAIN_N / TEST_N images of Fashion-MNIST (Zalando Research, MIT licence; from Debian's
  dataset-fashion-mnist package; MNIST itself is not available offline) written as small gzip IDX files beside the
  fixture, read as datasets.MNIST reads IDX files;
  the transform is the original ToTensor + Normalize((0.1307,), (0.3081,));
- initial weights: a formula both sides compute, w[i] = sin(0.37 i + k) cos(0.0123 (k + 1) i) sqrt(2/3) / sqrt(fan_in)
  for the k-th tensor of the state dict, about the spread of PyTorch's default init (which draws from PyTorch's RNG,
  which TypeScript cannot reproduce);
- dropout: self.dropout1/2 replaced by nn.Identity() after construction (its masks come from PyTorch's RNG).
Run: /usr/bin/python3 scripts/gen-torch-fixtures.py mnist_port  (or alone: /usr/bin/python3 scripts/torchfix/port_mnist.py)
"""
import gzip
import json
import math
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR

DATA = '/usr/share/datasets/fashion-mnist'
TRAIN_N, TEST_N = 192, 128
ARGS = dict(batch_size=64, test_batch_size=64, epochs=3, lr=1.0, gamma=0.7)
FILES = {'train': ('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', TRAIN_N),
         'test': ('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', TEST_N)}


# ---- verbatim from mnist/main.py ----
class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout2(x)
        x = self.fc2(x)
        output = F.log_softmax(x, dim=1)
        return output


def train(model, train_loader, optimizer, losses):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())  # the original prints it every log_interval batches


def test(model, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction='sum').item()  # sum up batch loss
            pred = output.argmax(dim=1, keepdim=True)  # get the index of the max log-probability
            correct += pred.eq(target.view_as(pred)).sum().item()
    test_loss /= len(test_loader.dataset)
    return test_loss, correct
# ---- end of the original ----


def formula_init(model):
    """w[i] = sin(0.37 i + k) cos(0.0123 (k + 1) i) sqrt(2/3) / sqrt(fan_in), k = index of the tensor in state_dict
    order; computed in float64, then rounded to float32, exactly as test/ports/mnist.test.ts computes it."""
    with torch.no_grad():
        for k, (name, p) in enumerate(model.state_dict().items()):
            owner = model.get_submodule(name.rsplit('.', 1)[0])
            fan_in = owner.weight[0].numel()
            i = torch.arange(p.numel(), dtype=torch.float64)
            w = torch.sin(i * 0.37 + k) * torch.cos(i * 0.0123 * (k + 1)) * math.sqrt(2 / 3) / math.sqrt(fan_in)
            p.copy_(w.reshape(p.shape).float())


def checksums(t):
    """float64 sum, sum of |w| and sum of w * cos(0.1 i) (order-sensitive) of a tensor."""
    d = t.detach().double().flatten()
    i = torch.arange(d.numel(), dtype=torch.float64)
    return [float(d.sum()), float(d.abs().sum()), float((d * torch.cos(i * 0.1)).sum())]


def subset_idx(out_dir, split):
    """Writes the first n images and labels of a split as gzip IDX files (mtime 0: byte-identical reruns)."""
    names = []
    imgs, labs, n = FILES[split]
    for fname, rows in ((imgs, 3), (labs, 1)):
        with gzip.open(os.path.join(DATA, fname), 'rb') as fh:
            raw = fh.read()
        dims = list(struct.unpack('>%dI' % rows, raw[4:4 + 4 * rows]))
        per = 1
        for d in dims[1:]:
            per *= d
        body = raw[4 + 4 * rows: 4 + 4 * rows + n * per]
        head = raw[:4] + struct.pack('>%dI' % rows, n, *dims[1:])
        out = 'fashion-mnist-%s-%d-%s' % (split, n, fname.replace('t10k-', '').replace('train-', ''))
        with open(os.path.join(out_dir, out), 'wb') as fh:
            fh.write(gzip.compress(head + body, mtime=0))
        names.append(out)
    return names


def load_split(out_dir, names):
    def read(name):
        with gzip.open(os.path.join(out_dir, name), 'rb') as fh:
            raw = fh.read()
        nd = raw[3]
        dims = struct.unpack('>%dI' % nd, raw[4:4 + 4 * nd])
        return torch.frombuffer(bytearray(raw[4 + 4 * nd:]), dtype=torch.uint8).reshape(dims)
    x, y = read(names[0]), read(names[1]).long()
    # transforms.ToTensor() then transforms.Normalize((0.1307,), (0.3081,))
    x = x.float().div(255).unsqueeze(1)
    x = (x - torch.tensor([0.1307]).view(1, 1, 1, 1)) / torch.tensor([0.3081]).view(1, 1, 1, 1)
    return torch.utils.data.TensorDataset(x, y)


def write_mnist_port(out_dir):
    out_dir = os.path.join(out_dir, '..', 'ports')
    os.makedirs(out_dir, exist_ok=True)
    files = {s: subset_idx(out_dir, s) for s in FILES}
    train_loader = torch.utils.data.DataLoader(load_split(out_dir, files['train']), batch_size=ARGS['batch_size'])
    test_loader = torch.utils.data.DataLoader(load_split(out_dir, files['test']), batch_size=ARGS['test_batch_size'])
    model = Net()
    formula_init(model)
    model.dropout1, model.dropout2 = nn.Identity(), nn.Identity()
    optimizer = optim.Adadelta(model.parameters(), lr=ARGS['lr'])
    scheduler = StepLR(optimizer, step_size=1, gamma=ARGS['gamma'])
    epochs = []
    for epoch in range(1, ARGS['epochs'] + 1):
        lr = optimizer.param_groups[0]['lr']
        losses = []
        train(model, train_loader, optimizer, losses)
        test_loss, correct = test(model, test_loader)
        scheduler.step()
        epochs.append({'epoch': epoch, 'lr': lr, 'losses': losses, 'testLoss': test_loss, 'correct': correct})
    with torch.no_grad():
        x0 = test_loader.dataset.tensors[0][:4]
        first_outputs = model(x0)
    res = {
        'torch': torch.__version__,
        'source': 'https://github.com/pytorch/examples/blob/d0b7e3709407074ac64bb34c5af33fe226abb47c/mnist/main.py',
        'args': ARGS, 'files': files, 'epochs': epochs,
        'initChecksums': None,
        'finalChecksums': {name: checksums(p) for name, p in model.state_dict().items()},
        'firstTestOutputs': [float(v) for v in first_outputs.flatten()],
    }
    init = Net()
    formula_init(init)
    res['initChecksums'] = {name: checksums(p) for name, p in init.state_dict().items()}
    path = os.path.join(out_dir, 'mnist.json')
    text = json.dumps(res)
    with open(path, 'w') as fh:
        fh.write(text + '\n')
    return path, len(epochs), len(text)


if __name__ == '__main__':
    # also runnable alone (gen-torch-fixtures.py imports every family, and its zoo family needs torchvision)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    print(write_mnist_port(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'fixtures', 'torch')))

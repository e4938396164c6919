#!/usr/bin/env python3
"""Writes test/fixtures/export/: small PyTorch checkpoints for the .pt/.pth loader (tests run without Python).

  small.pth         torch.save(model.state_dict()) of a Conv2d + BatchNorm2d + Linear model (zip format)
  small_legacy.pth  the same state dict in the legacy (pre-1.6, non-zip) format
  small_half.pth    a float16 / bfloat16 / int64 / bool state dict
 checkpoint.pth    {'state_dict': model.state_dict(), 'epoch': 3}, a training checkpoint
  small.json       the model's input and PyTorch's eval output, to compare after loading
  evil.pth          a torch.save file whose pickle calls os.system: the loader must refuse it (never executed)
Run: /usr/bin/python3 scripts/gen-export-fixtures.py
"""
import json
import os
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'export')
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)

model = nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU(), nn.Flatten(), nn.Linear(3 * 4 * 4, 5))
with torch.no_grad():
    model[1].running_mean.copy_(torch.randn(3) * 0.1)
    model[1].running_var.copy_(torch.rand(3) + 0.5)
    model[1].num_batches_tracked.fill_(7)
model.eval()
x = torch.randn(2, 2, 4, 4)
y = model(x)
torch.save(model.state_dict(), os.path.join(OUT, 'small.pth'))
torch.save(model.state_dict(), os.path.join(OUT, 'small_legacy.pth'), _use_new_zipfile_serialization=False)
with open(os.path.join(OUT, 'small.json'), 'w') as f:
    json.dump({'input': x.flatten().tolist(), 'inputShape': list(x.shape), 'output': y.detach().flatten().tolist(),
               'outputShape': list(y.shape), 'torch': torch.__version__}, f)

torch.save({'state_dict': model.state_dict(), 'epoch': 3}, os.path.join(OUT, 'checkpoint.pth'))
base = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 8
torch.save({'half': base.half(), 'bf16': base.bfloat16(), 'long': torch.tensor([1, -2, 3]), 'mask': torch.tensor([True, False]),
            'strided': base.t(), 'scalar': torch.tensor(2.5, dtype=torch.float64)}, os.path.join(OUT, 'small_half.pth'))


class Evil:
    def __reduce__(self):
        return (os.system, ('echo layerwise-fixture-must-never-run',))


torch.save({'weight': torch.zeros(1), 'payload': Evil()}, os.path.join(OUT, 'evil.pth'))
print('wrote', sorted(os.listdir(OUT)))

/**
 * Ports of autograd programs and custom losses, as PyTorch users write them:
 * - "A Gentle Introduction to torch.autograd" (Q = 3a³ − b², Q.backward(gradient)) and the autograd polynomial fit
 *   of sin(x) from "Learning PyTorch with Examples": https://pytorch.org/tutorials/beginner/pytorch_with_examples.html
 * - FocalLoss of clcarwin/focal_loss_pytorch (training a small MLP with Adam) and torchvision's sigmoid_focal_loss
 * - compute_gradient_penalty of eriklindernoren/PyTorch-GAN (WGAN-GP), three critic steps with Adam
 */
import * as torch from '../../src/runtime';
import { nn, optim, F, autograd } from '../../src/runtime';
import type { Tensor } from '../../src/runtime';
import { expected, load, same, weights } from './helpers';

describe('ports: autograd and losses (numbers equal PyTorch)', () => {
  it('autograd tutorial: Q = 3a³ − b², Q.backward(externalGrad)', () => {
    const want = expected.autograd_tutorial;
    const a = torch.tensor([2, 3], { requiresGrad: true });
    const b = torch.tensor([6, 4], { requiresGrad: true });
    const Q = a.pow(3).mul(3).sub(b.pow(2));
    const externalGrad = torch.tensor([1, 1], { dtype: 'float32' });
    Q.backward(externalGrad);
    same(Q, want.Q, 'Q');
    same(a.grad as Tensor, want.a_grad, 'a.grad = 9a²');
    same(b.grad as Tensor, want.b_grad, 'b.grad = −2b');
  });

  it('Learning PyTorch with Examples: polynomial fit of sin(x) with autograd and a manual update', () => {
    const want = expected.autograd_tutorial;
    const x = torch.linspace(-Math.PI, Math.PI, 2000);
    const y = torch.sin(x);
    const [a, b, c, d] = [0.1, -0.2, 0.3, 0.05].map((v) => torch.tensor(v, { dtype: 'float32', requiresGrad: true }));
    const lr = 1e-6;
    const losses: number[] = [];
    for (let t = 0; t < 300; t++) {
      const yPred = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)));
      const loss = yPred.sub(y).pow(2).sum();
      if (t % 50 === 49) losses.push(loss.item());
      loss.backward();
      torch.noGrad(() => {
        for (const p of [a, b, c, d]) {
          p.sub_((p.grad as Tensor).mul(lr));
          p.grad = null;
        }
      });
    }
    same(losses, want.poly_losses, 'losses', 1e-4);
    same([a, b, c, d].map((p) => p.item()), want.poly_coeffs, 'coefficients', 1e-4);
  });

  it('FocalLoss (clcarwin/focal_loss_pytorch) training an MLP with Adam; torchvision sigmoid_focal_loss and its gradient', () => {
    class FocalLoss extends nn.Module {
      alpha: Tensor;
      constructor(readonly gamma = 0, alpha: number[], readonly sizeAverage = true) {
        super();
        this.alpha = torch.tensor(alpha, { dtype: 'float32' });
      }
      forward(input: Tensor, target: Tensor): Tensor {
        const t = target.view(-1, 1);
        let logpt = F.logSoftmax(input, { dim: 1 });
        logpt = logpt.gather(1, t);
        logpt = logpt.view(-1);
        const pt = logpt.exp();
        const at = this.alpha.gather(0, t.view(-1));
        logpt = logpt.mul(at);
        const loss = pt.neg().add(1).pow(this.gamma).mul(logpt).mul(-1);
        return this.sizeAverage ? loss.mean() : loss.sum();
      }
    }
    const want = expected.focal_loss;
    const model = new nn.Sequential(new nn.Linear(6, 16), new nn.ReLU(), new nn.Linear(16, 4));
    model.load(weights('focal_loss'));
    const crit = new FocalLoss(2, [0.25, 0.5, 0.75, 1.0]);
    const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
    const x = load(want.x);
    const y = load(want.y);
    const losses: number[] = [];
    for (let i = 0; i < want.losses.length; i++) {
      opt.zeroGrad();
      const loss = crit.call(model.call(x), y) as Tensor;
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    same(losses, want.losses, 'focal losses', 1e-4);
    const logits = load(want.logits).requiresGrad_();
    const tv = F.sigmoidFocalLoss(logits, load(want.targets), { alpha: 0.25, gamma: 2, reduction: 'mean' });
    tv.backward();
    same(tv.item(), want.torchvisionLoss, 'torchvision focal loss');
    same(logits.grad as Tensor, want.torchvisionGrad, 'its gradient');
  });

  it('WGAN-GP compute_gradient_penalty (PyTorch-GAN), 3 critic steps with Adam(lr=2e-4, betas=(0.5, 0.999))', () => {
    const want = expected.wgan_gp;
    const D = new nn.Sequential(new nn.Flatten(), new nn.Linear(16, 32), new nn.LeakyReLU(0.2), new nn.Linear(32, 1));
    D.load(weights('wgan_gp'));
    const real = load(want.real);
    const fake = load(want.fake);
    const alphas = load(want.alphas);
    const opt = new optim.Adam(D.parameters(), { lr: 2e-4, betas: [0.5, 0.999] });
    const dLosses: number[] = [];
    const gps: number[] = [];
    for (let step = 0; step < 3; step++) {
      opt.zeroGrad();
      const alpha = alphas.select(0, step);
      const interpolates = alpha.mul(real).add(alpha.neg().add(1).mul(fake)).requiresGrad_(true);
      const dInterpolates = D.call(interpolates) as Tensor;
      const ones = torch.ones(real.shape[0], 1);
      let [gradients] = autograd.grad(dInterpolates, interpolates, {
        grad_outputs: ones, create_graph: true, retain_graph: true, only_inputs: true,
      } as never) as Tensor[];
      gradients = gradients.view(gradients.size(0) as number, -1);
      const gradientPenalty = gradients.norm(2, 1).sub(1).pow(2).mean();
      const dLoss = torch.mean(D.call(real) as Tensor).neg().add(torch.mean(D.call(fake) as Tensor)).add(gradientPenalty.mul(10));
      dLoss.backward();
      opt.step();
      dLosses.push(dLoss.item());
      gps.push(gradientPenalty.item());
    }
    same(gps, want.gradientPenalties, 'gradient penalties', 1e-4);
    same(dLosses, want.dLosses, 'critic losses', 1e-4);
    same(D.parameters()[2], want.finalWeight, 'final weight (the last Linear)', 1e-4);
  });
});

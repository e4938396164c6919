// What each example notebook promises: strings (or patterns) that must appear in its executed text outputs. These are
// the lectures' numbers (lecture-items.md), so a change in the runtime that moves one of them fails here.
export const LECTURE_NUMBERS: Record<string, Array<string | RegExp>> = {
  'getting-started.ipynb': [/held-out accuracy: (9[5-9]|100)\./],
  'activations.ipynb': [
    'f(1) = 0.731059', 'elu: f(-1) = -0.632121', 'gelu: f(-1) = -0.158655', 'f(1) = 0.841345',
    'f′(0) = 0.25', 'f′(5) = 0.00664806', /f′\(10\) = 4\.5\d*e-5/, '9.5367e-7  (0.25^10 = 9.5367e-7)',
    'all the same sign: true', 'ReLU′ at [−1, 2]: [ 0, 1 ]', 'LeakyReLU(0.1)′ at [−1, 2]: [ 0.1, 1 ]',
    '0.weight: dead', '100% dead',
  ],
  'initialization.ipynb': [
    /var\(x1 w1\) = 1\.0\d\d {3}var\(x1 w1 \+ x2 w2\) = 2\.0\d\d {3}with var\(w\) = 1\/2: 1\.0/, 'formula 37.25',
    /with V\(w\) = 1: 5[01]\d/, 'with V(w) = 1/N: 1.00', 'theory 0.044721', 'theory 0.057735', 'theory 0.070711',
    'theory 0.056614', 'theory 0.023570', '√6/√1000 = 0.0774597', '{ fanIn: 27, fanOut: 576 }',
    'sigmoid 1.000000, tanh 1.666667, relu 1.414214', '1/√12 = 0.2887', 'fails, as in PyTorch',
    'E[relu(x)²] for x ~ N(0, 1): 0.500', /He \(Kaiming\): layer 1 0\.\d+.*layer 30 (0\.[6-9]|1\.[0-3])/,
    /Xavier: layer 1 .*layer 30 \d\.\d+e-5/, /final loss, 30 layers: Xavier 0\.69\d/,
  ],
  'batchnorm.ipynb': [
    /max \|BatchNorm1d − formula\| = \d\.\d\de-[78]/, "std (γ): [ '2.0000', '1.0000', '0.5000' ]",
    'output shape [ 20, 100, 35, 45 ] | running mean [ 100 ] | γ [ 100 ] | β [ 100 ] | parameters 200',
    'running mean = 0.9·0 + 0.1·4.9658 = 0.4966', /eval: {2}the same example in two batches → (-?\d\.\d+) vs \1/,
    /max \|∂l\/∂x autograd − closed form\| = \d\.\d\de-[78]/, /eval BN\(conv\(x\)\) vs folded conv: max diff \d\.\d\de-[67]/,
    /GN\(1 group\) vs LN: max diff \d\.\d\de-[78] \| GN\(C groups\) vs IN: max diff \d\.\d\de-[78]/,
    'after ghost BN: 0.0000 0.0000 0.0000 0.0000 0.0000 0.0000 0.0000 0.0000',
    /η 1, no BN {4}test accuracy (\d|[1-4]\d)\.\d%\nη 1, BN {7}test accuracy [6-9]\d\.\d%/,
    /only BN's 768 parameters trained: test accuracy \d+\.\d% → [3-9]\d\.\d%/,
  ],
  'residual.ipynb': [
    /24 layers {12}lag-1 autocorrelation of ∂y\/∂x: -?0\.0\d\d/, /24 residual blocks {3}lag-1 autocorrelation of ∂y\/∂x: 0\.[5-9]/,
    '(1+a₂)(1+a₃)(1+a₄) = 1.144000', /BN in each branch: var k\+1: block 1 (1\.9|2\.0).*block 10 1[01]\./,
    /geometric mean 1\.2[01]\d; theory √\(π\/\(π−1\)\) = 1\.211/, 'zero-weight block: max |block(x) − x| = 0',
    'max |ResNet-34 − ResNet-18| over 8 images: 0', 'bottleneck conv weights: 69,632', '25,557,032', '44,549,160', '60,192,808',
    'output change from odd rows, v1  : 0.00e+0', 'block (a), 32 paths: 70,144  block (b), grouped: 70,144', '25,028,904',
  ],
  'architectures.ipynb': [
    'conv 2,469,696 (4%), linear 58,631,144 (96%), total 61,100,840',
    'conv 20,024,384 (14%), linear 123,642,856 (86%), total 143,667,240', 'weight layers: 16 conv + 3 linear',
    '1×1 conv parameters: 18,528', 'floor → 15 , ceil_mode → 16', '5×5 directly: 153,632   1×1 then 5×5: 15,920',
    'weight layers: AlexNet 8 | VGG19 19 | ResNet-152 152', 'parameters 105,506', 'MLP 784-50-10: 39,760 parameters; n·K = 40,000',
    '[1, 16, 5, 5]', 'denseblock1 → 256 ch, transition1 → 128 ch',
    'enc1 [16,32,32] → enc2 [32,16,16] → mid [64,8,8] → dec2 [32,16,16] → dec1 [16,32,32] → head [2,32,32]',
  ],
  'cross-entropy.ipynb': [
    'SmoothL1 per element: [ 0.125, 1.5, 2.5 ]', '2.0612e-09', '6.4391e-01', 'CrossEntropyLoss 2.5141 | H(δ_y, softmax) by hand 2.5141',
    'uniform          1.098612', 'NLLLoss(LogSoftmax(f)) 2.5141  CrossEntropyLoss(f) 2.5141', 'f = 13', 'f = 0.00247569',
    'focal γ = 0: 2.5141', '= 0.333333 = 1/3', 'MultiMarginLoss by hand on the lecture logits: 1.0000',
  ],
  'optimizers.ipynb': [
    'manual update vs optim.SGD after 5 steps: max diff 0', 'η 0.9: x = 1.000, -0.800, 0.640', /η 1\.1: x = 1\.000, -1\.200.*x₃₀ = 2\.37e\+2/,
    'step 100 2.9999; ηg/(1−γ) = 3.0000', 'm₁ = 1.953965, m̂ = m₁/(1−β₁¹⁰) = 3.000000', 'first Adam step = lr: 0.010000',
    /Adam {5}manual (\d\.\d+) {2}optim\.Adam \1/, /AMSGrad {2}manual (\d\.\d+) {2}optim\.Adam\(\{amsgrad\}\) \1/,
    /top-1 accuracy \d+\.\d%, top-5 accuracy \d+\.\d%/,
    'ExponentialLR after 3 epochs: 0.0729 | CosineAnnealingLR at epoch 5: 0.0500 | MultiStepLR at 24, 25: 0.1, 0.05',
  ],
  'regularization.ipynb': [
    'SGD(lr 0.1, weight_decay 2) step: [ 0.5, -2 ]', 'SGD:  weight_decay 0.05 vs loss + 0.05/2·‖θ‖²: max diff 0',
    /AdamW\(weight_decay\) vs Adam \+ ℓ² in the loss: max diff 0\.0[1-9]/, '= 0.4641', '= 0.2915', '= 0.2111', '= 0.1652',
    '= 0.4142', '2·|x| = 0 (exactly)', 'after optim.l1Prox(λ = 0.1): [ 0.4, 0, 0, -0.2 ]', 'kept values 2',
    'ReLU then dropout vs dropout then ReLU (same mask): max diff 0',
  ],
  'autodiff.ipynb': [
    '∂f/∂x = 0.891542', '∂f/∂y = 1.469188', '∇f = -0.285274, -1.015777, 0.288027',
    'forward mode, one jvp per input: -0.285274, -1.015777, 0.288027', 'after a second backward without zero_grad (accumulates): 10',
    'gradcheck ok: true',
  ],
  'conv-arithmetic.ipynb': [
    'output shape [ 2, 4, 8, 8 ]', /\+ b = (-?\d\.\d+);  conv output \[0, 1, 2, 5\] = \1/, '5×5, P 0, S 1: 3×3', '5×5, P 2, S 1: 7×7', '3×3, P 0, S 1: 5×5', '3×3, P 0, S 2: 3×3',
    /3×3, P 0, S 3: 2×2 .*⚠/, '3×3, P 1, S 3: 3×3', 'H_out = ⌊(224 − 11 + 2·2)/4⌋ + 1 = 55', 'params = 11²·3·64 + 64 = 23,296',
    '[1., 2., 3., 0., 0., 0., 0., 0.]', '[0., 0., 0., 0., 0., 1., 2., 3.]',
  ],
  'pooling.ipynb': [/6\.,\s+8\.[\s\S]*3\.,\s+4\./, /3\.2500,\s+5\.2500/, 'on the lecture example: [ [ 3.25, 5.25 ], [ 2, 2 ] ]', 'parameters: 0'],
};

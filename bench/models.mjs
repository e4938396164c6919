// The four training-step models of the bench (the same architectures as bench/torch_train.py), built with the
// Layerwise API; MLP and LeNet-5 also in tfjs-wasm. A spec's `ours` runs one SGD+momentum step on a fixed batch.
const B = 64;

function labels(L) {
  return L.tensor(Array.from({ length: B }, (_, i) => (i * 7) % 10), { dtype: 'int32' });
}

function ourStep(L, model, x) {
  const y = labels(L);
  const opt = new L.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  return () => {
    opt.zeroGrad();
    const loss = L.F.crossEntropy(model(x), y);
    loss.backward();
    opt.step();
    loss.item();
  };
}

function onehotData(classes) {
  const d = new Float32Array(B * classes);
  for (let i = 0; i < B; i++) d[i * classes + (i * 7) % classes] = 1;
  return d;
}

function tfStep(tf, forward, vars, x, y) {
  const opt = tf.train.sgd(0.01);
  return () => tf.tidy(() => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x)), true, vars);
    loss.dataSync();
  });
}

/** FLOPs of one training step: forward MACs x 2 (mul+add) x 3 (forward, dX, dW). */
const trainFlops = (macsPerImage) => 3 * 2 * B * macsPerImage;

export function mlpSpec(L, tf) {
  const nn = L.nn;
  const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 256), new nn.ReLU(),
    new nn.Linear(256, 10));
  const spec = { key: 'mlp', name: 'MLP 784-256-256-10', target: 1.5, model,
    flops: trainFlops(784 * 256 + 256 * 256 + 256 * 10), ours: ourStep(L, model, L.randn([B, 784])) };
  if (tf) {
    const v = (s) => tf.variable(tf.randomNormal(s, 0, 0.05));
    const w = [v([784, 256]), v([256]), v([256, 256]), v([256]), v([256, 10]), v([10])];
    const fwd = (t) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(t, w[0]), w[1])), w[2]), w[3])),
      w[4]), w[5]);
    spec.tfs = tfStep(tf, fwd, w, tf.randomNormal([B, 784]), tf.tensor2d(onehotData(10), [B, 10]));
  }
  return spec;
}

export function lenetSpec(L, tf) {
  const nn = L.nn;
  const model = new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
    new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10));
  const spec = { key: 'lenet', name: 'LeNet-5 28x28', target: 1.2, model,
    flops: trainFlops(784 * 6 * 25 + 100 * 16 * 150 + 400 * 120 + 120 * 84 + 84 * 10),
    ours: ourStep(L, model, L.randn([B, 1, 28, 28])) };
  if (!tf) return spec;
  const v = (s) => tf.variable(tf.randomNormal(s, 0, 0.05));
  const w = [v([5, 5, 1, 6]), v([6]), v([5, 5, 6, 16]), v([16]), v([400, 120]), v([120]), v([120, 84]), v([84]),
    v([84, 10]), v([10])];
  const fwd = (t) => {
    let h = tf.maxPool(tf.relu(tf.add(tf.conv2d(t, w[0], 1, 'same'), w[1])), 2, 2, 'valid');
    h = tf.reshape(tf.maxPool(tf.relu(tf.add(tf.conv2d(h, w[2], 1, 'valid'), w[3])), 2, 2, 'valid'), [B, 400]);
    h = tf.relu(tf.add(tf.matMul(h, w[4]), w[5]));
    h = tf.relu(tf.add(tf.matMul(h, w[6]), w[7]));
    return tf.add(tf.matMul(h, w[8]), w[9]);
  };
  spec.tfs = tfStep(tf, fwd, w, tf.randomNormal([B, 28, 28, 1]), tf.tensor2d(onehotData(10), [B, 10]));
  return spec;
}

export function vggSpec(L) {
  const nn = L.nn;
  const block = (c, o) => [new nn.Conv2d(c, o, 3, { padding: 1 }), new nn.BatchNorm2d(o), new nn.ReLU()];
  const model = new nn.Sequential(...block(3, 32), ...block(32, 32), new nn.MaxPool2d(2), ...block(32, 64),
    ...block(64, 64), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(64 * 8 * 8, 128), new nn.ReLU(),
    new nn.Linear(128, 10));
  const macs = 1024 * 32 * 27 + 1024 * 32 * 288 + 256 * 64 * 288 + 256 * 64 * 576 + 4096 * 128 + 128 * 10;
  return { key: 'vgg', name: 'VGG-style 32x32 (4 conv+BN)', target: 0.6, model, flops: trainFlops(macs),
    ours: ourStep(L, model, L.randn([B, 3, 32, 32])) };
}

export function resnetSpec(L) {
  const nn = L.nn;
  class BasicBlock extends nn.Module {
    constructor(c) {
      super();
      this.conv1 = new nn.Conv2d(c, c, 3, { padding: 1, bias: false });
      this.bn1 = new nn.BatchNorm2d(c);
      this.conv2 = new nn.Conv2d(c, c, 3, { padding: 1, bias: false });
      this.bn2 = new nn.BatchNorm2d(c);
    }
    forward(x) {
      const h = L.relu(this.bn1(this.conv1(x)));
      return L.relu(L.add(this.bn2(this.conv2(h)), x));
    }
  }
  const model = new nn.Sequential(new nn.Conv2d(3, 16, 3, { padding: 1, bias: false }), new nn.BatchNorm2d(16),
    new nn.ReLU(), new BasicBlock(16), new BasicBlock(16), new BasicBlock(16), new nn.AdaptiveAvgPool2d(1),
    new nn.Flatten(), new nn.Linear(16, 10));
  const macs = 1024 * 16 * 27 + 6 * 1024 * 16 * 144 + 16 * 10;
  return { key: 'resnet', name: 'ResNet stage (3 blocks, 16ch)', target: 0.5, model, flops: trainFlops(macs),
    ours: ourStep(L, model, L.randn([B, 3, 32, 32])) };
}

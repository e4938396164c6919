// Training-step rows through the public runtime API (dist/runtime.js, built by `npm run build`), next to the same
// models in tfjs-wasm (tf.sgd().minimize). One step = forward, cross-entropy, backward, SGD update; batch 64.
import { buildSync } from 'esbuild';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const B = 64;

/** Cross-entropy with one-hot targets from exported ops only (logsumexp - <logits, onehot>), mean over the batch. */
function crossEntropy(L, logits, onehot) {
  return L.sub(L.mean(L.logsumexp(logits, 1)), L.div(L.sum(L.mul(logits, onehot)), B));
}

function onehotData(classes) {
  const d = new Float32Array(B * classes);
  for (let i = 0; i < B; i++) d[i * classes + (i * 7) % classes] = 1;
  return d;
}

function ourStep(L, model, opt, x, y) {
  return () => {
    opt.zeroGrad();
    const loss = crossEntropy(L, model.forward(x), y);
    loss.backward();
    opt.step();
    loss.item();
  };
}

function tfStep(tf, forward, vars, x, y) {
  const opt = tf.train.sgd(0.01);
  return () => tf.tidy(() => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x)), true, vars);
    loss.dataSync();
  });
}

function mlp(L, tf) {
  const nn = L.nn;
  const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 256), new nn.ReLU(),
    new nn.Linear(256, 10));
  const x = L.randn([B, 784]), y = L.tensor(onehotData(10)).reshape([B, 10]);
  const ours = ourStep(L, model, new L.optim.SGD(model.parameters(), { lr: 0.01 }), x, y);
  const v = (s) => tf.variable(tf.randomNormal(s, 0, 0.05));
  const w = [v([784, 256]), v([256]), v([256, 256]), v([256]), v([256, 10]), v([10])];
  const fwd = (t) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(t, w[0]), w[1])), w[2]), w[3])),
    w[4]), w[5]);
  const tfs = tfStep(tf, fwd, w, tf.randomNormal([B, 784]), tf.tensor2d(onehotData(10), [B, 10]));
  const macs = 784 * 256 + 256 * 256 + 256 * 10;
  return { name: 'MLP 784-256-256-10 train step B64', flops: 3 * 2 * B * macs, ours, tfs };
}

function lenet(L, tf) {
  const nn = L.nn;
  const model = new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
    new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10));
  const x = L.randn([B, 1, 28, 28]), y = L.tensor(onehotData(10)).reshape([B, 10]);
  const ours = ourStep(L, model, new L.optim.SGD(model.parameters(), { lr: 0.01 }), x, y);
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
  const tfs = tfStep(tf, fwd, w, tf.randomNormal([B, 28, 28, 1]), tf.tensor2d(onehotData(10), [B, 10]));
  const macs = 784 * 6 * 25 + 100 * 16 * 150 + 400 * 120 + 120 * 84 + 84 * 10;
  return { name: 'LeNet-5 train step B64', flops: 3 * 2 * B * macs, ours, tfs };
}

export async function trainingRows({ root, interleaved, tf, only }) {
  const file = join(root, 'dist/runtime.js');
  if (!existsSync(file)) {
    console.log('bench: dist/runtime.js not built; skipping the MLP / LeNet-5 training-step rows');
    return [];
  }
  // tfjs-core's CommonJS node bundle registers no gradients (the @tensorflow/tfjs umbrella package does): bundle
  // its register_all_gradients module; it registers into the same global registry.
  const grads = join(root, 'dist/bench/tfjs-gradients.js');
  buildSync({ entryPoints: [require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js')], outfile: grads,
    bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  require(grads);
  const rows = [];
  for (const make of [mlp, lenet]) {
    let spec;
    try {
      const L = require(file);
      spec = make(L, tf);
    } catch (e) {
      console.log(`bench: ${make.name} training row unavailable: ${e.message}`);
      continue;
    }
    if (only && !only.test(spec.name)) continue;
    const [ms, tfMs] = interleaved([spec.ours, spec.tfs]);
    if (typeof ms !== 'number') {
      console.log(`bench: ${spec.name} failed in Layerwise: ${ms.error}`);
      continue;
    }
    rows.push({ name: spec.name, flops: spec.flops, ms, simdMs: NaN,
      tfMs: typeof tfMs === 'number' ? tfMs : undefined, tfError: tfMs?.error });
  }
  return rows;
}

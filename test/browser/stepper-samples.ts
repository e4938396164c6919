// Stepper payloads recorded by the real runtime (show.graph), for the browser tests and screenshots.
import * as L from '../../src/runtime';
import type { GraphPayload } from '../../src/protocol';

/** The lecture example f(x, y) = y·log x + √(y·log x) at x = 3, y = 2, in float64. */
export function lecture(): GraphPayload {
  const prev = L.getBackend();
  L.setBackend('reference');
  try {
    return L.show.graph((x: L.Tensor, y: L.Tensor) => {
      const b = y.mul(x.log());
      return b.add(b.sqrt());
    }, [3, 2], { title: 'f(x, y) = y·log x + √(y·log x)' }).payload;
  } finally {
    L.setBackend(prev);
  }
}

/** A two-layer MLP with an MSE loss (float32, deterministic weights). */
export function mlp(): GraphPayload {
  L.manualSeed(7);
  const model = new L.nn.Sequential(new L.nn.Linear(3, 4), new L.nn.ReLU(), new L.nn.Linear(4, 2));
  const x = L.randn([5, 3]);
  const t = L.randn([5, 2]);
  return L.show.graph((xx: L.Tensor) => L.F.mseLoss(model.forward(xx) as L.Tensor, t), { x }, { model, output: 'L', title: 'MLP 3 → 4 → 2, MSE loss' }).payload;
}

/** A tiny conv + ReLU + max-pool + linear head, summed. */
export function conv(): GraphPayload {
  L.manualSeed(3);
  const net = new L.nn.Sequential(new L.nn.Conv2d(1, 2, 3), new L.nn.ReLU(), new L.nn.MaxPool2d(2), new L.nn.Flatten(), new L.nn.Linear(18, 2));
  const img = L.randn([1, 1, 8, 8]);
  return L.show.graph((im: L.Tensor) => (net.forward(im) as L.Tensor).sum(), { img }, { model: net, output: 'L', title: 'conv → relu → pool → linear' }).payload;
}

/**
 * Activation epilogues: nn.Sequential (nn/seq-run.ts) asks the next module's fused op to apply the ReLU that
 * follows it in the same pass (BatchNorm → ReLU: norm-fused.ts), or applies it in place on the output of a
 * Conv2d / Linear (reluInPlace). The request is pending only during that one
 * module's call; an op that can apply it takes it (takeReluEpilogue) right before it writes its output, and
 * Sequential runs the ReLU module itself when nobody took it (eval mode, float64, the reference backend, …).
 */
import { Tensor } from '../../tensor';
import { cast, gt, mul } from '../basic';
import { record } from '../../autograd/node';
import { mode } from '../../autograd/mode';
import { unaryGradRaw } from '../raw';

let pending = false;
let taken = false;

/** Runs fn (one module's call) with a ReLU epilogue on offer; `fused` says whether its op applied it. */
export function withReluEpilogue<T>(fn: () => T): { out: T; fused: boolean } {
  pending = true;
  taken = false;
  try {
    const out = fn();
    return { out, fused: taken };
  } finally {
    pending = false;
    taken = false;
  }
}

/** True (once) when a ReLU epilogue is on offer: the caller must then apply it to the output it returns. */
export function takeReluEpilogue(): boolean {
  if (!pending) return false;
  pending = false;
  taken = true;
  return true;
}

/**
 * The ReLU gradient on the result with differentiable ops (for createGraph): g · 𝟙[y > 0], as the unfused ReLU's
 * derivative (𝟙[x > 0], the same mask since y = relu(x)).
 */
export function reluGradOnResult(g: Tensor, y: Tensor): Tensor {
  return mul(g, cast(gt(y, 0), g.dtype));
}

/**
 * ReLU in place on a module's fresh output (nn.Sequential's Conv2d / Linear → ReLU): the unfused pair's graph
 * (a ReluBackward node over the producer's node) and values, without a second activation-sized buffer. Safe
 * because nothing reads the pre-activation: the producer's node keeps only its inputs, and Sequential fuses only
 * when no hook can see it. The mask is taken on the result (relu(x) > 0 ⇔ x > 0), as ATen's threshold_backward.
 */
export function reluInPlace(y: Tensor): Tensor {
  if (y.numel() > 0) y.backend.unary('relu', y.ref(), y.ref(), y.numel(), 0, 0);
  return record(y, 'relu', [y], (g) => [mode.gradEnabled ? reluGradOnResult(g, y) : unaryGradRaw('relu', y, y, g)], {
    saved: { x: y },
  });
}

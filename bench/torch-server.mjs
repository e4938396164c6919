// The PyTorch side of the training rows: one long-lived /usr/bin/python3 bench/torch_train.py per bench run,
// driven line by line so its steps interleave with ours. Absent python3 or torch -> null (the column is skipped).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

export class TorchServer {
  static start(root) {
    if (!existsSync(PYTHON)) return { server: null, note: `${PYTHON} not found` };
    const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status !== 0) return { server: null, note: `torch is not importable by ${PYTHON}` };
    return { server: new TorchServer(root), note: `PyTorch ${probe.stdout.trim()}` };
  }

  constructor(root) {
    this.proc = spawn(PYTHON, [join(root, 'bench/torch_train.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.waiting = [];
    this.lines = createInterface({ input: this.proc.stdout });
    this.lines.on('line', (l) => this.waiting.shift()?.(l));
    this.ready = new Promise((res) => this.waiting.push(res));
  }

  async cmd(line) {
    await this.ready;
    const answer = await new Promise((res) => {
      this.waiting.push(res);
      this.proc.stdin.write(line + '\n');
    });
    if (answer.startsWith('error')) throw new Error(`torch: ${answer}`);
    return answer;
  }

  /** One training step of `model` with `threads` intra-op threads: {wall, cpu} ms as measured inside Python. */
  async step(model, threads) {
    const [wall, cpu] = (await this.cmd(`step ${model} ${threads}`)).split(' ').map(Number);
    return { wall, cpu };
  }

  /** The Fashion-MNIST epoch's initial LeNet-5 state dict and batch order for (limit, seed), written as JSON to `path`. */
  async init(limit, seed, path) {
    await this.cmd(`init ${limit} ${seed} ${path}`);
  }

  async epoch(threads, limit, seed) {
    const [ms, cpu, acc] = (await this.cmd(`epoch ${threads} ${limit} ${seed}`)).split(' ').map(Number);
    return { ms, cpu, acc };
  }

  close() {
    this.proc.stdin.end('quit\n');
  }
}

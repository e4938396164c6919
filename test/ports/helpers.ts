/** Shared by the port suite: PyTorch's outputs (test/fixtures/ports/, scripts/torchfix/ports.py) and comparisons. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as torch from '../../src/runtime';

export const FIX = path.join(__dirname, '..', 'fixtures', 'ports');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const expected: any = JSON.parse(fs.readFileSync(path.join(FIX, 'ports.json'), 'utf8'));
export const weights = (name: string): string => path.join(FIX, `${name}.safetensors`);

export interface Ser { data: number[]; shape: number[]; dtype: string }
export const load = (s: Ser): torch.Tensor => torch.tensor(s.data, { dtype: s.dtype as 'float32' }).reshape(s.shape);

/** Numbers equal to PyTorch's within a relative tolerance (float32 summation order differs). */
export function same(got: number | number[] | torch.Tensor, want: number | number[] | Ser, what: string, tol = 1e-5): void {
  const g = typeof got === 'number' ? [got] : Array.isArray(got) ? got : Array.from(got.dataSync());
  const w = typeof want === 'number' ? [want] : Array.isArray(want) ? want : want.data;
  assert.equal(g.length, w.length, `${what}: ${g.length} values vs ${w.length}`);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol * (1 + Math.abs(w[i])), `${what}[${i}]: ${v} vs PyTorch ${w[i]}`));
}

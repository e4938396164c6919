/**
 * show.trajectory: a 2-D function as a contour plot with optimiser paths drawn on it (the lecture's
 * "limitation of gradient descent" figures). Paths are either given as points or produced here by running an
 * optimiser factory from `start` for `steps` steps on f itself.
 */
import { Tensor } from '../tensor';
import { noGrad } from '../autograd/mode';
import { linspace, tensor } from '../ops/creation';
import { MIME } from '../../protocol';
import { DEFAULT_THEME, esc, type PlotlyFigure } from '../../protocol/plotly';
import { Figure } from './figure';
import { checkOptions, checkRange, fmt, noMoreArgs } from './options';
import { lessonAxis as axis, lessonLayout } from './curves';

type F2 = (x: Tensor, y: Tensor) => Tensor;
interface Stepper { zeroGrad(): void; step(): unknown }
export type PathSpec = Array<[number, number]> | ((params: Tensor[]) => Stepper);

export interface TrajectoryOptions {
  x?: [number, number];
  y?: [number, number];
  start?: [number, number];
  steps?: number;
  grid?: number;
  levels?: number;
  logLevels?: boolean;
  title?: string;
  /** Axis titles (default 'x' and 'y'), e.g. the names of the two parameters. */
  xLabel?: string;
  yLabel?: string;
}
const KEYS = ['x', 'y', 'start', 'steps', 'grid', 'levels', 'logLevels', 'title', 'xLabel', 'yLabel'] as const;

export interface Path { name: string; points: Array<[number, number]>; values: number[] }

/** Points drawn per path; longer runs are thinned evenly for the figure. */
const MAX_DRAWN = 150;

/** Runs an optimiser on f from `start`: the points visited, stopping early if they leave the finite numbers. */
function runOptimizer(name: string, f: F2, make: (ps: Tensor[]) => Stepper, start: [number, number], steps: number): Path {
  const p = tensor(start, { requiresGrad: true });
  const opt = make([p]);
  if (!opt || typeof opt.step !== 'function' || typeof opt.zeroGrad !== 'function') {
    throw new Error(`show.trajectory: '${name}' must return an optimizer (with zeroGrad and step), e.g. (ps) => new optim.SGD(ps, {lr: 0.1})`);
  }
  const points: Array<[number, number]> = [[start[0], start[1]]];
  const values: number[] = [];
  for (let k = 0; k <= steps; k++) {
    opt.zeroGrad();
    const loss = f(p.select(0, 0), p.select(0, 1));
    if (!(loss instanceof Tensor) || loss.numel() !== 1) throw new Error(`show.trajectory: f must return a scalar Tensor for scalar x, y`);
    values.push(loss.item());
    if (k === steps || !Number.isFinite(values[k])) break;
    loss.backward();
    opt.step();
    const [a, b] = p.detach().dataSync();
    points.push([a, b]);
    if (!Number.isFinite(a) || !Number.isFinite(b)) break;
  }
  return { name, points, values };
}

/** f on a grid × grid mesh over the ranges (f is applied to two [grid, grid] tensors at once). */
function mesh(f: F2, xr: [number, number], yr: [number, number], n: number): { xs: number[]; ys: number[]; z: number[][] } {
  const xs = linspace(xr[0], xr[1], n);
  const ys = linspace(yr[0], yr[1], n);
  const X = xs.reshape(1, n).expand(n, n);
  const Y = ys.reshape(n, 1).expand(n, n);
  const Z = noGrad(() => f(X, Y));
  if (!(Z instanceof Tensor) || Z.shape.join() !== `${n},${n}`) {
    throw new Error(`show.trajectory: f must be elementwise: f(X, Y) on [${n}, ${n}] grids gave ${Z instanceof Tensor ? `[${Z.shape}]` : typeof Z}`);
  }
  const v = Z.dataSync();
  const z = Array.from({ length: n }, (_, i) => Array.from(v.subarray(i * n, (i + 1) * n)));
  return { xs: Array.from(xs.dataSync()), ys: Array.from(ys.dataSync()), z };
}

/** The Plotly figure: filled contours (optionally of log10(f − min)) and one line-with-markers per path. */
export function trajectoryFigure(title: string, grid: { xs: number[]; ys: number[]; z: number[][] }, paths: Path[],
  o: { levels?: number; logLevels?: boolean; x: [number, number]; y: [number, number]; xLabel?: string; yLabel?: string }): PlotlyFigure {
  let z = grid.z;
  // 4 significant digits are plenty for a contour plot and keep the figure (and its static fallbacks) small
  const r4 = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : null);
  if (o.logLevels) {
    const lo = Math.min(...z.flat().filter(Number.isFinite));
    const span = Math.max(...z.flat().filter(Number.isFinite)) - lo || 1;
    z = z.map((r) => r.map((v) => Math.log10(v - lo + 1e-4 * span)));
  }
  const data: Array<Record<string, unknown>> = [{
    type: 'contour', x: grid.xs.map(r4), y: grid.ys.map(r4), z: z.map((r) => r.map(r4)), ncontours: o.levels ?? 20, hoverinfo: 'skip',
    showscale: true, colorbar: { title: { text: o.logLevels ? 'log₁₀(f − min)' : 'f', side: 'right' }, thickness: 12, outlinewidth: 0 },
    colorscale: [[0, '#f7fbff'], [0.5, '#9ecae1'], [1, '#2171b5']], reversescale: false, contours: { coloring: 'fill', showlines: true },
    line: { color: 'rgba(40,40,40,0.25)', width: 0.5 },
  }];
  const palette = ['#e66100', '#d1434b', '#2e9e44', '#9c4fd6', '#111111', '#b08a00'];
  paths.forEach((p, i) => {
    const c = palette[i % palette.length];
    if (p.points.length === 1) {   // a marked point, not a path
      data.push({ type: 'scatter', mode: 'markers', name: esc(p.name), x: [p.points[0][0]], y: [p.points[0][1]],
        marker: { color: c, size: 14, symbol: 'star', line: { color: '#000', width: 1 } }, hovertemplate: `${esc(p.name)}: (%{x:.3f}, %{y:.3f})<extra></extra>` });
      return;
    }
    // long runs are drawn with at most MAX_DRAWN points (evenly spaced, first and last kept); the text keeps them all
    const step = Math.ceil(p.points.length / MAX_DRAWN);
    const drawn = p.points.filter((_, k) => k % step === 0 || k === p.points.length - 1);
    data.push({ type: 'scatter', mode: drawn.length > 60 ? 'lines' : 'lines+markers', name: esc(p.name), x: drawn.map((q) => r4(q[0])), y: drawn.map((q) => r4(q[1])),
      line: { color: c, width: 2 }, marker: { color: c, size: 4 }, cliponaxis: true,
      hovertemplate: `${esc(p.name)}${step > 1 ? ` (every ${step}th step)` : ' step %{pointNumber}'}: (%{x:.3f}, %{y:.3f})<extra></extra>` });
  });
  const start = paths.find((p) => p.points.length > 1)?.points[0];
  if (start) data.push({ type: 'scatter', mode: 'markers', name: 'start', x: [start[0]], y: [start[1]], marker: { color: '#000', size: 10, symbol: 'x' }, hoverinfo: 'skip' });
  return {
    data,
    layout: lessonLayout(title, {
      // equal units on both axes; the plot area shrinks to the data instead of padding it with blank range
      height: 440, showlegend: true,
      xaxis: axis({ title: { text: esc(o.xLabel ?? 'x') }, range: o.x, constrain: 'domain' }), yaxis: axis({ title: { text: esc(o.yLabel ?? 'y') }, range: o.y, scaleanchor: 'x', scaleratio: 1, constrain: 'domain' }),
    }),
  };
}

/**
 * show.trajectory((x, y) => x.square().add(y.square().mul(10)), {SGD: (ps) => new optim.SGD(ps, {lr: 0.05}),
 * Adam: (ps) => new optim.Adam(ps, {lr: 0.3})}, {x: [-3, 3], y: [-2, 2], start: [-2.5, 1.5], steps: 40}).
 */
export function trajectory(f: F2, paths: Record<string, PathSpec>, options?: TrajectoryOptions, ...rest: unknown[]): Figure<PlotlyFigure> {
  noMoreArgs('show.trajectory', 3, rest);
  const o = checkOptions('show.trajectory', options, KEYS);
  if (typeof f !== 'function') throw new Error('show.trajectory: the first argument must be a function (x, y) => Tensor');
  if (!paths || typeof paths !== 'object' || !Object.keys(paths).length) throw new Error('show.trajectory: pass named paths or optimizer factories');
  const xr = o.x === undefined ? [-3, 3] as [number, number] : checkRange('show.trajectory', 'x', o.x);
  const yr = o.y === undefined ? [-3, 3] as [number, number] : checkRange('show.trajectory', 'y', o.y);
  const steps = o.steps ?? 50;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`show.trajectory: steps must be a positive integer, got ${steps}`);
  const n = o.grid ?? 32;
  if (!Number.isInteger(n) || n < 2 || n > 400) throw new Error(`show.trajectory: grid must be an integer in [2, 400], got ${n}`);
  const built = Object.entries(paths).map(([name, spec]): Path => {
    if (typeof spec === 'function') {
      if (!o.start) throw new Error(`show.trajectory: '${name}' is an optimizer factory, so pass {start: [x0, y0]}`);
      return runOptimizer(name, f, spec, o.start, steps);
    }
    if (!Array.isArray(spec) || !spec.every((q) => Array.isArray(q) && q.length === 2)) throw new Error(`show.trajectory: '${name}' must be a list of [x, y] points or an optimizer factory`);
    return { name, points: spec.map((q) => [q[0], q[1]] as [number, number]), values: spec.map((q) => noGrad(() => f(tensor(q[0]), tensor(q[1])).item())) };
  });
  const title = o.title ?? 'Optimizer trajectories';
  const text = built.map((p) => {
    const [x, y] = p.points[p.points.length - 1];
    const last = p.values[p.values.length - 1];
    if (p.points.length === 1) return `${p.name}: at (${fmt(x)}, ${fmt(y)}), f = ${fmt(last)}`;
    return `${p.name}: ${p.points.length - 1} steps from (${p.points[0].map(fmt).join(', ')}) to (${fmt(x)}, ${fmt(y)}), f = ${fmt(last)}`;
  });
  const fig = trajectoryFigure(title, mesh(f, xr, yr, n), built, { levels: o.levels, logLevels: o.logLevels, x: xr, y: yr, xLabel: o.xLabel, yLabel: o.yLabel });
  return new Figure(MIME.plotly, fig, `${title}\n${text.join('\n')}`);
}

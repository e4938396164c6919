// Weights: conv filter banks (RGB first layer as colour images, deeper layers one input channel at a time),
// linear weight heatmaps, and per-layer histograms (Plotly, lazily loaded).
import { unpackArray, type WeightsPayload } from '../../src/protocol';
import { gridView, rangeCaption } from '../canvasGrid';
import { h, selectControl, titleEl } from '../dom';
import { fmtShape } from '../format';
import { sourceFromNCHW, tileRanges, type GridSource, type Normalize } from '../imageGrid';
import { plotView } from '../plotly';
import { histogramsFigure } from '../../src/protocol/plotly';
import type { View } from '../view';

type WeightLayer = WeightsPayload['layers'][number];

/** How a weight layer is drawn: its grid source plus labels. */
export function weightSource(layer: WeightLayer, inputChannel: number): { src: GridSource; rgb: boolean; tile: string } {
  const data = unpackArray(layer.data);
  const shape = layer.data.shape;
  if (layer.kind === 'linear' || shape.length === 2) {
    return { src: sourceFromNCHW(data, [1, 1, shape[0], shape[1] ?? 1]), rgb: false, tile: 'weight' };
  }
  const rgb = !!layer.rgb && shape[1] === 3;
  return { src: sourceFromNCHW(data, shape, Math.min(inputChannel, shape[1] - 1), rgb), rgb, tile: 'filter' };
}

function layerBlock(layer: WeightLayer, input: number, mode: Normalize, maxWidth: number): HTMLElement {
  const { src, rgb, tile } = weightSource(layer, input);
  const ranges = tileRanges(src, mode, !rgb);
  const linear = layer.kind === 'linear';
  return gridView({
    source: src, ranges, cmap: 'coolwarm', maxWidth, target: linear ? 480 : 48,
    tileName: (t) => `${tile} ${t}`,
    where: linear ? (_t, y, x) => `output ${y}, input ${x}` : undefined,
    ariaLabel: `${layer.name} weights ${fmtShape(layer.shape)}`,
    rangeText: rgb ? undefined : `diverging · ${rangeCaption(mode, ranges, true)}`,
  });
}

export function weightsView(root: HTMLElement, payload: WeightsPayload): View {
  let p = payload;
  let selected = 0;
  let input = 0;
  let mode: Normalize = 'channel';
  const top = h('div', {});
  const hist = h('div', {});
  root.append(top, hist);
  const focus = (label: string) => top.querySelector<HTMLSelectElement>(`select[aria-label="${label}"]`)?.focus();
  const draw = () => {
    top.replaceChildren(titleEl(p.title, 'Weights'));
    const layer = p.layers[selected];
    if (!layer) return void top.append(h('div', { class: 'lw-muted' }, 'No conv or linear layers.'));
    const controls = h('div', { class: 'lw-controls' });
    if (p.layers.length > 1) {
      controls.append(selectControl('Layer', p.layers.map((l) => `${l.name} ${fmtShape(l.shape)}`), selected,
        (i) => { selected = i; input = 0; draw(); focus('Layer'); }));
    }
    const shape = layer.data.shape;
    const colour = layer.kind === 'conv' && !!layer.rgb && shape[1] === 3;
    if (layer.kind === 'conv' && !colour && shape[1] > 1) {
      controls.append(selectControl('Input channel', Array.from({ length: shape[1] }, (_, i) => String(i)), input,
        (i) => { input = i; draw(); focus('Input channel'); }));
    }
    if (layer.kind === 'conv') {
      controls.append(selectControl('Normalisation', ['per filter', 'shared'], mode === 'shared' ? 1 : 0,
        (i) => { mode = i === 1 ? 'shared' : 'channel'; draw(); focus('Normalisation'); }));
    }
    const what = layer.kind === 'linear' ? `heatmap of ${shape[0]} outputs × ${shape[1]} inputs`
      : colour ? `${shape[0]} RGB filters` : `${shape[0]} filters, input channel ${input} of ${shape[1]}`;
    top.append(h('div', { class: 'lw-sub' }, `${layer.name} (${layer.type}) ${fmtShape(layer.shape)} · ${what}`), controls,
      layerBlock(layer, input, mode, Math.max(240, (root.clientWidth || 760) - 16)));
  };
  draw();
  const chart = p.histograms.length
    ? plotView(hist, p, (q: WeightsPayload, t) => histogramsFigure(q.histograms, 'Weight distributions', t), undefined,
      (q: WeightsPayload) => `Weight histograms of ${q.histograms.length} layers`)
    : null;
  return {
    update(next) {
      p = next as WeightsPayload;
      selected = Math.min(selected, Math.max(0, p.layers.length - 1));
      draw();
      chart?.update(p);
    },
    retheme: () => chart?.retheme?.(),
    dispose() { chart?.dispose(); root.replaceChildren(); },
  };
}

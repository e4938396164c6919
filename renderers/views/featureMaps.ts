// Feature maps: one layer's channels as a grid of colour-mapped tiles, with layer and normalisation selectors.
import { unpackArray, type FeatureMapsPayload, type ImageGridLayer } from '../../src/protocol';
import { gridView, rangeCaption } from '../canvasGrid';
import { h, selectControl, titleEl } from '../dom';
import { pickColormap, sourceFromNCHW, sourceMinMax, tileRanges, type Normalize } from '../imageGrid';
import type { View } from '../view';

/** [C, H, W] of a feature-map layer ([1, C, H, W] is accepted). */
export function featureShape(shape: number[]): [number, number, number] {
  const s = shape.length === 4 && shape[0] === 1 ? shape.slice(1) : shape;
  if (s.length !== 3) throw new Error(`feature maps must be [C, H, W], got [${shape.join(', ')}]`);
  return [s[0], s[1], s[2]];
}

export function layerGrid(layer: ImageGridLayer, mode: Normalize, maxWidth: number): HTMLElement {
  const [c, hh, w] = featureShape(layer.data.shape);
  const src = sourceFromNCHW(unpackArray(layer.data), [c, hh, w]);
  const cmap = pickColormap(layer.colormap, sourceMinMax(src)[0]);
  const ranges = tileRanges(src, mode, cmap === 'coolwarm');
  return gridView({
    source: src, ranges, cmap, maxWidth, target: 56,
    tileName: (t) => `channel ${t}`,
    ariaLabel: `${layer.name}: ${c} feature maps of ${hh}×${w}`,
    rangeText: `${cmap === 'viridis' ? 'viridis' : 'diverging'} · ${rangeCaption(mode, ranges, cmap === 'coolwarm')}`,
  });
}

export function featureMapsView(root: HTMLElement, payload: FeatureMapsPayload): View {
  let p = payload;
  let selected = Math.min(Math.max(0, p.selected ?? 0), p.layers.length - 1);
  let mode: Normalize | null = null;
  const draw = () => {
    const layer = p.layers[selected];
    const m = mode ?? layer.normalize ?? 'channel';
    const [c, hh, w] = featureShape(layer.data.shape);
    const controls = h('div', { class: 'lw-controls' });
    if (p.layers.length > 1) {
      controls.append(selectControl('Layer', p.layers.map((l) => `${l.name} (${l.type})`), selected, (i) => {
        selected = i;
        draw();
        root.querySelector<HTMLSelectElement>('select[aria-label="Layer"]')?.focus();
      }));
    }
    controls.append(selectControl('Normalisation', ['per channel', 'shared'], m === 'shared' ? 1 : 0, (i) => {
      mode = i === 1 ? 'shared' : 'channel';
      draw();
      root.querySelector<HTMLSelectElement>('select[aria-label="Normalisation"]')?.focus();
    }));
    root.replaceChildren(
      titleEl(p.title, 'Feature maps'),
      h('div', { class: 'lw-sub' }, `${layer.name} (${layer.type}) · ${c} channels · ${hh}×${w}`),
      controls,
      layerGrid(layer, m, Math.max(240, (root.clientWidth || 760) - 16)),
    );
  };
  draw();
  return {
    update(next) {
      p = next as FeatureMapsPayload;
      selected = Math.min(selected, p.layers.length - 1);
      draw();
    },
    dispose() { root.replaceChildren(); },
  };
}

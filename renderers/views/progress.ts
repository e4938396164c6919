// Progress: a compact bar with count, %, elapsed, ETA and the latest metrics; updated in place.
import type { ProgressPayload } from '../../src/protocol';
import { h } from '../dom';
import { fmtDuration, fmtNum } from '../format';
import type { View } from '../view';

/** The texts of the progress line. Pure. */
export function progressText(p: ProgressPayload): { fraction: number; count: string; time: string; metrics: string[] } {
  const fraction = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : p.finished ? 1 : 0;
  const count = `${p.done}/${p.total} (${Math.floor(fraction * 100)}%)`;
  const time = p.finished ? `done in ${fmtDuration(p.elapsed)}` : `${fmtDuration(p.elapsed)} elapsed · ETA ${fmtDuration(p.eta)}`;
  const metrics = Object.entries(p.metrics ?? {}).map(([k, v]) => `${k} ${fmtNum(v)}`);
  return { fraction, count, time, metrics };
}

export function progressView(root: HTMLElement, payload: ProgressPayload): View {
  const label = h('span', { class: 'lw-title' });
  const fill = h('div', { class: 'lw-progress-fill' });
  const track = h('div', { class: 'lw-progress-track', role: 'progressbar', 'aria-valuemin': 0 }, fill);
  const count = h('span', { class: 'lw-mono' });
  const time = h('span', { class: 'lw-muted' });
  const metrics = h('span', { class: 'lw-mono' });
  root.append(h('div', { class: 'lw-progress' }, label, track, count, time, metrics));
  const draw = (p: ProgressPayload) => {
    const t = progressText(p);
    label.textContent = p.label ?? p.title ?? '';
    label.hidden = !label.textContent;
    fill.style.width = `${(t.fraction * 100).toFixed(2)}%`;
    track.setAttribute('aria-valuemax', String(p.total));
    track.setAttribute('aria-valuenow', String(p.done));
    track.setAttribute('aria-label', `${p.label ?? 'progress'}: ${t.count}`);
    count.textContent = t.count;
    time.textContent = t.time;
    metrics.textContent = t.metrics.join(' · ');
  };
  draw(payload);
  return { update: (p) => draw(p as ProgressPayload), dispose: () => root.replaceChildren() };
}

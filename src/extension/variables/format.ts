/** Text of the Variables view's rows and hovers (no vscode here: unit-tested). */
import type { TensorVariable, VariableInfo } from '../../protocol/variables';

const BARS = '▁▂▃▄▅▆▇█';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function sparkline(histogram: readonly number[]): string {
  const max = Math.max(...histogram);
  if (!(max > 0)) return '';
  return histogram.map((c) => (c === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((c / max) * (BARS.length - 1)))])).join('');
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}

/** The row's description (after the name). */
export function describe(v: VariableInfo): string {
  switch (v.kind) {
    case 'tensor':
      return `${v.dtype} ${shapeText(v.shape)} · ${formatBytes(v.bytes)}${v.requiresGrad ? ' · grad' : ''}`;
    case 'module':
      return `${v.type} · ${formatCount(v.parameters)} params`;
    default:
      return v.summary;
  }
}

/** The hover, as Markdown. */
export function tooltip(v: VariableInfo): string {
  if (v.kind === 'tensor') return tensorTooltip(v);
  if (v.kind === 'module') {
    const frozen = v.parameters - v.trainable;
    return `**${v.name}**: ${v.type}\n\n${formatCount(v.parameters)} parameters` +
      `${frozen ? ` (${formatCount(frozen)} frozen)` : ''}\n\nSee its layers in the Layers view.`;
  }
  return `**${v.name}**: ${v.type}\n\n\`${v.summary.replace(/`/g, "'")}\``;
}

function tensorTooltip(v: TensorVariable): string {
  const lines = [
    `**${v.name}**: Tensor ${shapeText(v.shape)}`,
    '',
    `| | |\n|---|---|\n| dtype | ${v.dtype} |\n| memory | ${formatBytes(v.bytes)} |\n| requires grad | ${v.requiresGrad ? 'yes' : 'no'} |`,
  ];
  if (v.stats) {
    const s = v.stats;
    lines[2] += `\n| min / mean / max | ${num(s.min)} / ${num(s.mean)} / ${num(s.max)} |`;
    lines.push('', `histogram \`${sparkline(s.histogram)}\` (${s.histogram.length} bins, ${num(s.min)} … ${num(s.max)})`);
  }
  return lines.join('\n');
}

/** Summary rows (plain JSON from the executor) → the Live section's nodes. Pure: tested without VS Code. */
import { containerDescription, leafDescription, layerTooltip, modelTooltip, paramsText, shapeText, totalsLines } from './format';
import { parseConstructedAt } from './location';
import type { InspectModel, InspectorNode, InspectRow, ModulesResponse } from './types';

function layerNode(row: InspectRow, model: InspectModel, label: string, idPrefix: string): InspectorNode {
  const warn = row.warnings.length > 0;
  return {
    id: `${idPrefix}/${model.name}/${row.name}`,
    label: `${label}: ${row.type}`,
    description: row.isLeaf ? leafDescription(row) : containerDescription(row),
    tooltip: layerTooltip(row, model),
    icon: row.error ? 'error' : warn ? 'warning' : row.isLeaf ? 'layer' : 'container',
    children: [],
    expanded: false,
    location: parseConstructedAt(row.constructedAt),
    contextValue: 'layerwise.layer',
  };
}

function totalsNode(model: InspectModel, idPrefix: string): InspectorNode {
  const children = totalsLines(model.totals).map(([k, v]): InspectorNode => ({
    id: `${idPrefix}/${model.name}/#totals/${k}`, label: `${k}:`, description: v, icon: 'stat', children: [],
  }));
  return { id: `${idPrefix}/${model.name}/#totals`, label: 'Totals', description: paramsText(model.totals.params), icon: 'totals', children, expanded: true };
}

/** Nests rows by name prefix (DFS order: ancestors come first), so ModuleList children "blocks.0" nest right. */
function nestRows(model: InspectModel, idPrefix: string): InspectorNode[] {
  const root: InspectorNode[] = [];
  const stack: Array<{ name: string; node: InspectorNode }> = [];
  for (const row of model.rows) {
    if (row.name === '') continue;
    while (stack.length && !row.name.startsWith(stack[stack.length - 1].name + '.')) stack.pop();
    const parent = stack[stack.length - 1];
    const label = parent ? row.name.slice(parent.name.length + 1) : row.name;
    const node = layerNode(row, model, label, idPrefix);
    (parent ? parent.node.children : root).push(node);
    stack.push({ name: row.name, node });
  }
  return root;
}

export function modelNode(model: InspectModel, idPrefix = 'live'): InspectorNode {
  const rootRow = model.rows.find((r) => r.name === '');
  const layers = nestRows(model, idPrefix);
  const shape = rootRow?.outputShape ? ` → ${shapeText(rootRow.outputShape)}` : model.inputShape ? '' : ' · shapes ?';
  const children = [totalsNode(model, idPrefix), ...layers];
  if (model.error) children.unshift({ id: `${idPrefix}/${model.name}/#error`, label: 'Shapes unavailable', description: model.error, tooltip: model.error, icon: 'error', children: [] });
  return {
    id: `${idPrefix}/${model.name}`,
    label: model.name,
    description: `${model.type} · ${paramsText(model.totals.params)}${shape}`,
    tooltip: modelTooltip(model),
    icon: model.rows.some((r) => r.warnings.length) ? 'warning' : 'model',
    children,
    expanded: true,
    location: parseConstructedAt(rootRow?.constructedAt),
    model: model.name,
    contextValue: 'layerwise.model',
  };
}

export function liveNodes(res: ModulesResponse | undefined, idPrefix = 'live'): InspectorNode[] {
  return (res?.models ?? []).map((m) => modelNode(m, idPrefix));
}

/** Every node of a forest, depth first (tests and reveal-by-id). */
export function flatten(nodes: InspectorNode[]): InspectorNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

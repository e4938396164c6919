/** The "Layers" TreeDataProvider: Live and Draft sections built from plain nodes (sections.ts / tree.ts). */
import * as vscode from 'vscode';
import type { DraftModels } from './draft';
import type { LiveModels } from './live';
import { draftSection, liveSection } from './sections';
import type { InspectorNode, NodeIcon } from './types';

export const REVEAL_COMMAND = 'layerwise.inspector.reveal';

const ICONS: Record<NodeIcon, [string, string?]> = {
  section: ['layers'], model: ['symbol-class'], container: ['symbol-namespace'], layer: ['symbol-field'],
  warning: ['warning', 'problemsWarningIcon.foreground'], totals: ['symbol-operator'], stat: ['dash'], info: ['info'],
  error: ['error', 'problemsErrorIcon.foreground'],
};

export function toTreeItem(node: InspectorNode, notebook: vscode.NotebookDocument | undefined, section: 'live' | 'draft'): vscode.TreeItem {
  const state = node.children.length === 0 ? vscode.TreeItemCollapsibleState.None
    : node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(node.label, state);
  item.id = node.id;
  item.description = node.description;
  if (node.tooltip) item.tooltip = new vscode.MarkdownString(node.tooltip);
  const [icon, color] = ICONS[node.icon];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.contextValue = node.contextValue ? `${node.contextValue}.${section}` : undefined;
  if (node.location) {
    item.command = { command: REVEAL_COMMAND, title: 'Reveal where it was constructed', arguments: [{ location: node.location, notebook: notebook?.uri.toString(), section }] };
  }
  return item;
}

export class LayersTree implements vscode.TreeDataProvider<InspectorNode> {
  private readonly changed = new vscode.EventEmitter<InspectorNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The notebook the Live section shows: the active one, else the last one that ran a cell. */
  notebook: vscode.NotebookDocument | undefined;
  private readonly sectionOf = new Map<string, 'live' | 'draft'>();

  constructor(private readonly live: LiveModels, private readonly drafts: DraftModels) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: InspectorNode): vscode.TreeItem {
    return toTreeItem(node, this.notebook, this.sectionOf.get(node.id) ?? 'live');
  }

  getChildren(node?: InspectorNode): InspectorNode[] {
    if (node) return node.children;
    const draft = this.drafts.current();
    const roots = [liveSection(this.live.get(this.notebook)), draftSection(draft && { models: draft.result.models, elapsedMs: 0 }, draft?.where)];
    this.sectionOf.clear();
    for (const r of roots) this.mark(r, r.id === 'draft' ? 'draft' : 'live');
    return roots;
  }

  /** Node lookups for commands invoked from the palette (no node argument). */
  models(): Array<{ node: InspectorNode; section: 'live' | 'draft' }> {
    const draft = this.drafts.current();
    const live = liveSection(this.live.get(this.notebook)).children.filter((n) => n.model);
    const drafts = draftSection(draft && { models: draft.result.models, elapsedMs: 0 }, draft?.where).children.filter((n) => n.model);
    return [...live.map((node) => ({ node, section: 'live' as const })), ...drafts.map((node) => ({ node, section: 'draft' as const }))];
  }

  private mark(n: InspectorNode, s: 'live' | 'draft'): void {
    this.sectionOf.set(n.id, s);
    n.children.forEach((c) => this.mark(c, s));
  }
}

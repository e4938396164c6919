/** The 'modules' request's JSON: one definition, shared with the runtime (src/protocol/inspect.ts). */
export type { ShapeSource, InspectRow, Totals, InspectModel, ModulesResponse } from '../../protocol/inspect';
import type { InspectRow, InspectModel } from '../../protocol/inspect';

/** A place in the notebook (cell index, 0-based) or in a file, 1-based line and column. */
export interface SourceLocation {
  cellIndex?: number;
  file?: string;
  line: number;
  column: number;
}

export type NodeIcon = 'section' | 'model' | 'container' | 'layer' | 'warning' | 'totals' | 'stat' | 'info' | 'error';

/** A tree row as plain data: the VS Code TreeItem is made from it in view.ts. */
export interface InspectorNode {
  id: string;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  icon: NodeIcon;
  children: InspectorNode[];
  expanded?: boolean;
  location?: SourceLocation;
  /** For context-menu commands on model rows: the variable name. */
  model?: string;
  contextValue?: string;
}

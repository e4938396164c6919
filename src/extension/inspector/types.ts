/**
 * The JSON the executor's 'modules' request returns (src/runtime/inspect.ts). Mirrored here because the
 * extension host never imports the runtime; keep the two in sync.
 */
export type ShapeSource = 'forward' | 'summary' | 'declared';

export interface InspectRow {
  name: string;
  type: string;
  depth: number;
  inputShape: number[] | null;
  outputShape: number[] | null;
  /** Own parameters (not the children's). */
  params: number;
  trainable: number;
  macs: number;
  formulas: string[];
  warnings: string[];
  /** Parameters including the children's. */
  paramsTotal: number;
  isLeaf: boolean;
  /** Where the module was constructed: "Cell 3:2:5", "mk (Cell 2:2:10)", "/abs/file.ts:4:7"… */
  constructedAt: string | null;
  /** Draft only: why the shape cannot be computed (e.g. a channel mismatch). */
  error?: string;
}

export interface Totals {
  params: number;
  trainable: number;
  nonTrainable: number;
  macs: number;
  activationBytes: number;
}

export interface InspectModel {
  name: string;
  type: string;
  source: ShapeSource | null;
  inputShape: number[][] | null;
  rows: InspectRow[];
  totals: Totals;
  error?: string;
}

export interface ModulesResponse {
  models: InspectModel[];
  elapsedMs: number;
}

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

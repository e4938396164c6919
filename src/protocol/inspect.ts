/**
 * The JSON of the executor's 'modules' request (answered by src/runtime/inspect.ts, read by the Layers view in
 * src/extension/inspector): one entry per nn.Module variable of the session.
 */
import type { SummaryPayload } from './figures';

export type ShapeSource = 'forward' | 'summary' | 'declared';

export type InspectRow = SummaryPayload['rows'][number] & {
  /** Parameters including the children's. */
  paramsTotal: number;
  isLeaf: boolean;
  /** Where the module was constructed: "Cell 3:2:5", "mk (Cell 2:2:10)", "/abs/file.ts:4:7"… */
  constructedAt: string | null;
  /** Draft only: why the shape cannot be computed (e.g. a channel mismatch). */
  error?: string;
};

export type Totals = SummaryPayload['totals'];

export interface InspectModel {
  /** The global variable holding the model. */
  name: string;
  type: string;
  source: ShapeSource | null;
  inputShape: number[][] | null;
  rows: InspectRow[];
  totals: Totals;
  /** Why shapes are missing although an input shape is known (the meta forward failed). */
  error?: string;
}

export interface ModulesResponse {
  models: InspectModel[];
  elapsedMs: number;
}

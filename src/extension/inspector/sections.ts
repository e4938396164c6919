/** The two top-level sections of the Layers tree, as plain data (pure; tested). */
import { liveNodes } from './tree';
import type { InspectorNode, ModulesResponse } from './types';

export const PLACEHOLDER = 'Run a cell that defines a model';

export interface LiveInfo {
  response?: ModulesResponse;
  /** Why there is nothing live (no notebook, no kernel, request failed…). */
  note?: string;
}

const info = (id: string, label: string, tooltip?: string): InspectorNode => ({ id, label, tooltip, icon: 'info', children: [] });

export function liveSection(live: LiveInfo): InspectorNode {
  const models = liveNodes(live.response, 'live');
  const children = models.length ? models : [info('live/#empty', live.note ?? PLACEHOLDER, 'nn.Module variables of the notebook appear here after each cell runs.')];
  return {
    id: 'live', label: 'Live', description: models.length ? `${models.length} model${models.length > 1 ? 's' : ''} · after the last run` : 'after each cell runs',
    icon: 'section', children, expanded: true,
    tooltip: 'Every nn.Module variable of the notebook session. Shapes come from the last forward pass, the last `summary()` call, or `model.inputShape`.',
  };
}

export function draftSection(draft: ModulesResponse | undefined, where: string | undefined): InspectorNode {
  const models = liveNodes(draft, 'draft');
  const empty = where ? `No layer constructions with literal arguments in ${where}` : 'Open a notebook or a .ts file';
  return {
    id: 'draft', label: 'Draft', description: where ? `as typed · ${where}` : 'as typed, before running',
    icon: 'section', children: models.length ? models : [info('draft/#empty', empty)], expanded: true,
    tooltip: 'Read from the source as you type (nothing runs): literal layer constructions, an input shape from `model.inputShape = [...]` or `summary(model, [...])`; `?` where it cannot be known.',
  };
}

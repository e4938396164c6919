/** Identifiers shared by the extension host code and package.json `contributes`. Keep the two in sync. */
export const NOTEBOOK_TYPE = 'jupyter-notebook';
export const CONTROLLER_ID = 'layerwise-kernel';
export const CONTROLLER_LABEL = 'Layerwise (TypeScript)';
export const LANGUAGE = 'typescript';

export const COMMANDS = {
  newNotebook: 'layerwise.newNotebook',
  restartKernel: 'layerwise.restartKernel',
  interruptKernel: 'layerwise.interruptKernel',
} as const;

export const LAYERS_VIEW = 'layerwise.layers';

/** The ipynb metadata a Layerwise notebook is written with (and recognised by): one definition, in the protocol. */
export { KERNELSPEC, LANGUAGE_INFO } from '../protocol/notebook';

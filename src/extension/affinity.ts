import * as vscode from 'vscode';

interface IpynbMetadata {
  kernelspec?: { name?: string; display_name?: string; language?: string };
  language_info?: { name?: string };
}

/**
 * The ipynb-level metadata of a `jupyter-notebook` document. The built-in ipynb serializer keeps it under
 * `metadata.metadata` (VS Code ≥ 1.83) and under `metadata.custom.metadata` in older versions.
 */
export function ipynbMetadata(notebook: vscode.NotebookDocument): IpynbMetadata {
  const m = notebook.metadata as { metadata?: IpynbMetadata; custom?: { metadata?: IpynbMetadata } } | undefined;
  return m?.metadata ?? m?.custom?.metadata ?? {};
}

/** True when the notebook's kernelspec or language names Layerwise or TypeScript. */
export function isLayerwiseNotebook(notebook: vscode.NotebookDocument): boolean {
  const { kernelspec, language_info } = ipynbMetadata(notebook);
  const names = [kernelspec?.name, kernelspec?.display_name, kernelspec?.language, language_info?.name];
  return names.some((n) => typeof n === 'string' && /layerwise|typescript/i.test(n));
}

/** True when the notebook's kernelspec is Layerwise's own: only then is this controller Preferred. */
export function hasLayerwiseKernelspec(notebook: vscode.NotebookDocument): boolean {
  return ipynbMetadata(notebook).kernelspec?.name === 'layerwise';
}

/** The notebook's declared language (kernelspec, then language_info), lower-case; undefined when it names none. */
export function declaredLanguage(notebook: vscode.NotebookDocument): string | undefined {
  const { kernelspec, language_info } = ipynbMetadata(notebook);
  const lang = kernelspec?.language ?? language_info?.name;
  return typeof lang === 'string' && lang ? lang.toLowerCase() : undefined;
}

/**
 * Records the Layerwise kernelspec in a notebook the user switched to this controller, so the saved .ipynb (and
 * the next open, and `layerwise run`) know its kernel. Resolves to false when nothing had to change.
 */
export async function markAsLayerwise(
  notebook: vscode.NotebookDocument,
  spec: { kernelspec: object; language_info: object },
): Promise<boolean> {
  if (isLayerwiseNotebook(notebook)) return false;
  const m = (notebook.metadata ?? {}) as { metadata?: object; custom?: { metadata?: object } };
  const next = m.custom && !m.metadata
    ? { ...m, custom: { ...m.custom, metadata: { ...m.custom.metadata, ...spec } } }
    : { ...m, metadata: { ...m.metadata, ...spec } };
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, [vscode.NotebookEdit.updateNotebookMetadata(next)]);
  return vscode.workspace.applyEdit(edit);
}

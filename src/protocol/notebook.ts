/**
 * Notebook-level metadata as Jupyter writes it for a Layerwise notebook, shared by the CLI (which writes executed
 * notebooks) and anything else that records the kernel. Pure data.
 */

/** nbformat's kernelspec: the kernel's name, the label front ends show, and the language of its cells. */
export const KERNELSPEC = { name: 'layerwise', display_name: 'Layerwise (TypeScript)', language: 'typescript' } as const;

/**
 * nbformat's language_info, with the fields Jupyter kernels report (codemirror_mode, file_extension, mimetype,
 * name, pygments_lexer) so JupyterLab, nbconvert and GitHub highlight the cells as TypeScript.
 */
export const LANGUAGE_INFO = {
  name: 'typescript',
  file_extension: '.ts',
  mimetype: 'text/typescript',
  codemirror_mode: { name: 'javascript', typescript: true },
  pygments_lexer: 'typescript',
} as const;

/** nbformat 4.5 cell ids: 1–64 characters of [a-zA-Z0-9-_]. */
export const CELL_ID_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;

/**
 * What the user is told about the kernel's lifecycle: the notice after a death (which variables went with it)
 * and the confirmation before a restart (with "Don't Ask Again", as the Jupyter extension does).
 */
import * as vscode from 'vscode';

export interface DeathFacts {
  notebook: string;
  /** "exited with code 1", "was killed by SIGKILL". */
  how: string;
  busy: boolean;
  lost: readonly string[];
  restarted: boolean;
}

const SHOWN = 8;

export function listNames(names: readonly string[]): string {
  const shown = names.slice(0, SHOWN).join(', ');
  return names.length > SHOWN ? `${shown} and ${names.length - SHOWN} more` : shown;
}

export function deathNotice(f: DeathFacts): string {
  const when = f.busy ? 'while a cell was running' : 'while idle';
  const lost = f.lost.length ? ` Variables lost: ${listNames(f.lost)}.` : '';
  const next = f.restarted ? ' A new kernel was started; run the cells again to recreate them.' : ' The next run starts a new kernel.';
  return `Layerwise: the kernel of ${f.notebook} ${f.how} ${when}.${lost}${next}`;
}

export const ASK_BEFORE_RESTART = 'askBeforeRestart';
const RESTART = 'Restart';
const DONT_ASK = "Don't Ask Again";

/** True when the user confirms (or asked not to be asked); "Don't Ask Again" turns the setting off. */
export async function confirmRestart(lost: readonly string[]): Promise<boolean> {
  const config = vscode.workspace.getConfiguration('layerwise');
  if (!config.get<boolean>(ASK_BEFORE_RESTART, true)) return true;
  const detail = lost.length ? `Variables lost: ${listNames(lost)}.` : 'All variables will be lost.';
  const pick = await vscode.window.showWarningMessage('Restart the Layerwise kernel?', { modal: true, detail }, RESTART, DONT_ASK);
  if (pick === DONT_ASK) await config.update(ASK_BEFORE_RESTART, false, vscode.ConfigurationTarget.Global);
  return pick === RESTART || pick === DONT_ASK;
}

/**
 * A notebook of another language opened where Layerwise is the only kernel: VS Code shows the only kernel as the
 * notebook's and silently skips cells whose language it does not support, so Run All would do nothing. Said once
 * per notebook; not when the Jupyter extension is installed (its kernels are offered and preferred then).
 */
export function noticeForeignNotebook(notebook: vscode.NotebookDocument, language: string, told: Set<string>): void {
  if (told.has(notebook.uri.toString()) || vscode.extensions.getExtension('ms-toolsai.jupyter')) return;
  told.add(notebook.uri.toString());
  const name = notebook.uri.path.split('/').pop();
  void vscode.window.showInformationMessage(`Layerwise: ${name} is a ${language} notebook. Layerwise runs TypeScript cells ` +
    `only and will not run it; install a ${language} kernel (for example the Jupyter extension) to run it.`);
}

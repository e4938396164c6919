/**
 * The extension inside a real VS Code extension host, through the VS Code API only (no UI driving): activation,
 * the controller, a cell executed, the Layers view's models, interrupt and restart. The steps and expected texts
 * are the shared kernel scenario (test/shared/kernel-scenario.mjs), which the code-server UI suite walks too.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { KERNEL_SCENARIO as S } from '../../shared/kernel-scenario.mjs';

const EXTENSION_ID = 'layerwise.layerwise';
const CONTROLLER = { id: 'layerwise-kernel', extension: EXTENSION_ID };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

const decoder = new TextDecoder();

/** Every output item of a cell as text (stdout, errors, plain text, JSON payloads). */
function outputText(cell: vscode.NotebookCell): string {
  return cell.outputs.flatMap((o) => o.items.map((i) => decoder.decode(i.data))).join('\n');
}

function cellWith(nb: vscode.NotebookDocument, marker: string): vscode.NotebookCell {
  const cell = nb.getCells().find((c) => c.document.getText().includes(marker));
  if (!cell) throw new Error(`no cell contains ${JSON.stringify(marker)}`);
  return cell;
}

/** Starts a cell; the returned promise settles when VS Code reports the execution finished. */
function execute(nb: vscode.NotebookDocument, cell: vscode.NotebookCell): Thenable<unknown> {
  return vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: nb.uri });
}

async function runAndWait(nb: vscode.NotebookDocument, marker: string, expected: string): Promise<string> {
  const cell = cellWith(nb, marker);
  await execute(nb, cell);
  try {
    return await waitFor(`${JSON.stringify(expected)} in the output of the cell with ${JSON.stringify(marker)}`, () => {
      const text = outputText(cell);
      return text.includes(expected) && text;
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}; the cell's output is ${JSON.stringify(outputText(cell).slice(0, 500))}`);
  }
}

export function defineKernelTests(): void {
  describe('Layerwise in the VS Code extension host', () => {
    let nb: vscode.NotebookDocument;

    before(async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the suite runs with the e2e fixtures folder open');
      nb = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(folder.uri, S.notebook));
      await vscode.window.showNotebookDocument(nb);
    });

    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('activates and registers its commands', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is installed`);
      await ext.activate();
      assert.equal(ext.isActive, true);
      const commands = await vscode.commands.getCommands(true);
      for (const c of ['layerwise.newNotebook', 'layerwise.restartKernel', 'layerwise.interruptKernel', 'layerwise.inspector.copySummary']) {
        assert.ok(commands.includes(c), `command ${c} is registered`);
      }
    });

    it('its controller is selectable for the notebook and runs a cell', async () => {
      await vscode.commands.executeCommand('notebook.selectKernel', CONTROLLER);
      await runAndWait(nb, S.cells.answer, S.expect.answer);
    });

    it('keeps state across cells and draws rich outputs with a text fallback', async () => {
      const text = await runAndWait(nb, S.cells.model, S.expect.model);
      assert.ok(text.length > 0);
      await execute(nb, cellWith(nb, S.cells.tensor));
      const tensorCell = cellWith(nb, S.cells.tensor);
      await waitFor('the tensor output', () => tensorCell.outputs.length > 0);
      const mimes = tensorCell.outputs.flatMap((o) => o.items.map((i) => i.mime));
      assert.ok(mimes.some((m) => m.startsWith('application/vnd.layerwise.')), `rich output, got ${mimes.join(', ')}`);
      assert.ok(mimes.includes('text/plain'), `a text/plain fallback, got ${mimes.join(', ')}`);
    });

    it('the Layers view lists the model that ran (its summary is copied from the palette command)', async () => {
      await vscode.env.clipboard.writeText('');
      const summary = await waitFor('the Layers view to list the model', async () => {
        await vscode.commands.executeCommand('layerwise.inspector.refresh');
        // With a Live and a Draft model the command asks which (a quick pick, Live first): take the first.
        const copied = vscode.commands.executeCommand('layerwise.inspector.copySummary');
        await sleep(500);
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        await copied;
        const text = await vscode.env.clipboard.readText();
        return text.includes(S.expect.layersRow) && text;
      }, 30_000);
      assert.match(summary, /\|/, 'a Markdown table');
    });

    it('interrupt stops a busy cell and keeps the variables', async () => {
      const loop = cellWith(nb, S.cells.loop);
      void execute(nb, loop); // runs until interrupted: not awaited
      await sleep(1000);
      await vscode.commands.executeCommand('layerwise.interruptKernel');
      await waitFor('the interrupt message', () => outputText(loop).includes(S.expect.interrupted));
      await runAndWait(nb, S.cells.afterInterrupt, S.expect.afterInterrupt);
    });

    it('restart clears the variables', async () => {
      // Never ask in tests (the command asks users for confirmation unless they opted out).
      await vscode.workspace.getConfiguration('layerwise').update('askBeforeRestart', false, vscode.ConfigurationTarget.Global).then(undefined, () => undefined);
      await vscode.commands.executeCommand('layerwise.restartKernel');
      await runAndWait(nb, S.cells.afterInterrupt, S.expect.afterRestart);
    });
  });
}

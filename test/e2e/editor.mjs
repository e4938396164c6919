// The editor session (issue #15): type errors in cells (squiggle + Problems), a valid multi-cell notebook with
// none, a plain .ts file without Layerwise globals, a layer finding as a warning squiggle, the Variables view,
// the notice after a kernel died while idle, and a Python notebook the kernel does not claim.
// Fixtures: test/e2e/fixtures/{typecheck,layers,python}.ipynb and stats.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { focusCell, openNotebook, pickKernelIfAsked, runCell, runCommand, shot, sleep, waitFor, waitForOutput } from './workbench.mjs';

const KERNEL = 'Layerwise (TypeScript)';

/** The visible notebook editor and its squiggles (Monaco draws them as decorations in each cell editor). */
const notebook = (page) => page.locator('.notebookOverlay').filter({ visible: true }).first();
const squiggles = (page, kind) => notebook(page).locator(`.squiggly-${kind}`).count();

/** The Problems panel's text (it is opened, and focused, by its command). */
async function problems(page) {
  await runCommand(page, 'Focus on Problems View');
  const panel = page.locator('.markers-panel').first();
  await panel.waitFor({ state: 'visible', timeout: 15_000 });
  await sleep(500);
  return panel.innerText();
}

async function closeEditors(page) {
  await runCommand(page, 'View: Close All Editors');
  const dontSave = page.getByRole('button', { name: "Don't Save" });
  if (await dontSave.isVisible({ timeout: 2_000 }).catch(() => false)) await dontSave.click();
}

/** The steps; `dir` is the screenshot folder, `workspace` the sandbox folder (to read saved files). */
export function editorSteps(dir, workspace) {
  return [
    ['a valid multi-cell notebook (cross-cell names, top-level await, a re-declared name) has no type errors', async (page) => {
      await openNotebook(page, 'typecheck.ipynb');
      await sleep(4_000); // the check runs 250 ms after open; leave it time to (wrongly) report
      const errors = await squiggles(page, 'error');
      const text = await problems(page);
      await shot(page, dir, 'editor-01-valid-notebook-no-problems');
      if (errors) throw new Error(`${errors} error squiggles in a valid notebook`);
      if (/typecheck\.ipynb/.test(text)) throw new Error(`Problems lists the valid notebook:\n${text.slice(0, 400)}`);
    }],
    ['a type error typed into a cell is underlined and listed in Problems', async (page) => {
      await focusCell(page, 'types a type error below');
      await page.keyboard.press('Enter'); // edit mode
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      // inserted in one edit, so no half-typed (syntax-error) state is ever checked; the first squiggle is ours
      await page.keyboard.insertText("const five: number = 'five';");
      const typed = Date.now();
      await waitFor('an error squiggle in the cell', async () => (await squiggles(page, 'error')) > 0, 30_000, 50);
      console.log(`e2e: the type error was underlined ${Date.now() - typed} ms after the edit`);
      let text = '';
      await waitFor('the error in Problems', async () => (text = await problems(page)).includes("Type 'string' is not assignable to type 'number'"), 30_000, 100);
      console.log(`e2e: ... and listed in Problems ${Date.now() - typed} ms after the edit (the panel opened by command)`);
      await shot(page, dir, 'editor-03-type-error-in-problems');
      await focusCell(page, 'types a type error below');
      await shot(page, dir, 'editor-02-type-error-squiggle');
      if (!text.includes("Type 'string' is not assignable to type 'number'")) throw new Error(`Problems:\n${text.slice(0, 600)}`);
      if (!text.includes('Layerwise (ts)')) throw new Error('the problem does not name its source');
    }],
    ['a plain .ts file in the same workspace sees no Layerwise globals (a forgotten import is reported)', async (page) => {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'stats.ts' }).first().dblclick();
      let text = '';
      await waitFor("TypeScript's report on stats.ts", async () => (text = await problems(page)).includes("Cannot find name 'max'"), 120_000, 2_000);
      await page.locator('.tab', { hasText: 'stats.ts' }).first().click();
      await sleep(1_000);
      await shot(page, dir, 'editor-04-plain-ts-file');
      if (text.includes('Cannot redeclare')) throw new Error(`false redeclaration error:\n${text.slice(0, 600)}`);
    }],
    ['a pool window that does not fit shows a warning squiggle with its quick fix listed in Problems', async (page) => {
      await closeEditors(page);
      await openNotebook(page, 'layers.ipynb');
      await waitFor('a warning squiggle', async () => (await squiggles(page, 'warning')) > 0, 30_000, 250);
      await shot(page, dir, 'editor-05-layer-warning-squiggle');
      const text = await problems(page);
      await shot(page, dir, 'editor-06-layer-warning-in-problems');
      if (!/not an integer/.test(text) || !text.includes('Layerwise (layers)')) throw new Error(`Problems:\n${text.slice(0, 600)}`);
    }],
    ['the Variables view lists a tensor with its shape after its cell ran', async (page) => {
      await closeEditors(page);
      await openNotebook(page, 'typecheck.ipynb');
      await runCell(page, 'cells are one program');
      await pickKernelIfAsked(page, KERNEL);
      await runCell(page, 'top-level await');
      await waitForOutput(page, 'typecheck y');
      await runCommand(page, 'Focus on Variables View');
      const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Variables' }) }).first();
      await waitFor('the tensor row', async () => (await view.innerText()).includes('float32 [2, 3]'), 30_000);
      const row = view.locator('.monaco-list-row', { hasText: 'float32 [2, 3]' }).first();
      await row.hover();
      await sleep(1_500); // the hover with the histogram
      await shot(page, dir, 'editor-07-variables-view');
      const text = await view.innerText();
      if (!/net[\s\S]*Sequential · 16 params/.test(text)) throw new Error(`the model row is missing:\n${text}`);
    }],
    ['a kernel killed while idle brings a notice naming the lost variables', async (page) => {
      await runCell(page, 'dies while idle');
      await waitForOutput(page, 'kill scheduled');
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'while idle' }).first();
      await toast.waitFor({ timeout: 30_000 });
      const text = await toast.innerText({ timeout: 5_000 });
      await toast.locator('.codicon-notifications-expand').first().click({ timeout: 3_000 }).catch(() => undefined); // the whole text
      await sleep(800); // the toast slides in
      await shot(page, dir, 'editor-08-kernel-died-notice');
      if (!/Variables lost: .*\bx\b.*\bnet\b/.test(text) || !/new kernel was started/.test(text)) throw new Error(`the notice: ${text}`);
    }],
    ['a Python notebook is not claimed: the user is told, nothing runs, its kernelspec is kept', async (page) => {
      await closeEditors(page);
      await runCommand(page, 'View: Show Explorer');
      await openNotebook(page, 'python.ipynb');
      // the toast may already be dismissed (opening the notebook presses Escape): read the notification centre
      await sleep(2_000);
      await runCommand(page, 'Notifications: Show Notifications');
      const notice = page.locator('.notifications-center .notification-list-item', { hasText: 'is a Python notebook' }).first();
      await notice.waitFor({ timeout: 30_000 });
      await notice.locator('.codicon-notifications-expand').first().click().catch(() => undefined);
      await sleep(500);
      await shot(page, dir, 'editor-09-python-notebook-notice');
      await page.keyboard.press('Escape');
      await runCommand(page, 'Notebook: Run All');
      await pickKernelIfAsked(page, KERNEL);
      await sleep(3_000); // give a wrongly started cell the chance to show a mark or an output
      const ran = await notebook(page).locator('.codicon-notebook-state-success, .codicon-notebook-state-error').count();
      if (ran) throw new Error('a Python cell was executed by Layerwise');
      await runCommand(page, 'File: Save');
      await sleep(1_500);
      await shot(page, dir, 'editor-10-python-notebook-not-run');
      const saved = JSON.parse(readFileSync(join(workspace, 'python.ipynb'), 'utf8'));
      if (saved.metadata.kernelspec?.name !== 'python3') throw new Error(`kernelspec overwritten: ${JSON.stringify(saved.metadata.kernelspec)}`);
    }],
  ];
}

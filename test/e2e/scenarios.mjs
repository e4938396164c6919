// The e2e scenarios: steps over a code-server workbench page (see run.mjs). Each step is [title, async (page) => {}]
// and may depend on the ones before it in its list.
import {
  allText, codeCells, focusCell, inFrames, openNotebook, pickKernelIfAsked, runCell, runCommand, shot, sleep, waitFor,
  waitForOutput, waitForText,
} from './workbench.mjs';
import { KERNEL_SCENARIO as S } from '../shared/kernel-scenario.mjs';

// The kernel steps below walk the shared scenario (test/shared/kernel-scenario.mjs) through the UI; the in-host
// suite (test/vscode) walks the same one through the VS Code API.
export const KERNEL = S.kernelLabel;

/** Where screenshots go; set by run.mjs. */
export const out = { dir: 'artifacts/e2e' };

const layerwiseIcon = (page) => page.locator('.activitybar [aria-label^="Layerwise"]').first();

/** The main scenario, in order; each step depends on the ones before it, so the first failure stops the run. */
export const trustedSteps = [
  ['workbench starts with the Layerwise view container', async (page) => {
    await waitFor('the Layerwise activity bar entry', () => layerwiseIcon(page).isVisible());
    await shot(page, out.dir, '01-workbench');
  }],
  ['example notebook opens in the notebook editor', async (page) => {
    await openNotebook(page, S.notebook);
    await waitFor('the code cells', async () => (await codeCells(page).count()) >= 5);
  }],
  ['Run All prints the first cell\'s output through the Layerwise kernel', async (page) => {
    await runCommand(page, 'Notebook: Run All');
    await pickKernelIfAsked(page, KERNEL);
    await waitForOutput(page, S.expect.answer);
    await waitFor('the kernel name in the toolbar', async () => (await allText(page)).includes(KERNEL));
    await shot(page, out.dir, '02-run-all');
  }],
  ['a tensor and a progress bar render through the Layerwise renderer, the bar updated in place', async (page) => {
    await waitFor('the tensor view', () => inFrames(page, () => !!document.querySelector('.lw-root[data-mime*="layerwise.tensor"]')));
    const bars = () => inFrames(page, () => {
      const all = [...document.querySelectorAll('.lw-progress')];
      return all.length ? { count: all.length, text: all.map((e) => e.textContent).join(' | ') } : undefined;
    });
    await waitFor('the finished progress bar', async () => (await bars())?.text.includes('5/5'));
    const seen = await bars();
    if (seen.count !== 1) throw new Error(`expected one progress output updated in place, saw ${seen.count}: ${seen.text}`);
    await shot(page, out.dir, '03-rich-outputs');
  }],
  ['an infinite loop is interrupted and the cell says so', async (page) => {
    const loop = await focusCell(page, S.cells.loop);
    await waitFor('the loop cell to be running', () => loop.locator('.codicon-notebook-state-executing, .codicon-loading').first().isVisible());
    await runCommand(page, 'Layerwise: Interrupt Kernel');
    await waitForOutput(page, S.expect.interrupted);
    await shot(page, out.dir, '04-interrupted');
  }],
  ['state survives the interrupt: a later cell reads the variable', async (page) => {
    await runCell(page, S.cells.afterInterrupt);
    await waitForOutput(page, S.expect.afterInterrupt);
    await shot(page, out.dir, '05-state-kept');
  }],
  ['Restart Kernel (notebook toolbar button) asks first, then clears the variables', async (page) => {
    await page.locator('.notebookOverlay .notebook-toolbar-container .action-item', { hasText: 'Restart Kernel' }).first().click();
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Restart the Layerwise kernel?' }).first();
    await dialog.waitFor({ timeout: 15_000 });
    await shot(page, out.dir, '06a-restart-confirmation');
    await dialog.getByRole('button', { name: 'Restart', exact: true }).click();
    await waitForText(page, 'kernel restarted');
    await runCell(page, S.cells.afterInterrupt);
    await waitForOutput(page, S.expect.afterRestart);
    await page.mouse.wheel(0, 400);
    await shot(page, out.dir, '06-restarted');
  }],
  ['a killed kernel fails its cell clearly, and the next run starts a new one', async (page) => {
    await runCell(page, S.cells.kill);
    await waitForOutput(page, S.expect.killed);
    await page.mouse.wheel(0, 400);
    await shot(page, out.dir, '07-kernel-died');
    await runCommand(page, 'Notebook: Clear All Outputs');
    await waitFor('the outputs to clear', async () => !(await allText(page, { outputsOnly: true })).includes('answer = 42'));
    await runCell(page, S.cells.answer);
    await waitForOutput(page, S.expect.answer);
  }],
  ['Layerwise: New Notebook creates a runnable TypeScript notebook', async (page) => {
    await runCommand(page, 'Layerwise: New Notebook');
    await waitFor('the untitled notebook', () => page.locator('.tab', { hasText: 'Untitled' }).first().isVisible());
    await runCommand(page, 'Notebook: Run All');
    await pickKernelIfAsked(page, KERNEL);
    await waitForOutput(page, 'Hello from Layerwise');
    await shot(page, out.dir, '08-new-notebook');
  }],
];

/**
 * The same notebook in Restricted Mode. VS Code itself asks for trust before any cell runs; declining runs
 * nothing (the controller's own isTrusted check is the second line of defence behind that dialog).
 */
export const untrustedSteps = [
  ['in an untrusted workspace Run All asks for trust, and declining runs nothing', async (page) => {
    await openNotebook(page, S.notebook);
    await runCommand(page, 'Notebook: Run All');
    await pickKernelIfAsked(page, KERNEL);
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'trust' }).first();
    await dialog.waitFor({ timeout: 60_000 });
    await shot(page, out.dir, '09-untrusted-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await sleep(2_000); // give a wrongly started cell the chance to show output before checking there is none
    const ran = await codeCells(page).locator('.codicon-notebook-state-success, .codicon-notebook-state-error').count();
    const outputs = (await allText(page, { outputsOnly: true })).trim();
    if (ran || outputs.includes('answer')) throw new Error(`cells ran in Restricted Mode (${ran} finished, outputs: ${outputs.slice(0, 200)})`);
  }],
];


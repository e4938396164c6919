// e2e session "figures": the getting-started example draws feature maps, filters, gradient flow and a live curve
// that updates while training runs; the autodiff example's backprop stepper renders and steps. The two example
// notebooks are copied into the workspace by server.mjs (makeSandbox).
import { focusCell, openNotebook, pickKernelIfAsked, runCommand, shot, sleep, waitFor, waitForOutput, inFrames } from './workbench.mjs';
import { KERNEL, out } from './scenarios.mjs';

/** Number of points of the live chart's first curve, read from the Plotly element in the output webview. */
const livePoints = (page) => inFrames(page, () => {
  const el = document.querySelector('.lw-root[data-mime*="layerwise.live"] .js-plotly-plot');
  const data = el && el.data;
  return data && data[0] && data[0].x ? data[0].x.length : undefined;
});

const hasView = (page, mime) => inFrames(page, (m) => !!document.querySelector(`.lw-root[data-mime*="${m}"]`), mime);

export const figureSteps = [
  ['getting-started: the live loss curve updates in place while the training cell runs', async (page) => {
    await openNotebook(page, 'getting-started.ipynb');
    await runCommand(page, 'Notebook: Run All');
    await pickKernelIfAsked(page, KERNEL);
    // outputs scrolled out of view are not rendered (the notebook list is virtualised): bring the training cell in
    await focusCell(page, 'show.live(');
    await waitFor('the live chart with points', async () => (await livePoints(page)) >= 2, 180_000, 250);
    const first = await livePoints(page);
    const a = await page.screenshot({ path: `${out.dir}/10-live-early.png` });
    await sleep(2_500);
    const second = await livePoints(page);
    const b = await page.screenshot({ path: `${out.dir}/11-live-later.png` });
    if (!(second > first)) throw new Error(`the live curve did not grow during training (${first} → ${second} points)`);
    if (a.equals(b)) throw new Error('two screenshots taken 2.5 s apart during training are identical');
  }],
  ['getting-started: feature maps, filters and gradient flow render after training', async (page) => {
    await focusCell(page, 'held-out accuracy');
    await waitForOutput(page, 'held-out accuracy', 240_000);
    const views = [['show.featureMaps(model', 'layerwise.featuremaps'], ['show.weights(model)', 'layerwise.weights'], ['show.gradFlow(model)', 'layerwise.gradflow+json']];
    for (const [cell, mime] of views) {
      await focusCell(page, cell);
      await waitFor(`the ${mime} view`, () => hasView(page, mime), 120_000);
    }
    const canvases = await inFrames(page, () => document.querySelectorAll('.lw-root[data-mime*="weights"] canvas').length);
    if (!canvases) throw new Error('the weights view drew no canvas');
    await shot(page, out.dir, '12-getting-started-figures');
  }],
  ['autodiff: the backprop stepper renders the lecture graph and steps backward', async (page) => {
    await openNotebook(page, 'autodiff.ipynb');
    await runCommand(page, 'Notebook: Run All');
    await pickKernelIfAsked(page, KERNEL);
    await waitFor('the graph view', async () => (await inFrames(page, () => document.querySelectorAll('.lw-gnode').length)) >= 6, 120_000);
    for (let i = 0; i < 4; i++) {
      const clicked = await inFrames(page, () => {
        const b = document.querySelector('button[aria-label="Step backward"]');
        if (!b) return false;
        b.click();
        return true;
      });
      if (!clicked) throw new Error('no "Step backward" button in the graph view');
      await sleep(150);
    }
    const term = await inFrames(page, () => document.querySelector('.lw-term')?.textContent);
    const count = await inFrames(page, () => document.querySelector('.lw-step-count')?.textContent);
    if (!term || !/\+=/.test(term) || count !== 'step 4 / 7') throw new Error(`unexpected stepper state: "${count}" "${term}"`);
    await shot(page, out.dir, '13-stepper');
  }],
  ['IntelliSense in a cell: the runtime globals complete (TypeScript server plugin)', async (page) => {
    await runCommand(page, 'Notebook: Insert Code Cell Below');
    await sleep(500);
    await page.keyboard.type('const q = tens', { delay: 30 });
    const widget = page.locator('.suggest-widget').filter({ visible: true }).first();
    await waitFor('a completion "tensor"', async () => {
      if (!(await widget.isVisible().catch(() => false))) await page.keyboard.press('Control+Space');
      await sleep(700);
      return (await widget.textContent().catch(() => '') ?? '').includes('tensor');
    }, 90_000, 1_000);
    await shot(page, out.dir, '14-intellisense');
    await page.keyboard.press('Escape');
  }],
];

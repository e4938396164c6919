// E2E steps for the layer inspector (the Layers view), run by test/e2e/run.mjs as its 'inspector' session
// (LAYERWISE_E2E_SCENARIO=inspector runs only them). Each step is [name, async (page) => {...}], like the runner's
// own. They open their own notebook (Layerwise: New Notebook), so they need only a workbench with the extension,
// on a fresh session or after other steps; they run in order. Screenshots: artifacts/e2e/inspector-*.png.
import { allText, pickKernelIfAsked, runCommand, shot, sleep, waitFor, waitForText } from './workbench.mjs';

const KERNEL = 'Layerwise (TypeScript)';

// One statement per line: the cell editor auto-closes brackets, which would misplace a line break inside them.
const LIVE_CELL = [
  'const net = new nn.Sequential(new nn.Conv2d(3, 8, 3, { stride: 3 }), new nn.ReLU(), new nn.Flatten(), new nn.Linear(32, 10));',
  'net(randn([1, 3, 7, 7]));',
  'const alex = nn.meta(() => models.alexnet());',
  'alex.inputShape = [1, 3, 224, 224];',
].join('\n');

const DRAFT_CELL = 'const draft = new nn.Sequential(new nn.Conv2d(3, 64, 3, {padding: 1}));\ndraft.inputShape = [1, 3, 224, 224];';

const layersView = (page) => page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Layers' }) }).first();
const treeRow = (page, text) => layersView(page).locator('.monaco-list-row', { hasText: text }).first();

/** The notebook editor in front: other open notebooks stay in the DOM, hidden (zero-size or inert). */
async function activeNotebook(page) {
  const overlays = page.locator('.notebookOverlay');
  const seen = await overlays.evaluateAll((els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { area: r.width * r.height, inert: !!e.closest('[inert]') };
  }));
  let best = -1;
  seen.forEach((o, i) => { if (!o.inert && o.area > 0 && (best < 0 || o.area > seen[best].area)) best = i; });
  if (best < 0) throw new Error(`no notebook editor in front: ${JSON.stringify(seen)}`);
  return overlays.nth(best);
}
const cellEditor = async (page, n) => (await activeNotebook(page)).locator('.code-cell-row .monaco-editor .view-lines').nth(n);

/** Page text with inlay hints' non-breaking spaces made plain. */
const waitForHint = (page, text) => waitFor(`inline hint "${text}"`, async () => (await allText(page)).replace(/\u00a0/g, ' ').includes(text), 30_000);

async function openLayersView(page) {
  // the activity bar entry toggles the side bar: click only when the view is not showing already
  if (!(await layersView(page).isVisible().catch(() => false))) await page.locator('.activitybar [aria-label^="Layerwise"]').first().click();
  await waitFor('the Layers view', () => layersView(page).isVisible(), 30_000);
  const collapsed = layersView(page).locator('.pane-header[aria-expanded="false"]');
  if (await collapsed.count()) await collapsed.first().click();
}

/** Types into the focused cell editor without key events (no auto-closing brackets, no suggestion accepted). */
async function typeInCell(page, text) {
  await page.keyboard.insertText(text);
  await sleep(300);
}

export function inspectorSteps(ARTIFACTS) {
  return [
    ['inspector: a cell defining models fills the Live section with rows and totals', async (page) => {
      // the palette lists the extension's commands once its contributions are registered (slow on a loaded machine)
      await waitFor('the Layerwise activity bar entry', () => page.locator('.activitybar [aria-label^="Layerwise"]').first().isVisible(), 120_000);
      await runCommand(page, 'Layerwise: New Notebook').catch(async () => (await sleep(5_000), runCommand(page, 'Layerwise: New Notebook')));
      await waitFor('the new notebook\'s cell', async () => (await cellEditor(page, 0)).isVisible(), 30_000);
      await sleep(1000);
      await (await cellEditor(page, 0)).click();
      await page.keyboard.press('ControlOrMeta+A');
      await typeInCell(page, LIVE_CELL);
      await runCommand(page, 'Notebook: Execute Cell');
      await pickKernelIfAsked(page, KERNEL);
      await openLayersView(page);
      await waitFor('two models in the Live section', () => treeRow(page, '2 models · after the last run').isVisible(), 120_000);
      await waitFor('the net row', () => treeRow(page, 'Sequential · 554 params → [1, 10]').isVisible());
      await waitFor('the conv row with shape, params and warning', () => treeRow(page, '[1, 8, 2, 2] · 224 params ⚠').isVisible());
      await waitFor('the AlexNet total', () => treeRow(page, 'AlexNet · 61,100,840 params').isVisible());
      const text = await layersView(page).innerText();
      for (const s of ['Live', 'Totals', 'Parameters:', 'Trainable:', 'Non-trainable:', 'MACs:', 'Activations:', '3: Linear']) {
        if (!text.includes(s)) throw new Error(`the Layers view lacks "${s}":\n${text}`);
      }
      await shot(page, ARTIFACTS, 'inspector-1-live');
    }],
    ['inspector: a layer tooltip shows the arithmetic and what a non-fitting stride drops', async (page) => {
      await treeRow(page, '0: Conv2d').hover();
      await waitForText(page, 'H_out = ⌊(7 − 3)/3⌋ + 1 = 2', 30_000);
      await waitForText(page, 'the last 1 row of the input is never covered by a window', 10_000);
      await shot(page, ARTIFACTS, 'inspector-2-tooltip');
      await page.mouse.move(5, 450);
    }],
    ['inspector: clicking a layer reveals the cell line where it was constructed', async (page) => {
      await treeRow(page, '3: Linear').click();
      // The focused editor's input textarea holds the text around the cursor (what screen readers read).
      const atCursor = () => page.evaluate(() => {
        const a = document.activeElement;
        return a && a.tagName === 'TEXTAREA' ? a.value.slice(a.selectionStart, a.selectionStart + 40) : '';
      });
      await waitFor('the cursor on the Linear construction in the cell', async () => (await atCursor()).startsWith('new nn.Linear(32, 10)'), 20_000)
        .catch(async (err) => { throw new Error(`${err.message}; text at the cursor: "${await atCursor()}"`); });
      await shot(page, ARTIFACTS, 'inspector-3-reveal');
    }],
    ['inspector: Insert Model Summary puts a summary output into the notebook; Copy reports the Markdown table', async (page) => {
      const choose = async (text) => {
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
        await row.waitFor({ state: 'visible', timeout: 15_000 });
        await row.click();
      };
      await runCommand(page, 'Layerwise: Insert Model Summary into Notebook');
      await choose('live · Sequential · 554 params');
      await waitFor('the inserted summary output', async () => {
        const out = await allText(page, { outputsOnly: true });
        return out.includes('Total params') && out.includes('554');
      }, 30_000);
      await shot(page, ARTIFACTS, 'inspector-4-summary-inserted');
      await runCommand(page, 'Layerwise: Copy Model Summary as Markdown');
      await choose('live · Sequential · 554 params');
      await waitForText(page, 'copied the summary of net as a Markdown table', 15_000);
    }],
    ['inspector: typing a layer updates the Draft section and the inline hint without running', async (page) => {
      await treeRow(page, 'Live').click(); // collapse Live so the Draft rows are on screen
      // The Draft covers the whole notebook: the first cell's net and alex come before the draft model, so give the
      // Layers view the Variables view's height too (the tree renders only the rows on screen).
      const variables = page.locator('.pane-header[aria-expanded="true"]', { hasText: 'Variables' });
      if (await variables.count()) await variables.first().click();
      await (await cellEditor(page, 0)).click();
      await runCommand(page, 'Notebook: Insert Code Cell Below');
      await sleep(500);
      await typeInCell(page, DRAFT_CELL);
      await waitForHint(page, '→ [1, 64, 224, 224] · 1,792 params');
      await waitFor('the draft model in the Draft section', () => treeRow(page, 'Sequential · 1,792 params → [1, 64, 224, 224]').isVisible(), 30_000);
      await shot(page, ARTIFACTS, 'inspector-5-draft-hint');
      await page.keyboard.press('ControlOrMeta+End');
      await typeInCell(page, '\ndraft.append(new nn.MaxPool2d(2));');
      await waitForHint(page, '→ [1, 64, 112, 112]');
      await waitFor('the appended layer in the Draft section', () => treeRow(page, '1: MaxPool2d').isVisible(), 30_000);
      const outputs = await allText(page, { outputsOnly: true });
      if (outputs.includes('draft')) throw new Error('the draft cell ran');
      await shot(page, ARTIFACTS, 'inspector-6-draft-typed');
    }],
  ];
}

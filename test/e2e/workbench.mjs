// Playwright helpers for driving the code-server workbench: commands, files, notebook cells and outputs.
// Outputs live in webview iframes, so text is searched across every frame of the page.

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value; throws `what` when `ms` pass first. */
export async function waitFor(what, probe, ms = 60_000, every = 500) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

export async function openWorkbench(page, url, folder) {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
  await waitFor('the explorer', () => page.locator('.explorer-folders-view .monaco-list-row').first().isVisible(), 60_000);
}

/**
 * Runs a command palette entry by its title ("Layerwise: Restart Kernel"). The palette can close again right after
 * it opened (focus taken by a notebook editor, a notification or the kernel picker settling), so each step has a
 * short timeout and the whole sequence is retried from a fresh palette.
 */
export async function runCommand(page, title, attempts = 4) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input').filter({ visible: true }).first();
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      await input.fill(`>${title}`, { timeout: 10_000 });
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      await row.click({ timeout: 10_000 });
      return;
    } catch (err) {
      if (attempt >= attempts) throw err;
      console.log(`e2e: the command palette lost "${title}" (attempt ${attempt}: ${String(err.message).split('\n')[0]}); retrying`);
      await sleep(1_000 * attempt);
    }
  }
}

/** Text of every frame (the workbench and the notebook output webviews) joined together. */
export async function allText(page, { outputsOnly = false } = {}) {
  const frames = page.frames().filter((f) => !outputsOnly || f !== page.mainFrame());
  const texts = await Promise.all(frames.map((f) => f.evaluate(() => document.body?.innerText ?? '').catch(() => '')));
  return texts.join('\n');
}

/** The first truthy result of `fn(arg)` evaluated in any frame (outputs render inside webview iframes). */
export async function inFrames(page, fn, arg) {
  for (const frame of page.frames()) {
    const value = await frame.evaluate(fn, arg).catch(() => undefined);
    if (value) return value;
  }
  return undefined;
}

/** Waits for `text` anywhere on the page (notifications, toolbar, outputs). */
export async function waitForText(page, text, ms = 90_000) {
  await waitFor(`text "${text}"`, async () => (await allText(page)).includes(text), ms);
}

/** Waits for `text` in a cell output (the output webviews), not in cell sources. */
export async function waitForOutput(page, text, ms = 90_000) {
  await waitFor(`output "${text}"`, async () => (await allText(page, { outputsOnly: true })).includes(text), ms);
}

/** The notebook editor on screen (editors of background tabs stay in the DOM, hidden). */
const notebookEditor = (page) => page.locator('.notebookOverlay').filter({ visible: true }).first();

/**
 * Opens a notebook from the Explorer. Opening an .ipynb right after start-up can show it as JSON text (the
 * notebook serializer is not registered yet); then "Reopen Editor With..." → Jupyter Notebook fixes it.
 */
export async function openNotebook(page, name) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().dblclick();
    const opened = await waitFor('the notebook editor', () => notebookEditor(page).isVisible(), 20_000).catch(() => false);
    if (opened) return focusNotebook(page);
    console.log(`e2e: ${name} did not open as a notebook (attempt ${attempt}); reopening with the notebook editor`);
    await runCommand(page, 'View: Reopen Editor With...').catch(() => undefined);
    const choice = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Jupyter Notebook' }).first();
    if (await choice.isVisible({ timeout: 10_000 }).catch(() => false)) await choice.click();
    if (await waitFor('the notebook editor', () => notebookEditor(page).isVisible(), 20_000).catch(() => false)) {
      return focusNotebook(page);
    }
  }
  throw new Error(`${name} never opened in the notebook editor`);
}

/** Picks the Layerwise controller when VS Code asks for a kernel (it is usually preselected). */
export async function pickKernelIfAsked(page, label) {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  if (await row.isVisible({ timeout: 5_000 }).catch(() => false)) {
    console.log('e2e: kernel picker shown; choosing', label);
    await row.click();
  }
}

export const codeCells = (page) => notebookEditor(page).locator('.monaco-list-row.code-cell-row');

/**
 * Focuses the cell whose source contains `text` and returns its row. The notebook list is virtualised and
 * recycles row elements while it scrolls, so cells are reached the way a keyboard user would: command mode,
 * Ctrl+Home to the first cell, then ArrowDown (which reveals each cell) until the focused row is the one.
 */
export async function focusCell(page, text) {
  const focused = notebookEditor(page).locator('.monaco-list-row.focused');
  await enterCommandMode(page);
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < 40; i++) {
    await sleep(150);
    if (await focused.filter({ hasText: text }).count()) return focused.first();
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not focus the cell containing "${text}"`);
}

/** Notebook commands ("Notebook: Run All") are only offered while the notebook has focus. */
async function focusNotebook(page) {
  await waitFor('a code cell', async () => (await codeCells(page).count()) > 0, 30_000);
  await enterCommandMode(page);
}

/** Puts keyboard focus on a cell of the notebook (clicking into a visible cell editor, then Escape). */
async function enterCommandMode(page) {
  const cells = codeCells(page);
  const view = await notebookEditor(page).boundingBox();
  const n = await cells.count();
  for (let i = 0; i < n; i++) {
    const lines = cells.nth(i).locator('.monaco-editor .view-lines').first();
    const box = await lines.boundingBox().catch(() => null);
    if (!box || !view || box.y < view.y + 30 || box.y + box.height > view.y + view.height - 10) continue;
    await lines.click();
    await page.keyboard.press('Escape');
    // a notification toast (e.g. the kernel-death notice) takes the first Escape; the second leaves the editor
    if (await page.locator('.monaco-list-row.focused .monaco-editor.focused').count()) await page.keyboard.press('Escape');
    return;
  }
  throw new Error('no visible code cell to focus');
}

/** Runs the cell containing `text` (Ctrl+Enter is not used: the web cell editor takes it as "insert line"). */
export async function runCell(page, text) {
  await focusCell(page, text);
  await runCommand(page, 'Notebook: Execute Cell');
}

export async function shot(page, dir, name) {
  const path = `${dir}/${name}.png`;
  await page.screenshot({ path }).catch((err) => console.log(`e2e: screenshot ${name} failed: ${err.message}`));
  return path;
}

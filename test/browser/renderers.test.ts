// The renderers in headless Chromium through the real VS Code entry (activate → renderOutputItem).
import { strict as assert } from 'node:assert';
import { MIME, packArray } from '../../src/protocol';
import { colorAt } from '../../renderers/colormap';
import { THEMES } from '../../renderers/pageTheme';
import { pixelAt, pixelIn, near, render, requireChromium, setTheme, shot, startHarness, waitForPlot, type Harness } from './harness';
import * as S from './samples';

const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

describe('renderers in Chromium', function () {
  let hx: Harness;
  before(async function () {
    requireChromium(this);
    this.timeout(120000);
    hx = await startHarness();
  });
  after(async () => hx?.close());

  it('feature maps: one tile per channel, a known channel paints the expected colours, hover reads values', async () => {
    const { page } = hx;
    await render(page, 'fm', MIME.featureMaps, S.featureMaps());
    const canvas = page.locator('#out-fm canvas');
    const l = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('#out-fm canvas')!;
      return { w: c.width, h: c.height, tiles: Number(c.dataset.tiles), cols: Number(c.dataset.cols), rows: Number(c.dataset.rows) };
    });
    // 64 tiles of 28×28 at scale 2 (56 px) with 2 px gaps.
    assert.equal(l.tiles, 64);
    assert.ok(l.cols * l.rows >= 64 && l.cols * (l.rows - 1) < 64);
    assert.deepEqual([l.w, l.h], [l.cols * 58 - 2, l.rows * 58 - 2]);
    // Channel 0 is a ramp along x: its left column is viridis(0), its right column viridis(1).
    assert.ok(near(await pixelIn(page, canvas, 1, 20), colorAt('viridis', 0)), 'left of channel 0');
    assert.ok(near(await pixelIn(page, canvas, 54, 20), colorAt('viridis', 1)), 'right of channel 0');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 58 + 11, box.y + 58 + 5); // row 1, col 1: tile cols + 1, pixel (2, 5)
    assert.match((await page.textContent('#out-fm .lw-readout'))!, new RegExp(`^channel ${l.cols + 1} · pixel \\(2, 5\\) · `));
    assert.equal(await page.locator('#out-fm select').count(), 2, 'layer + normalisation selectors');
    await shot(page, 'fm', 'featuremaps-light');
  });

  it('feature maps: keyboard selects another layer (diverging map) and shared normalisation', async () => {
    const { page } = hx;
    await page.focus('#out-fm select[aria-label="Layer"]');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('#out-fm .lw-sub')?.textContent?.startsWith('features.3'));
    assert.match((await page.textContent('#out-fm .lw-colorbar'))!, /diverging/);
    await page.selectOption('#out-fm select[aria-label="Normalisation"]', { label: 'shared' });
    assert.match((await page.textContent('#out-fm .lw-colorbar'))!, /shared/);
    await page.focus('#out-fm canvas');
    await page.keyboard.press('ArrowRight');
    assert.match((await page.textContent('#out-fm .lw-readout'))!, /^channel 1 /);
    await shot(page, 'fm', 'featuremaps-layer2-shared');
  });

  it('gradient flow: two bar series on a log axis; the vanishing layer is coloured and labelled', async () => {
    const { page } = hx;
    await render(page, 'gf', MIME.gradFlow, S.gradFlow());
    await waitForPlot(page, 'gf');
    assert.equal(await page.locator('#out-gf .barlayer .trace').count(), 2);
    assert.ok(await page.locator('#out-gf .ytick text').count() >= 3, 'log axis ticks');
    const yellow = hex(THEMES.light['charts-yellow']);
    const bar = page.locator('#out-gf .barlayer .trace').nth(1).locator('.point path').nth(2);
    await page.locator('#out-gf .lw-plot').scrollIntoViewIfNeeded();
    const b = (await bar.boundingBox())!; // log-axis bars extend below the (clipped) plot area: use their top
    assert.ok(near(await pixelAt(page, b.x + b.width / 2, b.y + 3), yellow), 'vanishing bar in charts-yellow');
    const notes = await page.locator('#out-gf .annotation-text').allTextContents();
    assert.ok(notes.includes('vanishing') && notes.includes('exploding') && notes.includes('no grad'), notes.join('|'));
    const flags = await page.locator('#out-gf .lw-flags > div').allTextContents();
    assert.ok(flags.some((f) => /vanishing: conv2\.weight/.test(f)) && flags.some((f) => /exploding: fc1\.weight/.test(f)));
    assert.match((await page.getAttribute('#out-gf .lw-plot', 'aria-label'))!, /7 layers on a log scale: 1 vanishing, 1 exploding/);
    await shot(page, 'gf', 'gradflow-light');
  });

  it('live curves update in place: same chart element, more points', async () => {
    const { page } = hx;
    await render(page, 'live', MIME.live, S.live(10));
    await waitForPlot(page, 'live');
    await page.evaluate(() => ((document.querySelector('#out-live .lw-plot') as any).__marker = 42));
    await render(page, 'live', MIME.live, S.live(50, true));
    await waitForPlot(page, 'live', 2);
    const r = await page.evaluate(() => {
      const el = document.querySelector('#out-live .lw-plot') as any;
      return { marker: el.__marker, traces: el.data.length, points: el.data[0].x.length, y2: !!el.layout.yaxis2 };
    });
    assert.deepEqual(r, { marker: 42, traces: 3, points: 50, y2: true });
    // An update that arrives under a new output id in the same element keeps the chart too.
    await render(page, 'live-b', MIME.live, S.live(60, true), { target: 'live' });
    await waitForPlot(page, 'live', 3);
    assert.equal(await page.evaluate(() => (document.querySelector('#out-live .lw-plot') as any).__marker), 42);
    await page.evaluate(() => (window as any).lw.dispose('live'));
    assert.equal(await page.locator('#out-live .lw-plot').count(), 1, 'disposing the old id leaves the live view alone');
    await shot(page, 'live', 'live-light');
  });

  it('progress updates in place with count, %, elapsed, ETA and metrics', async () => {
    const { page } = hx;
    await render(page, 'pg', MIME.progress, S.progress(37));
    await page.evaluate(() => ((document.querySelector('#out-pg .lw-progress-fill') as any).__marker = 1));
    await render(page, 'pg', MIME.progress, S.progress(64));
    const r = await page.evaluate(() => {
      const fill = document.querySelector('#out-pg .lw-progress-fill') as any;
      return { same: fill.__marker === 1, width: fill.style.width, text: document.querySelector('#out-pg .lw-progress')!.textContent,
        now: document.querySelector('#out-pg [role=progressbar]')!.getAttribute('aria-valuenow') };
    });
    assert.ok(r.same);
    assert.equal(r.width, '64%');
    assert.equal(r.now, '64');
    assert.match(r.text!, /64\/100 \(64%\).*0:20 elapsed · ETA 0:11.*loss 0\.3483 · acc 0\.874/);
    await shot(page, 'pg', 'progress-light');
  });

  it('summary: rows, totals, formulas on keyboard expand; payload text is never HTML', async () => {
    const { page } = hx;
    await render(page, 'sm', MIME.summary, S.summary());
    assert.equal(await page.locator('#out-sm tbody tr:not(.lw-formulas)').count(), 6);
    assert.match((await page.textContent('#out-sm .lw-totals'))!, /Total params61,706/);
    assert.equal(await page.locator('#out-sm b').count(), 0, 'warning markup stays text');
    const fx = page.locator('#out-sm button[aria-label="Show arithmetic for conv1"]');
    await fx.focus();
    await page.keyboard.press('Enter');
    assert.equal(await fx.getAttribute('aria-expanded'), 'true');
    assert.match((await page.locator('#out-sm tr.lw-formulas:not([hidden])').textContent())!, /H_out = ⌊\(28 − 5 \+ 2·0\)\/1⌋ \+ 1 = 24/);
    await shot(page, 'sm', 'summary-light');
  });

  it('tensor: stats line with flagged NaN, table, heatmap and RGB image pixels', async () => {
    const { page } = hx;
    await render(page, 'tt', MIME.tensor, S.tensorTable());
    assert.match((await page.textContent('#out-tt .lw-stats'))!, /shape \[2, 3\].*NaN 1 ⚠/);
    assert.equal(await page.locator('#out-tt td').count(), 6);
    await render(page, 'th', MIME.tensor, S.tensorHeatmap());
    assert.equal(await page.locator('#out-th canvas').count(), 1);
    await render(page, 'ti', MIME.tensor, S.tensorImage());
    assert.ok(near(await pixelIn(page, '#out-ti canvas', 10, 10), [255, 0, 0]), 'left half red');
    assert.ok(near(await pixelIn(page, '#out-ti canvas', -10, 10), [0, 0, 255]), 'right half blue');
    await shot(page, 'tt', 'tensor-table');
    await shot(page, 'th', 'tensor-heatmap');
    await shot(page, 'ti', 'tensor-image');
  });

  it('weights: RGB first-layer filters in colour, input-channel selector for deeper convs, histograms', async () => {
    const { page } = hx;
    await render(page, 'wt', MIME.weights, S.weights());
    assert.ok(near(await pixelIn(page, '#out-wt canvas', 5, 5), [255, 0, 0]), 'filter 0 is pure red');
    await waitForPlot(page, 'wt');
    assert.equal(await page.locator('#out-wt .barlayer .trace').count(), 3);
    await shot(page, 'wt', 'weights-conv1');
    await page.selectOption('#out-wt select[aria-label="Layer"]', { index: 1 });
    assert.equal(await page.locator('#out-wt select[aria-label="Input channel"] option').count(), 16);
    await page.selectOption('#out-wt select[aria-label="Layer"]', { index: 2 });
    assert.match((await page.textContent('#out-wt .lw-sub'))!, /10 outputs × 64 inputs/);
    await shot(page, 'wt', 'weights-linear');
  });

  it('distributions and the gradient-norm watch draw with Plotly', async () => {
    const { page } = hx;
    await render(page, 'ds', MIME.distributions, S.distributions());
    await waitForPlot(page, 'ds');
    assert.equal(await page.locator('#out-ds .barlayer .trace').count(), 5);
    await render(page, 'gw', MIME.gradFlowWatch, S.watch(20));
    await waitForPlot(page, 'gw');
    await render(page, 'gw', MIME.gradFlowWatch, S.watch(30));
    await waitForPlot(page, 'gw', 2);
    assert.equal(await page.evaluate(() => (document.querySelector('#out-gw .lw-plot') as any).data[0].x.length), 30);
    await shot(page, 'ds', 'distributions-light');
    await shot(page, 'gw', 'gradwatch-light');
  });

  it('graph draws the recorded computation graph (lecture example: 6 nodes)', async () => {
    await render(hx.page, 'gr', MIME.graph, S.graph());
    assert.equal(await hx.page.locator('#out-gr .lw-gnode').count(), 6);
  });

  it('malformed, newer-version and non-JSON payloads show an error box, never a blank', async () => {
    const { page } = hx;
    await render(page, 'bad1', MIME.featureMaps, { v: 1, layers: 'nope' });
    await render(page, 'bad2', MIME.gradFlow, { ...S.gradFlow(), v: 99 });
    await render(page, 'bad3', MIME.tensor, null, { badJson: true });
    await render(page, 'bad4', MIME.featureMaps, { v: 1, selected: 0, layers: [{ name: 'x', type: 'ReLU', colormap: 'sequential',
      normalize: 'channel', data: { ...packArray(new Float32Array(4), [2, 2]), shape: [1, 3, 3] } }] });
    for (const [id, re] of [['bad1', /"layers" should be a list/], ['bad2', /newer than this renderer/], ['bad3', /not valid JSON/],
      ['bad4', /bytes do not hold shape/]] as const) {
      const box = page.locator(`#out-${id} .lw-error[role=alert]`);
      assert.ok(await box.isVisible(), id);
      assert.match((await box.textContent())!, re);
    }
    await shot(page, 'bad2', 'error-box');
    // Each failure is also posted to the extension host (renderer messaging), with its reason and output id.
    const posted = await page.evaluate(() => (window as unknown as { lwPosted: { type: string; outputId: string; message: string }[] }).lwPosted);
    const errors = posted.filter((m) => m.type === 'renderError');
    assert.deepEqual(errors.map((m) => m.outputId), ['bad1', 'bad2', 'bad3', 'bad4']);
    assert.match(errors[1].message, /newer than this renderer/);
    assert.doesNotMatch(errors[1].message, /received payload/, 'the reason, not the payload dump');
    await page.evaluate(() => (window as unknown as { lwHost: (m: unknown) => void }).lwHost({ type: 'stats' }));
    const stats = await page.evaluate(() => (window as unknown as { lwPosted: { type: string }[] }).lwPosted.filter((m) => m.type === 'stats').at(-1));
    assert.deepEqual(stats, { type: 'stats', outputs: await page.locator('.output').count(), failed: 4 });
    // The same output recovers with a good payload, and a good view shows the box on a broken update.
    await render(page, 'bad2', MIME.gradFlow, { ...S.gradFlow(), layers: [{ name: '<b>x</b>', meanAbs: 1e-3, maxAbs: 1e-2, status: 'ok' }] });
    await waitForPlot(page, 'bad2');
    assert.equal(await page.locator('#out-bad2 .lw-error').count(), 0);
    assert.equal(await page.locator('#out-bad2 .xtick text').textContent(), '<b>x</b>', 'Plotly shows payload text literally');
    await render(page, 'pg2', MIME.progress, S.progress(10));
    await render(page, 'pg2', MIME.progress, { v: 1, total: 'many' });
    assert.match((await page.textContent('#out-pg2 .lw-error'))!, /"total" should be a number/);
  });

  it('follows the theme variables (dark, high contrast), including Plotly text after a theme switch', async () => {
    const { page } = hx;
    const drawn = () => page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.lw-plot')).map((p) => Number(p.dataset.rendered ?? 0)));
    for (const kind of ['dark', 'high-contrast'] as const) {
      const before = await drawn();
      await setTheme(page, kind);
      // Every chart is redrawn with the new colours (and layout settles) before anything is measured.
      await page.waitForFunction((b) => Array.from(document.querySelectorAll<HTMLElement>('.lw-plot'))
        .every((p, i) => Number(p.dataset.rendered ?? 0) > (b[i] ?? -1) || p.querySelector('.lw-error')), before);
      const fg = await page.evaluate(() => getComputedStyle(document.querySelector('#out-sm .lw-root')!).color);
      assert.equal(fg, `rgb(${hex(THEMES[kind].foreground).join(', ')})`);
      await page.waitForFunction((c) => document.querySelector('#out-gf .gtitle')?.getAttribute('style')?.includes(c),
        `rgb(${hex(THEMES[kind].foreground).join(', ')})`);
      await page.evaluate(() => document.body.style.setProperty('background', 'var(--vscode-editor-background)'));
      for (const id of ['gf', 'fm', 'sm', 'pg', 'live']) await shot(page, id, `${id}-${kind}`);
    }
    await setTheme(page, 'light');
  });
});

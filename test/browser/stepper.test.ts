// The backprop stepper in headless Chromium through the real renderer entry: stepping by button and keyboard,
// the highlighted node and the displayed chain-rule term, forward mode, themes. Screenshots: artifacts/stepper/.
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { MIME, type GraphPayload } from '../../src/protocol';
import { THEMES } from '../../renderers/pageTheme';
import { ROOT, near, pixelIn, render, requireChromium, setTheme, startHarness, type Harness } from './harness';
import * as S from './stepper-samples';

const ARTIFACTS = join(ROOT, 'artifacts', 'stepper');
const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const shot = (page: Page, id: string, name: string) => page.locator(`#out-${id}`).screenshot({ path: join(ARTIFACTS, `${name}.png`) });
const click = async (page: Page, id: string, label: string, times = 1) => {
  for (let i = 0; i < times; i++) await page.click(`#out-${id} button[aria-label="${label}"]`);
};
const termOf = async (page: Page, id: string) => (await page.textContent(`#out-${id} .lw-term`))!;
const nodeId = (p: GraphPayload, label: string) => p.nodes.find((n) => n.label === label)!.id;
const currentNode = (page: Page, id: string) => page.getAttribute(`#out-${id} .lw-gnode.lw-current`, 'data-node');

describe('backprop stepper in Chromium', function () {
  let hx: Harness;
  let lec: GraphPayload;
  before(async function () {
    requireChromium(this);
    this.timeout(120000);
    mkdirSync(ARTIFACTS, { recursive: true });
    lec = S.lecture();
    hx = await startHarness();
    await hx.page.setViewportSize({ width: 1000, height: 1200 });
  });
  after(async () => hx?.close());

  it('lecture example: Step backward ×4 highlights c → b and shows the "+=" term', async () => {
    const { page } = hx;
    await render(page, 'lec', MIME.graph, lec);
    assert.equal(await page.locator('#out-lec .lw-gnode').count(), 6);
    assert.equal(await page.locator('#out-lec .lw-gedge').count(), 6);
    assert.match(await termOf(page, 'lec'), /^Backprop from f: press Step backward/);
    await click(page, 'lec', 'Step backward');
    assert.equal(await termOf(page, 'lec'), '∂f/∂f = 1');
    assert.equal(await currentNode(page, 'lec'), lec.output);
    await click(page, 'lec', 'Step backward', 3);
    assert.equal(await termOf(page, 'lec'), '∂f/∂b += ∂f/∂c · ∂c/∂b = 1 × 1/(2√b) = 0.3373');
    assert.equal(await currentNode(page, 'lec'), nodeId(lec, 'c'));
    assert.equal(await page.getAttribute('#out-lec .lw-gnode.lw-target', 'data-node'), nodeId(lec, 'b'));
    assert.equal(await page.getAttribute('#out-lec .lw-gedge.lw-hot', 'data-edge'), `${nodeId(lec, 'b')}→${nodeId(lec, 'c')}`);
    assert.equal(await page.textContent(`#out-lec [data-node="${nodeId(lec, 'b')}"] .lw-g-grad`), '∂f/∂b = 1.337');
    assert.match((await page.textContent('#out-lec .lw-term-detail.lw-acc'))!, /two paths meet at b: ∂f\/∂b = 1 \+ 0\.3373 = 1\.337/);
    assert.equal(await page.textContent('#out-lec .lw-step-count'), 'step 4 / 7');
    assert.equal(await page.textContent('#out-lec .lw-gedge-label text'), '0.3373');
    // the current node's border is the focus colour, the target's the orange accent
    const cur = page.locator(`#out-lec g[data-node="${nodeId(lec, 'c')}"] rect`);
    assert.ok(near(await pixelIn(page, cur, 1, 20), hex(THEMES.light.focusBorder), 40), 'current node border');
    await shot(page, 'lec', 'lecture-step4-light');
  });

  it('Run to end fills every gradient and the leaf panel; keyboard ← → Home End step', async () => {
    const { page } = hx;
    await click(page, 'lec', 'Run to end');
    assert.equal(await termOf(page, 'lec'), '∂f/∂x = ∂f/∂a · ∂a/∂x = 2.675 × 1/x = 0.8915');
    assert.equal(await currentNode(page, 'lec'), nodeId(lec, 'a'));
    const leaves = await page.locator('#out-lec .lw-leaf-item').allTextContents();
    assert.deepEqual(leaves, ['∂f/∂xso far: 0.8915final: 0.8915', '∂f/∂yso far: 1.469final: 1.469']);
    assert.equal(await page.locator('#out-lec .lw-leaf-item.lw-done').count(), 2);
    assert.ok(await page.isDisabled('#out-lec button[aria-label="Step backward"]'));
    await shot(page, 'lec', 'lecture-end-light');
    await page.focus('#out-lec .lw-stepper');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.textContent('#out-lec .lw-step-count'), 'step 6 / 7');
    assert.equal(await termOf(page, 'lec'), '∂f/∂a = ∂f/∂b · ∂b/∂a = 1.337 × y = 2.675');
    await page.keyboard.press('Home');
    assert.equal(await page.textContent('#out-lec .lw-step-count'), 'step 0 / 7');
    assert.equal(await page.locator('#out-lec .lw-gnode.lw-current').count(), 0);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await termOf(page, 'lec'), '∂f/∂b = ∂f/∂f · ∂f/∂b = 1 × 1 = 1');
    await page.keyboard.press('End');
    assert.equal(await page.textContent('#out-lec .lw-step-count'), 'step 7 / 7');
  });

  it('forward mode: pick y, Step forward through the tangents in topological order', async () => {
    const { page } = hx;
    await page.selectOption('#out-lec select[aria-label="Mode"]', 'forward');
    assert.ok(await page.isVisible('#out-lec select[aria-label="With respect to"]'));
    await page.selectOption('#out-lec select[aria-label="With respect to"]', { label: 'y' });
    await click(page, 'lec', 'Step forward', 3);
    assert.equal(await termOf(page, 'lec'), '∂c/∂y = ∂c/∂b · ∂b/∂y = 1/(2√b) × 1.099 = 0.3706');
    assert.equal(await currentNode(page, 'lec'), nodeId(lec, 'c'));
    await click(page, 'lec', 'Step forward');
    assert.equal(await termOf(page, 'lec'), '∂f/∂y = ∂f/∂b · ∂b/∂y + ∂f/∂c · ∂c/∂y = 1 × 1.099 + 1 × 0.3706 = 1.469');
    assert.equal(await page.locator('#out-lec .lw-gedge.lw-hot').count(), 2, 'both paths into f light up');
    assert.equal(await page.textContent(`#out-lec [data-leaf="${nodeId(lec, 'y')}"] .lw-leaf-val`), 'forward: 1.469');
    await shot(page, 'lec', 'lecture-forward-y-light');
  });

  it('MLP and conv graphs step with tensor summaries (dark and high-contrast themes)', async () => {
    const { page } = hx;
    await setTheme(page, 'dark');
    const mlp = S.mlp();
    await render(page, 'mlp', MIME.graph, mlp);
    await click(page, 'mlp', 'Step backward', 6);
    assert.match(await termOf(page, 'mlp'), /^∂L\/∂\S+ \+?= ∂L\/∂\S+ · ∂\S+\/∂\S+ = .* = \[\d+(, \d+)*\] μ=/);
    assert.equal(await currentNode(page, 'mlp'), mlp.steps[5].node);
    await shot(page, 'mlp', 'mlp-step6-dark');
    await click(page, 'mlp', 'Run to end');
    assert.equal(await page.locator('#out-mlp .lw-leaf-item.lw-done').count(), mlp.leaves.length);
    await setTheme(page, 'high-contrast');
    const conv = S.conv();
    await render(page, 'conv', MIME.graph, conv);
    await click(page, 'conv', 'Step backward', conv.steps.findIndex((s) => conv.nodes.find((n) => n.id === s.node)!.op === 'maxPool2d') + 1);
    assert.match(await termOf(page, 'conv'), /VJP of maxPool2d/);
    await shot(page, 'conv', 'conv-maxpool-hc');
    await setTheme(page, 'light');
  });

  it('a graph from an older Layerwise shows an error box, never a blank', async () => {
    const { page } = hx;
    await render(page, 'old', MIME.graph, { v: 1, nodes: [{ id: 'a', label: 'a', op: 'leaf', kind: 'leaf', shape: [], value: '2', grad: null }],
      edges: [], steps: [], leaves: [] });
    assert.match((await page.textContent('#out-old .lw-error'))!, /cannot draw this output.*older Layerwise/);
  });
});

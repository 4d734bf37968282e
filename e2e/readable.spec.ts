import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { SYNTHETIC_SETS, syntheticDefaults } from '../src/config/runConfig';
import { GLOSSARY } from '../src/lessons/glossary';
import { openAsReturningUser, openPlayground } from './openPlayground';

/** Readability: what a user reads on screen. Kept small: SwiftShader is slow. */

const ready = openAsReturningUser;

test('Greek letters keep their case in the summary strip and runs table', async ({ page }) => {
  await ready(page, '#data=circle&epochs=1');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('sigma-used')).not.toHaveText('—');
  // innerText is the text as rendered, after any text-transform.
  const summary = await page.getByTestId('run-summary').evaluate((e) => (e as HTMLElement).innerText);
  expect(summary).toContain('σ');
  expect(summary).toContain('ε');
  expect(summary).not.toMatch(/[ΣΕ]/);
  const table = await page.getByTestId('runs-table').evaluate((e) => (e as HTMLElement).innerText);
  expect(table).toContain('ε');
  expect(table).toContain('σ');
  expect(table).not.toMatch(/[ΣΕ]/);
});

test('the hidden-layers field shows the widths the next run uses after choosing each 2D set', async ({ page }) => {
  await ready(page);
  await expect(page.getByLabel('Hidden layers')).toHaveValue('128');
  for (const name of SYNTHETIC_SETS) {
    await page.getByLabel('Dataset').selectOption(name);
    const uses = await page.evaluate(
      () =>
        (window as unknown as { __playground: { getState(): { draft: { model: { hidden: number[] } } } } }).__playground.getState().draft
          .model.hidden,
    );
    const defaults = syntheticDefaults(name).model;
    expect(uses).toEqual(defaults.preset === 'mlp' ? defaults.hidden : undefined);
    await expect(page.getByLabel('Hidden layers')).toHaveValue(uses.join(', '));
  }
});

test('help text under σ follows the clipping function', async ({ page }) => {
  await ready(page, '#data=circle');
  await page.getByLabel('Noise set by').selectOption('sigma');
  await page.getByLabel('Clipping', { exact: true }).selectOption('abadi');
  await expect(page.getByTestId('sigma')).toHaveAccessibleDescription(/Noise std is σ·R/);
  await page.getByLabel('Clipping', { exact: true }).selectOption('auto-s');
  await expect(page.getByTestId('sigma')).toHaveAccessibleDescription(/Noise std is σ on the clipped sum/);
  await expect(page.getByTestId('sigma')).not.toHaveAccessibleDescription(/σ·R/);
});

/** The box of an element, in page coordinates. */
const box = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    });

test('every chart has a legend naming every run; the R label is not clipped at the chart edge', async ({ page }) => {
  test.setTimeout(400_000);
  await ready(page, '#data=circle&clip=abadi&R=0.1&epochs=1');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', '1', { timeout: 150_000 });
  // A run with history stays for comparison when the settings change.
  await page.getByTestId('learning-rate').fill('0.05');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', '2', { timeout: 150_000 });

  const labels = await page.evaluate(() => {
    const s = (
      window as unknown as { __playground: { getState(): { order: string[]; runs: Record<string, { label: string }> } } }
    ).__playground.getState();
    return s.order.map((id) => s.runs[id].label);
  });
  for (const chart of ['loss-chart', 'accuracy-chart', 'epsilon-chart', 'signal-noise-chart']) {
    const legend = page.getByTestId(chart).getByTestId('legend-run');
    await expect(legend).toHaveCount(2);
    for (const [k, label] of labels.entries()) await expect(legend.nth(k)).toHaveText(`${label} · Circle`);
  }
  // Per-run charts name their run; the 2D runs' boundaries are shown side by side, each named.
  await expect(page.getByTestId('norm-histogram').getByTestId('legend-run')).toHaveText(`${labels[1]} · Circle`);
  await expect(page.getByTestId('decision-boundary')).toHaveCount(2);
  await expect(page.getByTestId('decision-boundaries')).toContainText(labels[0]);

  // R = 0.1 sits at the left edge of the histogram: its whole label stays inside the plot.
  // Charts off screen do not refresh: bring the histogram into view.
  await page.getByTestId('norm-histogram').scrollIntoViewIfNeeded();
  const label = page.getByTestId('norm-histogram').locator('svg text', { hasText: /^R = 0\.1$/ });
  await expect(label).toHaveCount(1);
  const svg = await box(page, '[data-testid=norm-histogram] svg.recharts-surface');
  const text = await label.evaluate((e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, right: r.right };
  });
  expect(text.left).toBeGreaterThanOrEqual(svg.left);
  expect(text.right).toBeLessThanOrEqual(svg.right);
});

test('every screen size: no horizontal scroll, Train and the first chart on the first screen', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  for (const [width, height] of [
    [390, 844],
    [360, 740],
    [768, 1024],
    [1280, 800],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width, height });
    await ready(page, '#data=circle&epochs=1');
    if (width === 390) {
      // The phone with a run, its table and the Share panel open.
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await expect(page.getByTestId('run-row')).toHaveCount(1);
      await page.getByRole('button', { name: 'Share', exact: true }).click();
    }
    // The charts re-measure after a resize: wait until the page fits the new width.
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), { timeout: 10_000 })
      .toBeLessThanOrEqual(0);
    const layout = await page.evaluate(() => {
      const train = document.querySelector('[aria-label=Train], [aria-label=Pause]')!.getBoundingClientRect();
      const chart = document.querySelector('[data-testid=loss-chart]')!.getBoundingClientRect();
      return { doc: document.documentElement.scrollWidth, view: window.innerWidth, trainBottom: train.bottom, chartTop: chart.top };
    });
    expect(layout.doc, `document width at ${width}×${height}`).toBeLessThanOrEqual(layout.view);
    expect(layout.trainBottom, `Train on the first screen at ${width}×${height}`).toBeLessThanOrEqual(height);
    expect(layout.chartTop, `first chart starts on the first screen at ${width}×${height}`).toBeLessThan(height);
    if (width === 390) {
      await page.screenshot({ path: testInfo.outputPath('layout-390x844-share.png') });
      await page.getByRole('button', { name: 'Share', exact: true }).click();
    }
    await page.screenshot({ path: testInfo.outputPath(`layout-${width}x${height}.png`) });
  }
});

test('an accessibility scan of the main view finds no serious or critical violations', async ({ page }) => {
  await ready(page, '#data=circle&epochs=1');
  const scan = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = scan.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
});

test('every DP control explains its term on keyboard focus, from the glossary', async ({ page }) => {
  await ready(page, '#clip=abadi');
  for (const k of ['q', 'clipping', 'R', 'epsilon', 'delta', 'accountants', 'poisson'] as const) {
    await page.getByTestId(`term-${k}`).focus();
    await expect(page.getByRole('tooltip'), k).toContainText(GLOSSARY[k].text.slice(0, 40));
  }
});

test.describe('on a touch screen too', () => {
  test.use({ hasTouch: true });

  test('a tap on a term keeps its definition open (it opened and closed in the same tap), a second tap closes it', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openPlayground(page);
    const term = page.getByTestId('welcome').getByTestId('term-epsilon');
    await term.tap();
    await expect(page.getByRole('tooltip')).toContainText(GLOSSARY.epsilon.text);
    await term.tap();
    await expect(page.getByRole('tooltip')).toHaveCount(0);
  });

  test('a term near the right edge of a phone opens its definition at full width (it was squeezed into the space right of the term)', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openPlayground(page);
    const terms = page.getByTestId('welcome').locator('.term-trigger');
    const lefts = await terms.evaluateAll((es) => es.map((e) => e.getBoundingClientRect().left));
    const rightmost = lefts.indexOf(Math.max(...lefts));
    expect(lefts[rightmost]).toBeGreaterThan(150);
    await terms.nth(rightmost).tap();
    const tip = page.getByRole('tooltip');
    await expect(tip).toBeVisible();
    const box = await tip.evaluate((e) => e.getBoundingClientRect().toJSON() as DOMRect);
    expect(box.width).toBeGreaterThan(300);
    expect(box.left).toBeGreaterThanOrEqual(8);
    expect(box.right).toBeLessThanOrEqual(390 - 8);
  });

  test('the charts and the step-through explain their DP terms on focus, hover and tap, from the glossary', async ({ page }, testInfo) => {
    test.setTimeout(400_000);
    await ready(page, '#data=circle&clip=abadi&R=0.1&epochs=1');
    await page.getByTestId('inspect-step').click();
    await expect(page.getByTestId('inspect-table')).toBeVisible({ timeout: 300_000 });
    const tip = page.getByRole('tooltip');

    // In a chart, by keyboard focus.
    const chart = page.getByTestId('clip-factor-chart');
    await chart.getByTestId('term-clipFactor').focus();
    await expect(tip).toContainText(GLOSSARY.clipFactor.text);
    await page.keyboard.press('Escape');
    await expect(tip).toHaveCount(0);
    await page.getByTestId('epsilon-chart').getByTestId('term-accountants').focus();
    await expect(tip).toContainText(GLOSSARY.accountants.text);
    await page.keyboard.press('Escape');

    // In the step-through, by hovering.
    const steps = page.getByTestId('inspect-steps');
    await steps.getByTestId('term-poisson').hover();
    await expect(tip).toContainText(GLOSSARY.poisson.text);
    await steps.getByTestId('term-S').hover();
    await expect(tip).toContainText(GLOSSARY.S.text);
    await steps.getByTestId('term-S').scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('step-through-term-1280x800.png') });

    // On a phone, by tapping: the definition opens and stays open; a second tap closes it.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.mouse.move(0, 0);
    await page.getByTestId('plane-toggle').click();
    const sigma = page.getByTestId('plane-sum-caption').getByTestId('term-sigma');
    await sigma.scrollIntoViewIfNeeded();
    await sigma.tap();
    await expect(tip).toContainText(GLOSSARY.sigma.text);
    await page.screenshot({ path: testInfo.outputPath('plane-term-390x844.png') });
    await sigma.tap();
    await expect(tip).toHaveCount(0);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

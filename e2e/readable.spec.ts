import { expect, test, type Page } from '@playwright/test';
import { SYNTHETIC_SETS, syntheticDefaults } from '../src/config/runConfig';

/** Readability (issue 14): what a user reads on screen. Kept small: SwiftShader is slow. */

async function ready(page: Page, hash = '') {
  await page.goto(`/${hash}`);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgpu');
}

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

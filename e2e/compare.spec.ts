import { expect, test } from '@playwright/test';
import { openAsReturningUser } from './openPlayground';

/**
 * Compare on the smallest settings (2 steps a run, so 18 short runs): it trains every setting on 3
 * seeds in the background, draws one mean line with a min–max band per setting, names the settings in
 * the legend and states the results line. The numbers of a real Compare are measured in Node
 * (cli/compare.test.ts, docs/LESSONS.md); here only that the page shows them.
 */
test('Compare trains 6 settings × 3 seeds and shows seed bands, a legend and a results line', async ({ page }, testInfo) => {
  // Under a loaded SwiftShader (2 shared cores) the first run waits ~100 s for shader compilation and each run's setup costs more than its steps.
  test.setTimeout(720_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await openAsReturningUser(page);
  const panel = page.getByTestId('compare-panel');
  await expect(panel.getByTestId('compare-description')).toContainText('18 runs (6 settings × 3 seeds');
  await expect(panel.getByTestId('compare-description')).toContainText('lr_Abadi = lr_AUTO / R');
  await panel.getByTestId('compare-steps').fill('2');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(panel.getByTestId('compare-progress')).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('run-row')).toHaveCount(0); // background runs: not in the runs table
  await expect(panel.getByTestId('compare-progress')).toHaveAttribute('data-status', 'done', { timeout: 660_000 });
  await expect(panel.getByTestId('compare-progress')).toHaveAttribute('data-done', '18');

  const chart = panel.getByTestId('compare-chart');
  await expect(chart).toHaveAttribute('data-bands', '6');
  await expect(chart.locator('.recharts-area-area')).toHaveCount(6);
  await expect(chart.locator('path.recharts-line-curve')).toHaveCount(6);
  for (const name of [
    'Non-private, lr 1',
    'AUTO-S (no R), lr 1',
    'Abadi R = 0.1, lr 10',
    'Abadi R = 10, lr 0.1',
    'Abadi R = 0.1, lr 1 (unmatched)',
  ])
    await expect(chart.getByTestId('legend-run').filter({ hasText: name })).toHaveCount(1);

  const results = panel.getByTestId('compare-results');
  await expect(results).toHaveText(/^Best: .+ at \d+\.\d ± \d+\.\d %\. .+ (more than|within) the seed-to-seed spread/);
  await expect(panel.getByTestId('compare-finals').locator('tr')).toHaveCount(6);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('compare-1280x800.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('compare-390x844.png') });
  await panel.screenshot({ path: testInfo.outputPath('compare-panel-390.png') });
});

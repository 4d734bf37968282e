import { expect, test } from '@playwright/test';
import { openPlayground } from './openPlayground';

test('a 2×2 sweep on a small synthetic set fills the heatmap, states the outcome and exports every cell', async ({
  page,
  context,
}, testInfo) => {
  // Six runs, two at a time: minutes on a busy software GPU, so more than the default budget.
  test.setTimeout(420_000);
  // Privacy hygiene: six complete runs make no request outside the local origin.
  const foreign: string[] = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).hostname !== '127.0.0.1') foreign.push(u);
  });
  await openPlayground(page, '#data=circle&n=600&epochs=1&batch=64&eps=3');
  await page.getByTestId('sweep-r').fill('0.1, 1');
  await page.getByTestId('sweep-lr').fill('0.01, 0.05');
  await page.getByTestId('sweep-start').click();
  await expect(page.getByTestId('sweep-progress')).toHaveAttribute('data-total', '6');
  await expect(page.getByTestId('sweep-progress')).toHaveAttribute('data-done', '6', { timeout: 400_000 });
  await expect(page.getByTestId('heatmap-abadi').getByTestId('heatmap-cell')).toHaveCount(4);
  await expect(page.getByTestId('heatmap-auto-s').getByTestId('heatmap-cell')).toHaveCount(2);
  for (const cell of await page.getByTestId('heatmap-cell').all()) await expect(cell).toHaveAttribute('data-filled', 'true');
  await expect(page.getByTestId('sweep-summary')).toContainText('AUTO-S');
  await expect(page.getByTestId('sweep-summary')).toContainText('best Abadi');
  await page.screenshot({ path: testInfo.outputPath('sweep.png'), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sweep-csv').click()]);
  const csv = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  const rows = csv.trim().split('\n');
  expect(rows[0]).toContain('clipping');
  expect(rows).toHaveLength(1 + 6);
  for (const [clip, R, lr] of [
    ['abadi', '0.1', '0.01'],
    ['abadi', '0.1', '0.05'],
    ['abadi', '1', '0.01'],
    ['abadi', '1', '0.05'],
    ['auto-s', '', '0.01'],
    ['auto-s', '', '0.05'],
  ]) {
    expect(rows.some((r) => r.startsWith(`${clip},${R},${lr},`))).toBe(true);
  }
  // Sweep cells are not saved as runs: the runs table stays empty.
  await expect(page.getByTestId('run-row')).toHaveCount(0);

  expect(foreign).toEqual([]);

  // The sweep grid is part of the shareable URL.
  const url = page.url();
  expect(url).toContain('sweepR=0.1%2C1');
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByTestId('sweep-r')).toHaveValue('0.1, 1');
  await expect(other.getByTestId('sweep-lr')).toHaveValue('0.01, 0.05');
});

test('a 2-cell × 2-seed sweep shows each cell as mean ± sd with the colour legend and weighs the gap against the spread', async ({
  page,
}, testInfo) => {
  // Four runs of 7 steps, two at a time: minutes on a busy software GPU, so more than the default budget.
  test.setTimeout(420_000);
  await openPlayground(page, '#data=circle&n=600&epochs=1&batch=64&eps=3');
  await page.getByTestId('sweep-r').fill('0.1');
  await page.getByTestId('sweep-lr').fill('0.05');
  await page.getByTestId('sweep-seeds').fill('2');
  await expect(page.locator('#sweep-seeds-help')).toContainText('Seeds 1 to 2');
  expect(page.url()).toContain('sweepSeeds=2');
  await page.getByTestId('sweep-start').click();
  await expect(page.getByTestId('sweep-progress')).toHaveAttribute('data-total', '4');
  await expect(page.getByTestId('sweep-progress')).toContainText('cells × 2 seeds');
  await expect(page.getByTestId('sweep-progress')).toHaveAttribute('data-done', '4', { timeout: 400_000 });
  const cells = page.getByTestId('heatmap-cell');
  await expect(cells).toHaveCount(2);
  for (const cell of await cells.all()) {
    await expect(cell).toHaveAttribute('data-filled', 'true');
    await expect(cell).toHaveAttribute('data-n', '2');
    await expect(cell).toContainText(/^\d+\.\d ± \d+\.\d % n=2$/);
  }
  const legend = page.getByTestId('sweep-legend');
  await expect(legend).toBeVisible();
  await expect(legend).toContainText('mean test accuracy over 2 seeds');
  await expect(legend).toContainText(/\d+\.\d %/);
  await expect(page.getByTestId('sweep-summary')).toContainText('(mean ± sd over 2 seeds)');
  await expect(page.getByTestId('sweep-summary')).toContainText(/(more than|within) the seed-to-seed spread/);
  for (const [w, h] of [
    [1280, 800],
    [390, 844],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await page.getByTestId('sweep-panel').scrollIntoViewIfNeeded();
    await page.getByTestId('sweep-panel').screenshot({ path: testInfo.outputPath(`sweep-seeds-${w}x${h}.png`) });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
  }
});

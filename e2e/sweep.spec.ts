import { expect, test } from '@playwright/test';
import { openPlayground } from './openPlayground';

test('a 2×2 sweep on a small synthetic set fills the heatmap, states the outcome and exports every cell', async ({
  page,
  context,
}, testInfo) => {
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
  await expect(page.getByTestId('sweep-progress')).toHaveAttribute('data-done', '6', { timeout: 240_000 });
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

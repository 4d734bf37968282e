import { expect, test, type Page } from '@playwright/test';

/** Reads the live store the page exposes (read-only) to count streamed metric points. */
async function metricCount(page: Page): Promise<number> {
  return page.evaluate(() => {
    const s = (
      window as unknown as { __playground: { getState(): { activeRunId: string | null; runs: Record<string, { metrics: unknown[] }> } } }
    ).__playground.getState();
    return s.activeRunId ? s.runs[s.activeRunId].metrics.length : 0;
  });
}

async function losses(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const s = (
      window as unknown as {
        __playground: { getState(): { activeRunId: string | null; runs: Record<string, { metrics: { loss: number }[] }> } };
      }
    ).__playground.getState();
    return s.activeRunId ? s.runs[s.activeRunId].metrics.map((m) => m.loss) : [];
  });
}

test('train an MLP on a 2D set in the worker on WebGPU: stream, pause, step, reset', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(480_000);
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const origin = new URL(baseURL!).origin;
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  });

  // Pinned to WebGPU (on SwiftShader 'auto' would time the backends and train on WebAssembly): this
  // test is about our WebGPU path in the worker, and its pause/step checks need a run still going.
  await page.goto('/#backend=webgpu');
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('data-backend', 'webgpu');
  await expect(badge).toContainText('WebGPU');

  // The circle set is picked because it learns within a few dozen steps, which matters on
  // SwiftShader's software WebGPU; this test is about the plumbing, so privacy is off.
  await expect(page.getByLabel('Dataset')).toHaveValue('mnist');
  await page.getByLabel('Dataset').selectOption('circle');
  await page.getByLabel('Private training (DP-SGD)').uncheck();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'running');

  // At least 20 metric points stream into the chart. The first step compiles every shader on
  // SwiftShader: 2–3 minutes when other jobs load the machine (docs/PERFORMANCE.md).
  await expect.poll(() => metricCount(page), { timeout: 300_000 }).toBeGreaterThanOrEqual(40);
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', /\d+/);
  const chartPoints = Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
  expect(chartPoints).toBeGreaterThanOrEqual(20);
  await expect(page.getByTestId('loss-chart').locator('path.recharts-curve').first()).toBeVisible();

  // The loss falls: mean of the last 10 points is below the mean of the first 10.
  await expect
    .poll(
      async () => {
        const l = await losses(page);
        const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
        return mean(l.slice(-10)) / mean(l.slice(0, 10));
      },
      { timeout: 120_000 },
    )
    .toBeLessThan(0.8);

  await page.screenshot({ path: testInfo.outputPath('playground-training.png'), fullPage: true });
  await testInfo.attach('playground-training', { path: testInfo.outputPath('playground-training.png'), contentType: 'image/png' });

  // Pause stops the stream.
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'paused');
  const afterPause = await metricCount(page);
  await page.waitForTimeout(1500);
  expect(await metricCount(page)).toBe(afterPause);

  // Step adds exactly one point.
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => metricCount(page)).toBe(afterPause + 1);

  // Reset clears the stream.
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect.poll(() => metricCount(page)).toBe(0);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('last-loss')).toHaveText('—');

  expect(consoleErrors).toEqual([]);
  expect(foreignRequests).toEqual([]);
});

import { expect, test, type Page } from '@playwright/test';
import { openAsReturningUser } from './openPlayground';

/** The learning rate changed while a run trains (kept small: SwiftShader is slow). */

type LrView = { steps: number; start: number; changes: { fromStep: number; lr: number }[] };

async function activeRun(page: Page): Promise<LrView> {
  return page.evaluate(() => {
    const s = (window as unknown as { __playground: { getState(): Record<string, unknown> } }).__playground.getState() as unknown as {
      activeRunId: string;
      runs: Record<
        string,
        { metrics: unknown[]; config: { train: { learningRate: number } }; lrChanges?: { fromStep: number; lr: number }[] }
      >;
    };
    const r = s.runs[s.activeRunId];
    return { steps: r.metrics.length, start: r.config.train.learningRate, changes: r.lrChanges ?? [] };
  });
}

test('the learning rate changes mid-run from the next step: marked on the charts, kept in the run and after a reload', async ({
  page,
}, testInfo) => {
  test.setTimeout(420_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  // WebAssembly: a small MLP needs no shader compilation (minutes on a loaded SwiftShader machine).
  await openAsReturningUser(page, '#data=circle&n=600&batch=32&epochs=300&eps=3&acct=rdp&backend=wasm');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(async () => (await activeRun(page)).steps, { timeout: 150_000 }).toBeGreaterThanOrEqual(3);

  // While it trains the other settings are locked, and say why; the learning rate stays open.
  await expect(page.getByTestId('settings-locked')).toBeVisible();
  await expect(page.getByTestId('batch-size')).toBeDisabled();
  const lr = page.getByTestId('learning-rate');
  await expect(lr).toBeEnabled();
  await expect(page.getByText('ε does not change: the learning rate only post-processes the noised gradient')).toBeVisible();

  // Bad input: the same message as before a run, and nothing changes.
  for (const [bad, message] of [
    ['0', 'Learning rate must be > 0 and ≤ 100'],
    ['-0.1', 'Learning rate must be > 0 and ≤ 100'],
    ['', 'Learning rate must be a number'],
  ]) {
    await lr.fill(bad);
    await lr.press('Enter');
    await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible();
  }
  expect((await activeRun(page)).changes).toEqual([]);

  await lr.fill('0.02');
  await lr.press('Enter');
  await expect.poll(async () => (await activeRun(page)).changes.length).toBe(1);
  const { changes, start } = await activeRun(page);
  expect(changes[0].lr).toBe(0.02);
  expect(start).not.toBe(0.02);
  // The loss and accuracy charts mark the change once a step past it is drawn; the runs table states it.
  await expect.poll(async () => (await activeRun(page)).steps, { timeout: 120_000 }).toBeGreaterThan(changes[0].fromStep + 1);
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-marks', '1');
  await expect(page.getByTestId('accuracy-chart')).toHaveAttribute('data-marks', '1');
  await expect(page.getByTestId('loss-chart').getByTestId('chart-marks')).toContainText(`lr 0.02 from step ${changes[0].fromStep}`);
  await expect(page.getByTestId('run-lr-history')).toHaveText(`lr ${start} → 0.02 from step ${changes[0].fromStep}`);

  await page.getByRole('form', { name: 'Settings' }).screenshot({ path: testInfo.outputPath('lr-running-settings-1280.png') });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'paused');
  // Paused: a new rate is for a new run beside it, unless applied to the paused run.
  const pausedAt = (await activeRun(page)).steps;
  await lr.fill('0.03');
  await page.getByTestId('lr-apply').scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('lr-paused-apply-1280.png') });
  await page.getByTestId('lr-apply').getByRole('button').click();
  await expect.poll(async () => (await activeRun(page)).changes).toEqual([...changes, { fromStep: pausedAt + 1, lr: 0.03 }]);
  await expect(page.getByTestId('lr-apply')).toHaveCount(0);
  const history = `lr ${start} → 0.02 from step ${changes[0].fromStep} → 0.03 from step ${pausedAt + 1}`;
  await expect(page.getByTestId('run-lr-history')).toHaveText(history);
  // The config export says it holds one rate, not the schedule.
  await expect(page.getByTestId('lr-export-note')).toContainText('The config and the scripts use one rate, 0.03');
  await page.screenshot({ path: testInfo.outputPath('lr-1280x800.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: testInfo.outputPath('lr-390x844.png') });
  await page.getByTestId('runs-table').screenshot({ path: testInfo.outputPath('lr-390x844-runs.png') });
  await page.getByTestId('loss-chart').screenshot({ path: testInfo.outputPath('lr-390x844-loss.png') });
  await page.locator('.settings-drawer > summary').click();
  await lr.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('lr-390x844-field.png') });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Saved with the run: after a reload the record is still there.
  await page.waitForTimeout(1500); // metrics reach IndexedDB once a second
  await page.reload();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-lr-history')).toHaveText(history);
});

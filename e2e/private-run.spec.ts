import { expect, test, type Page } from '@playwright/test';
import { openAsReturningUser, openPlayground } from './openPlayground';

interface RunSnapshot {
  steps: number;
  epsilon?: number;
  sigma?: number | null;
  fractionClipped?: number | null;
  histogramTotal?: number;
  norms?: number;
}

async function snapshot(page: Page): Promise<RunSnapshot> {
  return page.evaluate(() => {
    type S = {
      activeRunId: string | null;
      runs: Record<
        string,
        {
          metrics: { epsilon?: number }[];
          summary?: { sigma: number | null };
          gradStats?: { fractionClipped: number | null; norms: Float32Array; histogram: { counts: Uint32Array } };
        }
      >;
    };
    const s = (window as unknown as { __playground: { getState(): S } }).__playground.getState();
    const r = s.activeRunId ? s.runs[s.activeRunId] : undefined;
    if (!r) return { steps: 0 };
    const eps = r.metrics.filter((m) => m.epsilon !== undefined).map((m) => m.epsilon!);
    return {
      steps: r.metrics.length,
      epsilon: eps[eps.length - 1],
      sigma: r.summary?.sigma,
      fractionClipped: r.gradStats?.fractionClipped,
      histogramTotal: r.gradStats ? Array.from(r.gradStats.histogram.counts).reduce((a, b) => a + b, 0) : undefined,
      norms: r.gradStats?.norms.length,
    };
  });
}

test('a private run shows σ, ε and the per-sample norm histogram; Abadi at R = 0.1 clips most samples', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The earlier, small 2D setting (600 points, batch 32, ReLU, Adam lr 0.02): early per-sample norms sit well above R = 0.1.
  // Pinned to WebGPU: the checks read a run's first steps (norms above R = 0.1 early on), which
  // WebAssembly, the speed test's pick on a software GPU, passes before Pause lands.
  await openAsReturningUser(page, '#data=circle&n=600&batch=32&act=relu&lr=0.02&backend=webgpu');
  await page.getByLabel('Dataset').selectOption('circle');
  await expect(page.getByLabel('Private training (DP-SGD)')).toBeChecked();
  await expect(page.getByLabel('Clipping', { exact: true })).toHaveValue('auto-s');

  // AUTO-S with σ calibrated for ε = 3: σ is shown before training gets far, ε stays under target.
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('sigma-used')).not.toHaveText('—');
  await expect.poll(async () => (await snapshot(page)).steps, { timeout: 120_000 }).toBeGreaterThanOrEqual(10);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const auto = await snapshot(page);
  expect(auto.sigma!).toBeGreaterThan(0.3);
  expect(auto.epsilon!).toBeGreaterThan(0);
  expect(auto.epsilon!).toBeLessThanOrEqual(3);
  expect(auto.histogramTotal).toBe(auto.norms);
  expect(auto.fractionClipped).toBeNull(); // automatic clipping normalises every sample: nothing is "clipped"
  await page.getByTestId('norm-histogram').scrollIntoViewIfNeeded(); // charts redraw when on screen
  await expect(page.getByTestId('norm-histogram').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('epsilon-spent')).not.toHaveText('0');
  await expect(page.getByTestId('signal-noise-chart')).toHaveAttribute('data-runs', '1');
  await page.screenshot({ path: testInfo.outputPath('private-run-auto-s.png'), fullPage: true });

  // Switching to Abadi with a small R starts a new run in which most per-sample norms exceed R.
  await page.getByLabel('Clipping', { exact: true }).selectOption('abadi');
  await page.getByTestId('clip-norm').fill('0.1');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(async () => (await snapshot(page)).steps, { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const abadi = await snapshot(page);
  expect(abadi.fractionClipped!).toBeGreaterThan(0.5);
  // Charts redraw when on screen: look at the histogram, as a user would.
  await page.getByTestId('norm-histogram').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('fraction-clipped')).toContainText('% clipped');
  await page.screenshot({ path: testInfo.outputPath('private-run-abadi.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test('invalid settings explain themselves inline and block Train', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Dataset').selectOption('circle');
  await page.getByTestId('batch-size').fill('3500');
  await expect(page.getByText('Batch size must be ≤ the training set size (3000)')).toBeVisible();
  await page.getByTestId('batch-size').fill('32');
  await page.getByTestId('learning-rate').fill('-1');
  await expect(page.getByText('Learning rate must be > 0 and ≤ 100')).toBeVisible();
  await page.getByTestId('learning-rate').fill('0.02');
  await page.getByLabel('Architecture').selectOption('cnn');
  await expect(page.getByTestId('config-problems')).toContainText('The CNN needs image data');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
});

import { expect, test, type Page } from '@playwright/test';
import { openPlayground } from './openPlayground';

/** The draft config and the open lesson, read from the store. */
async function lessonState(page: Page): Promise<{ lesson: string | null; data: { name?: string }; clipping: string }> {
  return page.evaluate(() => {
    const s = (window as unknown as { __playground: { getState(): Record<string, unknown> } }).__playground.getState() as unknown as {
      lesson: { name: string } | null;
      draft: { data: { name?: string }; privacy: { clipping: string } };
    };
    return { lesson: s.lesson?.name ?? null, data: s.draft.data, clipping: s.draft.privacy.clipping };
  });
}

/** State, last step and number of per-sample norms of every run, for the poll above (and its failure message). */
async function runStates(page: Page): Promise<{ state: string; step: number; norms: number | null; message?: string }[]> {
  return page.evaluate(() => {
    const s = (window as unknown as { __playground: { getState(): Record<string, unknown> } }).__playground.getState() as unknown as {
      order: string[];
      runs: Record<string, { state: string; message?: string; metrics: { step: number }[]; gradStats?: { norms: Float32Array } }>;
    };
    return s.order.map((id) => {
      const r = s.runs[id];
      return {
        state: r.state,
        step: r.metrics.at(-1)?.step ?? 0,
        norms: r.gradStats ? r.gradStats.norms.length : null,
        message: r.message,
      };
    });
  });
}

test('a newcomer sees the intro and the lesson picker; a lesson applies its preset, steps, trains and states its outcome; its link reopens it', async ({
  page,
}, testInfo) => {
  test.setTimeout(400_000);
  await openPlayground(page);
  await expect(page.getByTestId('welcome')).toBeVisible();
  await expect(page.getByTestId('lesson-picker').getByRole('button')).toHaveCount(6);
  // The glossary answers on keyboard focus, not only on hover.
  await page.getByTestId('welcome').getByTestId('term-epsilon').focus();
  await expect(page.getByRole('tooltip')).toContainText('privacy loss');
  await page.screenshot({ path: testInfo.outputPath('welcome-1280x800.png') });

  await page.getByTestId('lesson-pick-why-clip').click();
  await expect(page.getByTestId('lesson-panel')).toHaveAttribute('data-lesson', 'why-clip');
  await expect(page.getByTestId('welcome')).toHaveCount(0);
  expect(await lessonState(page)).toMatchObject({ lesson: 'why-clip', data: { name: 'blobs' }, clipping: 'abadi' });
  await expect.poll(() => page.evaluate(() => window.location.hash)).toMatch(/^#lesson=why-clip&/);

  await expect(page.getByTestId('lesson-step')).toHaveText('Step 1 of 4');
  await page.getByTestId('lesson-next').click();
  await expect(page.getByTestId('lesson-step')).toHaveText('Step 2 of 4');
  await expect(page.getByTestId('lesson-steps').locator('li[aria-current="step"]')).toContainText('Per-sample gradient norms');

  await page.getByTestId('lesson-train').click();
  // The run trains its three steps (SwiftShader is slow: the first step compiles the kernels).
  await expect
    .poll(() => runStates(page), { timeout: 240_000 })
    .toEqual([expect.objectContaining({ state: 'done', step: 3, norms: expect.any(Number) })]);
  const outcome = page.getByTestId('lesson-outcome');
  await expect(outcome).toHaveAttribute('data-holds', /true|false/);
  await expect(outcome).toContainText(/Held\.|Did not hold this time\./);
  await expect(outcome).toContainText(/Median per-sample norm [\d.]+, largest [\d.]+/);
  await expect(outcome).toHaveAttribute('data-holds', 'true');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: testInfo.outputPath('lesson-1920x1080.png') });

  // The lesson's link opens it again in a fresh page; a dismissed intro stays dismissed.
  const url = page.url();
  const other = await page.context().newPage();
  await other.goto(url);
  await expect(other.getByTestId('lesson-panel')).toHaveAttribute('data-lesson', 'why-clip');
  await other.getByRole('button', { name: 'Close the lesson' }).click();
  await other.getByTestId('welcome-dismiss').click();
  await other.goto('/');
  await expect(other.getByTestId('run-summary')).toBeVisible();
  await expect(other.getByTestId('welcome')).toHaveCount(0);
});

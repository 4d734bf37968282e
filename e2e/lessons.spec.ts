import { expect, test, type Page } from '@playwright/test';
import { lessonByName } from '../src/lessons';
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

/** The open lesson's run for `label` and that run's gradient plane (what the store holds), for the picture checks. */
async function lessonPlane(
  page: Page,
  label: string,
): Promise<{ runId: string; step: number; points: number; clipping: string; radius: number | null } | null> {
  return page.evaluate((l) => {
    type P = { step: number; labels: Int32Array; clipping: string; circleRadius: number | null };
    const s = (window as unknown as { __playground: { getState(): Record<string, unknown> } }).__playground.getState() as unknown as {
      lesson: { runIds: Record<string, string> } | null;
      planes: Record<string, P>;
    };
    const runId = s.lesson?.runIds[l];
    const p = runId ? s.planes[runId] : undefined;
    return runId && p ? { runId, step: p.step, points: p.labels.length, clipping: p.clipping, radius: p.circleRadius } : null;
  }, label);
}

/** The lesson panel's picture shows exactly the store's plane of `label`'s run: its step, its points, its circle. */
async function expectPictureOf(page: Page, label: string, clipping: string, radius: number): Promise<void> {
  const picture = page.getByTestId('lesson-plane');
  await expect.poll(() => lessonPlane(page, label), { timeout: 300_000 }).toMatchObject({ clipping, radius });
  const plane = (await lessonPlane(page, label))!;
  await expect(picture).toHaveAttribute('data-run', plane.runId);
  await expect(picture.getByTestId('gradient-plane')).toHaveAttribute('data-step', String(plane.step));
  await expect(picture.getByTestId('plane-tip')).toHaveCount(plane.points);
  await expect(picture.getByTestId('plane-circle')).toHaveAttribute('data-radius', String(radius));
  await expect(picture.getByTestId('lesson-plane-caption')).toContainText(`${label}, step ${plane.step}`);
}

/** Clipped view of the lesson's picture, at the end of its animation, in both window sizes. */
async function pictureScreenshots(page: Page, name: string, testInfo: { outputPath(n: string): string }): Promise<void> {
  const picture = page.getByTestId('lesson-plane');
  if ((await picture.getByTestId('plane-toggle').getAttribute('aria-pressed')) !== 'true') {
    await picture.scrollIntoViewIfNeeded();
    await picture.screenshot({ path: testInfo.outputPath(`${name}-raw.png`) });
    await picture.getByTestId('plane-toggle').click();
  }
  await expect(picture.getByTestId('gradient-plane')).toHaveAttribute('data-transition', '1');
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ]) {
    await page.setViewportSize({ width, height });
    await picture.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}x${height}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
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

  await expect(page.getByTestId('lesson-step')).toHaveText('Step 1 of 5');
  await page.getByTestId('lesson-next').click();
  await expect(page.getByTestId('lesson-step')).toHaveText('Step 2 of 5');
  await expect(page.getByTestId('lesson-steps').locator('li[aria-current="step"]')).toContainText('This batch’s gradients');
  await expect(page.getByTestId('lesson-plane-waiting')).toContainText('Train lesson runs');

  await page.getByTestId('lesson-train').click();
  // The run trains its three steps (SwiftShader is slow: the first step compiles the kernels).
  await expect
    .poll(() => runStates(page), { timeout: 240_000 })
    .toEqual([expect.objectContaining({ state: 'done', step: 3, norms: expect.any(Number) })]);
  const outcome = page.getByTestId('lesson-outcome');
  await expect(outcome).toHaveAttribute('data-holds', 'true');
  await expect(page.getByTestId('lesson-outcome-one-seed')).toContainText('On one seed (seed 1, the runs in the charts): held.');
  await expect(outcome).toContainText(/Median per-sample norm [\d.]+, largest [\d.]+/);
  // Then the same run on seeds 2 and 3, in the background (not in the runs table), and the verdict over the 3 seeds.
  const seeds = page.getByTestId('lesson-outcome-seeds');
  await expect(seeds).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(seeds).toHaveAttribute('data-holds', 'true');
  await expect(seeds).toContainText(
    /Over 3 seeds \(1, 2 and 3\): held\. Median per-sample norm [\d.]+, largest [\d.]+ \(mean over 3 seeds\): largest \/ median \d+ ± \d+×/,
  );
  const row = page.getByTestId('lesson-seed-table').locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row.locator('td')).toHaveText([
    /^\d+\.\d %$/,
    /^\d+\.\d %$/,
    /^\d+\.\d %$/,
    /^\d+\.\d ± \d+\.\d %$/,
    /^\[\d+\.\d, \d+\.\d\]$/,
  ]);
  expect(await runStates(page)).toHaveLength(1);
  for (const [width, height] of [
    [390, 844],
    [1280, 800],
  ]) {
    await page.setViewportSize({ width, height });
    await seeds.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath(`why-clip-3-seeds-${width}x${height}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  // The picture is the run's own last batch (a plane every step), with the circle of radius R = 1.
  await expectPictureOf(page, 'Blobs, Abadi R = 1, 3 steps', 'abadi', 1);
  expect((await lessonPlane(page, 'Blobs, Abadi R = 1, 3 steps'))!.step).toBe(3);
  await pictureScreenshots(page, 'why-clip-plane', testInfo);
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

test('Automatic clipping: the picture shows the AUTO-S run’s batch near the unit circle, and Abadi R = 0.1’s on its circle', async ({
  page,
}, testInfo) => {
  test.setTimeout(500_000);
  await openPlayground(page, '#lesson=automatic-clipping');
  await expect(page.getByTestId('lesson-panel')).toHaveAttribute('data-lesson', 'automatic-clipping');
  await expect(page.getByTestId('lesson-plane-run')).toHaveCount(5);
  await page.getByTestId('lesson-train').click();
  // Each pictured run draws its first batch (step 1); the runs then go on training, so stop them.
  await expectPictureOf(page, 'AUTO-S (no R)', 'auto-s', 1);
  await page.getByTestId('lesson-plane-run').filter({ hasText: 'Abadi R = 0.1' }).click();
  await expectPictureOf(page, 'Abadi R = 0.1, lr = 10', 'abadi', 0.1);
  await page.evaluate(() =>
    (window as unknown as { __playground: { getState(): { pauseAll(): void } } }).__playground.getState().pauseAll(),
  );
  await pictureScreenshots(page, 'automatic-clipping-plane-R0.1', testInfo);
  await page.getByTestId('lesson-plane-run').filter({ hasText: 'AUTO-S' }).click();
  await expectPictureOf(page, 'AUTO-S (no R)', 'auto-s', 1);
  await pictureScreenshots(page, 'automatic-clipping-plane-auto-s', testInfo);
});

test('the R·lr lesson loads its R × lr grid into the Sweep panel, Abadi cells only, and the sweep trains exactly those cells', async ({
  page,
}, testInfo) => {
  await openPlayground(page, '#lesson=r-lr-coupled');
  await expect(page.getByTestId('lesson-panel')).toHaveAttribute('data-lesson', 'r-lr-coupled');
  await page.getByTestId('lesson-load-sweep').click();
  const grid = lessonByName('r-lr-coupled')!.sweep!;
  await expect(page.getByTestId('sweep-r')).toHaveValue(grid.R.join(', '));
  await expect(page.getByTestId('sweep-lr')).toHaveValue(grid.lr.join(', '));
  await expect(page.getByTestId('sweep-auto-s')).not.toBeChecked();
  await expect(page.getByTestId('sweep-start')).toBeFocused();
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('sweepS=0');
  await page.screenshot({ path: testInfo.outputPath('r-lr-sweep-loaded-1280x800.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('sweep-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('r-lr-sweep-loaded-390x844.png') });
  await page.getByTestId('lesson-load-sweep').scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('r-lr-lesson-390x844.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId('sweep-start').click();
  await expect(page.getByTestId('sweep-progress')).toHaveAttribute('data-total', '27');
  await expect(page.getByTestId('heatmap-abadi').getByTestId('heatmap-cell')).toHaveCount(9);
  await expect(page.getByTestId('heatmap-auto-s')).toHaveCount(0);
  await page.getByRole('button', { name: 'Cancel sweep' }).click();
});

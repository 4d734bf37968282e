import { expect, test, type Page } from '@playwright/test';
import { createAccountant } from '../src/privacy';
import { openPlayground } from './openPlayground';

type View = {
  id: string;
  state: string;
  steps: number[];
  epsRdp: (number | undefined)[];
  sigma: number | null | undefined;
  message?: string;
};

async function runs(page: Page): Promise<View[]> {
  return page.evaluate(() => {
    const s = (window as unknown as { __playground: { getState(): Record<string, unknown> } }).__playground.getState() as unknown as {
      order: string[];
      runs: Record<
        string,
        { state: string; message?: string; summary?: { sigma: number | null }; metrics: { step: number; epsilonRdp?: number }[] }
      >;
    };
    return s.order.map((id) => {
      const r = s.runs[id];
      return {
        id,
        state: r.state,
        message: r.message,
        sigma: r.summary?.sigma,
        steps: r.metrics.map((m) => m.step),
        epsRdp: r.metrics.map((m) => m.epsilonRdp),
      };
    });
  });
}

/** The ε the summary strip shows for the active run (the accountant's value, or "≤ RDP bound"). */
async function epsilonShown(page: Page): Promise<number> {
  return Number((await page.getByTestId('epsilon-spent').innerText()).replace('≤', '').trim());
}

test('a reload mid-run restores the run and its charts; Train continues from the checkpoint with consistent ε', async ({ page }) => {
  // Three first steps on SwiftShader (one per worker: start and two reloads), 2–3 minutes each on a loaded machine.
  test.setTimeout(900_000);
  // Pinned to WebGPU: the reloads below land mid-run, before the next periodic checkpoint, only at
  // SwiftShader's pace; on WebAssembly ('auto' here) the 70 steps are over before Pause is pressed.
  await openPlayground(page, '#data=circle&n=600&batch=32&epochs=5&eps=3&acct=rdp&backend=webgpu');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(async () => (await runs(page))[0]?.steps.length ?? 0, { timeout: 300_000 }).toBeGreaterThanOrEqual(8);
  await page.getByRole('button', { name: 'Pause', exact: true }).click(); // pausing writes a checkpoint
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'paused');
  const before = (await runs(page))[0];
  await page.waitForTimeout(2500); // metrics are flushed to IndexedDB once a second

  await page.reload();
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  const restored = (await runs(page))[0];
  expect(restored.id).toBe(before.id);
  expect(restored.state).toBe('paused');
  expect(restored.steps).toEqual(before.steps);
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', String(before.steps.length));

  // Continue: the step count and the privacy accounting pick up where they stopped.
  const start = async () =>
    page.getByRole('button', { name: `Start ${await page.getByTestId('run-row').locator('.run-name').innerText()}` }).click();
  await start();
  await expect.poll(async () => (await runs(page))[0].steps.length, { timeout: 300_000 }).toBeGreaterThanOrEqual(before.steps.length + 3);
  const running = (await runs(page))[0];
  expect(running.steps).toEqual(running.steps.map((_, i) => i + 1));
  // ε after the reload equals the accountant's value for the total steps taken (q = 32/450, σ as shown).
  const k = running.steps.length;
  expect(running.epsRdp[k - 1]!).toBeCloseTo(
    createAccountant('rdp')
      .step(32 / 450, running.sigma!, k)
      .getEpsilon(1e-5).epsilon,
    6,
  );

  // ε goes down after a reload: reload again while it trains, past its checkpoint. The model goes back
  // to the checkpoint; the ε shown (and the next step's) does not drop below what was shown before.
  const shownBefore = await epsilonShown(page);
  const lastRdpBefore = (await runs(page))[0].epsRdp.at(-1)!;
  await page.reload();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  const checkpoint = (await runs(page))[0].steps.length;
  expect([before.steps.length, 25]).toContain(checkpoint); // back at the last checkpoint (pause, or every 25 steps)
  expect(await epsilonShown(page)).toBeGreaterThanOrEqual(shownBefore);
  await start();
  await expect.poll(async () => (await runs(page))[0].steps.length, { timeout: 300_000 }).toBeGreaterThan(checkpoint);
  expect((await runs(page))[0].epsRdp[checkpoint]!).toBeGreaterThan(lastRdpBefore);
});

test('runs export as JSON and import into another browser profile; a bad file is refused with its reason', async ({ page, browser }) => {
  await openPlayground(page, '#data=circle&n=600&batch=32&epochs=5&dp=0');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(async () => (await runs(page))[0]?.steps.length ?? 0, { timeout: 120_000 }).toBe(1);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(async () => (await runs(page))[0].steps.length).toBe(2);
  await page.waitForTimeout(2000); // metrics reach IndexedDB within a second
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-runs').click()]);
  const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  // Exchange format 2: each run carries the summary the engine announced.
  expect(JSON.parse(text)).toMatchObject({
    format: 'autoclip-runs',
    version: 2,
    runs: [{ summary: { dataset: { name: 'Circle' } }, metrics: [{ step: 1 }, { step: 2 }] }],
  });

  const fresh = await (await browser.newContext()).newPage();
  await openPlayground(fresh);
  await fresh.getByTestId('import-runs-input').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format":"autoclip-runs","version":9,"runs":[]}'),
  });
  await expect(fresh.getByTestId('runs-import-error')).toContainText('version');
  await expect(fresh.getByTestId('run-row')).toHaveCount(0);
  await fresh
    .getByTestId('import-runs-input')
    .setInputFiles({ name: 'runs.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(fresh.getByTestId('run-row')).toHaveCount(1);
  expect((await runs(fresh))[0].steps).toEqual([1, 2]);
});

test('a lost GPU device pauses the run with a message; resuming continues on the fallback with ε consistent with the steps taken', async ({
  page,
}) => {
  test.setTimeout(600_000); // SwiftShader's first step: 2–3 minutes on a loaded machine
  // Pinned to WebGPU: the device that is lost must be the one training ('auto' trains on WebAssembly here).
  // 50 epochs (~700 steps): the fallback (WebAssembly) trains fast enough to finish 5 epochs before Pause is pressed.
  await openPlayground(page, '#data=circle&n=600&batch=32&epochs=50&eps=3&acct=rdp&backend=webgpu');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  // Past the first periodic checkpoint (every 25 steps).
  await expect.poll(async () => (await runs(page))[0]?.steps.length ?? 0, { timeout: 400_000 }).toBeGreaterThanOrEqual(27);
  const lastStepBefore = (await runs(page))[0].steps.length;

  const worker = page.workers().find((w) => w.url().includes('training'));
  expect(worker).toBeDefined();
  const shownBefore = await epsilonShown(page);
  const lastRdpBefore = (await runs(page))[0].epsRdp.at(-1)!;
  await worker!.evaluate(() => (self as unknown as { __autoclipDebug: { loseDevice(): void } }).__autoclipDebug.loseDevice());

  await expect(page.getByTestId('run-status')).toContainText('GPU device was lost');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId('backend-badge')).not.toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('backend-badge')).toContainText('device lost');
  const paused = (await runs(page))[0];
  expect(paused.steps.length % 25).toBe(0); // back at the checkpoint
  const atLoss = paused.steps.length;
  // ε goes down after a rewind: not here. The steps shown after the checkpoint stay spent.
  expect(await epsilonShown(page)).toBeGreaterThanOrEqual(shownBefore);

  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(async () => (await runs(page))[0].steps.length, { timeout: 120_000 }).toBeGreaterThanOrEqual(atLoss + 3);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'paused');
  const after = (await runs(page))[0];
  expect(after.steps).toEqual(after.steps.map((_, i) => i + 1));
  expect(after.epsRdp[atLoss]!).toBeGreaterThan(lastRdpBefore);
  // ε is the accountant's for the released steps plus the new ones: find the released count from the first new point.
  const rdp = (steps: number) =>
    createAccountant('rdp')
      .step(32 / 450, after.sigma!, steps)
      .getEpsilon(1e-5).epsilon;
  const released = [...Array(400).keys()].find((n) => Math.abs(rdp(n + 1) - after.epsRdp[atLoss]!) < 1e-9)!;
  expect(released).toBeGreaterThanOrEqual(lastStepBefore);
  const k = after.steps.length;
  expect(after.epsRdp[k - 1]!).toBeCloseTo(rdp(released + k - atLoss), 6);
});

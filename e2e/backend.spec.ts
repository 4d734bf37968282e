import { expect, test, type Browser } from '@playwright/test';

/**
 * The 2D run (circle, default settings)'s pace per backend, side by side (reported, not timed: the ratio is only
 * asserted loosely). On this machine WebGPU is SwiftShader, a software adapter, where the
 * WebAssembly backend should train the small default model many times faster.
 */
const STEPS = 5;

/** Trains the default run on the backend the URL names and returns its median samples/s over steps 3…STEPS (the first two compile). */
async function samplesPerSecond(browser: Browser, backend: string): Promise<{ backend: string; samplesPerSec: number }> {
  // A fresh context each: no saved run from the other backend comes back.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/#data=circle&backend=${backend}`);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /.+/);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', backend);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-chosen-by', 'user');
  const pace = await page.waitForFunction(
    (steps) => {
      const s = (
        window as unknown as {
          __playground: { getState(): { activeRunId: string | null; runs: Record<string, { metrics: { samplesPerSec: number }[] }> } };
        }
      ).__playground.getState();
      const run = s.activeRunId ? s.runs[s.activeRunId] : undefined;
      if (!run || run.metrics.length < steps) return null;
      const paces = run.metrics.slice(2, steps).map((m) => m.samplesPerSec);
      paces.sort((a, b) => a - b);
      return paces[Math.floor(paces.length / 2)];
    },
    STEPS,
    { timeout: 280_000, polling: 250 },
  );
  const samplesPerSec = (await pace.jsonValue()) as number;
  await context.close();
  return { backend, samplesPerSec };
}

test('the 2D run (circle): samples/s on WebAssembly beside WebGPU (SwiftShader)', async ({ browser }, testInfo) => {
  test.setTimeout(600_000); // two runs, the first on SwiftShader (seconds per step on a busy machine)
  const webgpu = await samplesPerSecond(browser, 'webgpu');
  const wasm = await samplesPerSecond(browser, 'wasm');
  const ratio = wasm.samplesPerSec / webgpu.samplesPerSec;
  const report = `2D run (circle): WebGPU (SwiftShader) ${webgpu.samplesPerSec.toFixed(0)} samples/s, WebAssembly ${wasm.samplesPerSec.toFixed(0)} samples/s, ratio ${ratio.toFixed(1)}×`;
  console.log(report);
  testInfo.annotations.push({ type: 'pace', description: report });
  expect(ratio).toBeGreaterThan(1);
});

import { expect, test, type Page } from '@playwright/test';
import { call, harnessErrors, openHarness } from './kernels.harness';
import { openPlayground } from './openPlayground';

test('the gradient plane of a CNN batch on WebGPU equals the CPU backend to 1e-3 (ops and kernel paths)', async ({ page }) => {
  await openHarness(page);
  const r = await call(page, 'planeAcrossBackends', 8);
  expect(r.realRows).toBe(7); // one padded row of eight excluded
  expect(r.share).toBeGreaterThan(0);
  expect(r.opsGpuVsCpu).toBeLessThan(1e-3);
  expect(r.kernelsGpuVsCpu).toBeLessThan(1e-3);
  console.info(`plane WebGPU vs CPU: ops ${r.opsGpuVsCpu.toExponential(2)}, kernels ${r.kernelsGpuVsCpu.toExponential(2)}`);
  expect(harnessErrors(page)).toEqual([]);
});

interface PlaneSnapshot {
  circleRadius: number | null;
  norms: number[];
  scales: number[];
  captured: number[];
  clippedLengths: number[];
}

async function planeOfActiveRun(page: Page): Promise<PlaneSnapshot | null> {
  return page.evaluate(() => {
    type P = { circleRadius: number | null; norms: Float32Array; scales: Float32Array; captured: Float32Array; clipped: Float32Array };
    const s = (
      window as unknown as { __playground: { getState(): { activeRunId: string | null; planes: Record<string, P> } } }
    ).__playground.getState();
    const p = s.activeRunId ? s.planes[s.activeRunId] : undefined;
    if (!p) return null;
    return {
      circleRadius: p.circleRadius,
      norms: Array.from(p.norms),
      scales: Array.from(p.scales),
      captured: Array.from(p.captured),
      clippedLengths: Array.from(p.norms, (_, i) => Math.hypot(p.clipped[2 * i], p.clipped[2 * i + 1])),
    };
  });
}

/** Inspects one step of an MNIST MLP run and shows the clipped arrows; returns the plane. */
async function inspectAndClip(page: Page, hash: string): Promise<PlaneSnapshot> {
  await openPlayground(page, `${hash}`);
  await page.getByTestId('inspect-step').click();
  await expect(page.getByTestId('gradient-plane')).toBeVisible({ timeout: 400_000 });
  await page.getByTestId('plane-toggle').click();
  await expect(page.getByTestId('plane-toggle')).toHaveAttribute('aria-pressed', 'true');
  const plane = (await planeOfActiveRun(page))!;
  // Focus a point (as hovering does; points may overlap, so not by mouse): label, ‖g_i‖, C_i and the digit.
  await page.getByTestId('plane-tip').first().focus();
  await expect(page.getByTestId('plane-hover')).toContainText('label');
  await expect(page.getByTestId('plane-thumb')).toBeVisible();
  await expect(page.getByTestId('plane-share')).toContainText('squared gradient mass');
  return plane;
}

async function screenshots(page: Page, name: string, testInfo: { outputPath(n: string): string }): Promise<void> {
  await expect(page.getByTestId('gradient-plane')).toHaveAttribute('data-transition', '1'); // the raw→clipped animation has ended
  await page.getByTestId('gradient-plane').screenshot({ path: testInfo.outputPath(`${name}-desktop.png`) });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('gradient-plane').scrollIntoViewIfNeeded();
  await page.getByTestId('gradient-plane').screenshot({ path: testInfo.outputPath(`${name}-390.png`) });
}

// One MNIST MLP step on SwiftShader takes seconds, minutes on a loaded machine: room for both.
test.describe.configure({ timeout: 600_000 });

const MNIST_MLP = '#data=mnist&model=mlp&hidden=32&batch=32&epochs=1&sigma=1';

test('Abadi R = 0.1: most samples are clipped to the circle; each clipped arrow is R times its captured share', async ({
  page,
}, testInfo) => {
  const plane = await inspectAndClip(page, `${MNIST_MLP}&clip=abadi&R=0.1`);
  expect(plane.circleRadius).toBe(0.1);
  await expect(page.getByTestId('plane-circle')).toHaveAttribute('data-radius', '0.1');
  const clippedToR = plane.norms.filter((n, i) => Math.abs(n * plane.scales[i] - 0.1) < 1e-4 * 0.1);
  expect(clippedToR.length).toBeGreaterThan(plane.norms.length / 2);
  plane.clippedLengths.forEach((len, i) => expect(len).toBeCloseTo(Math.min(plane.norms[i], 0.1) * plane.captured[i], 5));
  await screenshots(page, 'plane-abadi-R0.1', testInfo);
});

test('AUTO-S: every clipped gradient has length close to 1 (the unit circle)', async ({ page }, testInfo) => {
  const plane = await inspectAndClip(page, `${MNIST_MLP}&clip=auto-s&gamma=0.01`);
  expect(plane.circleRadius).toBe(1);
  plane.norms.forEach((n, i) => {
    const len = n * plane.scales[i];
    expect(len).toBeCloseTo(n / (n + 0.01), 5);
    expect(len).toBeGreaterThan(0.9);
    expect(plane.clippedLengths[i]).toBeCloseTo(len * plane.captured[i], 5);
  });
  await screenshots(page, 'plane-auto-s', testInfo);
});

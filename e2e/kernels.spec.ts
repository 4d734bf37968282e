import { expect, test } from '@playwright/test';
import { call, harnessErrors, openHarness } from './kernels.harness';

// WebGPU (SwiftShader) kernels against their CPU twins in the same page, on the shared cases of
// src/kernels/testing/cases.ts: batch 1, odd sizes, sizes not divisible by the workgroup, large
// inputs (dense 1024×512, conv B=64 28×28), stride-2 and 'same'-padded convolutions, masked rows,
// every clipping function flat and layer-wise, every fused optimizer rule.
const TOL = 1e-4;

test.describe.configure({ timeout: 300_000 });

test.afterEach(({ page }) => {
  expect(harnessErrors(page)).toEqual([]);
});

test('every WebGPU kernel equals its CPU twin to 1e-4 relative', async ({ page }) => {
  await openHarness(page);
  const results = await call(page, 'kernelTwinErrors', '');
  const kernels = new Set(results.map((r) => r.kernel));
  expect([...kernels].sort()).toEqual(['DpClipFactors', 'DpConv2DPerSampleGrads', 'DpConv2DSqNorms', 'DpDenseSqNorms', 'DpNoisyUpdate']);
  for (const r of results) {
    expect(r.maxAbs, `${r.name}: output must not be all zero`).toBeGreaterThan(0);
    expect(r.relErr, r.name).toBeLessThan(TOL);
  }
  const worst = [...results].sort((a, b) => b.relErr - a.relErr).slice(0, 3);
  test.info().annotations.push({ type: 'worst', description: worst.map((r) => `${r.name}: ${r.relErr.toExponential(2)}`).join('; ') });
});

test('noise kernel: N(0, 1) by mean, std, KS and chi-square; same stream as the CPU; independent across seeds, steps, parameters', async ({
  page,
}) => {
  await openHarness(page);
  const r = await call(page, 'noiseChecks', 1 << 18);
  const n = r.fit.n;
  expect(Math.abs(r.fit.mean)).toBeLessThan(4 / Math.sqrt(n));
  expect(Math.abs(r.fit.std - 1)).toBeLessThan(4 / Math.sqrt(2 * n));
  expect(r.fit.ks).toBeLessThan(r.fit.ksCritical);
  expect(r.fit.chiSquare).toBeLessThan(r.fit.chiSquareCritical);
  expect(r.relErrVsCpu).toBeLessThan(TOL);
  for (const c of Object.values(r.correlations)) expect(Math.abs(c)).toBeLessThan(4 / Math.sqrt(n));
  expect(r.repeatsAcrossSteps).toBeLessThan(1e-3);
});

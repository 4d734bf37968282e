import { expect, test } from '@playwright/test';
import { call, harnessErrors, openHarness } from './kernels.harness';

const TOL = 1e-4;

test.describe.configure({ timeout: 300_000 });

test.afterEach(({ page }) => {
  expect(harnessErrors(page)).toEqual([]);
});

test('CNN preset: a DP step through the kernels (fused update) equals one through TF.js ops, noise off', async ({ page }) => {
  await openHarness(page);
  for (const optimizer of ['sgd', 'adam'] as const) {
    const r = await call(page, 'dpStepKernelsVsOps', optimizer, 16);
    expect(r.paths).toEqual(['ops/kernels+fused', 'ops/kernels+fused']);
    expect(r.moved, `${optimizer}: parameters must move`).toBeGreaterThan(1e-4);
    // Normwise per parameter tensor (see dpStepKernelsVsOps for why not elementwise).
    r.relErr.forEach((e, i) => expect(e, `${optimizer} param ${i}`).toBeLessThan(TOL));
    test
      .info()
      .annotations.push({ type: `${optimizer} elementwise`, description: r.elementRelErr.map((e) => e.toExponential(1)).join(' ') });
  }
});

test('per-sample norms on WebGPU equal the CPU backend on the same batch (ops and kernel paths)', async ({ page }) => {
  await openHarness(page);
  const r = await call(page, 'normsAcrossBackends', 8);
  expect(r.realRows).toBeGreaterThan(0);
  expect(r.opsGpuVsCpu).toBeLessThan(TOL);
  expect(r.layerOpsGpuVsCpu).toBeLessThan(TOL);
  expect(r.kernelsGpuVsCpu).toBeLessThan(TOL);
});

test('tensor count and GPU bytes stay flat over 300 Poisson-sampled DP steps on WebGPU (kernel path)', async ({ page }) => {
  await openHarness(page);
  const r = await call(page, 'memoryOverSteps', 300, 'kernels');
  // Step 1 creates the optimizer state; every later step must end with the same memory.
  expect(new Set(r.numTensors.slice(1)).size).toBe(1);
  expect(new Set(r.numBytes.slice(1)).size).toBe(1);
  // Bucketed batch shapes: the buffer pool stops growing once each bucket has been seen.
  const gpu = r.gpuBytes.slice(10);
  expect(Math.max(...gpu)).toBe(Math.min(...gpu));
});

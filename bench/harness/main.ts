import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { benchInterleaved, benchOne, profileStep, stageTimes, type BenchModel, type BenchPath, type BenchRecord } from '../steps';
import { registerCpuKernels } from '../../src/kernels/register_all_kernels';
import { registerWebGpuKernels } from '../../src/kernels/webgpu/register_all_kernels';
import { planeAcrossBackends } from './planeChecks';
import { planeCost, type PlaneCostCase, type PlaneCostRecord } from '../planeSteps';
import { dpStepKernelsVsOps, kernelTwinErrors, memoryOverSteps, noiseChecks, normsAcrossBackends } from './checks';

/**
 * Test and benchmark harness (bench/harness/index.html, built next to the app). It runs TypeScript checks on
 * the page's own TF.js with WebGPU, comparing against the CPU backend in the same page, and returns
 * plain numbers to Playwright (e2e/kernels.spec.ts, e2e/dp.spec.ts) and to `npm run bench`.
 */
async function init(): Promise<{ backend: string; adapter: string; software: boolean }> {
  registerCpuKernels();
  registerWebGpuKernels();
  const ok = await tf.setBackend('webgpu');
  await tf.ready();
  const adapter = await navigator.gpu?.requestAdapter();
  const info = adapter?.info;
  const name = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' · ');
  // A fallback adapter is a CPU implementation (SwiftShader here); older Chromium only says so in its name.
  const fallback = (adapter as { isFallbackAdapter?: boolean } | null | undefined)?.isFallbackAdapter === true;
  return {
    backend: ok ? tf.getBackend() : `not webgpu (${tf.getBackend()})`,
    adapter: name,
    software: fallback || /swiftshader|llvmpipe|lavapipe|software/i.test(name),
  };
}

async function bench(model: BenchModel, batch: number, path: BenchPath, warmup: number, repeats: number): Promise<BenchRecord> {
  return benchOne(tf.getBackend(), model, batch, path, warmup, repeats);
}

async function benchMany(model: BenchModel, batch: number, paths: BenchPath[], warmup: number, repeats: number): Promise<BenchRecord[]> {
  return benchInterleaved(tf.getBackend(), model, batch, paths, warmup, repeats);
}

async function planeStepCost(c: PlaneCostCase, every: number, warmup: number, steps: number): Promise<PlaneCostRecord> {
  return planeCost(tf.getBackend(), c, every, warmup, steps);
}

const harness = {
  init,
  benchMany,
  kernelTwinErrors,
  noiseChecks,
  dpStepKernelsVsOps,
  normsAcrossBackends,
  planeAcrossBackends,
  memoryOverSteps,
  bench,
  stageTimes,
  profileStep,
  planeStepCost,
};
export type Harness = typeof harness;
(window as unknown as { __harness: Harness }).__harness = harness;
document.getElementById('status')!.textContent = 'ready';

import * as tf from '@tensorflow/tfjs';
import { applyGradients } from '../../src/dp/applyGradients';
import { FusedOptimizer } from '../../src/dp/fusedOptimizer';
import { resolveClipPlan } from '../../src/clipping/plan';
import { computeGradients, gradientTensors } from '../../src/dp/step';
import { planDpStep, type DpStepSettings } from '../../src/dp/stepPlan';
import { SeededNoiseSource } from '../../src/dp/noise';
import { fillKeyedNormals } from '../../src/random/keyedNormals';
import { poissonSampler } from '../../src/engine/sampling';
import { noisyGradient } from '../../src/kernels/noisy_update';
import { kernelCases, maxRelErr, normRelErr } from '../../src/kernels/testing/cases';
import { correlation, normalFit, type NormalFit } from '../../src/kernels/testing/stats';
import { mulberry32 } from '../../src/random/testing/mulberry32';
import { buildModel } from '../../src/model/build';
import type { Model } from '../../src/model/types';
import { createOptimizer, type OptimizerSpec } from '../../src/optim';

/** Browser-side checks. Tensors are compared here; only numbers go back to Playwright. */

export async function onBackend<T>(name: string, f: () => Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  if (!(await tf.setBackend(name))) throw new Error(`harness: backend ${name} unavailable`);
  try {
    return await f();
  } finally {
    await tf.setBackend(previous);
  }
}

export interface TwinError {
  name: string;
  kernel: string;
  size: number;
  relErr: number;
  maxAbs: number;
}

/** Every shared kernel case on WebGPU and on the CPU twin, same inputs; relative error per case. */
export async function kernelTwinErrors(filter = ''): Promise<TwinError[]> {
  const cases = kernelCases().filter((c) => c.name.includes(filter));
  const runAll = async (): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (const c of cases) {
      const t = c.run();
      out.push((await t.data()) as Float32Array);
      t.dispose();
    }
    return out;
  };
  const gpu = await runAll();
  const cpu = await onBackend('cpu', runAll);
  return cases.map((c, i) => ({
    name: c.name,
    kernel: c.kernel,
    size: cpu[i].length,
    relErr: maxRelErr(gpu[i], cpu[i]),
    maxAbs: cpu[i].reduce((m, v) => Math.max(m, Math.abs(v)), 0),
  }));
}

/** Standard normals of the fused kernel's stream, drawn on the active backend (rule 'grad', sum 0). */
async function drawOnDevice(n: number, key0: number, step: number, paramIndex: number): Promise<Float32Array> {
  const z = tf.zeros([n]);
  const out = noisyGradient(z, { key0, key1: 0, step }, paramIndex, 1, 1);
  const v = (await out.data()) as Float32Array;
  tf.dispose([z, out]);
  return v;
}

export interface NoiseReport {
  fit: NormalFit;
  /** Same stream drawn by fillKeyedNormals on the CPU. */
  relErrVsCpu: number;
  /** Correlations of the base stream with: another seed, the next step, another parameter index. */
  correlations: { otherSeed: number; otherStep: number; otherParam: number };
  /** Fraction of equal values between the base stream and the next step (should be ~0). */
  repeatsAcrossSteps: number;
}

export async function noiseChecks(n = 1 << 18): Promise<NoiseReport> {
  const base = await drawOnDevice(n, 12345, 0, 0);
  const cpu = new Float32Array(n);
  fillKeyedNormals(cpu, { key0: 12345, key1: 0, step: 0 }, 0);
  const otherSeed = await drawOnDevice(n, 12346, 0, 0);
  const otherStep = await drawOnDevice(n, 12345, 1, 0);
  const otherParam = await drawOnDevice(n, 12345, 0, 1);
  let same = 0;
  for (let i = 0; i < n; i++) if (base[i] === otherStep[i]) same++;
  return {
    fit: normalFit(base),
    relErrVsCpu: maxRelErr(base, cpu),
    correlations: {
      otherSeed: correlation(base, otherSeed),
      otherStep: correlation(base, otherStep),
      otherParam: correlation(base, otherParam),
    },
    repeatsAcrossSteps: same / n,
  };
}

export function cnnBatch(b: number, seed: number): { x: tf.Tensor; labels: tf.Tensor1D; mask: tf.Tensor1D } {
  const rng = mulberry32(seed);
  return {
    x: tf.tensor(
      Float32Array.from({ length: b * 784 }, () => rng()),
      [b, 28, 28, 1],
    ),
    labels: tf.tensor1d(
      Array.from({ length: b }, () => Math.floor(rng() * 10)),
      'int32',
    ),
    mask: tf.tensor1d(
      Array.from({ length: b }, (_, i) => (i % 5 === 4 ? 0 : 1)),
      'float32',
    ),
  };
}

async function paramValues(m: Model): Promise<Float32Array[]> {
  return Promise.all(m.params.map(async (p) => (await p.data()) as Float32Array));
}

/**
 * The CNN preset, two DP steps (AUTO-S, noise off) on WebGPU: through TF.js ops + src/optim, and
 * through the kernels + FusedOptimizer. Returns the relative error of every parameter tensor and how
 * far the parameters moved (so a test can tell "equal" from "nothing happened"). Errors are of the
 * updates θ − θ₀, normwise per tensor (`relErr`) and elementwise (`elementRelErr`, for the record):
 * the clipped sum Σ_i C_i g_i cancels across samples, so single entries amplify ~1e-7 differences
 * in the clip factors (different float32 summation orders of two correct paths) by 100×–1000×.
 */
export async function dpStepKernelsVsOps(
  optimizer: 'sgd' | 'adam' = 'sgd',
  batch = 16,
): Promise<{ relErr: number[]; elementRelErr: number[]; moved: number; paths: string[] }> {
  // Adam's first step is θ − η·g/(|g| + ε): with ε = 1e-8 an entry whose gradient is itself ~1e-8
  // turns float32 rounding differences between two correct paths into O(1) relative changes of the
  // step, so the comparison uses ε = 1e-3 (well conditioned) and tests the same kernel code.
  const spec: OptimizerSpec = optimizer === 'sgd' ? { name: 'sgd', lr: 0.5, momentum: 0.9 } : { name: 'adam', lr: 0.01, epsilon: 1e-3 };
  const a = buildModel({ preset: 'cnn', activation: 'tanh' }, [28, 28, 1], 10, 4);
  const b = buildModel({ preset: 'cnn', activation: 'tanh' }, [28, 28, 1], 10, 4);
  const initial = await paramValues(a);
  const optA = createOptimizer(spec);
  const optB = new FusedOptimizer(spec);
  const paths: string[] = [];
  for (let step = 0; step < 2; step++) {
    const { x, labels, mask } = cnnBatch(batch, 10 + step);
    const base: DpStepSettings = { clip: resolveClipPlan({ clipping: 'auto-s' }), expectedBatchSize: batch, noiseMultiplier: 0 };
    const ra = await computeGradients(a, x, labels, mask, planDpStep({ ...base, implementation: 'ops' }));
    applyGradients(optA, a.params, ra.gradient, 0);
    const rb = await computeGradients(b, x, labels, mask, planDpStep({ ...base, implementation: 'kernels', fusedUpdate: true }));
    applyGradients(optB, b.params, rb.gradient, 0);
    paths.push(`${ra.path}/${rb.path}${rb.gradient.kind === 'pending' ? '+fused' : ''}`);
    tf.dispose([ra.loss, rb.loss, ...gradientTensors(ra.gradient), ...gradientTensors(rb.gradient), x, labels, mask]);
  }
  const [pa, pb] = [await paramValues(a), await paramValues(b)];
  let moved = 0;
  pa.forEach((v, i) => v.forEach((w, j) => (moved = Math.max(moved, Math.abs(w - initial[i][j])))));
  // Compare the updates θ − θ₀, not θ: a small update hides in the parameter's own magnitude.
  const delta = (p: Float32Array[]) => p.map((v, i) => Float32Array.from(v, (w, j) => w - initial[i][j]));
  const [da, db] = [delta(pa), delta(pb)];
  optA.dispose();
  optB.dispose();
  a.dispose();
  b.dispose();
  return { relErr: da.map((v, i) => normRelErr(db[i], v)), elementRelErr: da.map((v, i) => maxRelErr(db[i], v)), moved, paths };
}

/**
 * Per-sample norms of the same CNN batch: ops path on WebGPU, kernel path on WebGPU, ops path on the
 * CPU backend (models rebuilt from the same seed on each backend). Relative errors against the CPU.
 */
export async function normsAcrossBackends(
  batch = 8,
): Promise<{ opsGpuVsCpu: number; kernelsGpuVsCpu: number; layerOpsGpuVsCpu: number; realRows: number }> {
  const norms = async (implementation: 'ops' | 'kernels') => {
    const m = buildModel({ preset: 'cnn', activation: 'tanh' }, [28, 28, 1], 10, 6);
    const { x, labels, mask } = cnnBatch(batch, 99);
    const plan = planDpStep({ clip: resolveClipPlan({ clipping: 'auto-s' }), expectedBatchSize: batch, stats: true, implementation });
    const r = await computeGradients(m, x, labels, mask, plan);
    tf.dispose([r.loss, ...gradientTensors(r.gradient), x, labels, mask]);
    m.dispose();
    return r.stats!;
  };
  const opsGpu = await norms('ops');
  const kerGpu = await norms('kernels');
  const cpu = await onBackend('cpu', () => norms('ops'));
  const layerErr = Math.max(...cpu.perLayerNorms.map((l, k) => maxRelErr(opsGpu.perLayerNorms[k], l)));
  return {
    opsGpuVsCpu: maxRelErr(opsGpu.perSampleNorms, cpu.perSampleNorms),
    kernelsGpuVsCpu: maxRelErr(kerGpu.perSampleNorms, cpu.perSampleNorms),
    layerOpsGpuVsCpu: layerErr,
    realRows: cpu.realRows,
  };
}

/** tf.memory() after each of `steps` Poisson-sampled DP steps (kernel path, fused Adam) on the active backend. */
export async function memoryOverSteps(
  steps: number,
  implementation: 'ops' | 'kernels' = 'kernels',
): Promise<{ numTensors: number[]; numBytes: number[]; gpuBytes: number[] }> {
  const n = 300;
  const model = buildModel({ preset: 'mlp', hidden: [16], activation: 'tanh' }, [6], 3, 1);
  const rng = mulberry32(3);
  const data = tf.tensor(
    Float32Array.from({ length: n * 6 }, () => rng() * 2 - 1),
    [n, 6],
  );
  const ys = tf.tensor1d(
    Array.from({ length: n }, (_, i) => i % 3),
    'int32',
  );
  const sampler = poissonSampler(n, 32, { kind: 'seeded', seed: 5 });
  const opt = new FusedOptimizer({ name: 'adam', lr: 0.01 });
  const noise = new SeededNoiseSource(1);
  const settings: DpStepSettings = {
    clip: resolveClipPlan({ clipping: 'auto-s' }),
    expectedBatchSize: 32,
    noiseMultiplier: 1,
    noise,
    implementation,
    fusedUpdate: true,
  };
  const plan = planDpStep(settings);
  const withStats = planDpStep({ ...settings, stats: true });
  const out = { numTensors: [] as number[], numBytes: [] as number[], gpuBytes: [] as number[] };
  for (let s = 0; s < steps; s++) {
    const bt = sampler.next();
    const x = tf.gather(data, bt.indices);
    const labels = tf.gather(ys, bt.indices) as tf.Tensor1D;
    const mask = tf.tensor1d(bt.mask, 'float32');
    const r = await computeGradients(model, x, labels, mask, s % 10 === 0 ? withStats : plan);
    applyGradients(opt, model.params, r.gradient, 1);
    await r.loss.data();
    tf.dispose([r.loss, ...gradientTensors(r.gradient), x, labels, mask]);
    const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
    out.numTensors.push(m.numTensors);
    out.numBytes.push(m.numBytes);
    out.gpuBytes.push(m.numBytesInGPU ?? -1);
  }
  opt.dispose();
  model.dispose();
  tf.dispose([data, ys]);
  return out;
}

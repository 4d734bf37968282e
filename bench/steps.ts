import * as tf from '@tensorflow/tfjs';
import { addAll } from '../src/dp/addAll';
import { applyGradients } from '../src/dp/applyGradients';
import { FusedOptimizer } from '../src/dp/fusedOptimizer';
import { resolveClipPlan } from '../src/clipping/plan';
import { computeGradients, gradientTensors } from '../src/dp/step';
import { PER_SAMPLE_GRAD_BYTES, planDpStep } from '../src/dp/stepPlan';
import { perSampleSqNorms } from '../src/dp/perSampleNorms';
import { clippedSums } from '../src/dp/clippedSum';
import { SeededNoiseSource } from '../src/dp/noise';
import { ensureDpKernels } from '../src/dp/path';
import { parametricLayers } from '../src/dp/rules/registry';
import { captureTaps } from '../src/dp/taps';
import { clipFactorsKernel } from '../src/kernels/clip_factors';
import { buildModel } from '../src/model/build';
import type { Model, ModelSpec } from '../src/model/types';
import { Sgd } from '../src/optim/sgd';

/**
 * The four step implementations the benchmark compares, shared by the Node runner (bench/run.ts)
 * and the browser harness (bench/harness). Every step ends by awaiting the loss, so the timed interval
 * covers the GPU work of the step.
 */
export type BenchPath = 'non-private' | 'dp-ops' | 'dp-kernels' | 'dp-kernels-bookkeeping' | 'naive';
export const BENCH_PATHS: readonly BenchPath[] = ['non-private', 'dp-ops', 'dp-kernels', 'naive'];
/**
 * 'dp-kernels-bookkeeping': the kernel path with perSampleGradBytes 0, i.e. every layer's clipped sum
 * by book-keeping (the kernel path before it kept the convolutions' per-sample gradients); not in the
 * default set, `--paths=` adds it.
 */
export const ALL_BENCH_PATHS: readonly BenchPath[] = ['non-private', 'dp-ops', 'dp-kernels', 'dp-kernels-bookkeeping', 'naive'];
export type BenchModel = 'mlp' | 'cnn';

export interface BenchRecord {
  backend: string;
  model: BenchModel;
  batch: number;
  path: BenchPath;
  msPerStep: number;
  repeats: number;
  warmup: number;
  /** Every timed step, ms. */
  samples: number[];
  note?: string;
  /**
   * The first warm-up step, ms: the step plus compiling what it is first to use (WebGPU pipelines,
   * TF.js programs). Paths run in turn share programs, so only the first path pays for shared ones.
   */
  firstStepMs?: number;
  /** The WebGPU adapter that ran the steps (browser records), as the page's GPUAdapterInfo names it. */
  adapter?: string;
}

export const MODEL_SPECS: Record<BenchModel, { spec: ModelSpec; inputShape: number[] }> = {
  // MNIST-shaped MLP: 784 → 256 → 256 → 10, tanh.
  mlp: { spec: { preset: 'mlp', hidden: [256, 256], activation: 'tanh' }, inputShape: [28, 28, 1] },
  // The docs/ARCHITECTURE.md / Papernot et al. CNN.
  cnn: { spec: { preset: 'cnn', activation: 'tanh' }, inputShape: [28, 28, 1] },
};

const LR = 0.05;
const SIGMA = 1;

export interface StepRunner {
  step(): Promise<void>;
  dispose(): void;
}

/** Naive DP-SGD: one tf.variableGrads per example, clip (AUTO-S), sum, add noise, divide, SGD. */
async function naiveStep(model: Model, x: tf.Tensor, oneHot: tf.Tensor, opt: Sgd, noise: SeededNoiseSource): Promise<void> {
  const b = x.shape[0];
  let sums: tf.Tensor[] = model.params.map((p) => tf.zerosLike(p));
  let lossSum = tf.scalar(0);
  for (let i = 0; i < b; i++) {
    const next = tf.tidy(() => {
      const xi = tf.slice(x, i, 1);
      const yi = tf.slice(oneHot, i, 1);
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(yi, model.apply(xi), undefined, 0, tf.Reduction.SUM) as tf.Scalar,
        model.params as tf.Variable[],
      );
      const g = model.params.map((p) => grads[p.name]);
      const norm = tf.sqrt(addAll(g.map((t) => tf.sum(tf.square(t)))));
      const c = tf.div(1, tf.add(norm, 0.01));
      return { sums: sums.map((s, j) => tf.add(s, tf.mul(g[j], c))), loss: tf.add(lossSum, value) };
    });
    tf.dispose([...sums, lossSum]);
    sums = next.sums;
    lossSum = next.loss as tf.Scalar;
  }
  const grads = tf.tidy(() => sums.map((s) => tf.div(tf.add(s, noise.normal(s.shape, SIGMA)), b)));
  opt.apply(model.params as tf.Variable[], grads);
  await lossSum.data();
  tf.dispose([...sums, ...grads, lossSum]);
}

/** The model (seed 1) and one full batch of fixed random inputs (seed 2) and cycling labels that a benchmark times. */
function benchBatch(model: BenchModel, batch: number) {
  const { spec, inputShape } = MODEL_SPECS[model];
  const m = buildModel(spec, inputShape, 10, 1);
  const x = tf.randomUniform([batch, ...inputShape], 0, 1, 'float32', 2);
  const labels = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % 10),
    'int32',
  );
  const mask = tf.ones([batch]) as tf.Tensor1D;
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(labels, 10), 'float32'));
  return { m, x, labels, mask, oneHot };
}

/** Builds a runner for one (model, batch, path) on the active backend, with fixed random data. */
export function makeRunner(model: BenchModel, batch: number, path: BenchPath): StepRunner {
  const { m, x, labels, mask, oneHot } = benchBatch(model, batch);
  const noise = new SeededNoiseSource(3);
  const sgd = new Sgd({ lr: LR });
  const fused = new FusedOptimizer({ name: 'sgd', lr: LR });
  const kernels = path === 'dp-kernels' || path === 'dp-kernels-bookkeeping';
  const implementation = kernels ? 'kernels' : 'ops';
  const dpPlan = planDpStep({
    clip: resolveClipPlan({ clipping: 'auto-s' }),
    expectedBatchSize: batch,
    noiseMultiplier: SIGMA,
    noise,
    implementation,
    fusedUpdate: kernels,
    perSampleGradBytes: path === 'dp-kernels-bookkeeping' ? 0 : undefined,
  });
  const plainPlan = planDpStep({ clip: resolveClipPlan({ clipping: 'none' }), implementation });
  const step = async (): Promise<void> => {
    if (path === 'naive') return naiveStep(m, x, oneHot, sgd, noise);
    const dp = path !== 'non-private';
    const r = await computeGradients(m, x, labels, mask, dp ? dpPlan : plainPlan);
    applyGradients(kernels ? fused : sgd, m.params, r.gradient, dp ? SIGMA : 0);
    await r.loss.data();
    tf.dispose([r.loss, ...gradientTensors(r.gradient)]);
  };
  return {
    step,
    dispose: () => {
      tf.dispose([x, labels, mask, oneHot]);
      sgd.dispose();
      fused.dispose();
      m.dispose();
    },
  };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Per-stage time of one DP step via kernels, split where the step is synchronous: the tapped
 * forward/backward, per-sample norms (and the per-sample gradients the step keeps), clip factors,
 * clipped sums (from the kept gradients or by book-keeping), fused noise + update.
 * Each stage runs inside tf.time; its GPU kernel ms are used when the backend reports them
 * (WebGPU timestamp queries, the CPU backend's timers), otherwise the wall ms until the stage's
 * output is read back (marked in `timing`).
 */
export async function stageTimes(
  model: BenchModel,
  batch: number,
): Promise<{ stages: Record<string, number>; timing: 'kernelMs' | 'syncedWallMs' }> {
  const { m, x, labels, mask, oneHot } = benchBatch(model, batch);
  const fused = new FusedOptimizer({ name: 'sgd', lr: LR });
  const stages: Record<string, number> = {};
  let timing: 'kernelMs' | 'syncedWallMs' = 'kernelMs';
  const owned: tf.Tensor[] = [x, labels, mask, oneHot];
  const stage = async <T>(name: string, f: () => T, sync: (out: T) => tf.Tensor): Promise<T> => {
    let out: T | undefined;
    const t0 = performance.now();
    const info = await tf.time(() => {
      out = f();
    });
    await sync(out as T).data();
    const wall = performance.now() - t0;
    const k = info.kernelMs as unknown;
    if (typeof k === 'number' && Number.isFinite(k)) stages[name] = k;
    else {
      stages[name] = wall;
      timing = 'syncedWallMs';
    }
    return out as T;
  };
  try {
    await ensureDpKernels();
    const entries = parametricLayers(m.layers);
    // Warm-up (shader compilation) with one full step before timing stages.
    await makeAndRunOnce(m, x, labels, mask, fused);
    const cap = await stage(
      'forward+backward (taps)',
      () =>
        captureTaps(
          m,
          entries.map((e) => e.layer),
          x,
          oneHot,
          mask,
        ),
      (c) => c.lossSum,
    );
    owned.push(cap.lossSum, ...cap.activations, ...cap.backprops);
    const { sq, grads } = await stage(
      'per-sample norms',
      () => perSampleSqNorms(entries, cap, 'kernels', PER_SAMPLE_GRAD_BYTES),
      (t) => t.sq,
    );
    owned.push(sq, ...grads.filter((g): g is tf.Tensor2D => g !== null));
    const factors = await stage(
      'clip factors',
      () => clipFactorsKernel(sq, mask, 'auto-s', 'flat', 1, 0.01) as tf.Tensor1D,
      (t) => t,
    );
    owned.push(factors);
    const sums = await stage(
      'clipped sums',
      () => clippedSums(entries, cap, factors, 'flat', grads),
      (t) => t[t.length - 1],
    );
    owned.push(...sums);
    await stage(
      'noise + update (fused)',
      () => {
        fused.applyNoisy(m.params, sums, { key: { key0: 1, key1: 2, step: 0 }, std: SIGMA, divisor: batch });
        return m.params[m.params.length - 1] as tf.Tensor;
      },
      (t) => t,
    );
    return { stages, timing };
  } finally {
    tf.dispose(owned);
    fused.dispose();
    m.dispose();
  }
}

async function makeAndRunOnce(m: Model, x: tf.Tensor, labels: tf.Tensor1D, mask: tf.Tensor1D, fused: FusedOptimizer): Promise<void> {
  const plan = planDpStep({
    clip: resolveClipPlan({ clipping: 'auto-s' }),
    expectedBatchSize: x.shape[0],
    noiseMultiplier: SIGMA,
    noise: new SeededNoiseSource(9),
    implementation: 'kernels',
    fusedUpdate: true,
  });
  const r = await computeGradients(m, x, labels, mask, plan);
  applyGradients(fused, m.params, r.gradient, plan.noiseStd);
  await r.loss.data();
  tf.dispose([r.loss, ...gradientTensors(r.gradient)]);
}

async function timed(f: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

/** Times one configuration: `warmup` untimed steps, then the median of `repeats` timed steps. */
export async function benchOne(
  backend: string,
  model: BenchModel,
  batch: number,
  path: BenchPath,
  warmup: number,
  repeats: number,
): Promise<BenchRecord> {
  const runner = makeRunner(model, batch, path);
  try {
    const firstStepMs = warmup > 0 ? await timed(() => runner.step()) : undefined;
    for (let i = 1; i < warmup; i++) await runner.step();
    const samples: number[] = [];
    for (let i = 0; i < repeats; i++) samples.push(await timed(() => runner.step()));
    return { backend, model, batch, path, msPerStep: median(samples), repeats, warmup, samples, firstStepMs };
  } finally {
    runner.dispose();
  }
}

/**
 * Times several paths of one (model, batch) round-robin: after each runner's warm-up, repeat r times
 * one step of every path in turn. On a shared, loaded machine this spreads load changes evenly over
 * the paths instead of biasing whichever ran during a busy minute.
 */
export async function benchInterleaved(
  backend: string,
  model: BenchModel,
  batch: number,
  paths: readonly BenchPath[],
  warmup: number,
  repeats: number,
): Promise<BenchRecord[]> {
  const runners = paths.map((p) => makeRunner(model, batch, p));
  try {
    const firstStepMs: (number | undefined)[] = [];
    for (const r of runners) {
      firstStepMs.push(warmup > 0 ? await timed(() => r.step()) : undefined);
      for (let i = 1; i < warmup; i++) await r.step();
    }
    const samples: number[][] = paths.map(() => []);
    for (let i = 0; i < repeats; i++) {
      for (let j = 0; j < runners.length; j++) samples[j].push(await timed(() => runners[j].step()));
    }
    return paths.map((path, j) => ({
      backend,
      model,
      batch,
      path,
      msPerStep: median(samples[j]),
      repeats,
      warmup,
      samples: samples[j],
      firstStepMs: firstStepMs[j],
      note: 'interleaved',
    }));
  } finally {
    for (const r of runners) r.dispose();
  }
}

export interface KernelProfileRow {
  kernel: string;
  shapes: string;
  calls: number;
  ms: number;
}

/**
 * Per-kernel time of one step of `path` (after one warm-up step), from tf.profile: each kernel's
 * backend time (WebGPU timestamp queries; the CPU backend's timers), summed by kernel name and input
 * shapes, largest first. Profiling runs every kernel on its own, so the total exceeds a normal step.
 */
export async function profileStep(model: BenchModel, batch: number, path: BenchPath): Promise<KernelProfileRow[]> {
  const runner = makeRunner(model, batch, path);
  try {
    await runner.step();
    const info = await tf.profile(() => runner.step());
    const rows = new Map<string, KernelProfileRow>();
    for (const k of info.kernels) {
      const shapes = k.inputShapes.map((s) => (s ? `[${s.join(',')}]` : '-')).join(' ');
      const key = `${k.name} ${shapes}`;
      const row = rows.get(key) ?? { kernel: k.name, shapes, calls: 0, ms: 0 };
      row.calls++;
      const t = k.kernelTimeMs as unknown;
      row.ms += typeof t === 'number' && Number.isFinite(t) ? t : 0;
      rows.set(key, row);
    }
    return [...rows.values()].sort((a, b) => b.ms - a.ms);
  } finally {
    runner.dispose();
  }
}

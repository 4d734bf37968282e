import * as tf from '@tensorflow/tfjs';
import { defaultRunConfig, syntheticDefaults, type RunConfig } from '../src/config/runConfig';
import type { Dataset, DatasetSplit } from '../src/data/types';
import { loadSplit } from '../src/engine/datasets';
import { TrainingRun } from '../src/engine/trainingRun';

/**
 * What the gradient plane costs the training steps that do not show it, shared by the Node runner
 * (bench/run.ts) and the browser harness: two runs of one config from the same seed (so the same
 * batches) step in turn, one with the view off and one refreshing the plane every `every` steps. The
 * pair (step k of each) is timed back to back, in alternating order, so load on a shared machine
 * hits both alike. The claim measured: steps between refreshes cost the same as with the view off.
 */
export type PlaneBenchModel = 'mlp-2d' | 'mlp' | 'cnn';

export interface PlaneCostCase {
  model: PlaneBenchModel;
  batch: number;
  dpPath: 'kernels' | 'ops';
}

export interface PlaneCostRecord extends PlaneCostCase {
  backend: string;
  every: number;
  warmup: number;
  /** View off: the steps paired with the between-refresh steps, ms. */
  offMs: number[];
  /** View on, the steps between refreshes, ms. */
  betweenMs: number[];
  /** View on, the refresh steps (Grams read back, eigendecomposition, thumbnails), ms. */
  shownMs: number[];
  /** View off, the steps paired with the refresh steps, ms. */
  offAtShownMs: number[];
  /** betweenMs[k] / offMs[k], step by step. */
  pairedRatios: number[];
  /**
   * One more step of each run under tf.profile: the view-on run's step (no refresh) ran the same kernels
   * (name, input shapes, order) and allocated the same bytes and tensors as the view-off run's.
   */
  sameWork: boolean;
}

/** The kernels a step runs (name and input shapes, in order) and what it allocates, as tf.profile reports them. */
async function stepWork(run: TrainingRun): Promise<string> {
  const info = await tf.profile(async () => {
    await run.trainStep();
    return [];
  });
  return JSON.stringify([info.kernels.map((k) => [k.name, k.inputShapes]), info.newBytes, info.newTensors]);
}

/** Random MNIST-shaped images (28×28×1, 10 classes): the step's cost does not depend on the pixels. */
function randomImages(n: number, seed: number): Dataset {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return {
    name: 'random 28×28',
    x: Float32Array.from({ length: n * 784 }, next),
    y: Int32Array.from({ length: n }, (_, i) => i % 10),
    inputShape: [28, 28, 1],
    numClasses: 10,
    source: 'bench: uniform random pixels',
  };
}

/** The run config and data of one case: private AUTO-S, σ = 1, seeded noise, no evaluation during the timed steps. */
async function caseRun({ model, batch, dpPath }: PlaneCostCase): Promise<{ config: RunConfig; split: DatasetSplit }> {
  const base = defaultRunConfig();
  const privacy: RunConfig['privacy'] = { ...base.privacy, secureNoise: false, noise: { mode: 'sigma', sigma: 1 }, clipping: 'auto-s' };
  const engine = { ...base.engine, dpPath };
  if (model === 'mlp-2d') {
    // The lessons' 2D shape (tanh 32-32 on a 4,000-point set).
    const config = { ...base, ...syntheticDefaults('circle'), privacy, engine };
    const split = await loadSplit(config.data, config.seed, { mnist: () => Promise.reject(new Error('not used')) });
    return { config: { ...config, train: { ...config.train, batchSize: batch, evalEvery: 1e5 } }, split };
  }
  const spec: RunConfig['model'] =
    model === 'cnn' ? { preset: 'cnn', activation: 'tanh' } : { preset: 'mlp', hidden: [256, 256], activation: 'tanh' };
  const config: RunConfig = {
    ...base,
    data: { source: 'mnist' },
    model: spec,
    train: { ...base.train, batchSize: batch, epochs: 50, evalEvery: 1e5 },
    privacy,
    engine,
  };
  return { config, split: { train: randomImages(2000, 1), test: randomImages(100, 2) } };
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

/**
 * Times `steps` step pairs after `warmup` untimed ones (warm-up should reach the first refresh, which
 * compiles the Gram programs). Run it on the active TF.js backend.
 */
export async function planeCost(backend: string, c: PlaneCostCase, every: number, warmup: number, steps: number): Promise<PlaneCostRecord> {
  const { config, split } = await caseRun(c);
  const off = TrainingRun.create(config, split);
  const on = TrainingRun.create(config, split);
  const rec: PlaneCostRecord = {
    ...c,
    backend,
    every,
    warmup,
    offMs: [],
    betweenMs: [],
    shownMs: [],
    offAtShownMs: [],
    pairedRatios: [],
    sameWork: false,
  };
  try {
    for (let s = 1; s <= warmup + steps; s++) {
      const plane = s % every === 0;
      const stepOff = () => timed(() => off.trainStep());
      const stepOn = () =>
        timed(async () => {
          const r = await on.trainStep({ plane });
          if (r.plane instanceof Error) throw r.plane;
        });
      let tOff: number;
      let tOn: number;
      if (s % 2) {
        tOff = await stepOff();
        tOn = await stepOn();
      } else {
        tOn = await stepOn();
        tOff = await stepOff();
      }
      if (s <= warmup) continue;
      if (plane) {
        rec.shownMs.push(tOn);
        rec.offAtShownMs.push(tOff);
      } else {
        rec.betweenMs.push(tOn);
        rec.offMs.push(tOff);
        rec.pairedRatios.push(tOn / tOff);
      }
    }
    rec.sameWork = (await stepWork(off)) === (await stepWork(on));
    return rec;
  } finally {
    off.dispose();
    on.dispose();
  }
}

/** The q-quantile of `v` (linear between order statistics). */
export function quantile(v: readonly number[], q: number): number {
  const s = [...v].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

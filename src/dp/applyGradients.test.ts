import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/build';
import type { Model } from '../model/types';
import { createOptimizer, type Optimizer } from '../optim';
import { applyGradients } from './applyGradients';
import { FusedOptimizer } from './fusedOptimizer';
import { computeGradients, gradientTensors } from './step';
import { stepPlan, type StepSettings } from './testing/stepPlan';
import { SeededNoiseSource } from './noise';
import type { PrivateGradient } from './types';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const B = 12;
const EXPECTED_BATCH = 10;
const SIGMA = 2;
const R = 0.5;

function model(): Model {
  return buildModel({ preset: 'mlp', hidden: [16], activation: 'tanh' }, [6], 3, 4);
}

function batch() {
  return {
    x: tf.randomNormal([B, 6], 0, 1, 'float32', 3),
    labels: tf.tensor1d(
      Array.from({ length: B }, (_, i) => i % 3),
      'int32',
    ),
    mask: tf.tensor1d(
      Array.from({ length: B }, (_, i) => (i < 10 ? 1 : 0)),
      'float32',
    ),
  };
}

async function flat(m: Model): Promise<Float32Array> {
  const parts = await Promise.all(m.params.map((p) => p.data() as Promise<Float32Array>));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

type Path = { name: string; opts: Partial<StepSettings>; optimizer: () => Optimizer };
const PATHS: Path[] = [
  { name: 'ops path', opts: { implementation: 'ops' }, optimizer: () => createOptimizer({ name: 'sgd', lr: 1 }) },
  {
    name: 'kernel path, noise in the gradient kernel',
    opts: { implementation: 'kernels' },
    optimizer: () => createOptimizer({ name: 'sgd', lr: 1 }),
  },
  {
    name: 'kernel path, fused noise + update',
    opts: { implementation: 'kernels', fusedUpdate: true },
    optimizer: () => new FusedOptimizer({ name: 'sgd', lr: 1 }),
  },
];

/** The noise std a gradient carries, added or pending. */
function noiseStdOf(g: PrivateGradient): number {
  return g.kind === 'final' ? g.noiseStd : g.noise.std;
}

/**
 * A fresh model and batch, its parameters before anything ran, and one DP step's gradient on them
 * (not applied); `dispose` frees all of it.
 */
async function gradientOnFreshModel(settings: StepSettings) {
  const m = model();
  const before = await flat(m);
  const { x, labels, mask } = batch();
  const r = await computeGradients(m, x, labels, mask, stepPlan(settings));
  const dispose = () => {
    tf.dispose([r.loss, ...gradientTensors(r.gradient), x, labels, mask]);
    m.dispose();
  };
  return { m, before, r, dispose };
}

/** One SGD(lr = 1) step at σ = `sigma`; returns the parameters after it. */
async function stepWith(path: Path, sigma: number): Promise<{ after: Float32Array; noiseStd: number }> {
  const opt = path.optimizer();
  const { m, r, dispose } = await gradientOnFreshModel({
    clipping: 'abadi',
    maxGradNorm: R,
    expectedBatchSize: EXPECTED_BATCH,
    noiseMultiplier: sigma,
    noise: new SeededNoiseSource(17),
    ...path.opts,
  });
  applyGradients(opt, m.params, r.gradient, sigma * R);
  const after = await flat(m);
  dispose();
  opt.dispose();
  return { after, noiseStd: noiseStdOf(r.gradient) };
}

describe('applyGradients: a private step either carries its noise or does not happen', () => {
  it.each(PATHS)('$name: the update carries N(0, (σR)²) per coordinate, divided by qN', async (path) => {
    const noisy = await stepWith(path, SIGMA);
    const clean = await stepWith(path, 0);
    expect(noisy.noiseStd).toBe(SIGMA * R);
    expect(clean.noiseStd).toBe(0);
    // SGD with lr 1: θ' = θ − (sum + noise)/qN, so (θ'_clean − θ'_noisy)·qN is the noise itself.
    const d = noisy.after.length;
    let sq = 0;
    for (let i = 0; i < d; i++) sq += ((clean.after[i] - noisy.after[i]) * EXPECTED_BATCH) ** 2;
    // ‖noise‖ ≈ σR·√d with relative sd 1/√(2d) ≈ 5.5 % (d = 163): ±30 % is over 5 sd.
    expect(Math.sqrt(sq) / (SIGMA * R * Math.sqrt(d))).toBeGreaterThan(0.7);
    expect(Math.sqrt(sq) / (SIGMA * R * Math.sqrt(d))).toBeLessThan(1.3);
  });

  it('refuses pending noise for an optimizer that cannot add it, and leaves the parameters as they were', async () => {
    const { m, before, r, dispose } = await gradientOnFreshModel({
      clipping: 'auto-s',
      expectedBatchSize: EXPECTED_BATCH,
      noiseMultiplier: SIGMA,
      noise: new SeededNoiseSource(1),
      implementation: 'kernels',
      fusedUpdate: true,
    });
    const pending = r.gradient;
    if (pending.kind !== 'pending') throw new Error('expected the noise to be pending');
    for (const name of ['sgd', 'adam', 'lamb'] as const) {
      const opt = createOptimizer({ name, lr: 0.1 });
      expect(() => applyGradients(opt, m.params, r.gradient, SIGMA)).toThrow(
        new RegExp(`noise is pending.*optimizer "${name}" cannot add it`),
      );
      opt.dispose();
    }
    // Pending noise (even σ = 0: the ÷qN is pending too) never reaches a plain update.
    expect(() =>
      applyGradients(createOptimizer({ name: 'sgd', lr: 0.1 }), m.params, { ...pending, noise: { ...pending.noise, std: 0 } }, 0),
    ).toThrow(/pending/);
    expect(await flat(m)).toEqual(before);
    dispose();
  });

  it.each([
    ['σ omitted (clipping only)', {}],
    ['σ = 0', { noiseMultiplier: 0 }],
    ['a smaller σ', { noiseMultiplier: 1, noise: new SeededNoiseSource(2) }],
  ] as const)('refuses a gradient without the required noise: %s', async (_, noise) => {
    for (const path of PATHS) {
      const { m, before, r, dispose } = await gradientOnFreshModel({
        clipping: 'abadi',
        maxGradNorm: R,
        expectedBatchSize: EXPECTED_BATCH,
        ...noise,
        ...path.opts,
      });
      expect(noiseStdOf(r.gradient)).toBe(((noise as { noiseMultiplier?: number }).noiseMultiplier ?? 0) * R);
      const opt = path.optimizer();
      expect(() => applyGradients(opt, m.params, r.gradient, SIGMA * R)).toThrow(/private step needs noise of std 1 per coordinate/);
      expect(await flat(m)).toEqual(before);
      dispose();
      opt.dispose();
    }
  });

  it('the DP step itself refuses σ > 0 without a noise source, and noise on the non-private baseline', async () => {
    const m = model();
    const { x, labels, mask } = batch();
    for (const implementation of ['ops', 'kernels'] as const) {
      const step = (settings: StepSettings) => async () => computeGradients(m, x, labels, mask, stepPlan(settings));
      await expect(step({ clipping: 'auto-s', expectedBatchSize: 10, noiseMultiplier: 1, implementation })()).rejects.toThrow(
        /needs a noise source/,
      );
      await expect(step({ clipping: 'none', noiseMultiplier: 1, implementation })()).rejects.toThrow(/takes no noise/);
    }
    tf.dispose([x, labels, mask]);
    m.dispose();
  });
});

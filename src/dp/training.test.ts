import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/build';
import { createOptimizer } from '../optim/registry';
import { stepGradients } from './testing/step';
import { SeededNoiseSource } from './noise';
import { mulberry32 } from '../random/testing/mulberry32';
import type { StepSettings } from './testing/stepPlan';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Three Gaussian blobs in 2-D, seeded. */
function blobs(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  const rng = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const centres = [
    [-2, 0],
    [2, 0],
    [0, 2.5],
  ];
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    y[i] = c;
    x[2 * i] = centres[c][0] + 0.7 * gauss();
    x[2 * i + 1] = centres[c][1] + 0.7 * gauss();
  }
  return { x, y };
}

/** Trains with Poisson sampling padded to a fixed bucket, returns the final training accuracy. */
async function train(opts: StepSettings, steps: number, q: number): Promise<number> {
  const N = 600;
  const bucket = 48;
  const { x, y } = blobs(N, 1);
  const model = buildModel({ preset: 'mlp', hidden: [16], activation: 'tanh' }, [2], 3, 3);
  const opt = createOptimizer({ name: 'adam', lr: 0.02 });
  const rng = mulberry32(9);
  for (let s = 0; s < steps; s++) {
    const idx: number[] = [];
    for (let i = 0; i < N && idx.length < bucket; i++) if (rng() < q) idx.push(i);
    const bx = new Float32Array(bucket * 2);
    const by = new Int32Array(bucket);
    const bm = new Float32Array(bucket);
    idx.forEach((i, r) => {
      bx[2 * r] = x[2 * i];
      bx[2 * r + 1] = x[2 * i + 1];
      by[r] = y[i];
      bm[r] = 1;
    });
    const [tx, ty, tm] = [tf.tensor2d(bx, [bucket, 2]), tf.tensor1d(by, 'int32'), tf.tensor1d(bm)];
    const { loss, grads } = await stepGradients(model, tx, ty, tm, opts);
    opt.apply(model.params, grads);
    tf.dispose([loss, ...grads, tx, ty, tm]);
  }
  const acc = tf.tidy(() => {
    const pred = tf.argMax(model.apply(tf.tensor2d(x, [N, 2])), 1);
    return tf.mean(tf.cast(tf.equal(pred, tf.tensor1d(y, 'int32')), 'float32')).dataSync()[0];
  });
  opt.dispose();
  model.dispose();
  return acc;
}

describe('DP training sanity (the trainer itself lives in src/engine)', () => {
  it('AUTO-S with σ = 1 trains an MLP on blobs close to the non-private baseline', async () => {
    const q = 32 / 600;
    const steps = 120;
    const plain = await train({ clipping: 'none' }, steps, q);
    const dp = await train(
      { clipping: 'auto-s', noiseMultiplier: 1, expectedBatchSize: q * 600, noise: new SeededNoiseSource(4) },
      steps,
      q,
    );
    console.info(`blobs: non-private accuracy ${plain.toFixed(3)}, AUTO-S σ=1 accuracy ${dp.toFixed(3)}`);
    expect(plain).toBeGreaterThan(0.9);
    expect(dp).toBeGreaterThan(plain - 0.05);
  });
});

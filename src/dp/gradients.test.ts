import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/build';
import { stepGradients } from './testing/step';
import { SeededNoiseSource } from './noise';
import { perExampleGradients } from './testing/bruteforce';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function maxRelErr(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let scale = 0;
  let err = 0;
  for (let i = 0; i < x.length; i++) {
    scale = Math.max(scale, Math.abs(y[i]));
    err = Math.max(err, Math.abs(x[i] - y[i]));
  }
  return err / Math.max(scale, 1e-30);
}

describe('computeGradients, clipping none (non-private)', () => {
  it('equals the mean over real rows of brute-force per-example gradients; padded rows ignored', async () => {
    const model = buildModel({ preset: 'mlp', hidden: [5], activation: 'tanh' }, [3], 4, 7);
    const b = 6;
    const x = tf.randomNormal([b, 3], 0, 1, 'float32', 11);
    const labels = tf.tensor1d([0, 3, 1, 2, 2, 0], 'int32');
    const mask = tf.tensor1d([1, 1, 0, 1, 1, 0], 'float32');
    const real = [0, 1, 3, 4];
    const per = perExampleGradients(model, x, labels);
    for (const stats of [false, true]) {
      const { loss, grads, stats: s } = await stepGradients(model, x, labels, mask, { clipping: 'none', stats });
      model.params.forEach((_, j) => {
        const ref = tf.div(tf.addN(real.map((i) => per[i][j])), real.length);
        expect(maxRelErr(grads[j], ref)).toBeLessThan(1e-5);
        ref.dispose();
      });
      const refLoss = tf.tidy(() => {
        const logits = model.apply(tf.gather(x, real));
        const y = tf.oneHot(tf.gather(labels, real), 4);
        return tf.losses.softmaxCrossEntropy(y, logits);
      });
      expect(loss.dataSync()[0]).toBeCloseTo(refLoss.dataSync()[0], 5);
      expect(s !== undefined).toBe(stats);
      if (s) {
        expect(s.realRows).toBe(4);
        expect(s.meanClipFactor).toBe(1);
        expect(s.fractionClipped).toBeNull();
      }
      tf.dispose([loss, ...grads, refLoss]);
    }
    tf.dispose(per.flat());
    tf.dispose([x, labels, mask]);
    model.dispose();
  });

  it('returns zero gradients and zero loss for an all-padding batch', async () => {
    const model = buildModel({ preset: 'logistic' }, [3], 2, 1);
    const x = tf.ones([2, 3]);
    const { loss, grads } = await stepGradients(model, x, tf.tensor1d([0, 1], 'int32'), tf.zeros([2]) as tf.Tensor1D, {
      clipping: 'none',
    });
    expect(loss.dataSync()[0]).toBe(0);
    for (const g of grads) expect(Math.max(...g.dataSync().map(Math.abs))).toBe(0);
    model.dispose();
  });
});

describe('computeGradients, DP stats and resource hygiene', () => {
  it('reports stats for real rows only, fraction clipped and mean factor as defined', async () => {
    const model = buildModel({ preset: 'mlp', hidden: [4], activation: 'tanh' }, [3], 3, 3);
    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 4);
    const labels = tf.tensor1d([0, 1, 2, 1, 0], 'int32');
    const mask = tf.tensor1d([1, 0, 1, 1, 1]);
    const per = perExampleGradients(model, x, labels);
    const norms = per.map((g) => Math.sqrt(g.reduce((s, t) => s + Array.from(t.dataSync()).reduce((a, v) => a + v * v, 0), 0)));
    tf.dispose(per.flat());
    const realNorms = [0, 2, 3, 4].map((i) => norms[i]);
    const R = [...realNorms].sort((a, b) => a - b)[1] * 1.001; // two of four real rows have ‖g‖ ≤ R
    const res = await stepGradients(model, x, labels, mask, {
      clipping: 'abadi',
      maxGradNorm: R,
      noiseMultiplier: 1,
      expectedBatchSize: 4,
      noise: new SeededNoiseSource(5),
      stats: true,
    });
    const s = res.stats!;
    expect(s.realRows).toBe(4);
    expect(s.perSampleNorms.length).toBe(4);
    s.perSampleNorms.forEach((n, i) => expect(Math.abs(n - realNorms[i]) / realNorms[i]).toBeLessThan(1e-5));
    expect(s.perLayerNorms.length).toBe(2);
    expect(s.layerNames).toEqual(['dense_0', 'dense_1']);
    s.perSampleNorms.forEach((n, i) => expect(Math.hypot(s.perLayerNorms[0][i], s.perLayerNorms[1][i])).toBeCloseTo(n, 5));
    expect(s.fractionClipped).toBe(0.5);
    const meanRef = realNorms.reduce((a, n) => a + Math.min(1, R / n), 0) / 4;
    expect(s.meanClipFactor).toBeCloseTo(meanRef, 5);
    expect(s.noiseNorm).toBeGreaterThan(0);
    expect(s.clippedSumNorm).toBeGreaterThan(0);
    tf.dispose([res.loss, ...res.grads, x, labels, mask]);
    model.dispose();
  });

  it('leaves no tensors behind besides the returned loss and gradients (every path)', async () => {
    const model = buildModel({ preset: 'cnn', activation: 'relu' }, [16, 16, 1], 3, 1);
    const x = tf.randomNormal([2, 16, 16, 1], 0, 1, 'float32', 1);
    const labels = tf.tensor1d([0, 2], 'int32');
    const mask = tf.tensor1d([1, 1]);
    const noise = new SeededNoiseSource(1);
    for (const opts of [
      { clipping: 'none' as const },
      { clipping: 'none' as const, stats: true },
      { clipping: 'auto-s' as const, expectedBatchSize: 2, noiseMultiplier: 1, noise, stats: true },
      { clipping: 'abadi' as const, maxGradNorm: 1, style: 'layer-wise' as const, expectedBatchSize: 2 },
    ]) {
      const before = tf.memory().numTensors;
      const res = await stepGradients(model, x, labels, mask, opts);
      expect(tf.memory().numTensors - before).toBe(1 + res.grads.length);
      tf.dispose([res.loss, ...res.grads]);
    }
    tf.dispose([x, labels, mask]);
    model.dispose();
  });
});

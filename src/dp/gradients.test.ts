import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/build';
import { computeGradients } from './gradients';
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
      const { loss, grads, stats: s } = await computeGradients(model, x, labels, mask, { clipping: 'none', stats });
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
    const { loss, grads } = await computeGradients(model, x, tf.tensor1d([0, 1], 'int32'), tf.zeros([2]) as tf.Tensor1D, { clipping: 'none' });
    expect(loss.dataSync()[0]).toBe(0);
    for (const g of grads) expect(Math.max(...g.dataSync().map(Math.abs))).toBe(0);
    model.dispose();
  });
});

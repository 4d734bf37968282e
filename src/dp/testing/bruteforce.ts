import * as tf from '@tensorflow/tfjs';
import type { Model } from '../../model/types';

/**
 * Test oracle: each example's gradient by its own tf.variableGrads call (a loop over single
 * examples, no taps, no rules). Returns B arrays of tensors aligned with model.params; caller disposes.
 */
export function perExampleGradients(model: Model, x: tf.Tensor, labels: tf.Tensor1D): tf.Tensor[][] {
  const b = x.shape[0];
  const out: tf.Tensor[][] = [];
  for (let i = 0; i < b; i++) {
    out.push(
      tf.tidy(() => {
        const xi = tf.slice(x, i, 1);
        const yi = tf.cast(tf.oneHot(tf.slice(labels, i, 1), model.numClasses), 'float32');
        const { grads } = tf.variableGrads(
          () => tf.losses.softmaxCrossEntropy(yi, model.apply(xi), undefined, 0, tf.Reduction.SUM) as tf.Scalar,
          model.params as tf.Variable[],
        );
        return model.params.map((p) => grads[p.name]);
      }),
    );
  }
  return out;
}

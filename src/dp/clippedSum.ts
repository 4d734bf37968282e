import * as tf from '@tensorflow/tfjs';
import type { ClippingStyle } from '../clipping/plan';
import type { ParametricLayer } from './rules/registry';
import type { TapCapture } from './taps';

/**
 * Σ_i c_i g_i from kept per-sample gradients [B, n] (the parameters' gradients flattened, in order):
 * one [1, B] × [B, n] product, split into the parameters' shapes.
 */
export function keptClippedSum(params: readonly tf.Tensor[], grads: tf.Tensor2D, c: tf.Tensor1D): tf.Tensor[] {
  return tf.tidy(() => {
    const sum = tf.reshape(tf.matMul(tf.reshape(c, [1, -1]), grads), [-1]);
    return tf
      .split(
        sum,
        params.map((p) => p.size),
      )
      .map((t, j) => tf.reshape(t, params[j].shape));
  });
}

/**
 * Step 3 of the DP step: the clipped sum Σ_i C_i g_i for every parameter. From the per-sample
 * gradients where step 1 kept them, otherwise by book-keeping (each rule aggregates from A_l and G_l
 * with the factors, at the cost of the ordinary weight gradient; no second backward pass). Returned
 * in the order of the model's parameters.
 *
 * @param factors [B] for flat clipping, [K, B] for layer-wise (row k for layer k).
 * @param kept    per layer, its kept per-sample gradients [B, n] or null (perSampleSqNorms).
 */
export function clippedSums(
  layers: readonly ParametricLayer[],
  capture: TapCapture,
  factors: tf.Tensor,
  style: ClippingStyle,
  kept: readonly (tf.Tensor2D | null)[] = [],
): tf.Tensor[] {
  return tf.tidy(() =>
    layers.flatMap(({ layer, rule }, k) => {
      const c = (style === 'flat' ? factors : tf.gather(factors, k)) as tf.Tensor1D;
      const grads = kept[k];
      if (grads) return keptClippedSum(layer.params, grads, c);
      return rule.clippedSum(layer, capture.activations[k], capture.backprops[k], c);
    }),
  );
}

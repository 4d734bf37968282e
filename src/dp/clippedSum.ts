import * as tf from '@tensorflow/tfjs';
import type { ClippingStyle } from '../clipping/plan';
import type { ParametricLayer } from './rules/registry';
import type { TapCapture } from './taps';

/**
 * Step 3 of the DP step: the clipped sum Σ_i C_i g_i for every parameter, by book-keeping (each
 * rule aggregates from A_l and G_l with the factors, at the cost of the ordinary weight gradient;
 * no second backward pass). Returned in the order of the model's parameters.
 *
 * @param factors [B] for flat clipping, [K, B] for layer-wise (row k for layer k).
 */
export function clippedSums(
  layers: readonly ParametricLayer[],
  capture: TapCapture,
  factors: tf.Tensor,
  style: ClippingStyle,
): tf.Tensor[] {
  return tf.tidy(() =>
    layers.flatMap(({ layer, rule }, k) => {
      const c = (style === 'flat' ? factors : tf.gather(factors, k)) as tf.Tensor1D;
      return rule.clippedSum(layer, capture.activations[k], capture.backprops[k], c);
    }),
  );
}

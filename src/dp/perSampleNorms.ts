import * as tf from '@tensorflow/tfjs';
import { addAll } from './addAll';
import type { ParametricLayer } from './rules/registry';
import type { TapCapture } from './taps';

/**
 * Step 1 of the DP step: every sample's squared gradient norm per parametric layer, [K, B], from one
 * tapped backward pass (each layer's input A_l and output gradient G_l), with no per-sample gradient
 * formed. On the kernel path a layer's rule may hand the whole layer to one of our kernels.
 */
export function perSampleSqNorms(layers: readonly ParametricLayer[], capture: TapCapture, path: 'kernels' | 'ops'): tf.Tensor2D {
  return tf.tidy(
    () =>
      tf.stack(
        layers.map(({ layer, rule }, k) => {
          const a = capture.activations[k];
          const g = capture.backprops[k];
          if (path === 'kernels' && rule.sqNormsKernel) return rule.sqNormsKernel(layer, a, g);
          return addAll(rule.sqNorms(layer, a, g));
        }),
      ) as tf.Tensor2D,
  );
}

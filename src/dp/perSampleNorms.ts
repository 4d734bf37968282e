import * as tf from '@tensorflow/tfjs';
import { addAll } from './addAll';
import type { ParametricLayer } from './rules/registry';
import type { TapCapture } from './taps';

/** What step 1 yields: the squared norms, and the per-sample gradients of the layers that kept them. */
export interface SampleNorms {
  /** [K, B]: row k is layer k's per-sample squared gradient norm. */
  sq: tf.Tensor2D;
  /** Per layer: its per-sample gradients [B, n] when the step kept them (the clipped sum reuses them), else null. */
  grads: (tf.Tensor2D | null)[];
}

/**
 * Step 1 of the DP step: every sample's squared gradient norm per parametric layer, [K, B], from one
 * tapped backward pass (each layer's input A_l and output gradient G_l). On the kernel path a layer's
 * rule may hand the whole layer to one of our kernels: its per-sample gradients, kept while all the
 * kept ones together take at most `gradBytes` (their squared row sums are the norms), or else its
 * norms alone, with no per-sample gradient formed.
 */
export function perSampleSqNorms(
  layers: readonly ParametricLayer[],
  capture: TapCapture,
  path: 'kernels' | 'ops',
  gradBytes = 0,
): SampleNorms {
  let used = 0;
  const grads = layers.map(({ layer, rule }, k) => {
    const a = capture.activations[k];
    const bytes = a.shape[0] * layer.params.reduce((s, p) => s + p.size, 0) * Float32Array.BYTES_PER_ELEMENT;
    if (path !== 'kernels' || !rule.perSampleGradsKernel || used + bytes > gradBytes) return null;
    used += bytes;
    return rule.perSampleGradsKernel(layer, a, capture.backprops[k]);
  });
  const sq = tf.tidy(
    () =>
      tf.stack(
        layers.map(({ layer, rule }, k) => {
          const kept = grads[k];
          if (kept) return tf.sum(tf.square(kept), 1);
          const a = capture.activations[k];
          const g = capture.backprops[k];
          if (path === 'kernels' && rule.sqNormsKernel) return rule.sqNormsKernel(layer, a, g);
          return addAll(rule.sqNorms(layer, a, g));
        }),
      ) as tf.Tensor2D,
  );
  return { sq, grads };
}

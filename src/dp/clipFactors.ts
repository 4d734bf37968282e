import * as tf from '@tensorflow/tfjs';
import { groupBound, type ClipPlan } from '../clipping/plan';
import { clipFactorsKernel } from '../kernels/clip_factors';

/**
 * Step 2 of the DP step: the clip factor C of every sample (flat clipping, [B], from ‖g_i‖ =
 * √Σ_l sq[l, i]) or of every (layer, sample) group (layer-wise, [K, B], each group bounded by S/√K),
 * 0 on padded rows. The factors follow the run's clipping function (src/clipping/functions.ts).
 *
 * @param sq per-layer per-sample squared norms [K, B]; @param mask [B], 1 for a real row.
 */
export function clipFactors(sq: tf.Tensor2D, mask: tf.Tensor1D, clip: ClipPlan, path: 'kernels' | 'ops'): tf.Tensor {
  const bound = groupBound(clip, sq.shape[0]);
  if (path === 'kernels') return clipFactorsKernel(sq, mask, clip.fn.name, clip.style, bound, clip.gamma);
  return tf.tidy(() =>
    clip.style === 'flat'
      ? tf.mul(clip.fn.factorOps(tf, tf.sqrt(tf.sum(sq, 0)), bound, clip.gamma), mask)
      : tf.mul(clip.fn.factorOps(tf, tf.sqrt(sq), bound, clip.gamma), tf.expandDims(mask, 0)),
  );
}

import type * as tf from '@tensorflow/tfjs';
import type { StepKey } from '../random/keyedNormals';
import type { GramReadout } from './gram';

/** Noise left for a fused optimizer (FusedOptimizer.applyNoisy) to draw inside its update kernel. */
export interface PendingNoise {
  key: StepKey;
  /** σ·S: standard deviation of the noise added to the clipped sum. */
  std: number;
  /** The expected batch size qN the noisy sum is divided by. */
  divisor: number;
}

/**
 * What a DP step hands to the optimizer (src/dp/applyGradients.ts is the only way in):
 * - 'final': gradients ready for any optimizer: noisy and divided by qN (or the plain mean without
 *   privacy), carrying noise of std `noiseStd` per coordinate of the sum;
 * - 'pending': the raw clipped sums, whose noise and division only a FusedOptimizer can apply.
 */
export type PrivateGradient =
  { kind: 'final'; grads: tf.Tensor[]; noiseStd: number } | { kind: 'pending'; sums: tf.Tensor[]; noise: PendingNoise };

/** Per-step diagnostics, real (unmasked) rows only. */
export interface DpStepStats {
  /** ‖g_i‖ over all parameters before clipping, one per real row. */
  perSampleNorms: Float32Array;
  /** ‖g_i,l‖ per parametric layer (outer index = layer, same order as `layerNames`). */
  perLayerNorms: Float32Array[];
  layerNames: string[];
  /** Number of real rows in the batch. */
  realRows: number;
  /**
   * Functions with a threshold R (Abadi, global): fraction of clip factors below 1 (over rows for
   * flat, over (row, layer) pairs for layer-wise). null for the others, where "clipped" has no meaning.
   */
  fractionClipped: number | null;
  /** Mean clip factor over the same population (1 for none). */
  meanClipFactor: number;
  /** ‖Σ_i C_i g_i‖ before noise and before dividing by the batch size. */
  clippedSumNorm: number;
  /** ‖noise‖ actually added (0 without noise). */
  noiseNorm: number;
}

export interface GradientResult {
  /** Mean cross-entropy over real rows (0 for an empty batch). Owned by the caller. */
  loss: tf.Scalar;
  /** One tensor per model.params entry, same shapes. Owned by the caller. */
  gradient: PrivateGradient;
  /** Present when the plan asks for statistics. */
  stats?: DpStepStats;
  /** The implementation that ran. */
  path: 'kernels' | 'ops';
  /** Present when the call asked for the gradient plane's inputs. */
  gram?: GramReadout;
}

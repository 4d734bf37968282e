import type * as tf from '@tensorflow/tfjs';
import type { NoiseSource, StepKey } from './noise';

/**
 * Which implementation computes the per-sample norms, clip factors and noise:
 * - 'kernels': our custom kernels (src/kernels; WebGPU programs, or their CPU twins on 'cpu');
 * - 'ops': TF.js ops only (any backend);
 * - 'auto': kernels on WebGPU when they are registered, ops elsewhere.
 */
export type DpImplementation = 'auto' | 'kernels' | 'ops';

/** Noise left for a fused optimizer (FusedOptimizer.applyNoisy) to draw inside its update kernel. */
export interface PendingNoise {
  key: StepKey;
  /** σ·S: standard deviation of the noise added to the clipped sum. */
  std: number;
  /** The expected batch size qN the noisy sum is divided by. */
  divisor: number;
}

/**
 * Per-sample clipping functions (DESIGN.md, "The DP step", step 3).
 * - none: factor 1, no noise — the ordinary non-private gradient.
 * - abadi: min(1, R/‖g‖) (Abadi et al. 2016).
 * - auto-v: 1/‖g‖ (normalisation; Bu et al. 2023). At ‖g‖ = 0 the factor is defined as 0.
 * - auto-s: 1/(‖g‖ + γ) (Bu et al. 2023, Algorithm 1; γ default 0.01).
 * - global: 1 if ‖g‖ ≤ R else 0 (Bu et al. 2021).
 */
export type ClippingFn = 'none' | 'abadi' | 'auto-v' | 'auto-s' | 'global';

/** flat = one norm over all parameters ("all-layer"); layer-wise = one group per parametric layer. */
export type ClippingStyle = 'flat' | 'layer-wise';

export interface GradientOptions {
  clipping: ClippingFn;
  /** R for abadi and global (required for them). Automatic clipping always has sensitivity 1. */
  clipNorm?: number;
  /** γ of AUTO-S; default 0.01. */
  gamma?: number;
  /** Default 'flat'. Layer-wise over K groups gives each group the budget S/√K (S = sensitivity). */
  style?: ClippingStyle;
  /** σ: the noise added to the clipped sum is N(0, σ²S²) per coordinate. Default 0. Must be 0 for 'none'. */
  noiseMultiplier?: number;
  /**
   * Divisor of the noisy clipped sum: the expected batch size qN (not the realised size, which would
   * leak it). Required unless clipping is 'none', where the mean over real rows is returned.
   */
  expectedBatchSize?: number;
  /** Source of the Gaussian noise; required when noiseMultiplier > 0. */
  noise?: NoiseSource;
  /** Read per-step diagnostics back to the CPU (one awaited read per step). Default false. */
  stats?: boolean;
  /** Default 'auto'. The run config's engine.dpPath. */
  implementation?: DpImplementation;
  /**
   * The caller applies the update with a FusedOptimizer: on the kernel path of a private step
   * (clipping other than 'none'), `grads` are then the clipped sums (no noise, not divided) and
   * `pendingNoise` says what to add and divide by inside the update kernel. Ignored on the ops path
   * and for clipping 'none' (grads are then final). Default false.
   */
  fusedUpdate?: boolean;
}

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
   * abadi/global: fraction of clip factors below 1 (over rows for flat, over (row, layer) pairs for
   * layer-wise). null for none/auto-v/auto-s, where "clipped" has no meaning.
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
  /** One gradient per model.params entry, same shapes. Owned by the caller. */
  grads: tf.Tensor[];
  /** Present when opts.stats is true. */
  stats?: DpStepStats;
  /**
   * Std σ·S of the Gaussian noise this step carries per coordinate of the clipped sum: already in
   * `grads`, or in `pendingNoise` for a fused update to draw. 0 when no noise was added (clipping
   * 'none', or σ = 0). Applying the result checks it against what the run requires.
   */
  noiseStd: number;
  /** Set only with opts.fusedUpdate on the kernel path of a private step: grads are raw clipped sums. */
  pendingNoise?: PendingNoise;
  /** The implementation that ran. */
  path: 'kernels' | 'ops';
}

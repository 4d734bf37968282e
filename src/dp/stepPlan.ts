import type { ClipPlan } from '../clipping/plan';
import type { NoiseSource } from './noise';

/**
 * Which implementation computes the per-sample norms, clip factors and noise:
 * - 'kernels': our custom kernels (src/kernels; WebGPU programs, or their CPU twins on 'cpu');
 * - 'ops': TF.js ops only (any backend);
 * - 'auto': kernels on WebGPU when they are registered, ops elsewhere.
 */
export type DpImplementation = 'auto' | 'kernels' | 'ops';

/**
 * Everything one DP step needs besides the batch, resolved and checked once per run (the engine
 * builds it from the run's privacy plan), so a step never re-reads or re-validates settings.
 */
export interface DpStepPlan {
  readonly clip: ClipPlan;
  /** σ: the noise on the clipped sum is N(0, σ²S²) per coordinate; 0 only without privacy. */
  readonly noiseMultiplier: number;
  /** σ·S, the noise std per coordinate of the clipped sum. */
  readonly noiseStd: number;
  /**
   * The divisor of the noisy sum: the expected batch size qN, not the realised size (which would
   * leak it). null without privacy: the plain gradient is the mean over the real rows.
   */
  readonly expectedBatchSize: number | null;
  /** Source of the Gaussian noise; present whenever σ > 0. */
  readonly noise: NoiseSource | null;
  readonly implementation: DpImplementation;
  /**
   * The caller applies the update with a FusedOptimizer: on the kernel path the step then returns
   * the clipped sums with the noise pending, and the update kernel draws it (the noisy gradient is
   * never a tensor). Ignored on the ops path and without privacy.
   */
  readonly fusedUpdate: boolean;
  /** Compute the per-step diagnostics (norms, factors, signal and noise norms) and read them back. */
  readonly stats: boolean;
  /**
   * Kernel path: the most bytes of per-sample gradients [B, n] the step keeps, all layers together,
   * for layers whose rule can form them (PerSampleRule.perSampleGradsKernel), first layers first; a
   * layer that no longer fits gets the book-keeping clipped sum instead. 0: book-keeping everywhere.
   */
  readonly perSampleGradBytes: number;
}

/**
 * Default of DpStepPlan.perSampleGradBytes: 64 MiB per step, half of WebGPU's default largest
 * storage-buffer binding (128 MiB). The CNN preset keeps both convolutions up to batch 1800.
 */
export const PER_SAMPLE_GRAD_BYTES = 64 * 2 ** 20;

export interface DpStepSettings {
  /** The run's clipping, resolved once (src/clipping/plan.ts: resolveClipPlan). */
  clip: ClipPlan;
  noiseMultiplier?: number;
  expectedBatchSize?: number;
  noise?: NoiseSource;
  implementation?: DpImplementation;
  fusedUpdate?: boolean;
  stats?: boolean;
  perSampleGradBytes?: number;
}

/** Checks the settings of a DP step (a bad one throws, naming it) and resolves the defaults. */
export function planDpStep(s: DpStepSettings): DpStepPlan {
  const clip = s.clip;
  const sigma = s.noiseMultiplier ?? 0;
  if (!(sigma >= 0 && Number.isFinite(sigma))) throw new Error(`DP step: noiseMultiplier must be finite and ≥ 0, got ${sigma}`);
  const implementation = s.implementation ?? 'auto';
  if (!['auto', 'kernels', 'ops'].includes(implementation)) {
    throw new Error(`DP step: unknown implementation "${String(implementation)}" (auto, kernels, ops)`);
  }
  const perSampleGradBytes = s.perSampleGradBytes ?? PER_SAMPLE_GRAD_BYTES;
  if (!(perSampleGradBytes >= 0 && Number.isFinite(perSampleGradBytes))) {
    throw new Error(`DP step: perSampleGradBytes must be finite and ≥ 0, got ${perSampleGradBytes}`);
  }
  const common = { implementation, fusedUpdate: s.fusedUpdate ?? false, stats: s.stats ?? false, perSampleGradBytes };
  if (clip.fn.name === 'none') {
    if (sigma > 0) throw new Error('DP step: clipping "none" is the non-private baseline and takes no noise');
    return { clip, noiseMultiplier: 0, noiseStd: 0, expectedBatchSize: null, noise: null, ...common };
  }
  const b = s.expectedBatchSize;
  if (b === undefined || !(b > 0 && Number.isFinite(b))) {
    throw new Error(`DP step: clipping "${clip.fn.name}" needs expectedBatchSize (qN) > 0, got ${String(b)}`);
  }
  if (sigma > 0 && !s.noise) throw new Error('DP step: noiseMultiplier > 0 needs a noise source');
  return { clip, noiseMultiplier: sigma, noiseStd: sigma * clip.sensitivity, expectedBatchSize: b, noise: s.noise ?? null, ...common };
}

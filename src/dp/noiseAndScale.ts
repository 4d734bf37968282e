import * as tf from '@tensorflow/tfjs';
import { noisyGradient } from '../kernels/noisy_update';
import { addAll } from './addAll';
import type { DpStepPlan } from './stepPlan';
import type { PrivateGradient } from './types';

/**
 * Step 4 of the DP step: add N(0, σ²S²) to each clipped sum and divide by the expected batch size
 * qN; without privacy, the mean over the real rows and no noise.
 * - ops path: the noise comes from the run's NoiseSource as tensors;
 * - kernel path: one kernel pass draws the keyed noise and divides (the noisy gradient is its
 *   output), or, for a FusedOptimizer, both are left pending for the update kernel.
 * Synchronous, for the caller's tf.tidy. With `measureNoise`, also ‖noise‖ over all parameters
 * (for kernel-drawn noise, by regenerating the same counter-based draws): a diagnostic.
 */
export function addNoiseAndScale(
  sums: tf.Tensor[],
  realRows: tf.Scalar,
  plan: DpStepPlan,
  path: 'kernels' | 'ops',
  measureNoise: boolean,
): { gradient: PrivateGradient; noiseNorm: tf.Scalar | null } {
  const std = plan.noiseStd;
  const divisor = plan.expectedBatchSize;
  if (divisor === null) {
    return { gradient: { kind: 'final', grads: sums.map((s) => tf.div(s, tf.maximum(realRows, 1))), noiseStd: 0 }, noiseNorm: null };
  }
  const source = plan.noise;
  if (std > 0 && !source) throw new Error('DP step: a private step with σ > 0 has no noise source');
  const norm = (noises: tf.Tensor[]) => tf.sqrt(addAll(noises.map((z) => tf.sum(tf.square(z))))) as tf.Scalar;
  if (path === 'kernels') {
    const key = std > 0 && source ? source.nextStepKey() : { key0: 0, key1: 0, step: 0 };
    const noiseNorm = measureNoise && std > 0 ? norm(sums.map((s, i) => noisyGradient(tf.zerosLike(s), key, i, std, 1))) : null;
    const gradient: PrivateGradient = plan.fusedUpdate
      ? { kind: 'pending', sums, noise: { key, std, divisor } }
      : { kind: 'final', grads: sums.map((s, i) => noisyGradient(s, key, i, std, divisor)), noiseStd: std };
    return { gradient, noiseNorm };
  }
  const noises = std > 0 && source ? sums.map((s) => source.normal(s.shape, std)) : [];
  const grads = sums.map((s, i) => tf.div(noises.length > 0 ? tf.add(s, noises[i]) : s, divisor));
  return {
    gradient: { kind: 'final', grads, noiseStd: noises.length > 0 ? std : 0 },
    noiseNorm: measureNoise && noises.length > 0 ? norm(noises) : null,
  };
}

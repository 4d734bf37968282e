import type * as tf from '@tensorflow/tfjs';
import type { Optimizer } from '../optim';
import { FusedOptimizer } from './fusedOptimizer';
import type { PrivateGradient } from './types';

/**
 * Applies one DP step's gradient with the run's optimizer, or throws without touching the
 * parameters. Fail closed: a private step either carries its noise (added to final gradients, or
 * pending for a FusedOptimizer to draw inside its update) or does not happen. In particular pending
 * sums, raw and undivided, are never given to an optimizer's plain update.
 *
 * @param requiredNoiseStd σ·S per coordinate that the run's privacy plan requires; 0 for a
 *   non-private run.
 */
export function applyGradients(
  optimizer: Optimizer,
  params: readonly tf.Variable[],
  gradient: PrivateGradient,
  requiredNoiseStd: number,
): void {
  if (!(requiredNoiseStd >= 0 && Number.isFinite(requiredNoiseStd))) {
    throw new Error(`applyGradients: the required noise std must be finite and ≥ 0, got ${requiredNoiseStd}`);
  }
  const carried = gradient.kind === 'final' ? gradient.noiseStd : gradient.noise.std;
  if (!(carried >= requiredNoiseStd)) {
    throw new Error(
      `DP step: this private step needs noise of std ${requiredNoiseStd} per coordinate, but its gradient carries ${carried}: refusing to apply it`,
    );
  }
  if (gradient.kind === 'final') {
    optimizer.apply(params, gradient.grads);
    return;
  }
  if (!(optimizer instanceof FusedOptimizer)) {
    throw new Error(
      `DP step: the gradient's noise is pending (to be drawn inside a fused update), but optimizer "${optimizer.name}" cannot add it: refusing to apply the raw clipped sum`,
    );
  }
  optimizer.applyNoisy(params, gradient.sums, gradient.noise);
}

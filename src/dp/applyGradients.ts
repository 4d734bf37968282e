import type * as tf from '@tensorflow/tfjs';
import type { Optimizer } from '../optim';
import { FusedOptimizer } from './fusedOptimizer';
import type { GradientResult } from './types';

/**
 * Applies one DP step's gradient result with the run's optimizer, or throws without touching the
 * parameters. Fail closed: a private step either carries its noise (added to `grads`, or pending for
 * a FusedOptimizer to draw inside its update) or does not happen. In particular a pending result,
 * whose grads are the raw, undivided clipped sums, is never given to an optimizer's plain update.
 *
 * @param requiredNoiseStd σ·S per coordinate that the run's privacy plan requires; 0 for a
 *   non-private run.
 */
export function applyGradients(
  optimizer: Optimizer,
  params: readonly tf.Variable[],
  result: Pick<GradientResult, 'grads' | 'noiseStd' | 'pendingNoise'>,
  requiredNoiseStd: number,
): void {
  if (!(requiredNoiseStd >= 0 && Number.isFinite(requiredNoiseStd))) {
    throw new Error(`applyGradients: the required noise std must be finite and ≥ 0, got ${requiredNoiseStd}`);
  }
  if (!(result.noiseStd >= requiredNoiseStd)) {
    throw new Error(
      `DP step: this private step needs noise of std ${requiredNoiseStd} per coordinate, but its gradient carries ${result.noiseStd}: refusing to apply it`,
    );
  }
  if (result.pendingNoise) {
    if (!(optimizer instanceof FusedOptimizer)) {
      throw new Error(
        `DP step: the gradient's noise is pending (to be drawn inside a fused update), but optimizer "${optimizer.name}" cannot add it: refusing to apply the raw clipped sum`,
      );
    }
    optimizer.applyNoisy(params, result.grads, result.pendingNoise);
  } else {
    optimizer.apply(params, result.grads);
  }
}

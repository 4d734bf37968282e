/** Largest learning rate a run accepts, at the start or changed during training. */
export const LEARNING_RATE_MAX = 100;

/**
 * Why `v` cannot be a learning rate, or null: the one message the field shows before a run and
 * while it trains, and the one the engine gives when a change reaches it anyway.
 */
export function learningRateProblem(v: number): string | null {
  return Number.isFinite(v) && v > 0 && v <= LEARNING_RATE_MAX ? null : `Learning rate must be > 0 and ≤ ${LEARNING_RATE_MAX}`;
}

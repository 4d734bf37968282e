/**
 * Watches the loss for divergence: a non-finite loss, or one that explodes far above where the run
 * started. Either stops the run with an explanation instead of training on garbage.
 */
export interface DivergenceVerdict {
  reason: string;
}

/** A loss this many times the first step's loss (≈ log of the class count at init) counts as exploding. */
export const EXPLOSION_FACTOR = 50;

export class DivergenceWatch {
  private start: number | null = null;

  constructor(private readonly privateRun: boolean) {}

  /** Returns a verdict when the run should stop. */
  check(step: number, loss: number): DivergenceVerdict | null {
    const hint = this.privateRun
      ? 'Lower the learning rate, or use AUTO-S clipping, which bounds every per-sample gradient without a threshold to tune.'
      : 'Lower the learning rate.';
    if (!Number.isFinite(loss)) {
      return { reason: `Training diverged at step ${step}: the loss became ${String(loss)}. ${hint}` };
    }
    if (this.start === null) {
      this.start = loss;
      return null;
    }
    const start = this.start;
    if (loss > EXPLOSION_FACTOR * Math.max(start, 1e-3)) {
      return {
        reason: `Training diverged at step ${step}: the loss (${loss.toPrecision(3)}) is over ${EXPLOSION_FACTOR}× its starting level (${start.toPrecision(3)}). ${hint}`,
      };
    }
    return null;
  }
}

/** Stops a run's step loop when the watch gives a verdict: the run ends in 'error', its state event naming the step. */
export class TrainingDiverged extends Error {
  constructor(
    readonly step: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'TrainingDiverged';
  }
}

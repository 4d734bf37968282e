import type { PrivacySegment } from './checkpoint';

/**
 * The rule a stored privacy history must obey before a run's ε is computed from it. Histories come
 * from IndexedDB and from imported files, so they may be stale or forged; a history that lowers ε
 * (a larger σ, a smaller q, fewer steps) must never be accepted. A private run spends every step at
 * its config's q = B/N and σ, so each segment must carry exactly those, and the segments must account
 * at least the steps the model took. Pure: used on import (against the run's metadata) and by the
 * engine on resume (against the config and the real data, which is definitive).
 */
export interface HistoryExpectation {
  private: boolean;
  /** q = B/N of the config, when known (null: not checked here). */
  q: number | null;
  /** σ of the config (given, or calibrated deterministically), when known. */
  sigma: number | null;
  /** Steps the history must account at least (the model's step). */
  minSteps: number;
}

export interface HistoryProblem {
  /** Path inside the history: [segment index, field], or [] for the whole history. */
  path: (number | string)[];
  message: string;
}

/** Relative slack when comparing q or σ: both are recomputed bit for bit, this only absorbs a last-digit change in calibration. */
const SAME_RELATIVE = 1e-9;

/** Whether two sample rates or noise multipliers are the same, up to a last-digit change. */
export const sameRate = (a: number, b: number) => Math.abs(a - b) <= SAME_RELATIVE * Math.abs(b);

/** Steps a history accounts; NaN when a count is not a non-negative integer, so comparisons fail closed. */
export function accountedSteps(history: readonly PrivacySegment[] | undefined): number {
  return (history ?? []).reduce((n, h) => n + (Number.isSafeInteger(h.steps) && h.steps >= 0 ? h.steps : NaN), 0);
}

/** The first way `history` breaks the rule, or null when it obeys it. */
export function historyProblem(history: readonly PrivacySegment[], expect: HistoryExpectation): HistoryProblem | null {
  if (!expect.private) {
    const i = history.findIndex((h) => h.steps !== 0);
    return i < 0
      ? null
      : { path: [i, 'steps'], message: `a non-private run spends no privacy, but this segment accounts ${history[i].steps} steps` };
  }
  for (let i = 0; i < history.length; i++) {
    const h = history[i];
    if (!(Number.isSafeInteger(h.steps) && h.steps >= 0)) return { path: [i, 'steps'], message: `${h.steps} is not a number of steps` };
    if (expect.q !== null && !sameRate(h.q, expect.q)) {
      return { path: [i, 'q'], message: `sample rate ${h.q} differs from the run's q = B/N = ${expect.q}` };
    }
    if (expect.sigma !== null && !sameRate(h.sigma, expect.sigma)) {
      return { path: [i, 'sigma'], message: `noise multiplier ${h.sigma} differs from the run's σ = ${expect.sigma}` };
    }
  }
  const steps = accountedSteps(history);
  if (!(steps >= expect.minSteps))
    return { path: [], message: `accounts ${steps} steps, fewer than the ${expect.minSteps} the run took (ε would be too low)` };
  return null;
}

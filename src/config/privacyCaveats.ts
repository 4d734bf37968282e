import type { RunConfig } from './runConfig';

/**
 * Settings under which the ε a run reports is not the guarantee it looks like, as structured flags
 * that every output carries (CLI summaries, sweep results, the runs table, exported runs), so no
 * reader has to find them in free-text notes. A flag is true when the caveat applies; a non-private
 * run claims no ε, so both are false for it.
 */
export interface PrivacyCaveats {
  /** Shuffled fixed-size batches: the accountants assume Poisson sampling, so the ε shown does not cover this run. */
  notCoveredByAccountant: boolean;
  /** Noise and sampling come from a stream seeded by the run's seed: not private against anyone who knows it. */
  seededRandomness: boolean;
}

export const NO_CAVEATS: PrivacyCaveats = { notCoveredByAccountant: false, seededRandomness: false };

export function privacyCaveats(config: RunConfig): PrivacyCaveats {
  const p = config.privacy;
  return { notCoveredByAccountant: p.enabled && p.sampling === 'shuffle', seededRandomness: p.enabled && !p.secureNoise };
}

export function hasCaveat(c: PrivacyCaveats): boolean {
  return c.notCoveredByAccountant || c.seededRandomness;
}

/** Short labels (badges, table cells). */
export const CAVEAT_LABELS: Record<keyof PrivacyCaveats, string> = {
  notCoveredByAccountant: 'not covered by the accountant',
  seededRandomness: 'seeded randomness',
};

/** One sentence per caveat that applies, for warnings. */
export function caveatSentences(c: PrivacyCaveats): string[] {
  const out: string[] = [];
  if (c.notCoveredByAccountant) {
    out.push('Not covered by the accountant: batches are shuffled with a fixed size, while the ε shown assumes Poisson sampling.');
  }
  if (c.seededRandomness) {
    out.push(
      'Seeded randomness (teaching mode): noise and sampling follow the run seed, so the run is not private against anyone who knows the seed.',
    );
  }
  return out;
}

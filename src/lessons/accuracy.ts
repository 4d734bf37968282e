import { formatPercentSpread, summariseSeeds, type SeedSummary } from './seedStats';
import { runsOf } from './records';
import type { LessonRunRecord } from './types';

/**
 * Test accuracy over seeds of each named run. Throws naming the run when one has no finished
 * record: an outcome is only stated about runs that were trained.
 */
export function accuracyOf(records: readonly LessonRunRecord[], label: string): SeedSummary {
  const values = runsOf(records, label).map((r) => r.finalTestAccuracy);
  if (values.some((v) => v === null)) throw new Error(`lesson outcome: run "${label}" has no test accuracy yet`);
  return summariseSeeds(values as number[]);
}

/** Test accuracy over seeds of each named run, in order. */
export function accuraciesOf(records: readonly LessonRunRecord[], labels: readonly string[]): [string, SeedSummary][] {
  return labels.map((label) => [label, accuracyOf(records, label)]);
}

/** Percentage points between two accuracies in [0, 1]. */
export const points = (a: number, b: number) => 100 * (a - b);

/** "spirals R = 1: 91.4 ± 1.8 %" lines for a detail sentence. */
export function listAccuracies(entries: readonly [string, SeedSummary][]): string {
  return entries.map(([label, s]) => `${label}: ${formatPercentSpread(s)}`).join('; ');
}

/** `numbers` entries for test accuracies over seeds: "<run label> mean" and "<run label> sd". */
export function accuracyNumbers(entries: readonly [string, SeedSummary][]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [label, s] of entries) {
    out[`${label} mean`] = s.mean;
    out[`${label} sd`] = s.sd;
  }
  return out;
}

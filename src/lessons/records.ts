import type { LessonRunRecord } from './types';

/**
 * The records of the run named `label` (one per seed). Throws naming the run when there is none: an
 * outcome is only stated about runs that were trained.
 */
export function runsOf(records: readonly LessonRunRecord[], label: string): LessonRunRecord[] {
  const runs = records.filter((r) => r.label === label);
  if (runs.length === 0) throw new Error(`lesson outcome: no finished run "${label}"`);
  return runs;
}

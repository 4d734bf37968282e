import type { SweepConfig } from '../config/sweepConfig';
import type { LessonSweep } from './types';

/**
 * A lesson's grid as a sweep file for `autoclip sweep --config` (Abadi cells only, over `seeds`): the
 * same cells the lesson loads into the Sweep panel, measured over seeds in docs/LESSONS.md.
 */
export function lessonSweepConfig(sweep: LessonSweep, seeds: readonly number[]): SweepConfig {
  return { base: sweep.base, clipping: { abadi: { R: [...sweep.R], lr: [...sweep.lr] } }, seeds: [...seeds] };
}

import { LESSON_EXTRA_SEEDS, plannedStepsOf } from './seedRuns';
import type { Lesson } from './types';

/**
 * How long a lesson takes in the playground on its 3 seeds, estimated from the times it took on our
 * test machine (headless Chromium without a GPU, the WebAssembly backend, 2 cores shared with other
 * jobs at a load average of about 20; docs/LESSONS.md, "How long each lesson takes"): the first run's
 * start-up (the backend and its kernels), a cost per run (data, evaluations) and one per training step
 * of the lessons' MLP 32-32 at batch 256. Fitted by hand to the six lessons' times: within about 20 %
 * for the spirals lessons (their times vary that much with the machine's load); it overestimates privacy-budget, whose circle runs are cheaper per step.
 */
export const SECONDS_TO_START = 10;
export const SECONDS_PER_RUN = 2.3;
export const SECONDS_PER_STEP = 0.022;

/** Lessons longer than this say so before they start. */
export const LONG_LESSON_SECONDS = 120;

export interface LessonEstimate {
  /** Runs and planned training steps on all the seeds. */
  runs: number;
  steps: number;
  seconds: number;
}

export function estimateLessonSeconds(lesson: Lesson): LessonEstimate {
  const seeds = 1 + LESSON_EXTRA_SEEDS;
  const runs = lesson.runs.length * seeds;
  const steps = seeds * lesson.runs.reduce((n, r) => n + plannedStepsOf(r.config), 0);
  return { runs, steps, seconds: SECONDS_TO_START + runs * SECONDS_PER_RUN + steps * SECONDS_PER_STEP };
}

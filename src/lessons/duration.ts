import { LESSON_EXTRA_SEEDS, plannedStepsOf } from './seedRuns';
import type { Lesson } from './types';

/**
 * How long a lesson takes in the playground on its 3 seeds, estimated from the times it took on our
 * test machine (headless Chromium without a GPU, the WebAssembly backend, 2 cores; docs/LESSONS.md,
 * "How long each lesson takes"): the first run's start-up, a cost per run (data, evaluations) and one
 * per training step of the lessons' MLP 32-32 at batch 256, fitted by hand to the six lessons' times
 * with the cores otherwise idle. With the cores busy with other work (load average about 20) every
 * lesson took 3.3 to 4.4 times as long: BUSY_FACTOR.
 */
const SECONDS_TO_START = 2;
const SECONDS_PER_RUN = 0.6;
const SECONDS_PER_STEP = 0.0063;
const BUSY_FACTOR = 4;

/** Lessons that can take longer than this (on a busy machine) say so before they start. */
export const LONG_LESSON_SECONDS = 120;

export interface LessonEstimate {
  /** Runs and planned training steps on all the seeds. */
  runs: number;
  steps: number;
  /** On our test machine, idle and busy. */
  seconds: number;
  busySeconds: number;
}

export function estimateLessonSeconds(lesson: Lesson): LessonEstimate {
  const seeds = 1 + LESSON_EXTRA_SEEDS;
  const runs = lesson.runs.length * seeds;
  const steps = seeds * lesson.runs.reduce((n, r) => n + plannedStepsOf(r.config), 0);
  const seconds = SECONDS_TO_START + runs * SECONDS_PER_RUN + steps * SECONDS_PER_STEP;
  return { runs, steps, seconds, busySeconds: BUSY_FACTOR * seconds };
}

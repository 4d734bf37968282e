import type { RunConfig } from '../config/runConfig';
import { stepsFor } from '../privacy/resolveNoise';
import { seededConfig, trainSizeOf } from './presets';
import type { Lesson } from './types';

/**
 * After its runs on the preset's seed, the playground trains a lesson's runs on this many further
 * seeds in the background: with the preset's, the 3 seeds its claim is measured over (docs/LESSONS.md,
 * `autoclip lesson NAME`, whose default seeds 1–3 are the presets' seed 1 and the next two).
 */
export const LESSON_EXTRA_SEEDS = 2;

/** One lesson run on one seed. */
export interface LessonSeedRun {
  label: string;
  seed: number;
  config: RunConfig;
}

/**
 * A lesson run's config as the playground trains it: on `seed`, with noise and sampling secure or
 * seeded as the playground is set (a lesson never turns secure randomness off behind the user's back).
 */
export function lessonRunConfig(config: RunConfig, seed: number, secureNoise: boolean): RunConfig {
  return { ...seededConfig(config, seed), privacy: { ...config.privacy, secureNoise } };
}

/** The lesson's runs on the preset seed (each run's own seed), as "Train lesson runs" starts them. */
export function presetSeedRuns(lesson: Lesson, secureNoise: boolean): LessonSeedRun[] {
  return lesson.runs.map((r) => ({ label: r.label, seed: r.config.seed, config: lessonRunConfig(r.config, r.config.seed, secureNoise) }));
}

/** The lesson's runs on the LESSON_EXTRA_SEEDS seeds after each run's preset seed, seed by seed (every run on the next seed first). */
export function extraSeedRuns(lesson: Lesson, secureNoise: boolean): LessonSeedRun[] {
  return Array.from({ length: LESSON_EXTRA_SEEDS }, (_, i) =>
    lesson.runs.map((r) => {
      const seed = r.config.seed + i + 1;
      return { label: r.label, seed, config: lessonRunConfig(r.config, seed, secureNoise) };
    }),
  ).flat();
}

/** Steps a lesson run is planned to train (a hard privacy budget may stop it earlier). Lessons train 2D sets. */
export function plannedStepsOf(config: RunConfig): number {
  return stepsFor(config.train.epochs, trainSizeOf(config), config.train.batchSize);
}

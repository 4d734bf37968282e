import { adamHidesR } from './catalog/adamHidesR';
import { automaticClipping } from './catalog/automaticClipping';
import { privacyBudget } from './catalog/privacyBudget';
import { rLrCoupled } from './catalog/rLrCoupled';
import { whatRDoes } from './catalog/whatRDoes';
import { whyClip } from './catalog/whyClip';
import type { Lesson } from './types';

export { seededConfig } from './presets';
export type { Lesson, LessonOutcome, LessonPlane, LessonRun, LessonRunRecord, LessonSweep } from './types';
export { lessonSweepConfig } from './sweep';
export { compareSentence, formatPercentSpread, summariseSeeds, withinSpread, type SeedSummary } from './seedStats';

/** The lessons, in teaching order. */
export const LESSONS: readonly Lesson[] = [whyClip, whatRDoes, rLrCoupled, automaticClipping, adamHidesR, privacyBudget];

/** Seeds a lesson is measured with unless told otherwise. */
export const LESSON_SEEDS = [1, 2, 3] as const;

export function lessonByName(name: string): Lesson | undefined {
  return LESSONS.find((l) => l.name === name);
}

/** Seeds 1…k. */
export function lessonSeeds(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i + 1);
}

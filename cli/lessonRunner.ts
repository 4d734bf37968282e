/**
 * Trains a lesson's runs in Node through the engine's RunController (the loop the playground's
 * worker drives), records each run from the events it emits, and checks the lesson's outcome on
 * those records. `autoclip lesson` and the lesson tests both call runLesson.
 */
import type { RunConfig } from '../src/config/runConfig';
import { TrainingRun } from '../src/engine/trainingRun';
import { trainToEnd } from '../src/engine/trainToEnd';
import { seededConfig } from '../src/lessons/presets';
import type { Lesson, LessonOutcome, LessonRunRecord } from '../src/lessons/types';
import { initNodeBackend, loadData } from './training';

export interface LessonReport {
  lesson: string;
  runs: LessonRunRecord[];
  outcome: LessonOutcome;
  seconds: number;
}

export interface LessonProgress {
  label: string;
  seed: number;
  index: number;
  total: number;
  record: LessonRunRecord;
  seconds: number;
}

/**
 * Trains one config to its end through RunController and records what the engine's events say about
 * it (the facts the playground's store reduces into its run views, so the CLI checks a lesson's
 * outcome on the same facts as the app). Throws, naming `context` and the run, when the run stops
 * with an error or diverges.
 */
export async function trainRecorded(label: string, seed: number, config: RunConfig, context: string): Promise<LessonRunRecord> {
  await initNodeBackend();
  const run = TrainingRun.create(config, await loadData(config));
  const failed = (why: string) => new Error(`${context}: run "${label}" (seed ${seed}) failed: ${why}`);
  try {
    const o = await trainToEnd(run).catch((e: unknown) => {
      throw failed(e instanceof Error ? e.message : String(e));
    });
    if (o.divergedAt !== null) throw failed(o.stopReason ?? 'the loss diverged');
    return {
      label,
      seed,
      config,
      finalTestAccuracy: o.testAcc,
      epsilon: o.epsilon,
      sigma: run.privacy.sigma,
      steps: o.steps,
      plannedSteps: run.totalSteps,
      stopMessage: o.stopReason,
      lastStepNorms: o.lastGradStats ? Array.from(o.lastGradStats.norms) : null,
    };
  } finally {
    run.dispose();
  }
}

/** Trains every run of `lesson` once per seed (in order), then states the outcome. Throws naming the run that failed. */
export async function runLesson(lesson: Lesson, seeds: readonly number[], onRun?: (p: LessonProgress) => void): Promise<LessonReport> {
  await initNodeBackend();
  const started = performance.now();
  const records: LessonRunRecord[] = [];
  const total = lesson.runs.length * seeds.length;
  for (const run of lesson.runs) {
    for (const seed of seeds) {
      const t0 = performance.now();
      const record = await trainRecorded(run.label, seed, seededConfig(run.config, seed), `lesson ${lesson.name}`);
      records.push(record);
      onRun?.({ label: run.label, seed, index: records.length, total, record, seconds: (performance.now() - t0) / 1000 });
    }
  }
  return { lesson: lesson.name, runs: records, outcome: lesson.outcome(records), seconds: (performance.now() - started) / 1000 };
}

/**
 * Trains a lesson's runs in Node through the engine's RunController (the loop the playground's
 * worker drives), records each run from the events it emits, and checks the lesson's outcome on
 * those records. `autoclip lesson` and the lesson tests both call runLesson.
 */
import type { RunConfig } from '../src/config/runConfig';
import { RunController } from '../src/engine/runController';
import { seededConfig } from '../src/lessons/presets';
import type { Lesson, LessonOutcome, LessonRunRecord } from '../src/lessons/types';
import type { RunEvent } from '../src/domain/runEvent';
import { initNodeBackend, loadData } from './training';

/**
 * Builds a lesson run's record from the engine's events for that run (the events the playground's
 * store reduces into its run views), so that the CLI checks the outcome on the same facts as the app: the last test accuracy and ε, σ, the steps taken and planned, the last step's
 * per-sample norms and the message the run stopped with.
 */
class LessonRunRecorder {
  private finalTestAccuracy: number | null = null;
  private epsilon: number | null = null;
  private sigma: number | null = null;
  private steps = 0;
  private plannedSteps = 0;
  private stopMessage: string | null = null;
  private lastStepNorms: number[] | null = null;
  private failure: string | null = null;
  private finished = false;

  constructor(
    readonly label: string,
    readonly seed: number,
    readonly config: RunConfig,
  ) {}

  /** Takes one event of this run (events of other runs must not be passed). */
  take(e: RunEvent): void {
    switch (e.type) {
      case 'created':
        this.sigma = e.summary.sigma;
        this.plannedSteps = e.summary.totalSteps;
        break;
      case 'metrics':
        for (const p of e.points) {
          this.steps = Math.max(this.steps, p.step);
          if (p.testAcc !== undefined) this.finalTestAccuracy = p.testAcc;
          if (p.epsilon !== undefined) this.epsilon = p.epsilon;
        }
        break;
      case 'gradStats':
        this.lastStepNorms = Array.from(e.stats.norms);
        break;
      case 'state':
        if (e.state === 'done') {
          this.finished = true;
          this.stopMessage = e.message ?? null;
        } else if (e.state === 'error') {
          this.failure = e.message ?? 'the run failed';
        }
        break;
      default:
        break;
    }
  }

  get done(): boolean {
    return this.finished;
  }

  /** The error the run stopped with, if it did. */
  get error(): string | null {
    return this.failure;
  }

  record(): LessonRunRecord {
    return {
      label: this.label,
      seed: this.seed,
      config: this.config,
      finalTestAccuracy: this.finalTestAccuracy,
      epsilon: this.config.privacy.enabled ? this.epsilon : null,
      sigma: this.sigma,
      steps: this.steps,
      plannedSteps: this.plannedSteps,
      stopMessage: this.stopMessage,
      lastStepNorms: this.lastStepNorms,
    };
  }
}

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
 * Trains one config to its end through RunController and returns what the engine's events say about
 * it. Throws, naming `context` and the run, when the run stops with an error.
 */
export async function trainRecorded(label: string, seed: number, config: RunConfig, context: string): Promise<LessonRunRecord> {
  await initNodeBackend();
  const recorder = new LessonRunRecorder(label, seed, config);
  const data = await loadData(config);
  const controller = new RunController(`${context}:${label}:${seed}`, config, data, (e) => recorder.take(e), {
    yieldToEvents: () => Promise.resolve(),
  });
  try {
    controller.start();
    await controller.settled();
  } finally {
    await controller.dispose();
  }
  if (!recorder.done) throw new Error(`${context}: run "${label}" (seed ${seed}) failed: ${recorder.error ?? 'it did not finish'}`);
  return recorder.record();
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

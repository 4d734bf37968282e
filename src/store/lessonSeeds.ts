import type { Lesson, LessonOutcome, LessonRunRecord } from '../lessons';
import { plannedStepsOf, type LessonSeedRun } from '../lessons/seedRuns';
import type { WorkerEvent } from '../protocol/messages';
import { createRunQueue, type RunQueue } from '../sweep/runQueue';
import { cancelInWorker, endInWorker, foldActiveRunEvents, launchInWorker } from './backgroundRuns';
import { newLessonRunId } from './ids';
import type { CommandSink } from './sliceTypes';

/** Background runs trained at once: the worker interleaves their steps; more only splits the same GPU. */
export const LESSON_SEEDS_CONCURRENCY = 2;

/** One lesson run on one of the further seeds, and what its events have said so far. */
export interface SeedRunState {
  label: string;
  seed: number;
  /** How the run ended; 'open' until then (whether it waits or trains is the run queue's pending/active). */
  status: 'open' | 'done' | 'failed';
  /** What the outcome check reads, filled in from the run's events. */
  record: LessonRunRecord;
  message?: string;
}

/**
 * The open lesson's runs on the seeds after the preset's, trained in the background (not in the runs
 * table, not saved) once the runs on the preset seed are done; then the outcome over all the seeds.
 * Scheduled by the run queue (src/sweep/runQueue.ts) of indices in `runs`.
 */
export interface LessonSeeds extends RunQueue<number> {
  /** The records of the runs on the preset seed, as they were when these started. */
  preset: LessonRunRecord[];
  runs: SeedRunState[];
  startedAt: number;
}

/** Where the background runs are; 'failed': a run failed, so no outcome over all the seeds (the others were stopped). */
export function seedsStatus(s: LessonSeeds): RunQueue<number>['status'] | 'failed' {
  return s.runs.some((r) => r.status === 'failed') ? 'failed' : s.status;
}

/** A record with nothing reported yet (the run's planned steps known from its config). */
function emptyRecord(run: LessonSeedRun): LessonRunRecord {
  return {
    label: run.label,
    seed: run.seed,
    config: run.config,
    finalTestAccuracy: null,
    epsilon: null,
    sigma: null,
    steps: 0,
    plannedSteps: plannedStepsOf(run.config),
    stopMessage: null,
    lastStepNorms: null,
  };
}

/** The facts one worker event adds to a run's record (the ones the store keeps for a run it shows: lessonRecord). */
function withEvent(r: LessonRunRecord, e: WorkerEvent): LessonRunRecord {
  switch (e.type) {
    case 'created':
      return { ...r, sigma: e.summary.sigma, plannedSteps: e.summary.totalSteps };
    case 'metrics': {
      let { finalTestAccuracy, epsilon, steps } = r;
      for (const p of e.points) {
        steps = p.step;
        if (p.testAcc !== undefined) finalTestAccuracy = p.testAcc;
        if (p.epsilon !== undefined && r.config.privacy.enabled) epsilon = p.epsilon;
      }
      return { ...r, finalTestAccuracy, epsilon, steps };
    }
    case 'gradStats':
      return { ...r, lastStepNorms: Array.from(e.stats.norms) };
    case 'state':
      return e.state === 'done' ? { ...r, stopMessage: e.message ?? null } : r;
    default:
      return r;
  }
}

/** Starts the queued runs while there is room. */
function launch(s: LessonSeeds, sink: CommandSink): LessonSeeds {
  const queue = launchInWorker(s, sink, newLessonRunId, (index) => {
    const run = s.runs[index];
    return { config: run.record.config, display: { label: `${run.label} · seed ${run.seed}`, color: '#6b7280' } };
  });
  return { ...s, ...queue };
}

/** Plans the runs on the further seeds and starts the first ones. */
export function startLessonSeeds(
  preset: LessonRunRecord[],
  runs: readonly LessonSeedRun[],
  sink: CommandSink,
  now = Date.now(),
): LessonSeeds {
  const fresh: LessonSeeds = {
    preset,
    runs: runs.map((r) => ({ label: r.label, seed: r.seed, status: 'open', record: emptyRecord(r) })),
    startedAt: now,
    ...createRunQueue(
      runs.map((_, i) => i),
      LESSON_SEEDS_CONCURRENCY,
    ),
  };
  return launch(fresh, sink);
}

/** Disposes the runs in the worker; nothing more starts. */
export function stopLessonSeeds(s: LessonSeeds, sink: CommandSink): LessonSeeds {
  return { ...s, ...cancelInWorker(s, sink) };
}

/**
 * Folds worker events for the background runs into their records, starting the next runs as runs
 * finish; null when no event concerned them. A failed run stops the rest: the outcome needs every
 * run on every seed, so nothing the others could add would be stated.
 */
export function lessonSeedsEvents(s: LessonSeeds, events: readonly WorkerEvent[], sink: CommandSink): LessonSeeds | null {
  return foldActiveRunEvents(s, events, (next, e, index, outcome) => {
    const run = next.runs[index];
    const updated: SeedRunState =
      outcome === 'failed'
        ? { ...run, status: 'failed', message: ('message' in e ? e.message : undefined) ?? 'the run failed' }
        : { ...run, record: withEvent(run.record, e), status: outcome ?? run.status };
    const runs = [...next.runs];
    runs[index] = updated;
    const folded: LessonSeeds = { ...next, runs };
    const ended = outcome && endInWorker(folded, e.runId, outcome, sink);
    if (!ended) return folded;
    const after = { ...folded, ...ended.queue };
    return outcome === 'failed' ? stopLessonSeeds(after, sink) : launch(after, sink);
  });
}

/** Steps trained so far and planned, over the background runs (progress). */
export function seedsProgress(s: LessonSeeds): { steps: number; planned: number; runsDone: number } {
  let steps = 0;
  let planned = 0;
  for (const r of s.runs) {
    planned += r.record.plannedSteps;
    steps += r.status === 'done' ? r.record.plannedSteps : r.record.steps;
  }
  return { steps, planned, runsDone: s.runs.filter((r) => r.status === 'done').length };
}

/**
 * The lesson's outcome over the preset seed and the further ones (the same check `autoclip lesson`
 * makes); null until every run is done, or with the reason when the check cannot be made.
 */
export function lessonSeedsOutcome(lesson: Lesson, s: LessonSeeds): { outcome: LessonOutcome } | { problem: string } | null {
  if (s.status !== 'done') return null;
  try {
    return { outcome: lesson.outcome([...s.preset, ...s.runs.map((r) => r.record)]) };
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e) };
  }
}

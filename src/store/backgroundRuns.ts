import type { RunConfig } from '../config/runConfig';
import type { RunId } from '../domain/run';
import type { WorkerEvent } from '../protocol/messages';
import { cancelRunQueue, finishRun, launchRuns, type RunOutcome, type RunQueue } from '../sweep/runQueue';
import type { CommandSink } from './sliceTypes';

/**
 * A run queue (src/sweep/runQueue.ts) carried out by the worker: the runs a panel trains in the
 * background (a sweep's cells, Compare's runs, a lesson's further seeds) are ephemeral (not in the
 * runs table, not saved) and disposed when they end. The slices decide what a run is and what its end means; when runs start,
 * how many at once and which one is next is the queue's.
 */

/** How the worker shows a launched run. */
export interface BackgroundRunSpec {
  config: RunConfig;
  display: { label: string; color: string };
}

/** Starts the runs of `q` that fit, each under a fresh `newId()`, as `spec(run)` describes it (called in launch order). */
export function launchInWorker<T>(q: RunQueue<T>, sink: CommandSink, newId: () => RunId, spec: (run: T) => BackgroundRunSpec): RunQueue<T> {
  const { queue, launched } = launchRuns(q, newId);
  for (const { runId, run } of launched) {
    sink.send({ type: 'create', runId, ...spec(run), ephemeral: true });
    sink.send({ type: 'start', runId });
  }
  return queue;
}

/** Disposes the ended run `runId` and records its outcome; null when it is not one of the queue's active runs. */
export function endInWorker<T>(
  q: RunQueue<T>,
  runId: RunId,
  outcome: RunOutcome,
  sink: CommandSink,
): { queue: RunQueue<T>; run: T } | null {
  const ended = finishRun(q, runId, outcome);
  if (ended) sink.send({ type: 'dispose', runId });
  return ended;
}

/** Disposes the runs in flight and drops the rest. */
export function cancelInWorker<T>(q: RunQueue<T>, sink: CommandSink): RunQueue<T> {
  const { queue, stopped } = cancelRunQueue(q);
  for (const runId of stopped) sink.send({ type: 'dispose', runId });
  return queue;
}

/** A worker event about one run. */
export type RunWorkerEvent = WorkerEvent & { runId: RunId };
/** What a queue plans for each run (the T of RunQueue<T>). */
type PlannedRun<Q> = Q extends RunQueue<infer T> ? T : never;

/**
 * Folds a frame of worker events over the queue's runs: `fold` gets each event of a run that is active
 * when the event comes (with the planned run, and how the event ends the run, if it does), in order;
 * null when no event concerned the queue's runs.
 */
export function foldActiveRunEvents<Q extends RunQueue<unknown>>(
  q: Q,
  events: readonly WorkerEvent[],
  fold: (q: Q, e: RunWorkerEvent, run: PlannedRun<Q>, end: RunOutcome | null) => Q,
): Q | null {
  let next = q;
  let touched = false;
  for (const e of events) {
    if (!('runId' in e) || !e.runId || !(e.runId in next.active)) continue;
    touched = true;
    next = fold(next, e as RunWorkerEvent, next.active[e.runId] as PlannedRun<Q>, runEnd(e));
  }
  return touched ? next : null;
}

/** A worker event that ends a run: 'done', or 'failed' (the run's error state or an error event); null otherwise. */
export function runEnd(e: WorkerEvent): RunOutcome | null {
  if (e.type === 'state' && e.state === 'done') return 'done';
  if ((e.type === 'state' && e.state === 'error') || e.type === 'error') return 'failed';
  return null;
}

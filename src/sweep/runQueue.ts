/**
 * The one scheduler for planned, ephemeral training runs (a sweep's cells × seeds, Compare's settings
 * × seeds, a lesson's background seeds): the runs start in planned order, at most `concurrency` at a
 * time, and each run that finishes (done or failed) frees its place for the next.
 *
 * A pure state machine over plain data, so a host keeps it inside its own state (the store's slices
 * extend `RunQueue<T>`) and acts on what each transition returns:
 *
 *   createRunQueue(planned, concurrency)  every run pending, status 'running'; throws a RangeError
 *                                         when concurrency is not a positive integer
 *   launchRuns(q, newId)                  → { queue, launched }: moves pending runs (in order) to
 *                                         active while fewer than `concurrency` are; the host starts
 *                                         each launched { runId, run }. Status becomes 'done' once
 *                                         nothing is pending or active.
 *   finishRun(q, runId, outcome)          → { queue, run }, or null when runId is not active (an
 *                                         unknown or already finished run changes nothing); records
 *                                         the run as 'done' or 'failed'. Call launchRuns next.
 *   cancelRunQueue(q)                     → { queue, stopped }: drops what is pending, status
 *                                         'cancelled'; the host stops the `stopped` run ids.
 *
 * `q` is any object that extends RunQueue<T>; transitions return only the queue's fields, which the
 * host spreads over its state. Nothing is launched twice: a run leaves `pending` when it launches and
 * `active` when it finishes, and neither transition puts it back.
 *
 * drainRunQueue(planned, concurrency, train, signal?) drives the same machine in Node (the CLI): it
 * awaits `train` for each run, records a rejected one as failed (the next still starts) and stops
 * launching once `signal` aborts.
 */
import type { RunId } from '../domain/run';

export type RunOutcome = 'done' | 'failed';

export interface RunQueue<T> {
  /** Runs trained at once, at most. */
  readonly concurrency: number;
  /** Runs not started yet, in planned order. */
  readonly pending: readonly T[];
  /** Runs training now: run id → planned run. */
  readonly active: Readonly<Record<RunId, T>>;
  /** Runs that ended, in the order they ended. */
  readonly finished: readonly { run: T; outcome: RunOutcome }[];
  readonly status: 'running' | 'done' | 'cancelled';
}

export function createRunQueue<T>(planned: readonly T[], concurrency: number): RunQueue<T> {
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw new RangeError(`run queue: concurrency must be a positive integer, got ${concurrency}`);
  return { concurrency, pending: [...planned], active: {}, finished: [], status: 'running' };
}

/** The queue's own fields of `q` (a host's state extends it) with `changes`; 'done' once nothing is pending or active. */
function withChanges<T>(q: RunQueue<T>, changes: Partial<RunQueue<T>> = {}): RunQueue<T> {
  const { concurrency, pending, active, finished, status } = { ...q, ...changes };
  const drained = status === 'running' && pending.length === 0 && Object.keys(active).length === 0;
  return { concurrency, pending, active, finished, status: drained ? 'done' : status };
}

/** Starts pending runs in order while fewer than `concurrency` are active; `newId` names each one's run id. */
export function launchRuns<T>(q: RunQueue<T>, newId: (run: T) => RunId): { queue: RunQueue<T>; launched: { runId: RunId; run: T }[] } {
  if (q.status !== 'running') return { queue: withChanges(q), launched: [] };
  const active = { ...q.active };
  const pending = [...q.pending];
  const launched: { runId: RunId; run: T }[] = [];
  while (pending.length > 0 && Object.keys(active).length < q.concurrency) {
    const run = pending.shift()!;
    const runId = newId(run);
    if (runId in active) throw new Error(`run queue: run id ${runId} is already active`);
    active[runId] = run;
    launched.push({ runId, run });
  }
  return { queue: withChanges(q, { active, pending }), launched };
}

/** Records the active run `runId` as ended; null when it is not active (nothing changes). */
export function finishRun<T>(q: RunQueue<T>, runId: RunId, outcome: RunOutcome): { queue: RunQueue<T>; run: T } | null {
  if (!Object.hasOwn(q.active, runId)) return null;
  const run = q.active[runId];
  const active = { ...q.active };
  delete active[runId];
  return { queue: withChanges(q, { active, finished: [...q.finished, { run, outcome }] }), run };
}

/** Drops the pending runs and marks the queue cancelled; `stopped` are the run ids that were active. */
export function cancelRunQueue<T>(q: RunQueue<T>): { queue: RunQueue<T>; stopped: RunId[] } {
  if (q.status !== 'running') return { queue: withChanges(q), stopped: [] };
  return { queue: withChanges(q, { pending: [], active: {}, status: 'cancelled' }), stopped: Object.keys(q.active) };
}

/** How `train` ended for one run in Node: its value, or the error it threw. */
export type SettledRun<R> = { outcome: 'done'; value: R } | { outcome: 'failed'; error: unknown };

/**
 * Trains `planned` in Node through the queue: `train` is awaited for each run, at most `concurrency`
 * at once, in planned order; resolves with each run's settlement in planned order (undefined for runs
 * never started because `signal` aborted). In Node's TF.js CPU backend everything runs on one
 * JavaScript thread, so concurrency > 1 interleaves runs but does not make them finish sooner.
 */
export async function drainRunQueue<T, R>(
  planned: readonly T[],
  concurrency: number,
  train: (run: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<(SettledRun<R> | undefined)[]> {
  let queue = createRunQueue(
    planned.map((_, i) => i),
    concurrency,
  );
  const settled: (SettledRun<R> | undefined)[] = new Array(planned.length).fill(undefined);
  const running = new Map<RunId, Promise<RunId>>();
  const start = () => {
    if (signal?.aborted) return;
    const step = launchRuns(queue, (i) => String(i));
    queue = step.queue;
    for (const { runId, run: i } of step.launched) {
      const settle = (s: SettledRun<R>) => {
        settled[i] = s;
        return runId;
      };
      running.set(
        runId,
        Promise.resolve()
          .then(() => train(planned[i], i))
          .then(
            (value) => settle({ outcome: 'done', value }),
            (error: unknown) => settle({ outcome: 'failed', error }),
          ),
      );
    }
  };
  start();
  while (running.size > 0) {
    const runId = await Promise.race(running.values());
    running.delete(runId);
    queue = finishRun(queue, runId, settled[Number(runId)]!.outcome)!.queue;
    start();
  }
  return settled;
}

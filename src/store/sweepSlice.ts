import type { SweepConfig } from '../config/sweepConfig';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunId } from '../domain/run';
import type { WorkerEvent } from '../protocol/messages';
import { expandSweep, planSweepPrivacy, type SweepCell, type SweepCellResult, type SweepPrivacy } from '../sweep';
import type { CommandSink } from './playgroundStore';

/** Cells trained at once: the worker interleaves their steps; more only splits the same GPU. */
export const SWEEP_CONCURRENCY = 2;

export interface SweepState {
  config: SweepConfig;
  privacy: SweepPrivacy;
  cells: SweepCell[];
  /** Results of finished cells, by cell key. */
  results: Record<string, SweepCellResult>;
  /** Cells in the worker now: run id → cell key. */
  active: Record<RunId, string>;
  /** Cells not started yet (keys, in order). */
  queue: string[];
  /** Latest metric point of each active cell (progress). */
  progress: Record<string, MetricPoint | undefined>;
  startedAt: number;
  status: 'running' | 'done' | 'cancelled';
}

let counter = 0;

/**
 * Plans a sweep (σ calibrated once for every cell) and starts its first cells; throws with the
 * reason when the base config cannot run (the caller shows it, nothing changes).
 */
export function startSweep(config: SweepConfig, trainSize: number, sink: CommandSink): SweepState {
  const privacy = planSweepPrivacy(config.base, trainSize);
  const cells = expandSweep(config, privacy.sigma);
  const state: SweepState = {
    config,
    privacy,
    cells,
    results: {},
    active: {},
    queue: cells.map((c) => c.key),
    progress: {},
    startedAt: Date.now(),
    status: 'running',
  };
  return launchNext(state, sink);
}

function launchNext(s: SweepState, sink: CommandSink): SweepState {
  const active = { ...s.active };
  const queue = [...s.queue];
  while (queue.length > 0 && Object.keys(active).length < SWEEP_CONCURRENCY) {
    const key = queue.shift()!;
    const cell = s.cells.find((c) => c.key === key)!;
    const runId = `sweep-${Date.now().toString(36)}-${(counter++).toString(36)}`;
    active[runId] = key;
    sink.send({ type: 'create', runId, config: cell.config, display: { label: key, color: '#6b7280' }, ephemeral: true });
    sink.send({ type: 'start', runId });
  }
  const done = Object.keys(active).length === 0 && queue.length === 0;
  return { ...s, active, queue, status: done && s.status === 'running' ? 'done' : s.status };
}

/** Folds worker events for sweep cells into the sweep; returns null when none concerned it. */
export function sweepEvents(s: SweepState, events: readonly WorkerEvent[], sink: CommandSink): SweepState | null {
  let next = s;
  let touched = false;
  for (const e of events) {
    if (!('runId' in e) || !e.runId || !(e.runId in next.active)) continue;
    touched = true;
    const key = next.active[e.runId];
    if (e.type === 'metrics') {
      next = { ...next, progress: { ...next.progress, [key]: e.points[e.points.length - 1] } };
    } else if ((e.type === 'state' && (e.state === 'done' || e.state === 'error')) || e.type === 'error') {
      const cell = next.cells.find((c) => c.key === key)!;
      const last = next.progress[key];
      const result: SweepCellResult = {
        key,
        clipping: cell.clipping,
        R: cell.R,
        lr: cell.lr,
        testAcc: last?.testAcc ?? NaN,
        trainAcc: last?.trainAcc ?? NaN,
        testLoss: last?.testLoss ?? NaN,
        epsilon: last?.epsilon ?? next.privacy.epsilon,
        sigma: next.privacy.sigma,
        steps: last?.step ?? 0,
        seconds: (last?.elapsedMs ?? 0) / 1000,
        diverged: e.type !== 'state' || e.state === 'error',
        notCoveredByAccountant: next.privacy.notCoveredByAccountant,
        seededRandomness: next.privacy.seededRandomness,
      };
      const active = { ...next.active };
      delete active[e.runId];
      sink.send({ type: 'dispose', runId: e.runId });
      next = launchNext({ ...next, active, results: { ...next.results, [key]: result } }, sink);
    }
  }
  return touched ? next : null;
}

export function cancelSweep(s: SweepState, sink: CommandSink): SweepState {
  for (const runId of Object.keys(s.active)) sink.send({ type: 'dispose', runId });
  return { ...s, active: {}, queue: [], status: 'cancelled' };
}

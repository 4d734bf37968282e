import type { SweepGridDraft } from '../config/urlCodec';
import { parseSweepConfig, type SweepConfig } from '../config/sweepConfig';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunId } from '../domain/run';
import type { WorkerEvent } from '../protocol/messages';
import { expandSweep, planSweepPrivacy, sweepCellResult, type SweepCell, type SweepCellResult, type SweepPrivacy } from '../sweep';
import type { ConfigSlice } from './configSlice';
import type { DataSlice } from './dataSlice';
import { newSweepRunId } from './ids';
import { selectDraftSizes } from './selectors';
import type { CommandSink, GetState, SetState } from './sliceTypes';

export interface SweepSlice {
  /** The sweep panel's grid being edited (in the URL, so a sweep is shareable). */
  sweepGrid: SweepGridDraft;
  setSweepGrid(g: SweepGridDraft): void;
  sweep: SweepState | null;
  sweepError: string | null;
  /** Plan and start an R × lr sweep on the draft as base (σ calibrated once). */
  runSweep(grid: SweepConfig['clipping']): void;
  cancelSweep(): void;
}

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

/**
 * Plans a sweep (σ calibrated once for every cell) and starts its first cells; throws with the
 * reason when the base config cannot run (the caller shows it, nothing changes).
 */
function startSweep(config: SweepConfig, trainSize: number, sink: CommandSink): SweepState {
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
    const runId = newSweepRunId();
    active[runId] = key;
    sink.send({ type: 'create', runId, config: cell.config, display: { label: key, color: '#6b7280' }, ephemeral: true });
    sink.send({ type: 'start', runId });
  }
  const done = Object.keys(active).length === 0 && queue.length === 0;
  return { ...s, active, queue, status: done && s.status === 'running' ? 'done' : s.status };
}

/** Folds worker events for sweep cells into the sweep; returns null when none concerned it. */
function sweepEvents(s: SweepState, events: readonly WorkerEvent[], sink: CommandSink): SweepState | null {
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
      const result = sweepCellResult(cell, next.privacy, {
        testAcc: last?.testAcc ?? NaN,
        trainAcc: last?.trainAcc ?? NaN,
        testLoss: last?.testLoss ?? NaN,
        epsilon: last?.epsilon ?? next.privacy.epsilon,
        steps: last?.step ?? 0,
        seconds: (last?.elapsedMs ?? 0) / 1000,
        diverged: e.type !== 'state' || e.state === 'error',
      });
      const active = { ...next.active };
      delete active[e.runId];
      sink.send({ type: 'dispose', runId: e.runId });
      next = launchNext({ ...next, active, results: { ...next.results, [key]: result } }, sink);
    }
  }
  return touched ? next : null;
}

function cancelSweep(s: SweepState, sink: CommandSink): SweepState {
  for (const runId of Object.keys(s.active)) sink.send({ type: 'dispose', runId });
  return { ...s, active: {}, queue: [], status: 'cancelled' };
}

type Deps = SweepSlice & Pick<ConfigSlice, 'draft'> & Pick<DataSlice, 'imported'>;

export function createSweepSlice(set: SetState<Deps>, get: GetState<Deps>, sink: CommandSink, initialGrid?: SweepGridDraft): SweepSlice {
  return {
    sweepGrid: initialGrid ?? { R: [0.1, 1, 10], lr: [0.005, 0.02], autoV: false },
    setSweepGrid: (sweepGrid) => set({ sweepGrid }),
    sweep: null,
    sweepError: null,
    runSweep(grid) {
      const s = get();
      if (s.sweep?.status === 'running') return;
      const check = parseSweepConfig({ base: { ...s.draft, privacy: { ...s.draft.privacy, enabled: true } }, clipping: grid });
      if (!check.ok) {
        set({ sweepError: check.errors.join('; ') });
        return;
      }
      const sizes = selectDraftSizes(s);
      if (!sizes) {
        set({ sweepError: 'The dataset size is not known yet; pick a dataset first.' });
        return;
      }
      try {
        set({ sweep: startSweep(check.config, sizes.trainSize, sink), sweepError: null });
      } catch (e) {
        set({ sweepError: e instanceof Error ? e.message : String(e) });
      }
    },
    cancelSweep() {
      const sw = get().sweep;
      if (sw && sw.status === 'running') set({ sweep: cancelSweep(sw, sink) });
    },
  };
}

/** Folds a frame of worker events into the running sweep (starting its next cells); nothing when none concern it. */
export function applySweepEvents(set: SetState<Deps>, get: GetState<Deps>, sink: CommandSink, events: readonly WorkerEvent[]): void {
  const sw = get().sweep;
  const next = sw && sweepEvents(sw, events, sink);
  if (next) set({ sweep: next });
}

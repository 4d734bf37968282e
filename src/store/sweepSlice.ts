import type { SweepGridDraft } from '../config/urlCodec';
import { consecutiveSeeds, parseSweepConfig, type SweepConfig } from '../config/sweepConfig';
import type { MetricPoint } from '../domain/metricPoint';
import type { WorkerEvent } from '../protocol/messages';
import {
  describeSweepRun,
  expandSweep,
  planSweepPrivacy,
  sweepRunResult,
  type SweepCellResult,
  type SweepPrivacy,
  type SweepRun,
} from '../sweep';
import { createRunQueue, type RunQueue } from '../sweep/runQueue';
import { cancelInWorker, endInWorker, foldActiveRunEvents, launchInWorker } from './backgroundRuns';
import type { ConfigSlice } from './configSlice';
import type { DataSlice } from './dataSlice';
import { newSweepRunId } from './ids';
import { RUN_COLORS } from './runLabels';
import { selectDraftSizes } from './selectors';
import type { CommandSink, GetState, SetState } from './sliceTypes';

export interface SweepSlice {
  /** The sweep panel's grid being edited (in the URL, so a sweep is shareable). */
  sweepGrid: SweepGridDraft;
  setSweepGrid(g: SweepGridDraft): void;
  sweep: SweepState | null;
  sweepError: string | null;
  /** Plan and start an R × lr sweep on the draft as base (σ calibrated once), each cell on `seeds` consecutive seeds from the draft's. */
  runSweep(grid: SweepConfig['clipping'], seeds?: number): void;
  cancelSweep(): void;
}

/** Cells trained at once: the worker interleaves their steps; more only splits the same GPU. */
const SWEEP_CONCURRENCY = 2;

/** A sweep: its plan, the results so far, and its runs' queue (pending run keys, active run id → run key). */
export interface SweepState extends RunQueue<string> {
  config: SweepConfig;
  privacy: SweepPrivacy;
  /** Every run: each cell once per seed, in run order. */
  runs: SweepRun[];
  /** Test examples each run is evaluated on (the one-seed uncertainty of the summary). */
  testSize: number;
  /** Results of finished runs, by run key. */
  results: Record<string, SweepCellResult>;
  /** Metric series of each active run (its progress, drawn in the main charts); dropped when it finishes. */
  series: Record<string, MetricPoint[]>;
  /** Chart colour of each active run, kept for its whole life. */
  colors: Record<string, string>;
  startedAt: number;
}

/**
 * Plans a sweep (σ calibrated once for every cell) and starts its first cells; throws with the
 * reason when the base config cannot run (the caller shows it, nothing changes).
 */
function startSweep(config: SweepConfig, sizes: { trainSize: number; testSize: number }, sink: CommandSink): SweepState {
  const privacy = planSweepPrivacy(config.base, sizes.trainSize);
  const runs = expandSweep(config, privacy.sigma);
  const state: SweepState = {
    config,
    privacy,
    runs,
    testSize: sizes.testSize,
    results: {},
    series: {},
    colors: {},
    startedAt: Date.now(),
    ...createRunQueue(
      runs.map((r) => r.runKey),
      SWEEP_CONCURRENCY,
    ),
  };
  return launchNext(state, sink);
}

/** Sweep runs take the palette from its end, the playground's own runs from its start: they rarely share a colour. */
const SWEEP_COLORS = [...RUN_COLORS].reverse();

/** Starts the runs that fit, each with the first colour no active run has. */
function launchNext(s: SweepState, sink: CommandSink): SweepState {
  const colors: Record<string, string> = {};
  for (const key of Object.values(s.active)) colors[key] = s.colors[key];
  const queue = launchInWorker(s, sink, newSweepRunId, (key) => {
    const run = s.runs.find((r) => r.runKey === key)!;
    const taken = new Set(Object.values(colors));
    colors[key] = SWEEP_COLORS.find((c) => !taken.has(c))!;
    return { config: run.config, display: { label: describeSweepRun(run), color: colors[key] } };
  });
  return { ...s, ...queue, colors };
}

/** Folds worker events for sweep cells into the sweep; returns null when none concerned it. */
function sweepEvents(s: SweepState, events: readonly WorkerEvent[], sink: CommandSink): SweepState | null {
  return foldActiveRunEvents(s, events, (next, e, key, outcome) => {
    if (e.type === 'metrics') return { ...next, series: { ...next.series, [key]: [...(next.series[key] ?? []), ...e.points] } };
    const ended = outcome && endInWorker(next, e.runId, outcome, sink);
    if (!ended) return next;
    const run = next.runs.find((r) => r.runKey === key)!;
    // A run that failed in the worker shows as diverged: it has no accuracy.
    const result = sweepRunResult(run, next.privacy, next.series[key] ?? [], outcome === 'failed');
    const series = { ...next.series };
    delete series[key];
    return launchNext({ ...next, ...ended.queue, series, results: { ...next.results, [key]: result } }, sink);
  });
}

type Deps = SweepSlice & Pick<ConfigSlice, 'draft'> & Pick<DataSlice, 'imported'>;

export function createSweepSlice(set: SetState<Deps>, get: GetState<Deps>, sink: CommandSink, initialGrid?: SweepGridDraft): SweepSlice {
  return {
    sweepGrid: initialGrid ?? { R: [0.1, 1, 10], lr: [0.005, 0.02], autoV: false, seeds: 1 },
    setSweepGrid: (sweepGrid) => set({ sweepGrid }),
    sweep: null,
    sweepError: null,
    runSweep(grid, seeds = 1) {
      const s = get();
      if (s.sweep?.status === 'running') return;
      // One seed is the draft's own; several start there (at 1 at least: sweep seeds are positive).
      const check = parseSweepConfig({
        base: { ...s.draft, privacy: { ...s.draft.privacy, enabled: true } },
        clipping: grid,
        ...(seeds === 1 ? {} : { seeds: consecutiveSeeds(Math.max(1, s.draft.seed), seeds) }),
      });
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
        set({ sweep: startSweep(check.config, sizes, sink), sweepError: null });
      } catch (e) {
        set({ sweepError: e instanceof Error ? e.message : String(e) });
      }
    },
    cancelSweep() {
      const sw = get().sweep;
      if (sw && sw.status === 'running') set({ sweep: { ...sw, ...cancelInWorker(sw, sink), series: {} } });
    },
  };
}

/** Folds a frame of worker events into the running sweep (starting its next cells); nothing when none concern it. */
export function applySweepEvents(set: SetState<Deps>, get: GetState<Deps>, sink: CommandSink, events: readonly WorkerEvent[]): void {
  const sw = get().sweep;
  const next = sw && sweepEvents(sw, events, sink);
  if (next) set({ sweep: next });
}

/** A running sweep run as the main charts draw it. */
export interface SweepChartRun {
  id: string;
  label: string;
  color: string;
  metrics: readonly MetricPoint[];
}

const NO_CHART_RUNS: SweepChartRun[] = [];
let chartRunsCache: { series: SweepState['series']; runs: SweepChartRun[] } | null = null;

/** The sweep's running runs with their series so far (stable between metric batches, for React). */
export function selectSweepChartRuns(s: Pick<SweepSlice, 'sweep'>): SweepChartRun[] {
  const sw = s.sweep;
  if (!sw || sw.status !== 'running') return NO_CHART_RUNS;
  if (chartRunsCache?.series === sw.series) return chartRunsCache.runs;
  const data = sw.config.base.data;
  const dataset = data.source === 'mnist' ? 'MNIST' : data.name;
  const runs = Object.entries(sw.active).flatMap(([id, key]) => {
    const run = sw.runs.find((r) => r.runKey === key);
    return run ? [{ id, label: `sweep: ${describeSweepRun(run)} · ${dataset}`, color: sw.colors[key], metrics: sw.series[key] ?? [] }] : [];
  });
  chartRunsCache = { series: sw.series, runs };
  return runs;
}

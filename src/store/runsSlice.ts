import { parseRunConfig, type RunConfig } from '../config/runConfig';
import type { RunId } from '../domain/run';
import type { ConfigSlice } from './configSlice';
import { newRunId } from './ids';
import { nextRunColor, runLabel } from './runLabels';
import { liveConfig, updateRun, type RunView } from './runView';
import { sameConfig } from './sameConfig';
import type { CommandSink, GetState, SetState } from './sliceTypes';
import type { StatusSlice } from './statusSlice';

export interface RunsSlice {
  runs: Record<RunId, RunView>;
  /** Runs in creation order (legend, table and chart order). */
  order: RunId[];
  /** The run the main controls act on and the per-run charts show. */
  activeRunId: RunId | null;
  /** Start the active run, or a new run when the draft changed since it started. */
  train(): void;
  pause(): void;
  step(): void;
  /** One step with its inner workings reported (step-through teaching mode). */
  inspect(): void;
  reset(): void;
  /** Per-run controls (runs table). */
  startRun(id: RunId): void;
  pauseRun(id: RunId): void;
  stepRun(id: RunId): void;
  resetRun(id: RunId): void;
  removeRun(id: RunId): void;
  /** Make a run active and load its config into the draft. */
  selectRun(id: RunId): void;
  startAll(): void;
  pauseAll(): void;
  resetAll(): void;
  /** Adds runs with the given labels and starts them (a lesson's runs); null where a config was refused. */
  launchRuns(specs: readonly LaunchSpec[]): (RunId | null)[];
}

/** A run to add and start: its config, its label, and (a lesson's picture) a live gradient-plane interval in steps. */
export interface LaunchSpec {
  config: RunConfig;
  label: string;
  planeEvery?: number;
}

/** At most this many runs live at once; the oldest run that is not training makes room. */
export const MAX_RUNS = 8;

type Deps = RunsSlice & Pick<ConfigSlice, 'draft'> & Pick<StatusSlice, 'globalError'>;

/** A run's metrics and reports cleared, back at step 0 (what a reset shows). */
const clearedRun = (r: RunView): RunView => ({
  ...r,
  metrics: [],
  gradStats: undefined,
  boundary: undefined,
  inspection: undefined,
  epsilonFloor: undefined,
  lrChanges: undefined,
  state: 'idle',
  message: undefined,
});

export function createRunsSlice(set: SetState<Deps>, get: GetState<Deps>, sink: CommandSink): RunsSlice {
  /** Checks a config; an invalid one is reported (globalError) and gives null. */
  const valid = (config: RunConfig): RunConfig | null => {
    const check = parseRunConfig(config);
    if (check.ok) return check.config;
    set({ globalError: `Invalid configuration: ${check.errors.join('; ')}` });
    return null;
  };

  /** Adds a run for `config` (validated), making room if needed; returns its id. */
  const addRun = (config: RunConfig, makeActive = true, label?: string): RunId | null => {
    const checked = valid(config);
    if (!checked) return null;
    const id = newRunId();
    set((s) => {
      const runs = { ...s.runs };
      let order = [...s.order];
      while (order.length >= MAX_RUNS) {
        const victim = order.find((r) => runs[r].state !== 'running') ?? order[0];
        sink.send({ type: 'dispose', runId: victim });
        delete runs[victim];
        order = order.filter((r) => r !== victim);
      }
      const color = nextRunColor(order.map((r) => runs[r].color));
      runs[id] = { id, config: checked, state: 'idle', metrics: [], color, label: label ?? runLabel(checked) };
      order.push(id);
      return { runs, order, activeRunId: makeActive ? id : (s.activeRunId ?? id), globalError: null };
    });
    const view = get().runs[id];
    sink.send({ type: 'create', runId: id, config: checked, display: { label: view.label, color: view.color } });
    return id;
  };

  /**
   * The run the main controls act on: the active run if the draft still matches it; a fresh run
   * from the draft otherwise (an untouched active run is replaced, one with history is kept for
   * comparison).
   */
  const ensureRun = (): RunId | null => {
    const { activeRunId, runs, draft } = get();
    const current = activeRunId ? runs[activeRunId] : undefined;
    if (current && current.state !== 'error' && sameConfig(liveConfig(current), draft)) return current.id;
    // Refuse an invalid draft before touching the runs that exist.
    const checked = valid(draft);
    if (!checked) return null;
    if (current && current.metrics.length === 0) removeRunNow(current.id);
    return addRun(checked);
  };

  const removeRunNow = (id: RunId) => {
    sink.send({ type: 'dispose', runId: id });
    set((s) => {
      const runs = { ...s.runs };
      delete runs[id];
      const order = s.order.filter((r) => r !== id);
      return { runs, order, activeRunId: s.activeRunId === id ? (order[order.length - 1] ?? null) : s.activeRunId };
    });
  };

  const resetNow = (id: RunId) => {
    sink.send({ type: 'reset', runId: id });
    set((s) => {
      const runs = { ...s.runs };
      updateRun(runs, id, clearedRun);
      return { runs };
    });
  };

  /** Sends `type` for run `id` if the page still has it. */
  const toRun = (type: 'start' | 'pause' | 'step', id: RunId) => {
    if (get().runs[id]) sink.send({ type, runId: id });
  };

  return {
    runs: {},
    order: [],
    activeRunId: null,
    train() {
      const id = ensureRun();
      if (id) sink.send({ type: 'start', runId: id });
    },
    pause() {
      const id = get().activeRunId;
      if (id) sink.send({ type: 'pause', runId: id });
    },
    step() {
      const id = ensureRun();
      if (id) sink.send({ type: 'step', runId: id });
    },
    inspect() {
      const id = ensureRun();
      if (id) sink.send({ type: 'inspect', runId: id });
    },
    reset() {
      const id = get().activeRunId;
      if (id) resetNow(id);
    },
    startRun: (id) => toRun('start', id),
    pauseRun: (id) => toRun('pause', id),
    stepRun: (id) => toRun('step', id),
    resetRun(id) {
      if (get().runs[id]) resetNow(id);
    },
    removeRun(id) {
      if (get().runs[id]) removeRunNow(id);
    },
    selectRun(id) {
      const r = get().runs[id];
      if (r) set({ activeRunId: id, draft: liveConfig(r) });
    },
    startAll() {
      for (const id of get().order) if (get().runs[id].state !== 'done') sink.send({ type: 'start', runId: id });
    },
    pauseAll() {
      for (const id of get().order) sink.send({ type: 'pause', runId: id });
    },
    resetAll() {
      for (const id of get().order) resetNow(id);
    },
    launchRuns(specs) {
      const ids = specs.map(({ config, label }) => addRun(config, true, label));
      ids.forEach((id, i) => {
        if (!id) return;
        // Before 'start' (the worker takes commands in order), so the first step already draws the plane.
        const every = specs[i].planeEvery;
        if (every) sink.send({ type: 'planeLive', runId: id, every });
        sink.send({ type: 'start', runId: id });
      });
      return ids;
    },
  };
}

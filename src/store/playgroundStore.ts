import { createStore } from 'zustand/vanilla';
import { defaultRunConfig, parseRunConfig, type RunConfig } from '../config/runConfig';
import { stepBudgetIssues } from '../config/stepBudget';
import type { Hideable, SweepGridDraft } from '../config/urlCodec';
import { parseSweepConfig, type SweepConfig } from '../config/sweepConfig';
import { createPlaneSlice, type PlaneSlice } from './planeSlice';
import { cancelSweep as cancelSweepRuns, startSweep, sweepEvents, type SweepState } from './sweepSlice';
import type { BackendInfo } from '../domain/backend';
import type { DatasetMeta } from '../domain/dataset';
import type { GradStats } from '../domain/gradStats';
import type { Inspection } from '../domain/inspection';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunId, RunState } from '../domain/run';
import type { RunSummary } from '../domain/runSummary';
import type { CommandBody, WorkerEvent } from '../protocol/messages';

/** What the store needs from the worker connection (TrainingClient, or a fake in tests). */
export interface CommandSink {
  send(c: CommandBody): void;
}

export interface Boundary {
  step: number;
  resolution: number;
  extent: number;
  values: Float32Array;
}

export interface RunView {
  id: RunId;
  config: RunConfig;
  /** Legend colour and label. */
  color: string;
  label: string;
  /** Latest step-through report. */
  inspection?: Inspection;
  state: RunState;
  message?: string;
  /** What the engine announced of the run (dataset, planned steps, σ, privacy facts), once it has. */
  summary?: RunSummary;
  metrics: MetricPoint[];
  /** Training points of a 2D set (drawn over the decision boundary). */
  preview?: { x: Float32Array; y: Int32Array };
  gradStats?: GradStats;
  boundary?: Boundary;
  /**
   * ε already spent by steps that were shown before the run went back to an older checkpoint (device
   * loss, reload): the ε shown never drops below it (see `selectEpsilonSpent`).
   */
  epsilonFloor?: number;
}

interface BackendSlice {
  backend: BackendInfo | null;
  /** Last error not tied to a run (worker crash, protocol mismatch). */
  globalError: string | null;
}

export interface ImportedDataset {
  id: string;
  meta: DatasetMeta;
  format: string;
  notes: string[];
}

interface DataSlice {
  /** Datasets imported this session (their bytes live in the worker). */
  imported: ImportedDataset[];
  importing: boolean;
  /** Why the last import failed; the previous dataset stays selected. */
  importError: string | null;
  /** Send files to the worker for parsing; on success the new dataset becomes the draft's data. */
  importFiles(files: { name: string; bytes: Uint8Array }[]): void;
}

interface ConfigSlice {
  /** The configuration being edited; runs copy it when created. */
  draft: RunConfig;
  setDraft(update: (c: RunConfig) => RunConfig): void;
}

interface RunsSlice {
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
  /**
   * Bu et al.'s comparison: Abadi clipping at R ∈ {0.1, 1, 10} and AUTO-S, same seed, data, model,
   * σ (the same target ε gives the same calibrated σ) and learning rate, started together.
   */
  compare(): void;
  /** Apply a frame's worth of worker events in one update. */
  applyEvents(events: WorkerEvent[]): void;
}

/** At most this many runs live at once; the oldest run that is not training makes room. */
export const MAX_RUNS = 8;

export const RUN_COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#4b5563'];

/** Short human label of a run's distinguishing settings. */
export function runLabel(c: RunConfig): string {
  if (!c.privacy.enabled) return `non-private · lr ${c.train.learningRate}`;
  const p = c.privacy;
  const clip =
    p.clipping === 'abadi' || p.clipping === 'global'
      ? `${p.clipping === 'abadi' ? 'Abadi' : 'global'} R=${p.maxGradNorm}`
      : p.clipping.toUpperCase();
  const noise = p.noise.mode === 'target' ? `ε=${p.noise.epsilon}` : `σ=${p.noise.sigma}`;
  return `${clip} · ${noise} · lr ${c.train.learningRate}`;
}

interface RunsFileSlice {
  /** The last 'Export runs' document from the worker, and the last import problem. */
  runsExport: { text: string; at: number } | null;
  runsImportError: string | null;
  exportRuns(): void;
  importRuns(text: string): void;
}

interface ViewSlice {
  /** Charts' x axis. */
  xAxis: 'step' | 'epoch';
  setXAxis(x: 'step' | 'epoch'): void;
  /** Controls hidden by a classroom link. */
  hidden: Hideable[];
  setHidden(h: Hideable[]): void;
}

interface SweepSliceState {
  /** The sweep panel's grid being edited (in the URL, so a sweep is shareable). */
  sweepGrid: SweepGridDraft;
  setSweepGrid(g: SweepGridDraft): void;
  sweep: SweepState | null;
  sweepError: string | null;
  /** Plan and start an R × lr sweep on the draft as base (σ calibrated once). */
  runSweep(grid: SweepConfig['clipping']): void;
  cancelSweep(): void;
}

export type PlaygroundState = BackendSlice & DataSlice & ConfigSlice & RunsSlice & ViewSlice & SweepSliceState & RunsFileSlice & PlaneSlice;

let runCounter = 0;
const newRunId = (): RunId => `run-${Date.now().toString(36)}-${(runCounter++).toString(36)}`;

export function createPlaygroundStore(
  sink: CommandSink,
  initialDraft: RunConfig = defaultRunConfig(),
  initialHidden: Hideable[] = [],
  initialSweepGrid?: SweepGridDraft,
) {
  return createStore<PlaygroundState>()((set, get) => {
    /** Adds a run for `config` (validated), making room if needed; returns its id. */
    const addRun = (config: RunConfig, makeActive = true): RunId | null => {
      const check = parseRunConfig(config);
      if (!check.ok) {
        set({ globalError: `Invalid configuration: ${check.errors.join('; ')}` });
        return null;
      }
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
        const used = new Set(order.map((r) => runs[r].color));
        const color = RUN_COLORS.find((c) => !used.has(c)) ?? RUN_COLORS[order.length % RUN_COLORS.length];
        runs[id] = { id, config: check.config, state: 'idle', metrics: [], color, label: runLabel(check.config) };
        order.push(id);
        return { runs, order, activeRunId: makeActive ? id : (s.activeRunId ?? id), globalError: null };
      });
      const view = get().runs[id];
      sink.send({ type: 'create', runId: id, config: check.config, display: { label: view.label, color: view.color } });
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
      if (current && current.state !== 'error' && sameConfig(current.config, draft)) return current.id;
      // Refuse an invalid draft before touching the runs that exist.
      const check = parseRunConfig(draft);
      if (!check.ok) {
        set({ globalError: `Invalid configuration: ${check.errors.join('; ')}` });
        return null;
      }
      if (current && current.metrics.length === 0) removeRunNow(current.id);
      return addRun(check.config);
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

    const clearRun = (id: RunId) =>
      set((s) => {
        const runs = { ...s.runs };
        updateRun(runs, id, (r) => ({
          ...r,
          metrics: [],
          gradStats: undefined,
          boundary: undefined,
          inspection: undefined,
          epsilonFloor: undefined,
          state: 'idle',
          message: undefined,
        }));
        return { runs };
      });

    const updateRun = (runs: Record<RunId, RunView>, id: RunId, patch: (r: RunView) => RunView) => {
      const r = runs[id];
      if (r) runs[id] = patch(r);
    };

    return {
      backend: null,
      globalError: null,
      imported: [],
      importing: false,
      importError: null,
      importFiles(files) {
        if (files.length === 0) return;
        const importId = `import-${Date.now().toString(36)}-${(runCounter++).toString(36)}`;
        set({ importing: true, importError: null });
        sink.send({ type: 'importDataset', importId, files });
      },
      draft: initialDraft,
      setDraft: (update) => set((s) => ({ draft: update(s.draft) })),
      runsExport: null,
      runsImportError: null,
      exportRuns: () => sink.send({ type: 'exportRuns' }),
      importRuns(text) {
        set({ runsImportError: null });
        sink.send({ type: 'importRuns', text });
      },
      sweepGrid: initialSweepGrid ?? { R: [0.1, 1, 10], lr: [0.005, 0.02], autoV: false },
      setSweepGrid: (sweepGrid) => set({ sweepGrid }),
      sweep: null,
      ...createPlaneSlice(set, get, sink),
      sweepError: null,
      runSweep(grid) {
        const s = get();
        if (s.sweep?.status === 'running') return;
        const check = parseSweepConfig({ base: { ...s.draft, privacy: { ...s.draft.privacy, enabled: true } }, clipping: grid });
        if (!check.ok) {
          set({ sweepError: check.errors.join('; ') });
          return;
        }
        const n = draftTrainSize(s);
        if (n === undefined) {
          set({ sweepError: 'The dataset size is not known yet; pick a dataset first.' });
          return;
        }
        try {
          set({ sweep: startSweep(check.config, n, sink), sweepError: null });
        } catch (e) {
          set({ sweepError: e instanceof Error ? e.message : String(e) });
        }
      },
      cancelSweep() {
        const sw = get().sweep;
        if (sw && sw.status === 'running') set({ sweep: cancelSweepRuns(sw, sink) });
      },
      xAxis: 'step',
      setXAxis: (xAxis) => set({ xAxis }),
      hidden: initialHidden,
      setHidden: (hidden) => set({ hidden }),
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
        if (!id) return;
        sink.send({ type: 'reset', runId: id });
        clearRun(id);
      },
      startRun: (id) => get().runs[id] && sink.send({ type: 'start', runId: id }),
      pauseRun: (id) => get().runs[id] && sink.send({ type: 'pause', runId: id }),
      stepRun: (id) => get().runs[id] && sink.send({ type: 'step', runId: id }),
      resetRun(id) {
        if (!get().runs[id]) return;
        sink.send({ type: 'reset', runId: id });
        clearRun(id);
      },
      removeRun(id) {
        if (get().runs[id]) removeRunNow(id);
      },
      selectRun(id) {
        const r = get().runs[id];
        if (r) set({ activeRunId: id, draft: r.config });
      },
      startAll() {
        for (const id of get().order) if (get().runs[id].state !== 'done') sink.send({ type: 'start', runId: id });
      },
      pauseAll() {
        for (const id of get().order) sink.send({ type: 'pause', runId: id });
      },
      resetAll() {
        for (const id of get().order) {
          sink.send({ type: 'reset', runId: id });
          clearRun(id);
        }
      },
      compare() {
        const base = get().draft;
        const privacy = { ...base.privacy, enabled: true };
        const variants: RunConfig[] = [
          ...[0.1, 1, 10].map((R) => ({ ...base, privacy: { ...privacy, clipping: 'abadi' as const, maxGradNorm: R } })),
          { ...base, privacy: { ...privacy, clipping: 'auto-s' as const } },
        ];
        const ids = variants.map((c, i) => addRun(c, i === variants.length - 1)).filter((id): id is RunId => id !== null);
        for (const id of ids) sink.send({ type: 'start', runId: id });
      },

      applyEvents(events) {
        const sw = get().sweep;
        if (sw) {
          const next = sweepEvents(sw, events, sink);
          if (next) set({ sweep: next });
        }
        get().applyPlaneEvents(events);
        set((s) => {
          const runs = { ...s.runs };
          let backend = s.backend;
          let globalError = s.globalError;
          let { imported, importing, importError, draft } = s;
          let restoredOrder: RunId[] | null = null;
          let runsExport = s.runsExport;
          let runsImportError = s.runsImportError;
          const grown = new Map<RunId, MetricPoint[]>();
          for (const e of events) {
            switch (e.type) {
              case 'backend':
                backend = e.info;
                break;
              case 'created':
                updateRun(runs, e.runId, (r) => ({ ...r, summary: e.summary, preview: e.preview }));
                break;
              case 'state':
                updateRun(runs, e.runId, (r) => ({ ...r, state: e.state, message: e.message }));
                break;
              case 'metrics': {
                if (!runs[e.runId]) break;
                const acc = grown.get(e.runId) ?? [...runs[e.runId].metrics];
                for (const p of e.points) acc.push(p);
                grown.set(e.runId, acc);
                break;
              }
              case 'gradStats':
                updateRun(runs, e.runId, (r) => ({ ...r, gradStats: e.stats }));
                break;
              case 'inspection':
                updateRun(runs, e.runId, (r) => ({ ...r, inspection: e.inspection }));
                break;
              case 'boundary':
                updateRun(runs, e.runId, (r) => ({
                  ...r,
                  boundary: { step: e.step, resolution: e.resolution, extent: e.extent, values: e.values },
                }));
                break;
              case 'savedRuns': {
                // Runs from storage (after a reload): shown paused at their checkpoint, newest kept.
                const order = [...(s.order ?? [])];
                for (const r of e.runs) {
                  if (runs[r.id]) continue;
                  runs[r.id] = {
                    id: r.id,
                    config: r.config,
                    label: r.label,
                    color: r.color,
                    state: r.state === 'running' ? 'paused' : r.state,
                    message:
                      r.state === 'running' ? `Restored after a reload at step ${r.checkpointStep}; press ▶ to continue.` : r.message,
                    summary: r.summary ?? undefined,
                    metrics: r.metrics,
                    epsilonFloor: r.epsilonSpent ?? undefined,
                  };
                  order.unshift(r.id);
                }
                restoredOrder = order.slice(-MAX_RUNS);
                break;
              }
              case 'rewound': {
                const r = runs[e.runId];
                if (r) {
                  const kept = (grown.get(e.runId) ?? r.metrics).filter((p) => p.step <= e.step);
                  grown.set(e.runId, kept);
                  if (e.epsilonSpent !== null)
                    updateRun(runs, e.runId, (v) => ({ ...v, epsilonFloor: Math.max(v.epsilonFloor ?? 0, e.epsilonSpent!) }));
                }
                break;
              }
              case 'runsExport':
                runsExport = { text: e.text, at: Date.now() };
                break;
              case 'runsImportFailed':
                runsImportError = e.message;
                break;
              case 'datasetImported':
                imported = [...imported, { id: e.importId, meta: e.dataset, format: e.format, notes: e.notes }];
                importing = false;
                importError = null;
                draft = { ...draft, data: { source: 'imported', id: e.importId, name: e.dataset.name } };
                break;
              case 'datasetImportFailed':
                importing = false;
                importError = e.message;
                break;
              case 'error':
                if (e.runId && runs[e.runId]) updateRun(runs, e.runId, (r) => ({ ...r, state: 'error', message: e.message }));
                else if (!e.runId?.startsWith('sweep-')) globalError = e.message; // sweep cells record their own failures
                break;
            }
          }
          for (const [id, metrics] of grown) updateRun(runs, id, (r) => ({ ...r, metrics }));
          if (restoredOrder) {
            const order = restoredOrder;
            const activeRunId = s.activeRunId ?? order[order.length - 1] ?? null;
            return { runs, backend, globalError, imported, importing, importError, draft, order, activeRunId, runsExport, runsImportError };
          }
          return { runs, backend, globalError, imported, importing, importError, draft, runsExport, runsImportError };
        });
      },
    };
  });
}

export type PlaygroundStore = ReturnType<typeof createPlaygroundStore>;

/** Configs are plain data: equal when their canonical JSON (sorted keys) is equal. */
export function sameConfig(a: RunConfig, b: RunConfig): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export const selectOrderedRuns = (s: PlaygroundState): RunView[] => s.order.map((id) => s.runs[id]);

// ---------- selectors: derived values are computed, not stored ----------
export const selectActiveRun = (s: PlaygroundState): RunView | undefined => (s.activeRunId ? s.runs[s.activeRunId] : undefined);

export const selectLastPoint = (s: PlaygroundState): MetricPoint | undefined => {
  const m = selectActiveRun(s)?.metrics;
  return m && m.length ? m[m.length - 1] : undefined;
};

/** Latest value of an optional metric (accuracy and ε are not computed at every step). */
export function lastDefined(points: readonly MetricPoint[], key: 'trainAcc' | 'testAcc' | 'epsilon' | 'testLoss'): number | undefined {
  for (let i = points.length - 1; i >= 0; i--) {
    const v = points[i][key];
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * ε a private run has spent, as the summary and the runs table show it: the accountant's latest value,
 * never below what steps released before a rewind spent; the live RDP bound (`bound: true`) before the
 * accountant's first value. Undefined for a non-private run or before any step.
 */
export function selectEpsilonSpent(run: RunView): { value: number; bound: boolean } | undefined {
  if (!run.config.privacy.enabled) return undefined;
  const accountant = lastDefined(run.metrics, 'epsilon');
  const floor = run.epsilonFloor;
  if (accountant !== undefined || floor !== undefined) return { value: Math.max(accountant ?? 0, floor ?? 0), bound: false };
  const rdp = run.metrics[run.metrics.length - 1]?.epsilonRdp;
  return rdp === undefined ? undefined : { value: rdp, bound: true };
}

/** Training-set size the draft will use, when the UI can know it before the worker loads the data. */
export function draftTrainSize(s: PlaygroundState): number | undefined {
  const d = s.draft.data;
  if (d.source === 'synthetic') return d.n - Math.max(1, Math.round(d.n * d.testFraction));
  if (d.source === 'mnist') return 8000;
  return s.imported.find((i) => i.id === d.id)?.meta.trainSize;
}

/** Input shape of the draft's data, when known. */
export function draftInputShape(s: PlaygroundState): number[] | undefined {
  const d = s.draft.data;
  if (d.source === 'synthetic') return [2];
  if (d.source === 'mnist') return [28, 28, 1];
  return s.imported.find((i) => i.id === d.id)?.meta.inputShape;
}

/**
 * Everything that stops the draft from starting, one message per problem naming the setting: the
 * schema's checks plus the ones that need the data (batch size vs N, CNN on non-image data).
 */
export function selectDraftProblems(s: PlaygroundState): string[] {
  // Subscribed components re-run this on every store update (every frame of metrics while training);
  // the answer depends only on the draft and the imported sets, so validate once per change of those.
  if (problemsCache && problemsCache.draft === s.draft && problemsCache.imported === s.imported) return problemsCache.problems;
  const problems = draftProblems(s);
  problemsCache = { draft: s.draft, imported: s.imported, problems };
  return problems;
}

let problemsCache: { draft: RunConfig; imported: ImportedDataset[]; problems: string[] } | null = null;

function draftProblems(s: PlaygroundState): string[] {
  const check = parseRunConfig(s.draft);
  const problems = check.ok ? [] : [...check.errors];
  const n = draftTrainSize(s);
  if (n !== undefined && s.draft.train.batchSize > n) {
    problems.push(`Batch size ${s.draft.train.batchSize} is larger than the training set (${n} examples).`);
  }
  const shape = draftInputShape(s);
  if (s.draft.model.preset === 'cnn' && shape && shape.length !== 3) {
    problems.push('The CNN needs image data (MNIST or an imported image set); use the MLP for 2D and tabular sets.');
  }
  // The schema checked model size and work per step for built-in sets; imported ones are known here.
  const d = s.draft.data;
  const meta = d.source === 'imported' ? s.imported.find((i) => i.id === d.id)?.meta : undefined;
  if (meta)
    problems.push(...stepBudgetIssues(s.draft.model, s.draft.train.batchSize, meta.inputShape, meta.numClasses).map((i) => i.message));
  return problems;
}

import { createStore } from 'zustand/vanilla';
import { defaultRunConfig, parseRunConfig, type RunConfig } from '../config/runConfig';
import type { BackendInfo, CommandBody, DatasetMeta, GradStats, MetricPoint, RunId, RunState, WorkerEvent } from '../protocol/messages';


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
  state: RunState;
  message?: string;
  dataset?: DatasetMeta;
  totalSteps?: number;
  /** Noise multiplier in use (calibrated when the config asks for a target ε); null without privacy. */
  sigma?: number | null;
  metrics: MetricPoint[];
  /** Calibration results and caveats from the worker's privacy plan. */
  privacyNotes?: string[];
  /** Training points of a 2D set (drawn over the decision boundary). */
  preview?: { x: Float32Array; y: Int32Array };
  gradStats?: GradStats;
  boundary?: Boundary;
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
  activeRunId: RunId | null;
  /** Start (creating the run from the draft if needed) / pause / one step / reset. */
  train(): void;
  pause(): void;
  step(): void;
  reset(): void;
  /** Apply a frame's worth of worker events in one update. */
  applyEvents(events: WorkerEvent[]): void;
}

export type PlaygroundState = BackendSlice & DataSlice & ConfigSlice & RunsSlice;

let runCounter = 0;
const newRunId = (): RunId => `run-${Date.now().toString(36)}-${(runCounter++).toString(36)}`;

export function createPlaygroundStore(sink: CommandSink, initialDraft: RunConfig = defaultRunConfig()) {
  return createStore<PlaygroundState>()((set, get) => {
    /** Creates a run from the draft when there is none, or when the draft changed since. */
    const ensureRun = (): RunId | null => {
      const { activeRunId, runs, draft } = get();
      const current = activeRunId ? runs[activeRunId] : undefined;
      if (current && current.state !== 'error' && JSON.stringify(current.config) === JSON.stringify(draft)) return current.id;
      const check = parseRunConfig(draft);
      if (!check.ok) {
        set({ globalError: `Invalid configuration: ${check.errors.join('; ')}` });
        return null;
      }
      if (current) sink.send({ type: 'dispose', runId: current.id });
      const id = newRunId();
      const view: RunView = { id, config: check.config, state: 'idle', metrics: [] };
      set((s) => {
        const runs = { ...s.runs, [id]: view };
        if (current) delete runs[current.id];
        return { runs, activeRunId: id, globalError: null };
      });
      sink.send({ type: 'create', runId: id, config: check.config });
      return id;
    };

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
      runs: {},
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
      reset() {
        const id = get().activeRunId;
        if (!id) return;
        sink.send({ type: 'reset', runId: id });
        set((s) => {
          const runs = { ...s.runs };
          updateRun(runs, id, (r) => ({ ...r, metrics: [], gradStats: undefined, boundary: undefined, state: 'idle', message: undefined }));
          return { runs };
        });
      },

      applyEvents(events) {
        set((s) => {
          const runs = { ...s.runs };
          let backend = s.backend;
          let globalError = s.globalError;
          let { imported, importing, importError, draft } = s;
          const grown = new Map<RunId, MetricPoint[]>();
          for (const e of events) {
            switch (e.type) {
              case 'backend':
                backend = e.info;
                break;
              case 'created':
                updateRun(runs, e.runId, (r) => ({ ...r, dataset: e.dataset, totalSteps: e.totalSteps, sigma: e.sigma, preview: e.preview, privacyNotes: e.privacy.notes }));
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
              case 'boundary':
                updateRun(runs, e.runId, (r) => ({
                  ...r,
                  boundary: { step: e.step, resolution: e.resolution, extent: e.extent, values: e.values },
                }));
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
                else globalError = e.message;
                break;
            }
          }
          for (const [id, metrics] of grown) updateRun(runs, id, (r) => ({ ...r, metrics }));
          return { runs, backend, globalError, imported, importing, importError, draft };
        });
      },
    };
  });
}

export type PlaygroundStore = ReturnType<typeof createPlaygroundStore>;

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
  return problems;
}

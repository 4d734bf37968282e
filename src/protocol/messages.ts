import type { RunConfig } from '../config/runConfig';

/**
 * The one contract between the UI (main thread) and the training worker. Both sides import these
 * types, so they cannot drift. Every message carries the protocol version; bulk data travels as
 * transferable typed arrays (see `transferablesOf`).
 */
export const PROTOCOL_VERSION = 1 as const;

export type RunId = string;

export type BackendName = 'webgpu' | 'webgl' | 'cpu';

/** What the worker really got, after any fallback. */
export interface BackendInfo {
  name: BackendName;
  /** Adapter description for WebGPU (vendor / architecture / device), when the browser tells. */
  adapter?: string;
  /** Why better backends were skipped, e.g. "WebGPU: no adapter (navigator.gpu missing)". */
  fallbackReason?: string;
}

export interface DatasetMeta {
  name: string;
  source: string;
  trainSize: number;
  testSize: number;
  inputShape: number[];
  numClasses: number;
}

/** One point of the live metric stream. Accuracy and ε are present on the steps where they were computed. */
export interface MetricPoint {
  step: number;
  epoch: number;
  loss: number;
  /** Real (unpadded) examples in this step's batch. */
  batchSize: number;
  trainAcc?: number;
  testAcc?: number;
  testLoss?: number;
  /** ε by the run's accountant (PRV by default), on evaluation steps of private runs. */
  epsilon?: number;
  /** RDP upper bound on ε, every step of a private run (cheap, always ≥ the PRV value). */
  epsilonRdp?: number;
  /** Private runs: ‖Σ Cᵢgᵢ‖ (the clipped signal) and ‖z‖ (the noise added to it) this step. */
  signalNorm?: number;
  noiseNorm?: number;
  /** Wall-clock throughput over the last step. */
  samplesPerSec: number;
  /** Time spent training so far (pauses excluded), in ms. */
  elapsedMs: number;
}

/** Per-step view of the DP mechanics, sent for private runs. */
export interface GradStats {
  step: number;
  /** Per-sample gradient norms ‖g_i‖ before clipping (real rows of this step's batch). */
  norms: Float32Array;
  /** Histogram of `norms`: counts[k] in [edges[k], edges[k+1]). */
  histogram: { edges: Float32Array; counts: Uint32Array };
  /** Abadi/global: share of samples whose gradient was scaled down (null for automatic clipping). */
  fractionClipped: number | null;
  meanClipFactor: number;
  /** ‖Σ C_i g_i‖ (signal) and ‖noise‖ added to it, before dividing by the batch size. */
  clippedSumNorm: number;
  noiseNorm: number;
  /** Clipping threshold R drawn on the histogram (Abadi, global); null for automatic clipping. */
  maxGradNorm: number | null;
  /** Each sample's effective clip factor ‖clipped gᵢ‖/‖gᵢ‖, same order as `norms`. */
  clipFactors: Float32Array;
}

/** One iteration taken apart, for step-through teaching mode. */
export interface Inspection {
  step: number;
  /** Indices and labels of the examples Poisson sampling drew (real rows only). */
  indices: Int32Array;
  labels: Int32Array;
  paddedSize: number;
  expectedBatchSize: number;
  loss: number;
  /** Present for private runs: the per-sample view of this very step. */
  stats?: GradStats;
  /** σ·S, the noise std per coordinate of the clipped sum (null without privacy). */
  noiseStd: number | null;
  updateNorm: number;
  learningRate: number;
}

export type RunState = 'idle' | 'running' | 'paused' | 'done' | 'error';

// ---------- UI → worker ----------
export type Command =
  /** `ephemeral` runs (sweep cells) are not saved to the browser's storage. */
  | {
      v: typeof PROTOCOL_VERSION;
      type: 'create';
      runId: RunId;
      config: RunConfig;
      display: { label: string; color: string };
      ephemeral?: boolean;
    }
  /** List the runs saved in this browser (sent once at start-up). */
  | { v: typeof PROTOCOL_VERSION; type: 'restoreRuns' }
  /** Export every saved run (config, metrics, checkpoint) as one JSON document. */
  | { v: typeof PROTOCOL_VERSION; type: 'exportRuns' }
  /** Import runs from such a document: validated, then saved and listed (as 'savedRuns'). */
  | { v: typeof PROTOCOL_VERSION; type: 'importRuns'; text: string }
  | { v: typeof PROTOCOL_VERSION; type: 'start'; runId: RunId }
  | { v: typeof PROTOCOL_VERSION; type: 'pause'; runId: RunId }
  | { v: typeof PROTOCOL_VERSION; type: 'step'; runId: RunId }
  /** One step with its inner workings reported (step-through mode). */
  | { v: typeof PROTOCOL_VERSION; type: 'inspect'; runId: RunId }
  | { v: typeof PROTOCOL_VERSION; type: 'reset'; runId: RunId }
  | { v: typeof PROTOCOL_VERSION; type: 'dispose'; runId: RunId }
  /** Parse user files (IDX, CIFAR-10 binary, CSV) in the worker; bytes are transferred. */
  | { v: typeof PROTOCOL_VERSION; type: 'importDataset'; importId: string; files: { name: string; bytes: Uint8Array }[] };

// ---------- worker → UI ----------
export type WorkerEvent =
  | { v: typeof PROTOCOL_VERSION; type: 'backend'; info: BackendInfo }
  | {
      v: typeof PROTOCOL_VERSION;
      type: 'created';
      runId: RunId;
      dataset: DatasetMeta;
      totalSteps: number;
      /** Noise multiplier in use (calibrated for a target ε); null for a non-private run. */
      sigma: number | null;
      /** Training points of a 2D set, for drawing over the decision boundary. */
      preview?: { x: Float32Array; y: Int32Array };
      /** Privacy facts of the run: q, δ, accountant, and notes (calibration, caveats). */
      privacy: {
        enabled: boolean;
        sampleRate: number;
        delta: number;
        accountant: string;
        coveredByAccountant: boolean;
        /** ε the accountant gives at the planned number of steps (null without privacy). */
        projectedEpsilon: number | null;
        notes: string[];
      };
    }
  | { v: typeof PROTOCOL_VERSION; type: 'state'; runId: RunId; state: RunState; message?: string }
  | { v: typeof PROTOCOL_VERSION; type: 'metrics'; runId: RunId; points: MetricPoint[] }
  | { v: typeof PROTOCOL_VERSION; type: 'gradStats'; runId: RunId; stats: GradStats }
  | { v: typeof PROTOCOL_VERSION; type: 'inspection'; runId: RunId; inspection: Inspection }
  | {
      v: typeof PROTOCOL_VERSION;
      type: 'boundary';
      runId: RunId;
      step: number;
      /** Grid is resolution × resolution over [-extent, extent]²; values = P(class 1) per cell, row-major from top. */
      resolution: number;
      extent: number;
      values: Float32Array;
    }
  | { v: typeof PROTOCOL_VERSION; type: 'datasetImported'; importId: string; dataset: DatasetMeta; format: string; notes: string[] }
  | { v: typeof PROTOCOL_VERSION; type: 'datasetImportFailed'; importId: string; message: string }
  | { v: typeof PROTOCOL_VERSION; type: 'savedRuns'; runs: SavedRun[] }
  | { v: typeof PROTOCOL_VERSION; type: 'runsExport'; text: string }
  /**
   * The run went back to its checkpoint at `step` (after a device loss): later metrics are void, but
   * not the privacy they spent: `epsilonSpent` (by the run's accountant) stays spent, null if none.
   */
  | { v: typeof PROTOCOL_VERSION; type: 'rewound'; runId: RunId; step: number; epsilonSpent: number | null }
  | { v: typeof PROTOCOL_VERSION; type: 'runsImportFailed'; message: string }
  | { v: typeof PROTOCOL_VERSION; type: 'error'; runId?: RunId; message: string };

/** A run kept in this browser's storage, as the UI shows it after a reload. */
export interface SavedRun {
  id: RunId;
  config: RunConfig;
  label: string;
  color: string;
  /** As last saved; 'running' means the page went away mid-run (the UI shows it paused). */
  state: RunState;
  message?: string;
  dataset: DatasetMeta | null;
  totalSteps: number | null;
  sigma: number | null;
  projectedEpsilon: number | null;
  notes: string[];
  metrics: MetricPoint[];
  /** Step of the checkpoint training continues from (0: starts over). */
  checkpointStep: number;
  /** ε (by the run's accountant) of every step released, which may be past the checkpoint; null if none. */
  epsilonSpent: number | null;
}

export type CommandType = Command['type'];
export type WorkerEventType = WorkerEvent['type'];

/** A message as written by its sender; `command` / `event` stamp the version on it. */
export type Unversioned<T> = T extends unknown ? Omit<T, 'v'> : never;
export type CommandBody = Unversioned<Command>;
export type EventBody = Unversioned<WorkerEvent>;

export function command(c: CommandBody): Command {
  return { v: PROTOCOL_VERSION, ...c } as Command;
}

export function event(e: EventBody): WorkerEvent {
  return { v: PROTOCOL_VERSION, ...e } as WorkerEvent;
}

/** Buffers to transfer (not copy) with a command. */
export function commandTransferables(c: Command): Transferable[] {
  return c.type === 'importDataset' ? c.files.map((f) => f.bytes.buffer as ArrayBuffer) : [];
}

/** Buffers to transfer (not copy) with a message. */
export function transferablesOf(e: WorkerEvent): Transferable[] {
  switch (e.type) {
    case 'boundary':
      return [e.values.buffer as ArrayBuffer];
    case 'created':
      return e.preview ? [e.preview.x.buffer as ArrayBuffer, e.preview.y.buffer as ArrayBuffer] : [];
    case 'gradStats':
      return gradStatsBuffers(e.stats);
    case 'inspection':
      return [
        e.inspection.indices.buffer as ArrayBuffer,
        e.inspection.labels.buffer as ArrayBuffer,
        ...(e.inspection.stats ? gradStatsBuffers(e.inspection.stats) : []),
      ];
    default:
      return [];
  }
}

function gradStatsBuffers(s: GradStats): ArrayBuffer[] {
  return [s.norms.buffer, s.clipFactors.buffer, s.histogram.edges.buffer, s.histogram.counts.buffer] as ArrayBuffer[];
}

/** Rejects messages from another protocol version instead of misreading them. */
export function isCurrentVersion(m: { v?: unknown }): boolean {
  return m.v === PROTOCOL_VERSION;
}

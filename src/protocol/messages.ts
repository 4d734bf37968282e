import type { RunConfig } from '../config/runConfig';
import type { BackendInfo } from '../domain/backend';
import type { DatasetMeta } from '../domain/dataset';
import { planeBuffers } from '../domain/gradientPlane';
import { gradStatsBuffers } from '../domain/gradStats';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunId } from '../domain/run';
import type { RunEvent } from '../domain/runEvent';
import type { RunMeta } from '../domain/runMeta';

/**
 * The one contract between the UI (main thread) and the training worker: the commands the page
 * sends, the events the worker posts. Both sides import these types, so they cannot drift. Every
 * message carries the protocol version; bulk data travels as transferable typed arrays (see
 * `transferablesOf`). What the messages carry (runs, metrics, checkpoints) is described in src/domain.
 */
export const PROTOCOL_VERSION = 1 as const;

// ---------- UI → worker ----------
export type CommandBody =
  /** `ephemeral` runs (sweep cells) are not saved to the browser's storage. */
  | { type: 'create'; runId: RunId; config: RunConfig; display: { label: string; color: string }; ephemeral?: boolean }
  /** List the runs saved in this browser (sent once at start-up). */
  | { type: 'restoreRuns' }
  /** Export every saved run (config, metrics, checkpoint) as one JSON document. */
  | { type: 'exportRuns' }
  /** Import runs from such a document: validated, then saved and listed (as 'savedRuns'). */
  | { type: 'importRuns'; text: string }
  | { type: 'start'; runId: RunId }
  | { type: 'pause'; runId: RunId }
  | { type: 'step'; runId: RunId }
  /** One step with its inner workings reported (step-through mode). */
  | { type: 'inspect'; runId: RunId }
  /** Refresh the gradient plane every `every` training steps (0: only on inspected steps). */
  | { type: 'planeLive'; runId: RunId; every: number }
  /** Train with `lr` from the run's next step on (a run that trains or is paused); answered by a 'learningRate' event. */
  | { type: 'setLearningRate'; runId: RunId; lr: number }
  | { type: 'reset'; runId: RunId }
  | { type: 'dispose'; runId: RunId }
  /** Parse user files (IDX, CIFAR-10 binary, CSV) in the worker; bytes are transferred. */
  | { type: 'importDataset'; importId: string; files: { name: string; bytes: Uint8Array }[] };

// ---------- worker → UI ----------
export type EventBody =
  /** What a run reports, as the engine emits it. */
  | RunEvent
  | { type: 'backend'; info: BackendInfo }
  | { type: 'datasetImported'; importId: string; dataset: DatasetMeta; format: string; notes: string[] }
  | { type: 'datasetImportFailed'; importId: string; message: string }
  | { type: 'savedRuns'; runs: SavedRun[] }
  | { type: 'runsExport'; text: string }
  /**
   * The run went back to its checkpoint at `step` (after a device loss): later metrics are void, but
   * not the privacy they spent: `epsilonSpent` (by the run's accountant) stays spent, null if none.
   */
  | { type: 'rewound'; runId: RunId; step: number; epsilonSpent: number | null }
  | { type: 'runsImportFailed'; message: string };

/** A run kept in this browser's storage, as the UI shows it after a reload ('running': shown paused). */
export interface SavedRun extends RunMeta {
  metrics: MetricPoint[];
  /** Step of the checkpoint training continues from (0: starts over). */
  checkpointStep: number;
  /** ε (by the run's accountant) of every step released, which may be past the checkpoint; null if none. */
  epsilonSpent: number | null;
}

/** A message as it travels: its sender's body with the protocol version stamped on it. */
type Versioned<T> = T extends unknown ? T & { v: typeof PROTOCOL_VERSION } : never;
export type Command = Versioned<CommandBody>;
export type WorkerEvent = Versioned<EventBody>;

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
    case 'gradientPlane':
      return planeBuffers(e.plane);
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

/** Rejects messages from another protocol version instead of misreading them. */
export function isCurrentVersion(m: { v?: unknown }): boolean {
  return m.v === PROTOCOL_VERSION;
}

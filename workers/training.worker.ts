/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { RunController } from '../src/engine/runController';
import { datasetMeta, loadSplit } from '../src/engine/datasets';
import { loadEmbeddedMnist } from '../src/data/mnistBrowser';
import { importDatasetFiles } from '../src/data/import';
import { isDatasetError } from '../src/data/errors';
import type { DatasetSplit } from '../src/data/types';
import { event, isCurrentVersion, transferablesOf, type Command, type EventBody, type SavedRun } from '../src/protocol/messages';
import { initBestBackend, watchDeviceLoss } from './backend';
import { BackendChoice } from './backendChoice';
import { RunPersistence } from './runPersistence';
import type { StoredRun } from '../src/persistence/types';
import type { PrivacySegment, RunCheckpoint } from '../src/domain/checkpoint';
import type { LrChange } from '../src/domain/learningRate';
import type { RunId } from '../src/domain/run';
import type { RunEvent } from '../src/domain/runEvent';
import type { RunConfig } from '../src/config/runConfig';
import { historyEpsilon } from '../src/engine/privacyPlan';

/**
 * The training worker: owns TF.js, the data on the GPU and the runs. It hosts the engine (one
 * RunController per run) and translates protocol commands into calls on it; the engine itself
 * lives in src/engine and never sees the worker API.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const runs = new Map<RunId, RunController>();

function post(e: EventBody): void {
  const message = event(e);
  scope.postMessage(message, transferablesOf(message));
}

/** What a run reports: saved as it goes, then sent to the page. */
function forward(e: RunEvent): void {
  persistence?.observe(e);
  post(e);
}

// Runs are saved to IndexedDB as they go, so a reload or a crash loses at most a few steps.
let persistence: RunPersistence | null = null;
const persistenceReady = RunPersistence.open((message) => post({ type: 'error', message })).then((p) => {
  persistence = p;
});

const ready = initBestBackend()
  .then((info) => {
    post({ type: 'backend', info });
    watchDeviceLoss(onDeviceLost);
  })
  .catch((e: unknown) => {
    post({ type: 'error', message: `Could not start TF.js: ${e instanceof Error ? e.message : String(e)}` });
    throw e;
  });

/**
 * The GPU device went away (driver reset, another tab, the test's simulated loss): every live run is
 * paused at its last checkpoint with a message, the worker moves to the next backend that works, and
 * pressing ▶ continues each run from that checkpoint there, the privacy accounting included.
 */
async function onDeviceLost(reason: string): Promise<void> {
  // Runs live on one backend at a time: when the timing trial moved them off WebGPU, they keep going.
  if (tf.getBackend() !== 'webgpu') return;
  const lost = [...runs.entries()];
  runs.clear();
  for (const [id, controller] of lost) {
    controller.detach();
    const step = persistence?.lastCheckpointStep.get(id) ?? 0;
    // The model goes back to the checkpoint; the privacy spent by the steps shown since does not.
    post({ type: 'rewound', runId: id, step, epsilonSpent: spentEpsilon(controller.config, persistence?.lastReleased.get(id)) });
    forward({
      type: 'state',
      runId: id,
      state: 'paused',
      message: `The GPU device was lost (${reason}). Paused at the last checkpoint (step ${step}); press ▶ to continue on the fallback backend.`,
    });
  }
  queue = queue.then(async () => {
    const info = await initBestBackend(['wasm', 'webgl', 'cpu']);
    info.fallbackReason = [`WebGPU: device lost (${reason})`, info.fallbackReason].filter(Boolean).join('; ');
    post({ type: 'backend', info });
  });
}

const imported = new Map<string, DatasetSplit>();
// MNIST is fetched and parsed once per worker, then shared by every run.
let mnist: Promise<DatasetSplit> | null = null;
const provider = {
  mnist: () =>
    (mnist ??= loadEmbeddedMnist().catch((e: unknown) => {
      mnist = null;
      throw e;
    })),
  imported: (id: string) => imported.get(id),
};

const backendChoice = new BackendChoice();

/**
 * Puts TF.js on the backend run `runId` trains on (its config's choice, or the fastest by a timing
 * trial) before the run allocates anything. The trial sees the examples' shape only, never an example.
 */
async function chooseBackend(runId: RunId, config: RunConfig, split: DatasetSplit): Promise<void> {
  const shape = { inputShape: split.train.inputShape, numClasses: split.train.numClasses };
  const chosen = await backendChoice.forRun(
    config,
    shape,
    [...runs.keys()].some((id) => id !== runId),
  );
  if (chosen) post({ type: 'backend', info: chosen });
}

// Commands are handled one at a time, in order, so e.g. "create" finishes before "start".
let queue: Promise<void> = Promise.resolve();
scope.addEventListener('message', (e: MessageEvent<Command>) => {
  const c = e.data;
  if (!c || typeof c !== 'object' || !isCurrentVersion(c)) {
    post({ type: 'error', message: 'Command from another protocol version ignored; reload the page.' });
    return;
  }
  queue = queue
    .then(() => handle(c))
    .catch((err: unknown) => {
      post({ type: 'error', runId: 'runId' in c ? c.runId : undefined, message: err instanceof Error ? err.message : String(err) });
    });
});

async function handle(c: Command): Promise<void> {
  await ready;
  await persistenceReady;
  switch (c.type) {
    case 'create': {
      const old = runs.get(c.runId);
      if (old) await old.dispose();
      if (!c.ephemeral) persistence?.created(c.runId, c.config, c.display);
      const split = await loadSplit(c.config.data, c.config.seed, provider);
      await chooseBackend(c.runId, c.config, split);
      runs.set(c.runId, controllerFor(c.runId, c.config, split, undefined, !c.ephemeral));
      return;
    }
    case 'exportRuns': {
      if (!persistence) throw new Error('Runs are not saved in this browser, so there is nothing to export.');
      post({ type: 'runsExport', text: await persistence.exportAll() });
      return;
    }
    case 'importRuns': {
      if (!persistence) throw new Error('This browser gives no storage for runs; they cannot be imported.');
      let added: StoredRun[];
      try {
        added = await persistence.importAll(c.text);
      } catch (e) {
        const errors = (e as { errors?: string[] }).errors;
        post({ type: 'runsImportFailed', message: errors?.length ? errors.join('; ') : e instanceof Error ? e.message : String(e) });
        return;
      }
      post({ type: 'savedRuns', runs: added.map(toSavedRun) });
      return;
    }
    case 'restoreRuns': {
      const saved = (await persistence?.list()) ?? [];
      post({ type: 'savedRuns', runs: saved.map(toSavedRun) });
      return;
    }
    case 'start':
      return (await get(c.runId)).start();
    case 'pause':
      return runs.get(c.runId)?.pause();
    case 'step':
      return (await get(c.runId)).stepOnce();
    case 'inspect':
      return (await get(c.runId)).stepOnce(true);
    case 'planeLive':
      return (await get(c.runId)).setPlaneRefresh(c.every);
    case 'setLearningRate':
      return (await get(c.runId)).setLearningRate(c.lr);
    case 'reset':
      return (await get(c.runId)).reset();
    case 'importDataset': {
      // A failed import reports its reason and leaves every loaded dataset and run as it was.
      try {
        const result = await importDatasetFiles(c.files, { seed: 0 });
        imported.set(c.importId, result.split);
        const notes: string[] = [];
        if (result.splitBySeed) notes.push('No test files: 20% of the training files were held out as the test set.');
        if (result.ignored.length) notes.push(`Ignored: ${result.ignored.join(', ')}`);
        if (result.labelColumn) notes.push(result.labelColumn);
        post({
          type: 'datasetImported',
          importId: c.importId,
          format: result.format,
          notes,
          dataset: datasetMeta(result.split),
        });
      } catch (e) {
        const message = isDatasetError(e) ? e.message : `Import failed: ${e instanceof Error ? e.message : String(e)}`;
        post({ type: 'datasetImportFailed', importId: c.importId, message });
      }
      return;
    }
    case 'dispose': {
      const r = runs.get(c.runId);
      runs.delete(c.runId);
      await r?.dispose();
      persistence?.delete(c.runId);
      return;
    }
  }
}

/** ε (by the run's accountant) of the steps released so far; null for a non-private run or none recorded. */
function spentEpsilon(config: RunConfig, released: readonly PrivacySegment[] | undefined): number | null {
  if (!config.privacy.enabled || !released?.length) return null;
  try {
    return historyEpsilon(released, config.privacy.delta, config.privacy.accountant);
  } catch {
    return null; // a history the engine would refuse on resume; it says why then
  }
}

function toSavedRun({ meta, metrics, checkpoint }: StoredRun): SavedRun {
  const upTo = checkpoint?.step ?? 0;
  return {
    id: meta.id,
    config: meta.config,
    label: meta.label,
    color: meta.color,
    state: meta.state,
    message: meta.message,
    summary: meta.summary,
    metrics: metrics.filter((p) => p.step <= upTo),
    checkpointStep: upTo,
    epsilonSpent: spentEpsilon(meta.config, meta.released),
    lrChanges: meta.lrChanges ?? [],
  };
}

function controllerFor(
  runId: RunId,
  config: RunConfig,
  split: DatasetSplit,
  checkpoint?: RunCheckpoint,
  persist = true,
  released?: PrivacySegment[],
  lrChanges?: LrChange[],
): RunController {
  const store = persist ? persistence : null;
  return new RunController(runId, config, split, forward, {
    checkpoint,
    released,
    lrChanges,
    onCheckpoint: store ? (cp) => store.checkpoint(runId, cp) : undefined,
    onRelease: store ? (history) => store.release(runId, history) : undefined,
  });
}

/** The live run, or a saved one brought back from its checkpoint (after a reload). */
async function get(id: RunId): Promise<RunController> {
  const live = runs.get(id);
  if (live) return live;
  const saved = await persistence?.load(id);
  if (!saved) throw new Error(`Unknown run ${id}`);
  persistence?.adopted(saved.meta);
  persistence?.lastCheckpointStep.set(id, saved.checkpoint?.step ?? 0);
  if (saved.meta.released) persistence?.lastReleased.set(id, saved.meta.released);
  const split = await loadSplit(saved.meta.config.data, saved.meta.config.seed, provider);
  await chooseBackend(id, saved.meta.config, split);
  const controller = controllerFor(
    id,
    saved.meta.config,
    split,
    saved.checkpoint?.payload,
    true,
    saved.meta.released,
    saved.meta.lrChanges,
  );
  runs.set(id, controller);
  return controller;
}

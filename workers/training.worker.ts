/// <reference lib="webworker" />
import { RunController } from '../src/engine/runController';
import { loadSplit } from '../src/engine/datasets';
import { loadEmbeddedMnist } from '../src/data/mnistBrowser';
import { importDatasetFiles } from '../src/data/import';
import { isDatasetError } from '../src/data/errors';
import type { DatasetSplit } from '../src/data/types';
import { event, isCurrentVersion, transferablesOf, type Command, type EventBody, type RunId } from '../src/protocol/messages';
import { initBestBackend } from './backend';

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

const ready = initBestBackend()
  .then((info) => {
    post({ type: 'backend', info });
  })
  .catch((e: unknown) => {
    post({ type: 'error', message: `Could not start TF.js: ${e instanceof Error ? e.message : String(e)}` });
    throw e;
  });

const imported = new Map<string, DatasetSplit>();
// MNIST is fetched and parsed once per worker, then shared by every run.
let mnist: Promise<DatasetSplit> | null = null;
const provider = {
  mnist: () => (mnist ??= loadEmbeddedMnist().catch((e: unknown) => {
    mnist = null;
    throw e;
  })),
  imported: (id: string) => imported.get(id),
};

// Commands are handled one at a time, in order, so e.g. "create" finishes before "start".
let queue: Promise<void> = Promise.resolve();
scope.addEventListener('message', (e: MessageEvent<Command>) => {
  const c = e.data;
  if (!c || typeof c !== 'object' || !isCurrentVersion(c)) {
    post({ type: 'error', message: 'Command from another protocol version ignored; reload the page.' });
    return;
  }
  queue = queue.then(() => handle(c)).catch((err: unknown) => {
    post({ type: 'error', runId: 'runId' in c ? c.runId : undefined, message: err instanceof Error ? err.message : String(err) });
  });
});

async function handle(c: Command): Promise<void> {
  await ready;
  switch (c.type) {
    case 'create': {
      const old = runs.get(c.runId);
      if (old) await old.dispose();
      const split = await loadSplit(c.config.data, c.config.seed, provider);
      runs.set(c.runId, new RunController(c.runId, c.config, split, post));
      return;
    }
    case 'start':
      return get(c.runId).start();
    case 'pause':
      return get(c.runId).pause();
    case 'step':
      return get(c.runId).stepOnce();
    case 'inspect':
      return get(c.runId).stepOnce(true);
    case 'reset':
      return get(c.runId).reset();
    case 'importDataset': {
      // A failed import reports its reason and leaves every loaded dataset and run as it was.
      try {
        const result = await importDatasetFiles(c.files, { seed: 0 });
        const { train, test } = result.split;
        imported.set(c.importId, result.split);
        const notes: string[] = [];
        if (result.splitBySeed) notes.push('No test files: 20% of the training files were held out as the test set.');
        if (result.ignored.length) notes.push(`Ignored: ${result.ignored.join(', ')}`);
        post({
          type: 'datasetImported',
          importId: c.importId,
          format: result.format,
          notes,
          dataset: {
            name: train.name,
            source: train.source,
            trainSize: train.y.length,
            testSize: test.y.length,
            inputShape: [...train.inputShape],
            numClasses: train.numClasses,
          },
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
      return;
    }
  }
}

function get(id: RunId): RunController {
  const r = runs.get(id);
  if (!r) throw new Error(`Unknown run ${id}`);
  return r;
}

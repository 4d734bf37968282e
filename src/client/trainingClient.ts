import { command, commandTransferables, isCurrentVersion, type CommandBody, type WorkerEvent } from '../protocol/messages';
import { FrameBatcher } from './frameBatcher';

/** The minimal worker surface we use, so tests can pass a fake. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (e: ErrorEvent) => void): void;
  terminate(): void;
}

/**
 * UI side of the worker protocol: sends typed commands, and delivers worker events in per-frame
 * batches. Knows nothing about React or the store.
 */
export class TrainingClient {
  private readonly batcher: FrameBatcher<WorkerEvent>;

  constructor(
    private readonly worker: WorkerLike,
    onEvents: (events: WorkerEvent[]) => void,
    schedule?: (cb: () => void) => void,
  ) {
    this.batcher = new FrameBatcher(onEvents, schedule);
    worker.addEventListener('message', (e: MessageEvent) => {
      const data = e.data as WorkerEvent;
      if (!data || typeof data !== 'object' || !isCurrentVersion(data)) {
        this.batcher.push({ v: 1, type: 'error', message: 'The training worker speaks another protocol version; reload the page.' });
        return;
      }
      this.batcher.push(data);
    });
    worker.addEventListener('error', (e: ErrorEvent) => {
      this.batcher.push({ v: 1, type: 'error', message: `Training worker crashed: ${e.message || 'unknown error'}` });
    });
  }

  send(c: CommandBody): void {
    const message = command(c);
    this.worker.postMessage(message, commandTransferables(message));
  }

  terminate(): void {
    this.worker.terminate();
  }
}

/** The real worker, bundled by Vite as a module worker. */
export function createTrainingWorker(): WorkerLike {
  return new Worker(new URL('../../workers/training.worker.ts', import.meta.url), { type: 'module', name: 'training' });
}

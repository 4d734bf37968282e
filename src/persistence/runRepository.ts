import { openDB } from 'idb';
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { z } from 'zod';
import type { PrivacySegment, RunCheckpoint, StoredTensor } from '../domain/checkpoint';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunId } from '../domain/run';
import { PersistenceError, toPersistenceError } from './errors';
import { metaFromV1, type RunMetaV1 } from './formatV1';
import { checkStepOrder, formatIssues, integer, memory } from './schema';
import type { RunMetaInput, StoredCheckpoint, StoredRun, StoredRunMeta } from './types';

/**
 * Runs in IndexedDB, so a reload or a crash loses nothing: metadata, the metric series and the latest
 * checkpoint of each run.
 *
 * Stores (schema version 2):
 * - `runs`: StoredRunMeta by `id`; index `byCreatedAt` (listing order).
 * - `metrics`: { runId, chunk, points } by [runId, chunk]; each chunk holds up to METRICS_CHUNK_SIZE
 *   points in step order, so appending rewrites at most the last chunk, never the whole series.
 * - `checkpoints`: StoredCheckpoint by `runId` (the latest only; Float32Arrays stored natively).
 * Every method is one transaction: it is kept whole or not at all. Every failure is a PersistenceError.
 */

export const DB_NAME = 'autoclip-playground';
/** Points per stored metrics chunk. */
export const METRICS_CHUNK_SIZE = 256;

export interface MetricChunk {
  runId: RunId;
  chunk: number;
  points: MetricPoint[];
}

interface PlaygroundDB extends DBSchema {
  runs: { key: RunId; value: StoredRunMeta; indexes: { byCreatedAt: number } };
  metrics: { key: [RunId, number]; value: MetricChunk };
  checkpoints: { key: RunId; value: StoredCheckpoint };
}

type Store = StoreNames<PlaygroundDB>;
type AnyDatabase = IDBPDatabase<unknown>;
type AnyUpgradeTransaction = IDBPTransaction<unknown, string[], 'versionchange'>;

/**
 * One step of the schema: MIGRATIONS[v - 1] takes a database from version v - 1 to v, inside the
 * upgrade transaction (it may read and rewrite records through `tx`, awaiting only its requests: any
 * other await lets the transaction commit early). If a step throws, the whole upgrade is rolled back. The schema version is the number
 * of migrations; a new version is added by appending one, never by editing a released one.
 */
export type Migration = (db: AnyDatabase, tx: AnyUpgradeTransaction) => void | Promise<void>;

export const MIGRATIONS: readonly Migration[] = [
  // 1: the initial layout.
  (db) => {
    const runs = db.createObjectStore('runs', { keyPath: 'id' });
    runs.createIndex('byCreatedAt', 'createdAt');
    db.createObjectStore('metrics', { keyPath: ['runId', 'chunk'] });
    db.createObjectStore('checkpoints', { keyPath: 'runId' });
  },
  // 2: what the engine announced of a run in one field, `summary`, instead of five loose ones (formatV1.ts).
  async (_db, tx) => {
    let cursor = await tx.objectStore('runs').openCursor();
    while (cursor) {
      await cursor.update(metaFromV1(cursor.value as RunMetaV1));
      cursor = await cursor.continue();
    }
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export interface OpenOptions {
  /** Schema steps (default MIGRATIONS); tests pass a longer list to play a future version. */
  migrations?: readonly Migration[];
  /** Clock for createdAt / updatedAt / savedAt (epoch ms). */
  now?: () => number;
  /**
   * Called once when the connection goes away on its own: another tab opened a newer schema (this
   * connection closes so that tab can upgrade), or the browser closed the database. Every later call
   * rejects with the same error.
   */
  onClosed?: (error: PersistenceError) => void;
}

/** All chunks of one run, in order. */
function chunkRange(runId: RunId): IDBKeyRange {
  return IDBKeyRange.bound([runId, 0], [runId, Infinity]);
}

function invalid(what: string, error: z.ZodError): PersistenceError {
  const lines = formatIssues(error.issues);
  return new PersistenceError(
    'invalid',
    `Cannot ${what}: ${lines.slice(0, 5).join('; ')}${lines.length > 5 ? ` (and ${lines.length - 5} more)` : ''}`,
  );
}

/** Structured clone copies a typed array's whole buffer: store views as their own compact copies. */
function compact(t: StoredTensor): StoredTensor {
  const whole = t.values.byteOffset === 0 && t.values.byteLength === t.values.buffer.byteLength;
  return { shape: [...t.shape], values: whole ? t.values : t.values.slice() };
}

const metaInput = memory.meta.extend({
  createdAt: memory.meta.shape.createdAt.optional(),
  updatedAt: memory.meta.shape.updatedAt.optional(),
});
const pointsInput = z.array(memory.point).superRefine((points, ctx) => checkStepOrder(points, ctx));
const storedCheckpoint = z.strictObject({
  runId: memory.meta.shape.id,
  step: integer(0),
  savedAt: integer(0),
  payload: memory.checkpoint,
});
const storedRun = z
  .strictObject({ meta: memory.meta, metrics: z.array(memory.point), checkpoint: storedCheckpoint.optional() })
  .superRefine((r, ctx) => {
    checkStepOrder(r.metrics, ctx, ['metrics']);
    if (r.checkpoint && (r.checkpoint.runId !== r.meta.id || r.checkpoint.step !== r.checkpoint.payload.step)) {
      ctx.addIssue({
        code: 'custom',
        path: ['checkpoint'],
        message: `belongs to run ${r.checkpoint.runId} at step ${r.checkpoint.step}, not to run ${r.meta.id} at step ${r.checkpoint.payload.step}`,
      });
    }
  });

export class RunRepository {
  private closedError: PersistenceError | null = null;

  /** Use `openRunRepository`. */
  constructor(
    private readonly db: IDBPDatabase<PlaygroundDB>,
    private readonly now: () => number,
    private readonly onClosed?: (error: PersistenceError) => void,
  ) {}

  /** Name and schema version of the open database. */
  get name(): string {
    return this.db.name;
  }

  get version(): number {
    return this.db.version;
  }

  get isClosed(): boolean {
    return this.closedError !== null;
  }

  /** Called by the open callbacks when the connection goes away on its own. */
  markClosed(error: PersistenceError): void {
    if (this.closedError) return;
    this.closedError = error;
    this.db.close();
    this.onClosed?.(error);
  }

  close(): void {
    if (!this.closedError) this.closedError = new PersistenceError('closed', 'The saved-runs database was closed by the app.');
    this.db.close();
  }

  /**
   * Insert or update a run's metadata. Keeps the createdAt of an existing record (else the given one,
   * else now) and stamps updatedAt (a given updatedAt is ignored, so a record from listRuns can be passed
   * back as is). Keeps the stored record of released steps too: only `saveReleased` changes it, so a
   * metadata update from an older copy never lowers it. Metrics and checkpoint are untouched.
   */
  async saveRun(input: RunMetaInput): Promise<StoredRunMeta> {
    const parsed = metaInput.safeParse(input);
    if (!parsed.success) throw invalid(`save run ${String((input as { id?: unknown })?.id)}`, parsed.error);
    return this.transact(['runs'], 'readwrite', `save run ${input.id}`, async (tx) => {
      const store = tx.objectStore('runs');
      const existing = await store.get(input.id);
      const now = this.now();
      const meta: StoredRunMeta = { ...parsed.data, updatedAt: now, createdAt: existing?.createdAt ?? parsed.data.createdAt ?? now };
      const released = existing ? existing.released : parsed.data.released;
      if (released) meta.released = released;
      else delete meta.released;
      await store.put(meta);
      return meta;
    });
  }

  /**
   * Record the privacy history of the steps whose results were shown (see StoredRunMeta.released),
   * replacing the previous record: the engine writes it before it shows a step (and an empty one when
   * the run is reset). One small transaction.
   */
  async saveReleased(runId: RunId, history: readonly PrivacySegment[]): Promise<void> {
    const action = `record the privacy spent by run ${runId}`;
    const parsed = memory.history.safeParse(history);
    if (!parsed.success) throw invalid(action, parsed.error);
    await this.transact(['runs'], 'readwrite', action, async (tx) => {
      const store = tx.objectStore('runs');
      const meta = await store.get(runId);
      if (!meta) throw new PersistenceError('not-found', `Cannot ${action}: there is no saved run ${runId} (save the run first).`);
      await store.put({ ...meta, released: parsed.data });
    });
  }

  /**
   * Append points (sorted by step, each after the last saved step) to a run's series. The caller
   * batches; each call is one transaction that rewrites at most the last chunk. When a run resumes from
   * a checkpoint, first drop the points after it with `truncateMetrics`.
   */
  async appendMetrics(runId: RunId, points: readonly MetricPoint[]): Promise<void> {
    const action = `save metrics of run ${runId}`;
    const parsed = pointsInput.safeParse(points);
    if (!parsed.success) throw invalid(action, parsed.error);
    if (points.length === 0) return;
    const fresh = parsed.data;
    await this.transact(['runs', 'metrics'], 'readwrite', action, async (tx) => {
      await this.requireRun(tx.objectStore('runs'), runId, action);
      const metrics = tx.objectStore('metrics');
      const cursor = await metrics.openCursor(chunkRange(runId), 'prev');
      const last = cursor?.value;
      const lastPoint = last?.points[last.points.length - 1];
      if (lastPoint && !(fresh[0].step > lastPoint.step)) {
        throw new PersistenceError(
          'invalid',
          `Cannot ${action}: step ${fresh[0].step} is not after the last saved step ${lastPoint.step} (when resuming from a checkpoint, truncate the metrics to its step first).`,
        );
      }
      let offset = 0;
      let chunk = last ? last.chunk : 0;
      if (last && last.points.length < METRICS_CHUNK_SIZE) {
        offset = METRICS_CHUNK_SIZE - last.points.length;
        await metrics.put({ runId, chunk, points: [...last.points, ...fresh.slice(0, offset)] });
      }
      if (last) chunk++;
      for (; offset < fresh.length; offset += METRICS_CHUNK_SIZE, chunk++) {
        await metrics.put({ runId, chunk, points: fresh.slice(offset, offset + METRICS_CHUNK_SIZE) });
      }
    });
  }

  /** Drop the points with step > lastStepKept (e.g. the checkpoint's step before resuming; -1 drops all). */
  async truncateMetrics(runId: RunId, lastStepKept: number): Promise<void> {
    const action = `truncate metrics of run ${runId}`;
    if (typeof lastStepKept !== 'number' || Number.isNaN(lastStepKept)) {
      throw new PersistenceError('invalid', `Cannot ${action}: lastStepKept must be a number, got ${String(lastStepKept)}`);
    }
    await this.transact(['metrics'], 'readwrite', action, async (tx) => {
      let cursor = await tx.objectStore('metrics').openCursor(chunkRange(runId), 'prev');
      while (cursor) {
        const kept = cursor.value.points.filter((p) => p.step <= lastStepKept);
        if (kept.length === cursor.value.points.length) break;
        if (kept.length === 0) await cursor.delete();
        else {
          await cursor.update({ ...cursor.value, points: kept });
          break;
        }
        cursor = await cursor.continue();
      }
    });
  }

  /** Replace the run's checkpoint with this one; its Float32Arrays are stored as they are (copied). */
  async saveCheckpoint(runId: RunId, checkpoint: RunCheckpoint): Promise<StoredCheckpoint> {
    const action = `save the checkpoint of run ${runId}`;
    const parsed = memory.checkpoint.safeParse(checkpoint);
    if (!parsed.success) throw invalid(action, parsed.error);
    const c = parsed.data;
    const payload: RunCheckpoint = {
      ...c,
      params: c.params.map(compact),
      optimizer: { ...c.optimizer, slots: c.optimizer.slots.map(compact) },
      privacy: { history: c.privacy.history.map((s) => ({ ...s })) },
    };
    return this.transact(['runs', 'checkpoints'], 'readwrite', action, async (tx) => {
      await this.requireRun(tx.objectStore('runs'), runId, action);
      const stored: StoredCheckpoint = { runId, step: payload.step, savedAt: this.now(), payload };
      await tx.objectStore('checkpoints').put(stored);
      return stored;
    });
  }

  /** Metadata of every saved run, oldest first. */
  async listRuns(): Promise<StoredRunMeta[]> {
    return this.transact(['runs'], 'readonly', 'list saved runs', (tx) => tx.objectStore('runs').index('byCreatedAt').getAll());
  }

  /** The whole run (metrics in step order), or null when there is no such run. */
  async loadRun(runId: RunId): Promise<StoredRun | null> {
    return this.transact(['runs', 'metrics', 'checkpoints'], 'readonly', `load run ${runId}`, async (tx) => {
      const [meta, chunks, checkpoint] = await Promise.all([
        tx.objectStore('runs').get(runId),
        tx.objectStore('metrics').getAll(chunkRange(runId)),
        tx.objectStore('checkpoints').get(runId),
      ]);
      if (!meta) return null;
      const run: StoredRun = { meta, metrics: chunks.flatMap((c) => c.points) };
      if (checkpoint) run.checkpoint = checkpoint;
      return run;
    });
  }

  /**
   * Write a whole run as given, timestamps included (e.g. from an import), replacing any run with the
   * same id together with its metrics and checkpoint.
   */
  async putRun(run: StoredRun): Promise<void> {
    const action = `store run ${String(run?.meta?.id)}`;
    const parsed = storedRun.safeParse(run);
    if (!parsed.success) throw invalid(action, parsed.error);
    const { meta, metrics, checkpoint } = parsed.data;
    await this.transact(['runs', 'metrics', 'checkpoints'], 'readwrite', action, async (tx) => {
      await Promise.all([tx.objectStore('metrics').delete(chunkRange(meta.id)), tx.objectStore('checkpoints').delete(meta.id)]);
      await tx.objectStore('runs').put(meta);
      for (let i = 0; i * METRICS_CHUNK_SIZE < metrics.length; i++) {
        await tx
          .objectStore('metrics')
          .put({ runId: meta.id, chunk: i, points: metrics.slice(i * METRICS_CHUNK_SIZE, (i + 1) * METRICS_CHUNK_SIZE) });
      }
      if (checkpoint) {
        const p = checkpoint.payload;
        await tx.objectStore('checkpoints').put({
          ...checkpoint,
          payload: { ...p, params: p.params.map(compact), optimizer: { ...p.optimizer, slots: p.optimizer.slots.map(compact) } },
        });
      }
    });
  }

  /** Remove a run with its metrics and checkpoint (no error if it does not exist). */
  async deleteRun(runId: RunId): Promise<void> {
    await this.transact(['runs', 'metrics', 'checkpoints'], 'readwrite', `delete run ${runId}`, async (tx) => {
      await Promise.all([
        tx.objectStore('runs').delete(runId),
        tx.objectStore('metrics').delete(chunkRange(runId)),
        tx.objectStore('checkpoints').delete(runId),
      ]);
    });
  }

  /** Remove every saved run. */
  async clear(): Promise<void> {
    await this.transact(['runs', 'metrics', 'checkpoints'], 'readwrite', 'clear saved runs', async (tx) => {
      await Promise.all([tx.objectStore('runs').clear(), tx.objectStore('metrics').clear(), tx.objectStore('checkpoints').clear()]);
    });
  }

  private async requireRun(runs: { get(key: RunId): Promise<StoredRunMeta | undefined> }, runId: RunId, action: string): Promise<void> {
    if (!(await runs.get(runId)))
      throw new PersistenceError('not-found', `Cannot ${action}: there is no saved run ${runId} (save the run first).`);
  }

  /**
   * Run `body` in one transaction and wait until it is committed. If `body` throws, the transaction is
   * aborted so nothing of it is kept; errors (quota included) come back as PersistenceErrors.
   */
  private async transact<S extends Store[], M extends IDBTransactionMode, T>(
    stores: S,
    mode: M,
    action: string,
    body: (tx: IDBPTransaction<PlaygroundDB, S, M>) => Promise<T>,
  ): Promise<T> {
    if (this.closedError) throw this.closedError;
    let tx: IDBPTransaction<PlaygroundDB, S, M>;
    try {
      tx = this.db.transaction(stores, mode);
    } catch (e) {
      throw toPersistenceError(e, action);
    }
    let result: T;
    try {
      result = await body(tx);
    } catch (e) {
      tx.done.catch(() => undefined);
      try {
        tx.abort();
      } catch {
        // Already finished or aborted by the failing request itself.
      }
      throw toPersistenceError(e, action);
    }
    try {
      await tx.done;
    } catch (e) {
      throw toPersistenceError(e, action);
    }
    return result;
  }
}

/**
 * Open (creating or upgrading) the runs database. Rejects with a PersistenceError: 'unavailable' (no
 * IndexedDB), 'blocked' (another tab holds an older version open), 'version' (the database is newer than
 * this app), or 'io' (a failed upgrade, which leaves the database as it was).
 */
export function openRunRepository(name: string = DB_NAME, options: OpenOptions = {}): Promise<RunRepository> {
  const migrations = options.migrations ?? MIGRATIONS;
  const now = options.now ?? Date.now;
  if (typeof indexedDB === 'undefined') {
    return Promise.reject(
      new PersistenceError(
        'unavailable',
        'This browser offers no IndexedDB storage (private mode?): runs cannot be saved and will be lost on reload.',
      ),
    );
  }
  return new Promise<RunRepository>((resolve, reject) => {
    let settled = false;
    let repo: RunRepository | null = null;
    let upgradeError: PersistenceError | null = null;
    const fail = (e: PersistenceError) => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    openDB<PlaygroundDB>(name, migrations.length, {
      upgrade(db, oldVersion, newVersion, tx) {
        const steps = async () => {
          for (let v = oldVersion + 1; v <= (newVersion ?? migrations.length); v++) {
            try {
              await migrations[v - 1](db as unknown as AnyDatabase, tx as unknown as AnyUpgradeTransaction);
            } catch (e) {
              throw new PersistenceError(
                'io',
                `Saved runs could not be upgraded from schema version ${oldVersion} (step to version ${v} failed: ${(e as Error)?.message ?? String(e)}); they were left as they were.`,
                { cause: e },
              );
            }
          }
        };
        // idb does not watch the returned promise: a failed step must abort the upgrade itself.
        steps().catch((e: PersistenceError) => {
          upgradeError = e;
          tx.done.catch(() => undefined);
          try {
            tx.abort();
          } catch {
            // The transaction already ended with the failing request.
          }
        });
      },
      blocked(currentVersion) {
        fail(
          new PersistenceError(
            'blocked',
            `Saved runs cannot be opened: another tab of AutoClip Playground keeps version ${currentVersion} of the database open. Close the other tabs and reload.`,
          ),
        );
      },
      blocking() {
        repo?.markClosed(
          new PersistenceError(
            'closed',
            'Saved runs were upgraded by a newer AutoClip Playground in another tab; reload this page to keep saving.',
          ),
        );
      },
      terminated() {
        repo?.markClosed(
          new PersistenceError('closed', 'The browser closed the saved-runs database unexpectedly; reload the page to keep saving.'),
        );
      },
    }).then(
      (db) => {
        if (settled) {
          // The caller was already told this open was blocked; do not keep a connection nobody holds.
          db.close();
          return;
        }
        settled = true;
        repo = new RunRepository(db, now, options.onClosed);
        resolve(repo);
      },
      (e: unknown) => fail(upgradeError ?? toPersistenceError(e, `open the saved-runs database (schema version ${migrations.length})`)),
    );
  });
}

import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { PersistenceError } from './errors';
import { METRICS_CHUNK_SIZE, MIGRATIONS, SCHEMA_VERSION, openRunRepository } from './runRepository';
import type { Migration, RunRepository } from './runRepository';
import { base64ToFloat32 } from './base64';
import type { StoredRunMeta } from './types';
import type { RunMetaV1 } from './formatV1';
import type { MetricPoint } from '../domain/metricPoint';
import { RUN_V1_PRIVATE_SUMMARY, runsV1Text } from './fixtures/runsV1';
import { sameBits, sampleCheckpoint, sampleHistory, sampleMetaInput, samplePoint, samplePoints, sampleRun } from './testing';

type WireTensor = { shape: number[]; values: string };
/** A run of a version 1 export file, as JSON.parse gives it. */
interface V1Run extends RunMetaV1 {
  notCoveredByAccountant: boolean;
  seededRandomness: boolean;
  metrics: Record<string, number | string>[];
  checkpoint?: {
    step: number;
    savedAt: number;
    payload: Record<string, unknown> & { params: WireTensor[]; optimizer: { name: string; iterations: number; slots: WireTensor[] } };
  };
}

/** A metric point with the file's "NaN" / "Infinity" strings as the numbers IndexedDB held. */
const numbers = (p: Record<string, number | string>) =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Number(v)])) as unknown as MetricPoint;

let dbCounter = 0;
const open: RunRepository[] = [];
/** A fresh database per test, with a clock that ticks one millisecond per call. */
async function freshRepo(name = `test-${++dbCounter}`): Promise<RunRepository> {
  let t = 1_000;
  const repo = await openRunRepository(name, { now: () => t++ });
  open.push(repo);
  return repo;
}

afterEach(() => {
  for (const r of open.splice(0)) r.close();
});

async function rejection(p: Promise<unknown>): Promise<PersistenceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PersistenceError);
    return e as PersistenceError;
  }
  throw new Error('expected a rejection');
}

describe('RunRepository: runs', () => {
  it('saves, lists, loads and deletes runs', async () => {
    const repo = await freshRepo();
    expect(repo.version).toBe(SCHEMA_VERSION);
    expect(await repo.listRuns()).toEqual([]);
    const a = await repo.saveRun(sampleMetaInput('run-a'));
    const b = await repo.saveRun(sampleMetaInput('run-b', { color: '#dc2626', label: 'Abadi R=1' }));
    expect(a).toMatchObject({ id: 'run-a', createdAt: 1000, updatedAt: 1000 });
    expect((await repo.listRuns()).map((m) => m.id)).toEqual(['run-a', 'run-b']);

    // An update keeps createdAt, stamps updatedAt and replaces the rest.
    const a2 = await repo.saveRun({ ...sampleMetaInput('run-a'), state: 'paused', message: 'Paused by the user.' });
    expect(a2).toMatchObject({ createdAt: 1000, updatedAt: 1002, state: 'paused', message: 'Paused by the user.' });
    const loaded = await repo.loadRun('run-a');
    expect(loaded).toEqual({ meta: a2, metrics: [] });
    expect(loaded?.meta.config).toEqual(sampleMetaInput('run-a').config);

    await repo.appendMetrics('run-b', samplePoints(1, 5));
    await repo.saveCheckpoint('run-b', sampleCheckpoint(5));
    await repo.deleteRun('run-b');
    expect(await repo.loadRun('run-b')).toBeNull();
    expect((await repo.listRuns()).map((m) => m.id)).toEqual(['run-a']);
    // A new run under the deleted id starts empty: its old metrics and checkpoint went with it.
    await repo.saveRun(b);
    expect(await repo.loadRun('run-b')).toEqual({ meta: expect.objectContaining({ id: 'run-b' }), metrics: [] });

    await repo.clear();
    expect(await repo.listRuns()).toEqual([]);
    expect(await repo.loadRun('run-a')).toBeNull();
  });

  it('lists runs by creation time, not by id', async () => {
    const repo = await freshRepo();
    await repo.saveRun(sampleMetaInput('z-first', { createdAt: 5 }));
    await repo.saveRun(sampleMetaInput('a-second', { createdAt: 7 }));
    await repo.saveRun(sampleMetaInput('m-oldest', { createdAt: 1 }));
    expect((await repo.listRuns()).map((m) => m.id)).toEqual(['m-oldest', 'z-first', 'a-second']);
  });

  it('refuses malformed metadata with the field named, and stores nothing', async () => {
    const repo = await freshRepo();
    const bad = sampleMetaInput('run-x');
    bad.config = { ...bad.config, train: { ...bad.config.train, learningRate: -1 } };
    const e = await rejection(repo.saveRun(bad));
    expect(e.code).toBe('invalid');
    expect(e.message).toContain('config.train.learningRate: must be > 0');
    const e2 = await rejection(repo.saveRun(sampleMetaInput('<img onerror=x>')));
    expect(e2.message).toContain('id: must be 1–128 letters');
    expect(await repo.listRuns()).toEqual([]);
  });
});

describe('RunRepository: metrics', () => {
  it('appends many small batches and returns the whole series in order', async () => {
    const repo = await freshRepo();
    await repo.saveRun(sampleMetaInput('run-m'));
    const total = 3 * METRICS_CHUNK_SIZE + 17;
    const all = samplePoints(1, total);
    for (let i = 0, size = 1; i < all.length; i += size, size = (size % 7) + 1) {
      await repo.appendMetrics('run-m', all.slice(i, i + size));
    }
    const run = await repo.loadRun('run-m');
    expect(run?.metrics).toEqual(all);
    // Stored densely: every chunk full but the last.
    repo.close();
    const raw = await openDB(repo.name);
    const chunks = await raw.getAll('metrics');
    raw.close();
    expect(chunks.map((c) => [c.chunk, c.points.length])).toEqual([
      [0, METRICS_CHUNK_SIZE],
      [1, METRICS_CHUNK_SIZE],
      [2, METRICS_CHUNK_SIZE],
      [3, 17],
    ]);
  });

  it('appending one point rewrites only the last chunk', async () => {
    const repo = await freshRepo('chunks');
    await repo.saveRun(sampleMetaInput('run-c'));
    await repo.appendMetrics('run-c', samplePoints(1, 2 * METRICS_CHUNK_SIZE + 3));
    repo.close();
    const raw = await openDB('chunks');
    const before = await raw.getAll('metrics');
    raw.close();
    expect(before.map((c) => [c.chunk, c.points.length])).toEqual([
      [0, METRICS_CHUNK_SIZE],
      [1, METRICS_CHUNK_SIZE],
      [2, 3],
    ]);

    const again = await openRunRepository('chunks');
    open.push(again);
    await again.appendMetrics('run-c', [samplePoint(2 * METRICS_CHUNK_SIZE + 4)]);
    const raw2 = await openDB('chunks');
    const after = await raw2.getAll('metrics');
    raw2.close();
    expect(after.map((c) => c.points.length)).toEqual([METRICS_CHUNK_SIZE, METRICS_CHUNK_SIZE, 4]);
    expect(after.slice(0, 2)).toEqual(before.slice(0, 2));
  });

  it('keeps a diverged (NaN, Infinity) loss as it was', async () => {
    const repo = await freshRepo();
    await repo.saveRun(sampleMetaInput('run-n'));
    const pts = [
      { ...samplePoint(1), loss: Infinity },
      { ...samplePoint(2), loss: NaN, testLoss: NaN },
    ];
    await repo.appendMetrics('run-n', pts);
    expect((await repo.loadRun('run-n'))?.metrics).toEqual(pts);
  });

  it('refuses points out of order, before the last saved step, malformed, or for an unknown run', async () => {
    const repo = await freshRepo();
    await repo.saveRun(sampleMetaInput('run-o'));
    await repo.appendMetrics('run-o', samplePoints(1, 10));

    let e = await rejection(repo.appendMetrics('run-o', [samplePoint(12), samplePoint(11)]));
    expect([e.code, e.message]).toEqual(['invalid', expect.stringContaining("[1].step: 11 is not after the previous point's step 12")]);
    e = await rejection(repo.appendMetrics('run-o', [samplePoint(10)]));
    expect([e.code, e.message]).toEqual(['invalid', expect.stringContaining('step 10 is not after the last saved step 10')]);
    e = await rejection(repo.appendMetrics('run-o', [{ ...samplePoint(11), step: -1 }]));
    expect(e.message).toContain('[0].step: must be ≥ 0');
    e = await rejection(repo.appendMetrics('run-o', [{ ...samplePoint(11), epoch: NaN }]));
    expect(e.message).toContain('[0].epoch: must be a finite number, got NaN');
    e = await rejection(repo.appendMetrics('ghost', [samplePoint(1)]));
    expect(e.code).toBe('not-found');
    expect(e.message).toContain('there is no saved run ghost');
    expect(await repo.loadRun('ghost')).toBeNull();
    expect((await repo.loadRun('run-o'))?.metrics).toEqual(samplePoints(1, 10));
  });

  it('truncates to a checkpoint step so a resumed run can continue its series', async () => {
    const repo = await freshRepo();
    await repo.saveRun(sampleMetaInput('run-t'));
    await repo.appendMetrics('run-t', samplePoints(1, 2 * METRICS_CHUNK_SIZE + 50));
    await repo.truncateMetrics('run-t', METRICS_CHUNK_SIZE - 6);
    expect((await repo.loadRun('run-t'))?.metrics).toEqual(samplePoints(1, METRICS_CHUNK_SIZE - 6));
    await repo.appendMetrics('run-t', samplePoints(METRICS_CHUNK_SIZE - 5, METRICS_CHUNK_SIZE + 40));
    expect((await repo.loadRun('run-t'))?.metrics).toEqual(samplePoints(1, METRICS_CHUNK_SIZE + 40));
    await repo.truncateMetrics('run-t', -1);
    expect((await repo.loadRun('run-t'))?.metrics).toEqual([]);
  });
});

describe('RunRepository: checkpoints', () => {
  it('stores Float32Arrays bit for bit and keeps only the latest checkpoint', async () => {
    const repo = await freshRepo();
    await repo.saveRun(sampleMetaInput('run-k'));
    await repo.saveCheckpoint('run-k', sampleCheckpoint(40));
    const ck = sampleCheckpoint(80);
    const saved = await repo.saveCheckpoint('run-k', ck);
    expect(saved).toMatchObject({ runId: 'run-k', step: 80 });

    const got = (await repo.loadRun('run-k'))?.checkpoint;
    expect(got?.step).toBe(80);
    expect(got?.savedAt).toBe(saved.savedAt);
    const payload = got!.payload;
    expect(payload.params.length).toBe(ck.params.length);
    payload.params.forEach((p, i) => {
      expect(p.values).toBeInstanceOf(Float32Array);
      expect(p.shape).toEqual(ck.params[i].shape);
      expect(sameBits(p.values, ck.params[i].values)).toBe(true);
    });
    payload.optimizer.slots.forEach((s, i) => expect(sameBits(s.values, ck.optimizer.slots[i].values)).toBe(true));
    expect(Object.is(payload.params[0].values[1], -0)).toBe(true);
    expect(Number.isNaN(payload.params[0].values[2])).toBe(true);
    expect({ ...payload, params: [], optimizer: { ...payload.optimizer, slots: [] } }).toEqual({
      ...ck,
      params: [],
      optimizer: { ...ck.optimizer, slots: [] },
    });
  });

  it('stores a view of a larger buffer as just its own values', async () => {
    const repo = await freshRepo('views');
    await repo.saveRun(sampleMetaInput('run-v'));
    const big = new Float32Array(100_000).map((_, i) => i);
    const ck = sampleCheckpoint(0);
    ck.params = [{ shape: [2, 3], values: big.subarray(10, 16) }];
    await repo.saveCheckpoint('run-v', ck);
    const stored = (await repo.loadRun('run-v'))!.checkpoint!.payload.params[0].values;
    expect(Array.from(stored)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(stored.buffer.byteLength).toBe(24);
  });

  it('keeps both checkpoint kinds: a secure run has no sampler state (null), a seeded or older one a number', async () => {
    const repo = await freshRepo('sampler-state');
    await repo.saveRun(sampleMetaInput('run-s'));
    await repo.saveCheckpoint('run-s', { ...sampleCheckpoint(6), samplerSeed: null });
    expect((await repo.loadRun('run-s'))!.checkpoint!.payload.samplerSeed).toBeNull();
    await repo.saveCheckpoint('run-s', sampleCheckpoint(7));
    expect((await repo.loadRun('run-s'))!.checkpoint!.payload.samplerSeed).toBe(123456789 + 7);
    const e = await rejection(repo.saveCheckpoint('run-s', { ...sampleCheckpoint(8), samplerSeed: Number.NaN }));
    expect(e.message).toMatch(/samplerSeed/);
  });

  it('refuses a checkpoint whose privacy history does not add up to its step, or with a wrong shape', async () => {
    const repo = await freshRepo();
    await repo.saveRun(sampleMetaInput('run-p'));
    const ck = sampleCheckpoint(10);
    ck.privacy.history[0].steps -= 1;
    let e = await rejection(repo.saveCheckpoint('run-p', ck));
    expect(e.message).toContain('privacy.history: segments add up to 9 steps but the checkpoint is at step 10');
    const ck2 = sampleCheckpoint(10);
    ck2.params[1] = { shape: [17], values: ck2.params[1].values };
    e = await rejection(repo.saveCheckpoint('run-p', ck2));
    expect(e.message).toContain('params[1].values: has 16 values but shape [17] needs 17');
    e = await rejection(repo.saveCheckpoint('nobody', sampleCheckpoint(3)));
    expect(e.code).toBe('not-found');
    expect((await repo.loadRun('run-p'))?.checkpoint).toBeUndefined();
  });

  it('reports a full disk as a quota error and keeps nothing of the failed save', async () => {
    const repo = await freshRepo();
    await repo.saveRun(sampleMetaInput('run-q'));
    await repo.saveCheckpoint('run-q', sampleCheckpoint(4));
    const proto = IDBObjectStore.prototype;
    const put = proto.put;
    proto.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'checkpoints' || this.name === 'metrics')
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
    try {
      let e = await rejection(repo.saveCheckpoint('run-q', sampleCheckpoint(8)));
      expect(e.code).toBe('quota');
      expect(e.message).toBe(
        'Browser storage is full: could not save the checkpoint of run run-q. Delete or export old runs to free space; nothing of this save was kept.',
      );
      e = await rejection(repo.appendMetrics('run-q', samplePoints(1, 3)));
      expect(e.code).toBe('quota');
    } finally {
      proto.put = put;
    }
    const run = await repo.loadRun('run-q');
    expect(run?.checkpoint?.step).toBe(4);
    expect(run?.metrics).toEqual([]);
  });
});

describe('RunRepository: released steps', () => {
  it('records the released history, which a metadata update from an older copy never lowers', async () => {
    const repo = await freshRepo();
    const meta = await repo.saveRun(sampleMetaInput('run-r'));
    expect(meta.released).toBeUndefined();
    await repo.saveReleased('run-r', sampleHistory(8));
    // The worker's in-memory metadata knows nothing of it: saving it (a state change) keeps the record.
    await repo.saveRun({ ...sampleMetaInput('run-r'), state: 'paused' });
    await repo.saveRun({ ...sampleMetaInput('run-r'), released: sampleHistory(2) });
    expect((await repo.loadRun('run-r'))?.meta).toMatchObject({ state: 'running', released: sampleHistory(8) });
    // Reset records an empty history.
    await repo.saveReleased('run-r', []);
    expect((await repo.loadRun('run-r'))?.meta.released).toEqual([]);
  });

  it('refuses a malformed history or an unknown run, naming the problem', async () => {
    const repo = await freshRepo();
    await repo.saveRun(sampleMetaInput('run-m'));
    const e = await rejection(repo.saveReleased('run-m', [{ q: 2, sigma: 1, steps: 3 }]));
    expect(e.message).toBe('Cannot record the privacy spent by run run-m: [0].q: must be in (0, 1]');
    expect((await rejection(repo.saveReleased('nobody', sampleHistory(1)))).code).toBe('not-found');
  });
});

describe('RunRepository: whole runs', () => {
  it('putRun writes a run as given and replaces an existing one', async () => {
    const repo = await freshRepo();
    await repo.saveRun(sampleMetaInput('run-w'));
    await repo.appendMetrics('run-w', samplePoints(1, 900));
    const run = sampleRun('run-w', 300);
    await repo.putRun(run);
    const back = await repo.loadRun('run-w');
    expect(back?.meta).toEqual(run.meta);
    expect(back?.metrics).toEqual(run.metrics);
    expect(back?.checkpoint?.payload.params.every((p, i) => sameBits(p.values, run.checkpoint!.payload.params[i].values))).toBe(true);
    const e = await rejection(repo.putRun({ ...sampleRun('run-y', 3), metrics: [samplePoint(2), samplePoint(1)] }));
    expect(e.message).toContain("metrics[1].step: 1 is not after the previous point's step 2");
    expect(await repo.loadRun('run-y')).toBeNull();
  });
});

describe('openRunRepository: versions and other tabs', () => {
  /** A release after this one: an index by state, and a field back-filled on every run. */
  const NEXT = SCHEMA_VERSION + 1;
  const next: Migration = async (_db, tx) => {
    const runs = tx.objectStore('runs');
    runs.createIndex('byState', 'state');
    let cursor = await runs.openCursor();
    while (cursor) {
      const meta = cursor.value as StoredRunMeta;
      const summary = meta.summary!;
      await cursor.update({
        ...meta,
        summary: { ...summary, privacy: { ...summary.privacy, notes: [...summary.privacy.notes, 'migrated'] } },
      });
      cursor = await cursor.continue();
    }
  };

  it('upgrades a database of this version in place, keeping every run', async () => {
    const name = 'upgrade';
    const repo1 = await openRunRepository(name);
    await repo1.putRun(sampleRun('run-u', 20));
    repo1.close();

    const repo2 = await openRunRepository(name, { migrations: [...MIGRATIONS, next] });
    open.push(repo2);
    expect(repo2.version).toBe(NEXT);
    const run = await repo2.loadRun('run-u');
    expect(run?.meta.summary?.privacy.notes.at(-1)).toBe('migrated');
    expect(run?.metrics).toEqual(sampleRun('run-u', 20).metrics);
    expect(run?.checkpoint?.step).toBe(20);
    repo2.close();
    const raw = await openDB(name);
    expect(Array.from(raw.transaction('runs').store.indexNames).sort()).toEqual(['byCreatedAt', 'byState']);
    raw.close();

    // The older app meets the newer database: a clear refusal, not a corrupted read.
    const e = await rejection(openRunRepository(name));
    expect(e.code).toBe('version');
    expect(e.message).toContain('newer version of AutoClip Playground');
  });

  it('upgrades a schema 1 database (runs saved before they carried a summary) to schema 2, losing nothing', async () => {
    // Today's records as schema 1 stored them, from the committed version 1 export (fixtures/runs-v1.json).
    const file = JSON.parse(runsV1Text()) as { runs: V1Run[] };
    const name = 'schema-1';
    (await openRunRepository(name, { migrations: MIGRATIONS.slice(0, 1) })).close();
    const raw = await openDB(name, 1);
    for (const { metrics, checkpoint, notCoveredByAccountant: _n, seededRandomness: _s, ...meta } of file.runs) {
      await raw.put('runs', meta);
      await raw.put('metrics', { runId: meta.id, chunk: 0, points: metrics.map(numbers) });
      if (checkpoint) {
        const tensor = (t: { shape: number[]; values: string }) => ({ shape: t.shape, values: base64ToFloat32(t.values) });
        const p = checkpoint.payload;
        await raw.put('checkpoints', {
          runId: meta.id,
          ...checkpoint,
          payload: { ...p, params: p.params.map(tensor), optimizer: { ...p.optimizer, slots: p.optimizer.slots.map(tensor) } },
        });
      }
    }
    raw.close();

    const repo = await openRunRepository(name);
    open.push(repo);
    expect(repo.version).toBe(2);
    const metas = await repo.listRuns();
    expect(metas.map((m) => m.id)).toEqual(['run-v1-private', 'run-v1-plain', 'run-v1-new']);
    const [priv, plain, fresh] = metas;
    expect(priv.summary).toEqual(RUN_V1_PRIVATE_SUMMARY);
    expect(priv).toMatchObject({ state: 'paused', createdAt: 1_700_000_000_000, released: [{ q: 0.032, sigma: 0.8731, steps: 12 }] });
    expect(plain.summary).toMatchObject({ sigma: null, privacy: { enabled: false, projectedEpsilon: null } });
    expect(fresh.summary).toBeNull();
    for (const m of metas)
      for (const old of ['dataset', 'totalSteps', 'sigma', 'projectedEpsilon', 'notes']) expect(m).not.toHaveProperty(old);
    // Metrics and checkpoints are untouched; the upgraded records pass today's checks on their next save.
    const run = (await repo.loadRun('run-v1-private'))!;
    expect(run.metrics.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(sameBits(run.checkpoint!.payload.params[0].values, new Float32Array([1, -2, 0.5, NaN]))).toBe(true);
    expect(Number.isNaN((await repo.loadRun('run-v1-plain'))!.metrics[3].loss)).toBe(true);
    for (const m of metas) await repo.saveRun(m);
    await repo.putRun(run);
  });

  it('creates a new database through every migration in order', async () => {
    const repo = await openRunRepository('fresh-next', { migrations: [...MIGRATIONS, next] });
    open.push(repo);
    expect(repo.version).toBe(NEXT);
    await repo.saveRun(sampleMetaInput('run-f'));
    expect((await repo.listRuns()).map((m) => m.id)).toEqual(['run-f']);
  });

  it('rolls a failed upgrade back and says which step failed', async () => {
    const name = 'failed-upgrade';
    const repo1 = await openRunRepository(name);
    await repo1.saveRun(sampleMetaInput('run-keep'));
    repo1.close();
    const broken: Migration = () => {
      throw new Error('disk on fire');
    };
    const e = await rejection(openRunRepository(name, { migrations: [...MIGRATIONS, broken] }));
    expect(e.code).toBe('io');
    expect(e.message).toContain(`step to version ${NEXT} failed: disk on fire`);
    const again = await openRunRepository(name);
    open.push(again);
    expect(again.version).toBe(SCHEMA_VERSION);
    expect((await again.listRuns()).map((m) => m.id)).toEqual(['run-keep']);
  });

  it('an open tab steps aside for a newer one and reports it', async () => {
    const name = 'two-tabs';
    const closed: PersistenceError[] = [];
    const oldTab = await openRunRepository(name, { onClosed: (err) => closed.push(err) });
    await oldTab.saveRun(sampleMetaInput('run-1'));
    const newTab = await openRunRepository(name, { migrations: [...MIGRATIONS, next] });
    open.push(newTab);
    expect(closed.map((c) => c.code)).toEqual(['closed']);
    expect(oldTab.isClosed).toBe(true);
    const e = await rejection(oldTab.saveRun(sampleMetaInput('run-2')));
    expect(e.code).toBe('closed');
    expect(e.message).toContain('upgraded by a newer AutoClip Playground in another tab');
    expect((await newTab.listRuns()).map((m) => m.id)).toEqual(['run-1']);
  });

  it('reports an upgrade blocked by a connection that does not close', async () => {
    const name = 'blocked';
    (await openRunRepository(name)).close();
    const stubborn = await openDB(name, SCHEMA_VERSION);
    const e = await rejection(openRunRepository(name, { migrations: [...MIGRATIONS, next] }));
    expect(e.code).toBe('blocked');
    expect(e.message).toContain(`another tab of AutoClip Playground keeps version ${SCHEMA_VERSION} of the database open`);
    stubborn.close();
  });

  it('says so when there is no IndexedDB at all', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const e = await rejection(openRunRepository('none'));
      expect(e.code).toBe('unavailable');
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});

import { exportRunsJson, importRunsJson, openRunRepository, type RunRepository } from '../src/persistence';
import type { RunMetaInput, StoredRun } from '../src/persistence/types';
import type { PrivacySegment, RunCheckpoint } from '../src/domain/checkpoint';
import type { RunConfig } from '../src/config/runConfig';
import type { MetricPoint } from '../src/domain/metricPoint';
import type { RunId } from '../src/domain/run';
import type { RunEvent } from '../src/domain/runEvent';

/** Metrics are written in batches at most this often (each append is one IndexedDB transaction). */
const FLUSH_MS = 1000;

/**
 * Saves runs as they progress (metadata, metric stream, checkpoints) to IndexedDB from the worker,
 * off the main thread. Every write goes through one queue, so a checkpoint is never stored ahead of
 * the metrics that led to it. Storage failures are reported once and never stop training.
 */
export class RunPersistence {
  private queue: Promise<void> = Promise.resolve();
  private readonly metas = new Map<RunId, RunMetaInput>();
  private readonly pending = new Map<RunId, MetricPoint[]>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private failed = false;

  private constructor(
    private readonly repo: RunRepository,
    private readonly report: (message: string) => void,
  ) {}

  /** Opens the database (`name`: tests use their own); null (with the reason reported) when this browser gives no IndexedDB. */
  static async open(report: (message: string) => void, name?: string): Promise<RunPersistence | null> {
    try {
      return new RunPersistence(await openRunRepository(name), report);
    } catch (e) {
      report(`Runs will not be saved in this browser: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  }

  /** A new run from the UI. */
  created(runId: RunId, config: RunConfig, display: { label: string; color: string }): void {
    const meta: RunMetaInput = {
      id: runId,
      config,
      label: display.label,
      color: display.color,
      state: 'idle',
      summary: null,
    };
    this.metas.set(runId, meta);
    this.enqueue(() => this.repo.saveRun(meta).then(() => undefined));
  }

  /** A run brought back from storage (its metadata is already saved). */
  adopted(meta: RunMetaInput): void {
    this.metas.set(meta.id, meta);
  }

  /** Mirrors the worker's events into storage. */
  observe(e: RunEvent): void {
    if (e.type === 'metrics') {
      const list = this.pending.get(e.runId) ?? [];
      list.push(...e.points);
      this.pending.set(e.runId, list);
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = null;
        this.flush();
      }, FLUSH_MS);
      return;
    }
    if (e.type !== 'created' && e.type !== 'state' && e.type !== 'learningRate') return;
    const meta = this.metas.get(e.runId);
    if (!meta) return;
    const next: RunMetaInput =
      e.type === 'created'
        ? { ...meta, summary: e.summary }
        : e.type === 'learningRate'
          ? { ...meta, lrChanges: e.changes }
          : { ...meta, state: e.state, message: e.message };
    this.metas.set(e.runId, next);
    this.enqueue(() => this.repo.saveRun(next).then(() => undefined));
  }

  /** Step of the last checkpoint handed over per run (what a resume continues from). */
  readonly lastCheckpointStep = new Map<RunId, number>();

  /** The last privacy history recorded as released per run (what a resume accounts at least). */
  readonly lastReleased = new Map<RunId, PrivacySegment[]>();

  /**
   * Records the privacy history of the steps about to be shown, durably, before they are shown (the
   * engine awaits it). Unlike the other writes, a failure rejects: the caller must not show the step.
   */
  release(runId: RunId, history: PrivacySegment[]): Promise<void> {
    const job = this.queue.then(() => this.repo.saveReleased(runId, history));
    this.queue = job.catch(() => undefined);
    return job.then(() => {
      this.lastReleased.set(runId, history);
    });
  }

  /** Stores a checkpoint after the metrics up to it. */
  checkpoint(runId: RunId, cp: RunCheckpoint): Promise<void> {
    this.lastCheckpointStep.set(runId, cp.step);
    this.flush();
    return this.enqueue(async () => {
      await this.repo.saveCheckpoint(runId, cp);
    });
  }

  /** Every saved run, for the UI to show after a reload. Metrics past the checkpoint are dropped. */
  async list(): Promise<StoredRun[]> {
    await this.queue;
    const out: StoredRun[] = [];
    for (const meta of await this.repo.listRuns()) {
      const run = await this.repo.loadRun(meta.id);
      if (!run) continue;
      const upTo = run.checkpoint?.step ?? 0;
      out.push({ ...run, metrics: run.metrics.filter((p) => p.step <= upTo) });
      this.metas.set(meta.id, meta);
    }
    return out;
  }

  /** A saved run and its checkpoint, its metrics trimmed to the checkpoint (what resuming continues from). */
  async load(runId: RunId): Promise<StoredRun | null> {
    await this.queue;
    const run = await this.repo.loadRun(runId);
    if (!run) return null;
    await this.repo.truncateMetrics(runId, run.checkpoint?.step ?? 0);
    return run;
  }

  /** Every saved run as the versioned JSON exchange document. */
  async exportAll(): Promise<string> {
    await this.queue;
    const runs: StoredRun[] = [];
    for (const meta of await this.repo.listRuns()) {
      const run = await this.repo.loadRun(meta.id);
      if (run) runs.push(run);
    }
    return exportRunsJson(runs);
  }

  /**
   * Validates a document and saves its runs; a run whose id is already saved is skipped (its saved
   * version is kept). Throws RunsImportError with every problem named; nothing is saved then.
   */
  async importAll(text: string): Promise<StoredRun[]> {
    const { runs } = importRunsJson(text);
    await this.queue;
    const existing = new Set((await this.repo.listRuns()).map((m) => m.id));
    const fresh = runs.filter((r) => !existing.has(r.meta.id));
    for (const r of fresh) await this.repo.putRun(r);
    return fresh;
  }

  delete(runId: RunId): void {
    this.metas.delete(runId);
    this.pending.delete(runId);
    this.lastReleased.delete(runId);
    this.lastCheckpointStep.delete(runId);
    this.enqueue(() => this.repo.deleteRun(runId));
  }

  private flush(): void {
    const batches = [...this.pending.entries()];
    this.pending.clear();
    for (const [runId, points] of batches) {
      if (!this.metas.has(runId) || points.length === 0) continue;
      this.enqueue(() => this.repo.appendMetrics(runId, points));
    }
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const next = this.queue.then(job).catch((e: unknown) => {
      if (this.failed) return;
      this.failed = true;
      this.report(
        `Saving runs failed (${e instanceof Error ? e.message : String(e)}); training goes on, but this session may not survive a reload.`,
      );
    });
    this.queue = next;
    return next;
  }
}

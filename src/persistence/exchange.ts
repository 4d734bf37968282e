import { z } from 'zod';
import { privacyCaveats } from '../config/privacyCaveats';
import type { RunConfig } from '../config/runConfig';
import type { PrivacySegment, StoredTensor } from '../domain/checkpoint';
import type { DatasetMeta } from '../domain/dataset';
import type { MetricPoint } from '../domain/metricPoint';
import { historyProblem, sameRate } from '../domain/privacyHistory';
import type { RunSummary } from '../domain/runSummary';
import { float32ToBase64 } from './base64';
import { metaFromV1 } from './formatV1';
import { checkStepOrder, formatIssues, formatPath, integer, wire } from './schema';
import type { StoredRun, StoredRunMeta } from './types';

/**
 * Runs as JSON files (export / import) and metrics as CSV. Pure: no IndexedDB, no DOM.
 *
 * File format, version 2:
 *   { "format": "autoclip-runs", "version": 2, "exportedAt": "<ISO 8601>", "runs": [run, …] }
 *   run = { …StoredRunMeta fields (id, config, label, color, state, message?, createdAt, updatedAt,
 *           summary, released?, lrChanges?),
 *           "metrics": [MetricPoint, …]   (sorted by step, one point per step),
 *           "checkpoint"?: { "step", "savedAt", "payload": RunCheckpoint } }
 *   summary = null (a run never started) or { dataset, totalSteps, sigma, privacy: { enabled,
 *           sampleRate, delta, accountant, projectedEpsilon, notes, notCoveredByAccountant,
 *           seededRandomness } }   (src/domain/runSummary.ts; on import, every fact that follows from
 *           the config, the caveat flags included, must agree with it)
 * Version 1 files are still read: they carry the summary's facts as loose fields (dataset, totalSteps,
 * sigma, projectedEpsilon, notes) and the caveat flags beside them, and are upgraded as formatV1.ts says.
 * lrChanges = [{ "fromStep", "lr" }, …]: learning-rate changes made while the run trained, in step
 *           order (optional; a run without changes has none, and so do files written before them).
 * Privacy histories (checkpoint.payload.privacy.history, released) are checked on import against the
 * run's config and summary: q = B/N, σ, and at least the checkpoint's steps (privacyHistory.ts).
 * Encodings: every Float32Array (checkpoint params and optimizer slots) is a base64 string of its
 * little-endian IEEE-754 bytes (exact, compact); numbers are JSON numbers (shortest round-trip form),
 * except NaN, Infinity and -Infinity, written as those strings where a field allows them (loss,
 * testLoss; +Infinity for ε). -0 is written as 0.
 */

export const EXCHANGE_FORMAT = 'autoclip-runs' as const;
export const EXCHANGE_VERSION = 2 as const;
/** The version before, still imported. */
const PREVIOUS_VERSION = 1;
/** Largest import accepted, in characters of JSON text (64 Mi, about 64 MB of ASCII). */
export const MAX_IMPORT_CHARS = 64 * 1024 * 1024;
/** Most runs one file may carry. */
export const MAX_IMPORT_RUNS = 100;
/** At most this many problems are listed; the rest are counted. */
export const MAX_REPORTED_ERRORS = 20;

/** An import that was refused; `errors` has one line per problem naming the field ("runs[2].config…"). */
export class RunsImportError extends Error {
  override readonly name = 'RunsImportError';

  constructor(readonly errors: string[]) {
    super(errors.length === 1 ? errors[0] : `${errors[0]} (and ${errors.length - 1} more problems)`);
  }
}

/** Fields in one fixed order, so the same runs always give the same text. */
function canonicalMeta(m: StoredRunMeta): StoredRunMeta {
  return {
    id: m.id,
    config: m.config,
    label: m.label,
    color: m.color,
    state: m.state,
    ...(m.message === undefined ? {} : { message: m.message }),
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    summary: m.summary && canonicalSummary(m.summary),
    ...(m.released === undefined ? {} : { released: m.released }),
    ...(m.lrChanges === undefined ? {} : { lrChanges: m.lrChanges.map((c) => ({ fromStep: c.fromStep, lr: c.lr })) }),
  };
}

function canonicalSummary(s: RunSummary): RunSummary {
  const p = s.privacy;
  return {
    dataset: { ...s.dataset },
    totalSteps: s.totalSteps,
    sigma: s.sigma,
    privacy: {
      enabled: p.enabled,
      sampleRate: p.sampleRate,
      delta: p.delta,
      accountant: p.accountant,
      projectedEpsilon: p.projectedEpsilon,
      notes: p.notes,
      notCoveredByAccountant: p.notCoveredByAccountant,
      seededRandomness: p.seededRandomness,
    },
  };
}

function canonicalPoint(p: MetricPoint): MetricPoint {
  const out: Partial<Record<keyof MetricPoint, number>> = {};
  for (const c of METRICS_CSV_COLUMNS) if (p[c] !== undefined) out[c] = p[c];
  return out as MetricPoint;
}

function encodeTensor(t: StoredTensor) {
  return { shape: t.shape, values: float32ToBase64(t.values) };
}

/** The JSON text of an export file (see the format above). `now` is for tests. */
export function exportRunsJson(runs: readonly StoredRun[], now: Date = new Date()): string {
  const body = {
    format: EXCHANGE_FORMAT,
    version: EXCHANGE_VERSION,
    exportedAt: now.toISOString(),
    runs: runs.map((r) => ({
      ...canonicalMeta(r.meta),
      metrics: r.metrics.map(canonicalPoint),
      ...(r.checkpoint
        ? {
            checkpoint: {
              step: r.checkpoint.step,
              savedAt: r.checkpoint.savedAt,
              payload: {
                ...r.checkpoint.payload,
                params: r.checkpoint.payload.params.map(encodeTensor),
                optimizer: { ...r.checkpoint.payload.optimizer, slots: r.checkpoint.payload.optimizer.slots.map(encodeTensor) },
              },
            },
          }
        : {}),
    })),
  };
  return JSON.stringify(body, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value));
}

const wireCheckpoint = z.strictObject({ step: integer(0), savedAt: integer(0), payload: wire.checkpoint });

const runParts = {
  metrics: z.array(wire.point, {
    error: (iss) => (iss.input === undefined ? 'is required (an array of metric points)' : 'must be an array of metric points'),
  }),
  checkpoint: wireCheckpoint.optional(),
};

interface WireRunParts {
  config: RunConfig;
  released?: PrivacySegment[];
  metrics: MetricPoint[];
  checkpoint?: { step: number; payload: { step: number; privacy: { history: PrivacySegment[] } } };
}

const wireRun = wire.meta.extend(runParts).superRefine((run, ctx) => {
  checkRunParts(run, ctx);
  // The summary and the histories are judged against the config (and the summary), so only once those are valid.
  if (run.summary && ctx.issues.length === 0) checkSummary(run.config, run.summary, ctx);
  if (ctx.issues.length === 0) checkHistories(run, run.summary?.dataset ?? null, run.summary?.sigma ?? null, ['summary', 'sigma'], ctx);
});

const caveatFlag = z.boolean({ error: (iss) => `must be true or false, got ${JSON.stringify(iss.input) ?? 'nothing'}` }).optional();

/** A run of a version 1 file: the summary's facts as loose fields, the caveat flags beside them. */
const wireRunV1 = wire.metaV1
  .extend({ ...runParts, notCoveredByAccountant: caveatFlag, seededRandomness: caveatFlag })
  .superRefine((run, ctx) => {
    checkRunParts(run, ctx);
    const { notCoveredByAccountant, seededRandomness } = run;
    checkDerived({ notCoveredByAccountant, seededRandomness }, privacyCaveats(run.config), [], ctx);
    if (ctx.issues.length === 0) checkHistories(run, run.dataset, run.sigma, ['sigma'], ctx);
  });

function checkRunParts(run: WireRunParts, ctx: z.RefinementCtx): void {
  checkStepOrder(run.metrics, ctx, ['metrics']);
  if (run.checkpoint && run.checkpoint.step !== run.checkpoint.payload.step) {
    ctx.addIssue({
      code: 'custom',
      path: ['checkpoint', 'step'],
      message: `${run.checkpoint.step} differs from checkpoint.payload.step ${run.checkpoint.payload.step}`,
    });
  }
}

/**
 * The summary's privacy facts that follow from the config (q from the dataset's size too) must be
 * what the config makes them: a file that says otherwise was edited, and is refused.
 */
function checkSummary(config: RunConfig, summary: RunSummary, ctx: z.RefinementCtx): void {
  const p = config.privacy;
  const { enabled, delta, accountant, notCoveredByAccountant, seededRandomness, sampleRate } = summary.privacy;
  checkDerived(
    { enabled, delta, accountant, notCoveredByAccountant, seededRandomness },
    { enabled: p.enabled, delta: p.delta, accountant: p.accountant, ...privacyCaveats(config) },
    ['summary', 'privacy'],
    ctx,
  );
  const q = config.train.batchSize / summary.dataset.trainSize;
  if (!sameRate(sampleRate, q)) {
    ctx.addIssue({
      code: 'custom',
      path: ['summary', 'privacy', 'sampleRate'],
      message: `is ${sampleRate}, but config.train.batchSize / summary.dataset.trainSize makes it ${q}`,
    });
  }
}

/** Each given value (undefined: not given, not checked) against the one the run's config makes it. */
function checkDerived<K extends string>(
  given: Record<K, string | number | boolean | undefined>,
  derived: Record<K, string | number | boolean>,
  path: string[],
  ctx: z.RefinementCtx,
): void {
  for (const key of Object.keys(given) as K[]) {
    const value = given[key];
    if (value !== undefined && value !== derived[key]) {
      ctx.addIssue({ code: 'custom', path: [...path, key], message: `is ${value}, but the run's config.privacy makes it ${derived[key]}` });
    }
  }
}

/**
 * Privacy histories against what the file says of the run: q = B / dataset.trainSize, σ from the config
 * (or the calibrated σ it records, at `sigmaPath`), and the checkpoint's steps. The engine checks them
 * again, against the config and the real data, when the run resumes.
 */
function checkHistories(
  run: WireRunParts,
  dataset: DatasetMeta | null,
  sigma: number | null,
  sigmaPath: string[],
  ctx: z.RefinementCtx,
): void {
  const p = run.config.privacy;
  const givenSigma = p.enabled && p.noise.mode === 'sigma' ? p.noise.sigma : null;
  if (givenSigma !== null && sigma !== null && sigma !== givenSigma) {
    ctx.addIssue({ code: 'custom', path: sigmaPath, message: `${sigma} differs from config.privacy.noise.sigma ${givenSigma}` });
  }
  const expect = {
    private: p.enabled,
    q: dataset && dataset.trainSize > 0 ? run.config.train.batchSize / dataset.trainSize : null,
    sigma: givenSigma ?? sigma,
  };
  const check = (history: PrivacySegment[], minSteps: number, path: (string | number)[]) => {
    const problem = historyProblem(history, { ...expect, minSteps });
    if (problem) ctx.addIssue({ code: 'custom', path: [...path, ...problem.path], message: problem.message });
  };
  if (run.checkpoint) check(run.checkpoint.payload.privacy.history, run.checkpoint.step, ['checkpoint', 'payload', 'privacy', 'history']);
  if (run.released) check(run.released, 0, ['released']);
}

const envelope = z.object({
  exportedAt: z.iso.datetime({ error: 'must be an ISO 8601 date-time' }),
  runs: z
    .array(z.unknown(), { error: 'must be an array of runs' })
    .max(MAX_IMPORT_RUNS, { error: `has more than ${MAX_IMPORT_RUNS} runs (the most one file may carry)` }),
});

function refuse(errors: string[]): never {
  const shown = errors.slice(0, MAX_REPORTED_ERRORS);
  if (errors.length > shown.length) shown.push(`… and ${errors.length - shown.length} more problems`);
  throw new RunsImportError(shown);
}

/**
 * Parses and validates an export file. Throws RunsImportError (nothing partial is returned) when the
 * text is too large, not JSON, not this format or version, or when any run is invalid; run configs go
 * through RunConfigSchema, so they obey the same rules as configs from the controls, URL and CLI.
 */
export function importRunsJson(text: string): { runs: StoredRun[] } {
  if (typeof text !== 'string') refuse(['the file is not text']);
  if (text.length > MAX_IMPORT_CHARS) {
    refuse([`the file is too large: ${text.length} characters, the limit is ${MAX_IMPORT_CHARS} (64 MiB)`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    refuse([`the file is not valid JSON (${(e as Error).message})`]);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    refuse(['the file is not an AutoClip runs export (expected a JSON object with "format": "autoclip-runs")']);
  }
  const top = data as Record<string, unknown>;
  if (top.format !== EXCHANGE_FORMAT) {
    refuse([
      `format: expected "${EXCHANGE_FORMAT}", got ${top.format === undefined ? 'nothing' : JSON.stringify(top.format)} (this is not an AutoClip runs export)`,
    ]);
  }
  if (top.version !== EXCHANGE_VERSION && top.version !== PREVIOUS_VERSION) {
    const newer = typeof top.version === 'number' && top.version > EXCHANGE_VERSION;
    refuse([
      `version: this app reads version ${EXCHANGE_VERSION} files (and version ${PREVIOUS_VERSION}), got ${JSON.stringify(top.version) ?? 'nothing'}${newer ? ' (exported by a newer version of AutoClip Playground)' : ''}`,
    ]);
  }
  const parseRun = top.version === EXCHANGE_VERSION ? parseRunV2 : parseRunV1;
  const env = envelope.safeParse(top);
  if (!env.success) refuse(formatIssues(env.error.issues));

  const errors: string[] = [];
  const runs: StoredRun[] = [];
  const seen = new Map<string, number>();
  env.data.runs.forEach((raw, i) => {
    const r = parseRun(raw);
    if (!r.ok) {
      errors.push(...formatIssues(r.issues, ['runs', i]));
      return;
    }
    const { meta, metrics, checkpoint } = r;
    const first = seen.get(meta.id);
    if (first !== undefined) {
      errors.push(`${formatPath(['runs', i, 'id'])}: duplicate run id ${JSON.stringify(meta.id)} (also runs[${first}])`);
      return;
    }
    seen.set(meta.id, i);
    runs.push({
      meta,
      metrics: metrics.map(dropUndefined),
      ...(checkpoint ? { checkpoint: { runId: meta.id, ...checkpoint } } : {}),
    });
  });
  if (errors.length) refuse(errors);
  return { runs };
}

type ParsedRun =
  | { ok: true; meta: StoredRunMeta; metrics: MetricPoint[]; checkpoint?: z.output<typeof wireCheckpoint> }
  | { ok: false; issues: z.core.$ZodIssue[] };

function parseRunV2(raw: unknown): ParsedRun {
  const r = wireRun.safeParse(raw);
  if (!r.success) return { ok: false, issues: r.error.issues };
  const { metrics, checkpoint, ...meta } = r.data;
  return { ok: true, meta, metrics, checkpoint };
}

function parseRunV1(raw: unknown): ParsedRun {
  const r = wireRunV1.safeParse(raw);
  if (!r.success) return { ok: false, issues: r.error.issues };
  const { metrics, checkpoint, notCoveredByAccountant: _flag, seededRandomness: _seeded, ...meta } = r.data;
  return { ok: true, meta: metaFromV1(meta), metrics, checkpoint };
}

function dropUndefined(p: MetricPoint): MetricPoint {
  const out = { ...p };
  for (const k of Object.keys(out) as (keyof MetricPoint)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/** CSV columns, in order. */
export const METRICS_CSV_COLUMNS = [
  'step',
  'epoch',
  'loss',
  'trainAcc',
  'testAcc',
  'testLoss',
  'epsilon',
  'epsilonRdp',
  'batchSize',
  'samplesPerSec',
  'elapsedMs',
] as const satisfies readonly (keyof MetricPoint)[];

/**
 * Metrics as CSV: a header row, one row per point, '\n' after every row. A missing value is an empty
 * cell; numbers are written in JavaScript's shortest round-trip form (`Number(cell)` gives the same
 * double back, -0 included; NaN and ±Infinity as "NaN", "Infinity", "-Infinity").
 */
export function metricsCsv(points: readonly MetricPoint[]): string {
  const rows = [METRICS_CSV_COLUMNS.join(',')];
  for (const p of points) rows.push(METRICS_CSV_COLUMNS.map((c) => cell(p[c])).join(','));
  return `${rows.join('\n')}\n`;
}

function cell(v: number | undefined): string {
  if (v === undefined) return '';
  return Object.is(v, -0) ? '-0' : String(v);
}

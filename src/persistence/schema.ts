import { z } from 'zod';
import { ACCOUNTANTS, RunConfigSchema } from '../config/runConfig';
import { learningRateProblem } from '../config/learningRate';
import type { RunCheckpoint } from '../domain/checkpoint';
import type { DatasetMeta } from '../domain/dataset';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunSummary } from '../domain/runSummary';
import { base64ToFloat32 } from './base64';
import type { StoredRunMeta } from './types';

/**
 * Validation of stored records, built twice from one description:
 * - `memory`: records as the app holds them (Float32Array values, non-finite numbers as themselves),
 *   checked by the repository before every write;
 * - `wire`: the same records as JSON text carries them (Float32Arrays as base64 strings, non-finite
 *   numbers as the strings "NaN", "Infinity", "-Infinity"), checked on import.
 * Messages name no field (the path does); `formatIssues` puts the two together.
 */

/** Longest label, message or note kept (characters). */
export const MAX_TEXT = 2000;
export const MAX_NOTES = 100;
/** Most (q, σ, steps) segments a privacy history may have (a run spends every step at one (q, σ)). */
export const MAX_SEGMENTS = 1000;
/** Most learning-rate changes a run may record. */
export const MAX_LR_CHANGES = 1000;
/** Run ids as the store makes them (`run-<time>-<n>`); nothing that could be markup. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

const NON_FINITE = ['NaN', 'Infinity', '-Infinity'] as const;

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

const typeError = (what: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `is required (${what})` : `must be ${what}, got ${describe(iss.input)}`;

/** A finite number. */
const finite = () => z.custom<number>((v) => typeof v === 'number' && Number.isFinite(v), { error: typeError('a finite number') });
const finiteMin0 = () => finite().refine((v) => v >= 0, { error: 'must be ≥ 0' });
export const integer = (min: number) =>
  z
    .custom<number>((v) => typeof v === 'number' && Number.isSafeInteger(v), { error: typeError('an integer') })
    .refine((v) => v >= min, { error: `must be ≥ ${min}` });
const text = (max = MAX_TEXT) => z.string({ error: typeError('a string') }).max(max, { error: `must be at most ${max} characters` });
const flag = () => z.boolean({ error: typeError('true or false') });
const notes = () =>
  z.array(text(), { error: typeError('an array of strings') }).max(MAX_NOTES, { error: `has more than ${MAX_NOTES} notes` });

export type Mode = 'memory' | 'wire';

function makeSchemas(mode: Mode) {
  /** Any number, NaN and ±Infinity included (a diverged loss is data worth keeping). */
  const anyNumber: z.ZodType<number> =
    mode === 'memory'
      ? z.custom<number>((v) => typeof v === 'number', { error: typeError('a number') })
      : z
          .custom<number | (typeof NON_FINITE)[number]>(
            (v) => (typeof v === 'number' && Number.isFinite(v)) || (NON_FINITE as readonly unknown[]).includes(v),
            { error: typeError('a number (or "NaN", "Infinity", "-Infinity")') },
          )
          .transform((v) => (typeof v === 'number' ? v : Number(v)));
  /** ≥ 0 or +Infinity (an ε can be unbounded). */
  const nonNegativeOrInfinity = anyNumber.refine((v) => v >= 0, { error: 'must be ≥ 0' });

  const floats: z.ZodType<Float32Array> =
    mode === 'memory'
      ? z.custom<Float32Array>((v) => v instanceof Float32Array, { error: typeError('a Float32Array') })
      : z.string({ error: typeError('base64 text of little-endian float32 values') }).transform((s, ctx) => {
          try {
            return base64ToFloat32(s);
          } catch (e) {
            ctx.addIssue({ code: 'custom', message: (e as Error).message });
            return z.NEVER;
          }
        });

  const tensor = z
    .strictObject({
      shape: z.array(integer(0), { error: typeError('an array of sizes') }).max(8, { error: 'has more than 8 dimensions' }),
      values: floats,
    })
    .superRefine((t, ctx) => {
      const size = t.shape.reduce((a, b) => a * b, 1);
      if (t.values.length !== size) {
        ctx.addIssue({
          code: 'custom',
          path: ['values'],
          message: `has ${t.values.length} values but shape [${t.shape.join(', ')}] needs ${size}`,
        });
      }
    });

  const segment = z.strictObject({
    q: finite().refine((v) => v > 0 && v <= 1, { error: 'must be in (0, 1]' }),
    sigma: finite().refine((v) => v > 0, { error: 'must be > 0' }),
    steps: integer(0),
  });

  const history = z
    .array(segment, { error: typeError('an array of (q, sigma, steps) segments') })
    .max(MAX_SEGMENTS, { error: `has more than ${MAX_SEGMENTS} segments` });

  const lrChanges = z
    .array(
      z.strictObject({
        fromStep: integer(1),
        lr: finite().refine((v) => learningRateProblem(v) === null, { error: (iss) => `${learningRateProblem(iss.input as number)}` }),
      }),
      { error: typeError('an array of (fromStep, lr) changes') },
    )
    .max(MAX_LR_CHANGES, { error: `has more than ${MAX_LR_CHANGES} changes` })
    .superRefine((changes, ctx) => {
      for (let i = 1; i < changes.length; i++) {
        if (!(changes[i].fromStep > changes[i - 1].fromStep)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'fromStep'],
            message: `${changes[i].fromStep} is not after the previous change's step ${changes[i - 1].fromStep} (changes are in step order)`,
          });
          return;
        }
      }
    });

  const checkpoint = z
    .strictObject({
      version: z.literal(1, { error: (iss) => `must be 1 (checkpoint format version), got ${describe(iss.input)}` }),
      step: integer(0),
      trainingMs: finiteMin0(),
      params: z.array(tensor, { error: typeError('an array of tensors') }),
      optimizer: z.strictObject({
        name: text(100).min(1, { error: 'must not be empty' }),
        iterations: integer(0),
        slots: z.array(tensor, { error: typeError('an array of tensors') }),
      }),
      privacy: z.strictObject({ history }),
      samplerSeed: finite().nullable(),
    })
    .superRefine((c, ctx) => {
      // More steps than the model took is fine (steps released before a rewind stay spent); fewer is not.
      const spent = c.privacy.history.reduce((a, s) => a + s.steps, 0);
      if (c.privacy.history.length > 0 && spent < c.step) {
        ctx.addIssue({
          code: 'custom',
          path: ['privacy', 'history'],
          message: `segments add up to ${spent} steps but the checkpoint is at step ${c.step} (ε would be lower than the steps taken give)`,
        });
      }
    });

  const point = z.strictObject({
    step: integer(0),
    epoch: finiteMin0(),
    loss: anyNumber,
    batchSize: integer(0),
    trainAcc: finite()
      .refine((v) => v >= 0 && v <= 1, { error: 'must be in [0, 1]' })
      .optional(),
    testAcc: finite()
      .refine((v) => v >= 0 && v <= 1, { error: 'must be in [0, 1]' })
      .optional(),
    testLoss: anyNumber.optional(),
    epsilon: nonNegativeOrInfinity.optional(),
    epsilonRdp: nonNegativeOrInfinity.optional(),
    signalNorm: nonNegativeOrInfinity.optional(),
    noiseNorm: nonNegativeOrInfinity.optional(),
    samplesPerSec: finiteMin0(),
    elapsedMs: finiteMin0(),
  });

  const dataset = z.strictObject({
    name: text(200),
    source: text(200),
    trainSize: integer(0),
    testSize: integer(0),
    inputShape: z.array(integer(1), { error: typeError('an array of sizes') }).max(8, { error: 'has more than 8 dimensions' }),
    numClasses: integer(1),
  });

  const summary = z.strictObject({
    dataset,
    totalSteps: integer(0),
    sigma: finiteMin0().nullable(),
    privacy: z.strictObject({
      enabled: flag(),
      sampleRate: finite().refine((v) => v > 0 && v <= 1, { error: 'must be in (0, 1]' }),
      delta: finite().refine((v) => v > 0 && v < 1, { error: 'must be in (0, 1)' }),
      accountant: z.enum(ACCOUNTANTS, { error: (iss) => `must be one of ${ACCOUNTANTS.join(', ')}; got ${describe(iss.input)}` }),
      projectedEpsilon: nonNegativeOrInfinity.nullable(),
      notes: notes(),
      notCoveredByAccountant: flag(),
      seededRandomness: flag(),
    }),
  });

  const meta = z.strictObject({
    id: z.string({ error: typeError('a string') }).regex(RUN_ID_PATTERN, { error: 'must be 1–128 letters, digits or . _ : -' }),
    config: RunConfigSchema,
    label: text(200),
    color: z.string({ error: typeError('a string') }).regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a colour like #2563eb' }),
    state: z.enum(['idle', 'running', 'paused', 'done', 'error'], {
      error: (iss) => `must be one of idle, running, paused, done, error; got ${describe(iss.input)}`,
    }),
    message: text().optional(),
    createdAt: integer(0),
    updatedAt: integer(0),
    summary: summary.nullable(),
    released: history.optional(),
    lrChanges: lrChanges.optional(),
  });

  /** Version 1 metadata (exchange files of version 1): the summary's facts as loose fields, see formatV1.ts. */
  const metaV1 = meta.omit({ summary: true }).extend({
    dataset: dataset.nullable(),
    totalSteps: integer(0).nullable(),
    sigma: finiteMin0().nullable(),
    projectedEpsilon: nonNegativeOrInfinity.nullable(),
    notes: notes(),
  });

  return { anyNumber, floats, tensor, segment, history, lrChanges, checkpoint, point, dataset, summary, meta, metaV1 };
}

export const memory = makeSchemas('memory');
export const wire = makeSchemas('wire');

/** Steps strictly increase: one point per step, in order. Adds an issue at the first offender. */
export function checkStepOrder(points: readonly { step: number }[], ctx: z.RefinementCtx, pathPrefix: (string | number)[] = []): void {
  const valid = (s: unknown) => typeof s === 'number' && Number.isSafeInteger(s) && s >= 0;
  for (let i = 1; i < points.length; i++) {
    // A step that is itself invalid has its own issue already.
    if (!valid(points[i].step) || !valid(points[i - 1].step)) continue;
    if (!(points[i].step > points[i - 1].step)) {
      ctx.addIssue({
        code: 'custom',
        path: [...pathPrefix, i, 'step'],
        message: `${points[i].step} is not after the previous point's step ${points[i - 1].step} (points must be sorted by step, one per step)`,
      });
      return;
    }
  }
}

/** `runs[2].config.train.learningRate` from ['runs', 2, 'config', 'train', 'learningRate']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/**
 * One line per issue: "<path>: <message>". The config schema's messages start with their own field
 * name ("train.learningRate must be > 0"); that repetition is dropped so the line reads
 * "runs[2].config.train.learningRate: must be > 0".
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: (string | number)[] = []): string[] {
  return issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    let message = issue.message;
    for (let k = 0; k < issue.path.length; k++) {
      const own = issue.path.slice(k).map(String).join('.');
      if (message.startsWith(`${own} `) || message.startsWith(`${own}:`)) {
        message = message.slice(own.length).replace(/^[:\s]+/, '');
        break;
      }
    }
    return path.length ? `${formatPath(path)}: ${message}` : message;
  });
}

// The schemas must describe exactly the shared types: a field added to MetricPoint, DatasetMeta,
// RunSummary, StoredRunMeta or RunCheckpoint without its rule here fails type checking, not a user's save.
// Assignable both ways and the same keys (mutual assignability alone lets an optional field go missing).
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Same<A, B> = Mutual<A, B> extends true ? Mutual<keyof A, keyof B> : false;
const exact = <T extends true>(t: T) => t;
exact<Same<z.output<typeof memory.point>, MetricPoint>>(true);
exact<Same<z.output<typeof memory.dataset>, DatasetMeta>>(true);
exact<Same<z.output<typeof memory.summary>, RunSummary>>(true);
exact<Same<z.output<typeof memory.meta>, StoredRunMeta>>(true);
exact<Same<z.output<typeof memory.checkpoint>, RunCheckpoint>>(true);

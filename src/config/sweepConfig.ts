import { z } from 'zod';
import { RunConfigSchema, type RunConfig } from './runConfig';

/**
 * A clipping sweep: one base run config, per clipping function the grid of thresholds R and learning
 * rates to try, and the seeds each cell is trained with. Everything else (data, model, batch, epochs,
 * and σ, calibrated once from the base config) is the same in every cell, so every cell has the same
 * privacy. Shared by the `autoclip sweep` CLI, the playground's sweep panel and shareable URLs.
 *
 * File format:
 *   { "base": RunConfig,
 *     "clipping": { "abadi": { "R": [0.01, 0.1, 1, 10], "lr": [0.001, 0.003] },
 *                   "auto-s": { "lr": [0.001, 0.003] }, "auto-v"?: { "lr": [...] },
 *                   "global"?: { "R": [...], "lr": [...] } },
 *     "seeds"?: [1, 2, 3] }       (default: the base config's seed alone)
 */

/** Upper bound on the number of cells, so a typo cannot queue days of training. */
export const MAX_SWEEP_CELLS = 400;
/** Seeds per cell: enough for a mean and a spread, few enough that a sweep stays a sweep. */
export const MAX_SWEEP_SEEDS = 10;
/** Upper bound on cells × seeds, the runs a sweep trains. */
export const MAX_SWEEP_RUNS = 400;
const MAX_AXIS = 20;

// Messages without a field name start with a verb; parseSweepConfig puts the field in front.
type Issue = { code?: string; input?: unknown; keys?: string[] };
const objectError = (expected: string) => (iss: Issue) =>
  iss.code === 'unrecognized_keys'
    ? `has unknown ${iss.keys?.length === 1 ? 'key' : 'keys'} ${(iss.keys ?? []).map((k) => `'${k}'`).join(', ')}`
    : iss.input === undefined
      ? 'is required'
      : `must be ${expected}`;
const values = (max: number) =>
  z
    .array(z.number({ error: 'must be a number' }).positive('must be > 0').max(max, `must be ≤ ${max}`), {
      error: (iss: Issue) => (iss.input === undefined ? 'is required' : 'must be an array of numbers'),
    })
    .min(1, 'needs at least one value')
    .max(MAX_AXIS, `allows at most ${MAX_AXIS} values`)
    .refine((xs) => new Set(xs).size === xs.length, 'has a repeated value');

const withR = () => z.object({ R: values(1e6), lr: values(100) }, { error: objectError('an object with R and lr') }).strict();
const lrOnly = () => z.object({ lr: values(100) }, { error: objectError('an object with lr') }).strict();

export const SweepGridSchema = z
  .object(
    {
      abadi: withR().optional(),
      'auto-s': lrOnly().optional(),
      'auto-v': lrOnly().optional(),
      global: withR().optional(),
    },
    { error: objectError('an object with abadi, auto-s, auto-v or global grids') },
  )
  .strict()
  .refine((g) => Object.values(g).some((v) => v !== undefined), 'needs at least one of abadi, auto-s, auto-v, global');

const SeedsSchema = z
  .array(
    z
      .number({ error: 'must be a number' })
      .int('must be a positive integer')
      .min(1, 'must be a positive integer')
      .max(2 ** 32 - 1, 'must be < 2^32'),
    { error: (iss: Issue) => (iss.input === undefined ? 'is required' : 'must be an array of positive integers') },
  )
  .min(1, 'needs at least one seed')
  .max(MAX_SWEEP_SEEDS, `allows at most ${MAX_SWEEP_SEEDS} seeds`)
  .refine((xs) => new Set(xs).size === xs.length, 'has a repeated seed');

export const SweepConfigSchema = z
  .object(
    { base: RunConfigSchema, clipping: SweepGridSchema, seeds: SeedsSchema.optional() },
    { error: objectError('an object with base and clipping') },
  )
  .strict()
  .superRefine((s, ctx) => {
    if (!s.base.privacy.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['base', 'privacy', 'enabled'],
        message: 'base.privacy.enabled must be true: a clipping sweep compares private runs at one privacy level',
      });
    }
    const cells = sweepCellCount(s.clipping);
    if (cells > MAX_SWEEP_CELLS) {
      ctx.addIssue({ code: 'custom', path: ['clipping'], message: `has ${cells} cells, more than the ${MAX_SWEEP_CELLS} allowed` });
    } else if (s.seeds && cells * s.seeds.length > MAX_SWEEP_RUNS) {
      ctx.addIssue({
        code: 'custom',
        path: ['seeds'],
        message: `allows at most ${Math.floor(MAX_SWEEP_RUNS / cells)} seeds with ${cells} cells: cells × seeds must stay ≤ ${MAX_SWEEP_RUNS} runs (got ${cells * s.seeds.length})`,
      });
    }
  });

export type SweepGrid = z.infer<typeof SweepGridSchema>;
export type SweepConfig = z.infer<typeof SweepConfigSchema>;
export type SweepClipping = keyof SweepGrid;
/** Order in which clipping functions are listed in tables and run. */
export const SWEEP_CLIPPINGS: readonly SweepClipping[] = ['abadi', 'global', 'auto-s', 'auto-v'];

export function sweepCellCount(grid: SweepGrid): number {
  let n = 0;
  if (grid.abadi) n += grid.abadi.R.length * grid.abadi.lr.length;
  if (grid.global) n += grid.global.R.length * grid.global.lr.length;
  if (grid['auto-s']) n += grid['auto-s'].lr.length;
  if (grid['auto-v']) n += grid['auto-v'].lr.length;
  return n;
}

/** The seeds every cell is trained with: the config's list, or the base config's seed alone. */
export function sweepSeeds(sweep: Pick<SweepConfig, 'base' | 'seeds'>): number[] {
  return sweep.seeds ? [...sweep.seeds] : [sweep.base.seed];
}

/** `count` consecutive seeds from `first` (the sweep panel's "Seeds" count on the draft's seed). */
export function consecutiveSeeds(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i);
}

export type SweepCheck = { ok: true; config: SweepConfig } | { ok: false; errors: string[] };

/** Path as a reader writes it: clipping.abadi.R[1], base.train.learningRate. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '');
}

const VERB = /^(must|needs|allows|has|is) /;

/**
 * One line naming the field. Messages that start with a verb get the field in front; messages that
 * already name a tail of the path (the run-config schema's "train.learningRate must be > 0") get the
 * missing prefix ("base."); anything else is "field: message".
 */
function issueMessage(path: readonly PropertyKey[], message: string): string {
  const field = fieldOf(path);
  if (/received undefined$/.test(message)) return `${field || 'sweep config'} is required`;
  if (VERB.test(message)) return `${field || 'sweep config'} ${message}`;
  for (let k = 0; k < path.length; k++) {
    if (message.startsWith(fieldOf(path.slice(k)))) return k === 0 ? message : `${fieldOf(path.slice(0, k))}.${message}`;
  }
  return `${field || '(root)'}: ${message}`;
}

/** Check untrusted input (a file, a URL): the sweep, or one message per problem naming the field. */
export function parseSweepConfig(input: unknown): SweepCheck {
  const r = SweepConfigSchema.safeParse(input);
  if (r.success) return { ok: true, config: r.data };
  return { ok: false, errors: r.error.issues.map((i) => issueMessage(i.path, i.message)) };
}

/** A small sweep around a base config: Abadi over a log grid of R, AUTO-S over the same learning rates. */
export function defaultSweepConfig(base: RunConfig): SweepConfig {
  const lr = base.train.learningRate;
  const lrs = [lr / 3, lr, lr * 3].map((x) => Number(x.toPrecision(3)));
  return {
    base,
    clipping: { abadi: { R: [0.01, 0.1, 1, 10], lr: lrs }, 'auto-s': { lr: lrs } },
  };
}

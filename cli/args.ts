/**
 * Shared argument handling for `autoclip` subcommands: a usage error type (exit code 2), strict
 * number parsing with constraints, and the privacy options every accounting command shares
 * (sample rate or dataset/batch size, steps or epochs, δ, accountant).
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { AccountantName } from '../src/privacy';
import { EPSILON_MAX, isAccountantName, SIGMA_MAX, SIGMA_MIN } from '../src/privacy';

/** Bad command-line usage: printed as one line to stderr, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export type FlagOptions = NonNullable<ParseArgsConfig['options']>;
export type RawValues = Record<string, string | boolean | undefined>;

/** node:util parseArgs in strict mode, with its errors turned into one-line UsageErrors. */
export function parseFlags(argv: readonly string[], options: FlagOptions): RawValues {
  try {
    const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
    return values as RawValues;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    if (unknown) throw new UsageError(`unknown option '${unknown[1]}'`);
    const positional = /Unexpected argument '([^']+)'/.exec(msg);
    if (positional) throw new UsageError(`unexpected argument '${positional[1]}'`);
    throw new UsageError(msg.split('\n')[0].replace(/\. To specify a positional.*$/, ''));
  }
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parse a decimal number ("0.01", "1e-5"); rejects empty, hex, NaN, Infinity. */
export function parseNumber(flag: string, value: string | boolean | undefined): number {
  if (typeof value !== 'string' || !NUMBER_RE.test(value.trim())) {
    throw new UsageError(`--${flag} must be a number, got '${value === undefined ? '' : String(value)}'`);
  }
  return Number(value);
}

export function requireFlag(values: RawValues, flag: string): string {
  const v = values[flag];
  if (v === undefined) throw new UsageError(`missing required option --${flag}`);
  return String(v);
}

export function optionalNumber(values: RawValues, flag: string): number | undefined {
  return values[flag] === undefined ? undefined : parseNumber(flag, values[flag]);
}

/** Number in an interval; `lo`/`hi` are inclusive when the matching flag says so. */
export function numberIn(flag: string, x: number, lo: number, hi: number, loInclusive: boolean, hiInclusive: boolean): number {
  const okLo = loInclusive ? x >= lo : x > lo;
  const okHi = hiInclusive ? x <= hi : x < hi;
  if (!okLo || !okHi || Number.isNaN(x)) {
    const range = `${loInclusive ? '[' : '('}${lo}, ${hi === Infinity ? '∞' : hi}${hiInclusive ? ']' : ')'}`;
    throw new UsageError(`--${flag} must be in ${range}, got ${x}`);
  }
  return x;
}

/** --noise-multiplier: σ in the range the accountants answer meaningfully (src/config/privacyBounds.ts). */
export function readNoiseMultiplier(values: RawValues): number {
  return numberIn(
    'noise-multiplier',
    parseNumber('noise-multiplier', requireFlag(values, 'noise-multiplier')),
    SIGMA_MIN,
    SIGMA_MAX,
    true,
    true,
  );
}

/** --target-epsilon: a budget in (0, EPSILON_MAX] (src/config/privacyBounds.ts). */
export function readTargetEpsilon(values: RawValues): number {
  return numberIn('target-epsilon', parseNumber('target-epsilon', requireFlag(values, 'target-epsilon')), 0, EPSILON_MAX, false, true);
}

export function positiveInteger(flag: string, x: number): number {
  if (!Number.isSafeInteger(x) || x < 1) throw new UsageError(`--${flag} must be a positive integer, got ${x}`);
  return x;
}

/** Options shared by the accounting commands. */
export const PRIVACY_OPTIONS = {
  'sample-rate': { type: 'string' },
  'dataset-size': { type: 'string' },
  'batch-size': { type: 'string' },
  steps: { type: 'string' },
  epochs: { type: 'string' },
  delta: { type: 'string' },
  accountant: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies FlagOptions;

/** --json and --quiet of the commands that train: progress lines on stderr (none with --quiet), the result on stdout. */
export const TRAINING_OUTPUT_OPTIONS = {
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const satisfies FlagOptions;

export const PRIVACY_OPTIONS_HELP = `Sampling (one of):
  --sample-rate Q           Poisson sampling rate q, in (0, 1]
  --dataset-size N --batch-size B
                            q = B/N (B = expected batch size)
Length (one of):
  --steps T                 number of noisy steps (integer ≥ 1)
  --epochs E                T = floor(E/q) (= floor(E·N/B) with N and B)
Other:
  --delta D                 target δ, in (0, 1); a warning is printed if δ ≥ 1/N
  --accountant NAME         rdp (default) | prv | gdp
  --json                    print one JSON object on stdout
  -h, --help                show this help`;

export interface SamplingArgs {
  sampleRate: number;
  datasetSize?: number;
  batchSize?: number;
}

export function readSampling(values: RawValues): SamplingArgs {
  const q = optionalNumber(values, 'sample-rate');
  const n = optionalNumber(values, 'dataset-size');
  const b = optionalNumber(values, 'batch-size');
  if (q !== undefined) {
    if (b !== undefined) throw new UsageError('--sample-rate and --batch-size are mutually exclusive (q = batch size / dataset size)');
    const datasetSize = n === undefined ? undefined : positiveInteger('dataset-size', n);
    return { sampleRate: numberIn('sample-rate', q, 0, 1, false, true), datasetSize };
  }
  if (n === undefined && b === undefined)
    throw new UsageError('missing required option --sample-rate (or --dataset-size with --batch-size)');
  if (n === undefined) throw new UsageError('missing required option --dataset-size (needed with --batch-size)');
  if (b === undefined) throw new UsageError('missing required option --batch-size (needed with --dataset-size)');
  const datasetSize = positiveInteger('dataset-size', n);
  const batchSize = positiveInteger('batch-size', b);
  if (batchSize > datasetSize) throw new UsageError(`--batch-size must not exceed --dataset-size (${batchSize} > ${datasetSize})`);
  return { sampleRate: batchSize / datasetSize, datasetSize, batchSize };
}

export function readSteps(values: RawValues, sampling: SamplingArgs): number {
  const t = optionalNumber(values, 'steps');
  const e = optionalNumber(values, 'epochs');
  if (t !== undefined && e !== undefined) throw new UsageError('--steps and --epochs are mutually exclusive');
  if (t !== undefined) {
    if (!Number.isSafeInteger(t) || t < 1) throw new UsageError(`--steps must be a positive integer, got ${values.steps}`);
    return t;
  }
  if (e === undefined) throw new UsageError('missing required option --steps (or --epochs)');
  numberIn('epochs', e, 0, Infinity, false, false);
  const steps =
    sampling.datasetSize !== undefined && sampling.batchSize !== undefined
      ? Math.floor((e * sampling.datasetSize) / sampling.batchSize + 1e-9)
      : Math.floor(e / sampling.sampleRate + 1e-9);
  if (steps < 1) throw new UsageError(`--epochs ${e} gives fewer than one step at sample rate ${sampling.sampleRate}`);
  if (!Number.isSafeInteger(steps))
    throw new UsageError(`--epochs ${e} is too large: it gives more steps than can be counted exactly (${Number.MAX_SAFE_INTEGER})`);
  return steps;
}

export function readDelta(values: RawValues): number {
  return numberIn('delta', parseNumber('delta', requireFlag(values, 'delta')), 0, 1, false, false);
}

export function readAccountant(values: RawValues): AccountantName {
  const v = values.accountant;
  if (v === undefined) return 'rdp';
  if (!isAccountantName(v)) throw new UsageError(`--accountant must be one of rdp, prv, gdp, got '${String(v)}'`);
  return v;
}

/** Warnings about the inputs themselves (not the accountant's). */
export function inputWarnings(delta: number, sampling: SamplingArgs): string[] {
  const w: string[] = [];
  if (sampling.datasetSize !== undefined && delta >= 1 / sampling.datasetSize) {
    w.push(`delta ${delta} ≥ 1/N = ${1 / sampling.datasetSize}: such a delta allows leaking a whole record; use delta < 1/N`);
  }
  return w;
}

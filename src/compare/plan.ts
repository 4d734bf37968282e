import type { RunConfig, SyntheticName } from '../config/runConfig';
import { epochsForSteps, lessonBase, trainSizeOf, withChanges } from '../lessons/presets';

/**
 * Compare: Bu et al.'s claim under DP-SGD, where R matters. AUTO-S (no R) against Abadi clipping at
 * several R, each R at the learning rate the paper shows equivalent for small R (lr_Abadi = lr_AUTO / R),
 * one R at AUTO-S's own learning rate (what comparing at "the same lr" does), and a non-private
 * reference; every setting on several seeds so that a difference can be told from seed-to-seed spread.
 */

/** Abadi thresholds compared, each at its matched learning rate lr_AUTO / R. */
export const COMPARE_R = [0.1, 1, 10] as const;
/** AUTO-S's learning rate (SGD, momentum 0.9); the non-private run uses it too. */
export const COMPARE_LR_AUTO = 1;
/** The threshold also run at AUTO-S's learning rate, unmatched: it shows what the matching is for. */
export const UNMATCHED_R = 0.1;
/** Seeds per setting. */
export const COMPARE_SEEDS = 3;
export const COMPARE_MOMENTUM = 0.9;
/** Evaluations per run: the curves' points. */
const EVALUATIONS = 10;

export interface CompareOptions {
  dataset: SyntheticName;
  /** Training steps of every run. */
  steps: number;
  /** The first seed; the runs use seed, seed + 1, … */
  seed: number;
  /** Noise and sampling from the platform's cryptographic generator (the playground's default) or from the seed. */
  secureNoise: boolean;
}

/** What Compare runs unless told otherwise (measured in docs/LESSONS.md, "Compare"). */
export const COMPARE_DEFAULTS: CompareOptions = { dataset: 'circle', steps: 70, seed: 1, secureNoise: false };
export const COMPARE_MIN_STEPS = 2;
export const COMPARE_MAX_STEPS = 1000;

export type SettingRole = 'non-private' | 'auto-s' | 'abadi' | 'unmatched';

export interface CompareSetting {
  /** Unique within a plan; names the setting in legends, results and tests. */
  label: string;
  role: SettingRole;
  learningRate: number;
  /** Abadi's threshold; undefined for AUTO-S and the non-private run. */
  R?: number;
}

export interface CompareRun {
  setting: string;
  seed: number;
  config: RunConfig;
}

export interface ComparePlan {
  options: CompareOptions;
  settings: CompareSetting[];
  runs: CompareRun[];
}

const abadiLabel = (R: number, lr: number) => `Abadi R = ${R}, lr ${lr}`;

/** The settings, in legend order: the non-private reference, AUTO-S, the matched Rs, the unmatched R. */
export function compareSettings(): CompareSetting[] {
  return [
    { label: `Non-private, lr ${COMPARE_LR_AUTO}`, role: 'non-private', learningRate: COMPARE_LR_AUTO },
    { label: `AUTO-S (no R), lr ${COMPARE_LR_AUTO}`, role: 'auto-s', learningRate: COMPARE_LR_AUTO },
    ...COMPARE_R.map((R) => {
      const lr = COMPARE_LR_AUTO / R;
      return { label: abadiLabel(R, lr), role: 'abadi' as const, learningRate: lr, R };
    }),
    { label: `${abadiLabel(UNMATCHED_R, COMPARE_LR_AUTO)} (unmatched)`, role: 'unmatched', learningRate: COMPARE_LR_AUTO, R: UNMATCHED_R },
  ];
}

/** Rejects options Compare cannot run, naming the field. */
export function compareOptionsProblem(o: CompareOptions): string | null {
  if (!Number.isInteger(o.steps) || o.steps < COMPARE_MIN_STEPS || o.steps > COMPARE_MAX_STEPS)
    return `steps must be a whole number from ${COMPARE_MIN_STEPS} to ${COMPARE_MAX_STEPS}`;
  if (!Number.isInteger(o.seed) || o.seed < 0) return 'seed must be a whole number ≥ 0';
  return null;
}

/** The config of one setting on one seed: the 2D set's defaults with DP-SGD at ε = 3 (lessonBase). */
function settingConfig(s: CompareSetting, o: CompareOptions, seed: number): RunConfig {
  const base = lessonBase(o.dataset);
  const epochs = epochsForSteps(o.steps, trainSizeOf(base), base.train.batchSize);
  return withChanges(base, {
    seed,
    train: {
      optimizer: 'sgd',
      momentum: COMPARE_MOMENTUM,
      learningRate: s.learningRate,
      epochs,
      evalEvery: Math.max(1, Math.round(o.steps / EVALUATIONS)),
    },
    privacy: {
      enabled: s.role !== 'non-private',
      clipping: s.role === 'auto-s' ? 'auto-s' : 'abadi',
      maxGradNorm: s.R ?? base.privacy.maxGradNorm,
      secureNoise: o.secureNoise,
    },
  });
}

/** Every run of a Compare: each setting on COMPARE_SEEDS seeds (setting by setting). Throws naming a bad option. */
export function planCompare(options: CompareOptions, seeds = COMPARE_SEEDS): ComparePlan {
  const problem = compareOptionsProblem(options);
  if (problem) throw new RangeError(`Compare: ${problem}`);
  const settings = compareSettings();
  const runs = settings.flatMap((s) =>
    Array.from({ length: seeds }, (_, i) => ({
      setting: s.label,
      seed: options.seed + i,
      config: settingConfig(s, options, options.seed + i),
    })),
  );
  return { options, settings, runs };
}

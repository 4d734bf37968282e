import { defaultRunConfig, syntheticDefaults, type RunConfig, type SyntheticName } from '../config/runConfig';
import { testRowsOf } from '../data/split';

/**
 * Starting points for the lessons' runs: the 2D set's defaults (which learn under privacy at ε = 3),
 * private AUTO-S at ε = 3, and seeded randomness so that a lesson's numbers are reproducible from its
 * seed (`autoclip lesson` gives the same runs; the playground flags seeded randomness as it always does).
 */
export function lessonBase(name: SyntheticName = 'spirals'): RunConfig {
  const base = defaultRunConfig();
  return {
    ...base,
    ...syntheticDefaults(name),
    privacy: { ...base.privacy, secureNoise: false },
  };
}

type Changes = {
  seed?: number;
  data?: Partial<RunConfig['data']>;
  model?: Partial<RunConfig['model']>;
  train?: Partial<RunConfig['train']>;
  privacy?: Partial<RunConfig['privacy']>;
};

/** `config` with some fields of its sections replaced. */
export function withChanges(config: RunConfig, changes: Changes): RunConfig {
  return {
    ...config,
    seed: changes.seed ?? config.seed,
    data: { ...config.data, ...changes.data } as RunConfig['data'],
    model: { ...config.model, ...changes.model } as RunConfig['model'],
    train: { ...config.train, ...changes.train },
    privacy: { ...config.privacy, ...changes.privacy },
  };
}

/**
 * A run of the spirals lessons: the 2D defaults with 25 epochs (292 steps), evaluated every 25 steps
 * (docs/LESSONS.md), with `changes` on top.
 */
export function spiralsRun(changes: Pick<Changes, 'train' | 'privacy'> = {}): RunConfig {
  return withChanges(lessonBase('spirals'), { train: { epochs: 25, evalEvery: 25, ...changes.train }, privacy: changes.privacy });
}

/** A spirals lesson run with DP-SGD (momentum 0.9) at `learningRate`. */
export function spiralsSgdRun(learningRate: number, privacy: Changes['privacy'] = {}): RunConfig {
  return spiralsRun({ train: { optimizer: 'sgd', learningRate, momentum: 0.9 }, privacy });
}

/** Epochs that give exactly `steps` steps on a training set of `trainSize` (⌊epochs·N/B⌋ = steps). */
export function epochsForSteps(steps: number, trainSize: number, batchSize: number): number {
  // Rounded up to 4 decimals so the controls show a short number; still below steps + 1.
  return Math.ceil(((steps * batchSize) / trainSize) * 1e4) / 1e4;
}

/** Training-set size of a 2D set's config, split as src/data/split.ts splits it. */
export function trainSizeOf(config: RunConfig): number {
  if (config.data.source !== 'synthetic') throw new Error('lesson presets: trainSizeOf needs a 2D (synthetic) set');
  const { n, testFraction } = config.data;
  return n - testRowsOf(n, testFraction);
}

/** A lesson run's config for one seed. */
export function seededConfig(config: RunConfig, seed: number): RunConfig {
  return { ...config, seed };
}

import { z } from 'zod';
import { CLIPPING_NAMES } from '../clipping/functions';
import { EPSILON_MAX, SIGMA_MAX, SIGMA_MIN } from './privacyBounds';
import { MAX_BATCH_SIZE, stepBudgetIssues } from './stepBudget';
import { LEARNING_RATE_MAX } from './learningRate';

/**
 * The single serialisable description of a run (TensorFlow Playground's idea: one state that a URL,
 * a file or the CLI can carry). Everything that changes what a run computes lives here, seed included,
 * so the same config reproduces the same run. Validated with zod wherever it enters.
 */

export const CONFIG_VERSION = 1 as const;

export const SYNTHETIC_SETS = ['spirals', 'circle', 'xor', 'blobs'] as const;
export type SyntheticName = (typeof SYNTHETIC_SETS)[number];

const positive = (what: string) => z.number({ error: `${what} must be a number` }).positive(`${what} must be > 0`);
/** A target or budget ε: the accountants' supported range (src/config/privacyBounds.ts, docs/PRIVACY.md). */
const epsilonBudget = (what: string) =>
  positive(what).max(
    EPSILON_MAX,
    `${what} must be ≤ ${EPSILON_MAX} (beyond it epsilon means no privacy and the accountants lose precision)`,
  );

export const DataConfigSchema = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('synthetic'),
    name: z.enum(SYNTHETIC_SETS),
    n: z.number().int().min(20, 'data.n must be at least 20').max(100_000, 'data.n must be at most 100000'),
    noise: z.number().min(0, 'data.noise must be ≥ 0').max(1, 'data.noise must be ≤ 1'),
    testFraction: z.number().gt(0, 'data.testFraction must be > 0').lt(1, 'data.testFraction must be < 1'),
  }),
  z.object({ source: z.literal('mnist') }),
  /** A dataset the user imported in this browser session (files stay on the device). */
  z.object({ source: z.literal('imported'), id: z.string().min(1, 'data.id must not be empty'), name: z.string() }),
]);
export type DataConfig = z.infer<typeof DataConfigSchema>;

export const ActivationSchema = z.enum(['relu', 'tanh', 'sigmoid']);

export const ModelSpecSchema = z.discriminatedUnion('preset', [
  z.object({ preset: z.literal('logistic') }),
  z.object({
    preset: z.literal('mlp'),
    hidden: z
      .array(z.number().int().min(1, 'model.hidden widths must be ≥ 1').max(4096, 'model.hidden widths must be ≤ 4096'))
      .min(1, 'model.hidden needs at least one layer')
      .max(8, 'model.hidden allows at most 8 layers'),
    activation: ActivationSchema,
  }),
  z.object({ preset: z.literal('cnn'), activation: ActivationSchema }),
]);

export const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'lamb'] as const;

export const TrainConfigSchema = z.object({
  optimizer: z.enum(OPTIMIZERS),
  learningRate: positive('train.learningRate').max(LEARNING_RATE_MAX, `train.learningRate must be ≤ ${LEARNING_RATE_MAX}`),
  momentum: z.number().min(0, 'train.momentum must be ≥ 0').lt(1, 'train.momentum must be < 1'),
  weightDecay: z.number().min(0, 'train.weightDecay must be ≥ 0'),
  batchSize: z
    .number()
    .int('train.batchSize must be an integer')
    .min(1, 'train.batchSize must be ≥ 1')
    .max(MAX_BATCH_SIZE, `train.batchSize must be ≤ ${MAX_BATCH_SIZE} (the largest batch a browser step handles)`),
  epochs: positive('train.epochs').max(10_000, 'train.epochs must be ≤ 10000'),
  /** Evaluate train/test accuracy every this many steps (the loss is reported every step). */
  evalEvery: z.number().int().min(1, 'train.evalEvery must be ≥ 1'),
});

export const ACCOUNTANTS = ['prv', 'rdp', 'gdp'] as const;

export const PrivacyConfigSchema = z.object({
  enabled: z.boolean(),
  clipping: z.enum(CLIPPING_NAMES),
  /** Clipping threshold for Abadi and global clipping (automatic clipping has sensitivity 1). */
  maxGradNorm: positive('privacy.maxGradNorm'),
  /** Stability constant of AUTO-S: g/(‖g‖+γ). */
  gamma: z.number().gt(0, 'privacy.gamma must be > 0'),
  style: z.enum(['flat', 'layer-wise']),
  noise: z.discriminatedUnion('mode', [
    z.object({
      mode: z.literal('sigma'),
      sigma: z
        .number()
        .min(0, 'privacy.noise.sigma must be ≥ 0')
        .max(
          SIGMA_MAX,
          `privacy.noise.sigma must be ≤ ${SIGMA_MAX} (beyond it every accountant's epsilon is at its floor and the RDP series lose precision)`,
        ),
    }),
    z.object({ mode: z.literal('target'), epsilon: epsilonBudget('privacy.noise.epsilon') }),
  ]),
  delta: z.number().gt(0, 'privacy.delta must be > 0').lt(1, 'privacy.delta must be < 1'),
  accountant: z.enum(ACCOUNTANTS),
  /** Poisson sampling is what the accountants assume; shuffled fixed-size batches are not covered. */
  sampling: z.enum(['poisson', 'shuffle']),
  /** Secure (crypto-seeded) noise for real use; seeded noise is a reproducible teaching option. */
  secureNoise: z.boolean(),
  /** Optional hard budget: training stops at the last step whose ε stays ≤ this. */
  budgetEpsilon: epsilonBudget('privacy.budgetEpsilon').nullable(),
});

/** Which implementation runs the DP step: our WebGPU kernels where available, or TF.js ops everywhere. */
export const DP_PATHS = ['auto', 'kernels', 'ops'] as const;
/** Which TF.js backend trains: 'auto' the fastest by a timing trial (workers/backendChoice.ts), else the first that starts; a name forces that backend. */
export const BACKEND_CHOICES = ['auto', 'webgpu', 'wasm', 'webgl', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export const EngineConfigSchema = z.object({ dpPath: z.enum(DP_PATHS), backend: z.enum(BACKEND_CHOICES).default('auto') });

export const RunConfigSchema = z
  .object({
    version: z.literal(CONFIG_VERSION),
    seed: z
      .number()
      .int('seed must be an integer')
      .min(0, 'seed must be ≥ 0')
      .max(2 ** 32 - 1, 'seed must be < 2^32'),
    data: DataConfigSchema,
    model: ModelSpecSchema,
    train: TrainConfigSchema,
    privacy: PrivacyConfigSchema,
    engine: EngineConfigSchema,
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.privacy.enabled && c.privacy.noise.mode === 'sigma' && c.privacy.noise.sigma <= 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['privacy', 'noise', 'sigma'],
        message: 'privacy.noise.sigma must be > 0 for a private run (σ = 0 gives no privacy guarantee; turn privacy off instead)',
      });
    } else if (c.privacy.enabled && c.privacy.noise.mode === 'sigma' && c.privacy.noise.sigma < SIGMA_MIN) {
      ctx.addIssue({
        code: 'custom',
        path: ['privacy', 'noise', 'sigma'],
        message: `privacy.noise.sigma must be ≥ ${SIGMA_MIN} for a private run (below it epsilon exceeds 5000 per step in every accountant)`,
      });
    }
    // Model size and work per step, where the data's shape is known before loading it (imported
    // sets are checked once loaded: the controls' draft check and TrainingRun.create).
    const shape = builtInDataShape(c.data);
    if (shape) {
      for (const issue of stepBudgetIssues(c.model, c.train.batchSize, shape.inputShape, shape.numClasses))
        ctx.addIssue({ code: 'custom', ...issue });
    }
  });

/** Input shape and number of classes of a built-in dataset; null for imported sets (known once loaded). */
export function builtInDataShape(data: DataConfig): { inputShape: number[]; numClasses: number } | null {
  switch (data.source) {
    case 'synthetic':
      return { inputShape: [2], numClasses: 2 };
    case 'mnist':
      return { inputShape: [28, 28, 1], numClasses: 10 };
    case 'imported':
      return null;
  }
}

export type RunConfig = z.infer<typeof RunConfigSchema>;
export type PrivacyConfig = z.infer<typeof PrivacyConfigSchema>;
export type TrainConfig = z.infer<typeof TrainConfigSchema>;

/**
 * Settings that suit a 2D teaching set and learn under privacy: at ε = 3 a private AUTO-S run draws a
 * clear boundary on every set (measured over seeds in docs/LESSONS.md, floors in
 * src/lessons/twoDDefaults.test.ts). DP needs more data than a non-private toy: 4,000 points and
 * batches of 256 keep q small enough that the noise per step is bearable, and about 470 steps.
 */
export function syntheticDefaults(name: SyntheticName = 'spirals'): Pick<RunConfig, 'data' | 'model' | 'train'> {
  return {
    data: { source: 'synthetic', name, n: 4000, noise: 0.05, testFraction: 0.25 },
    model: { preset: 'mlp', hidden: [32, 32], activation: 'tanh' },
    train: { optimizer: 'adam', learningRate: 0.1, momentum: 0.9, weightDecay: 0, batchSize: 256, epochs: 40, evalEvery: 10 },
  };
}

/** Settings that suit the embedded MNIST subset (8,000 training digits). */
export function mnistDefaults(): Pick<RunConfig, 'data' | 'model' | 'train'> {
  return {
    data: { source: 'mnist' },
    model: { preset: 'mlp', hidden: [128], activation: 'relu' },
    train: { optimizer: 'adam', learningRate: 0.002, momentum: 0.9, weightDecay: 0, batchSize: 256, epochs: 5, evalEvery: 10 },
  };
}

/**
 * The playground's opening run: private training (AUTO-S, σ calibrated for ε = 3) of an MLP on the
 * embedded MNIST digits, which works offline.
 */
export function defaultRunConfig(): RunConfig {
  return {
    version: CONFIG_VERSION,
    seed: 1,
    ...mnistDefaults(),
    privacy: {
      enabled: true,
      clipping: 'auto-s',
      maxGradNorm: 1,
      gamma: 0.01,
      style: 'flat',
      noise: { mode: 'target', epsilon: 3 },
      delta: 1e-5,
      accountant: 'prv',
      sampling: 'poisson',
      secureNoise: true,
      budgetEpsilon: null,
    },
    engine: { dpPath: 'auto', backend: 'auto' },
  };
}

/** Result of checking untrusted input: the config, or one message per problem naming the field. */
export type ConfigCheck = { ok: true; config: RunConfig } | { ok: false; errors: string[] };

export function parseRunConfig(input: unknown): ConfigCheck {
  const r = RunConfigSchema.safeParse(input);
  if (r.success) return { ok: true, config: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => {
      const field = i.path.join('.') || '(root)';
      return i.message.startsWith(field) ? i.message : `${field}: ${i.message}`;
    }),
  };
}

import { clippingFunction, sensitivityOf, type ClippingFunction } from '../../clipping/functions';
import { parseRunConfig, type RunConfig } from '../../config/runConfig';
import { resolveNoise, stepsFor, type NoisePlan } from '../../privacy/resolveNoise';
import { ExportError, namingConfigFields } from '../exportError';
import { checkDataInfo, exportDataInfo, type ExportDataInfo, type ExportDataset } from '../dataInfo';
import { canWritePlaygroundData } from '../playgroundData';

export const EXPORT_TARGETS = ['opacus', 'fastdp'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export interface ExportOptions {
  /** Required for imported datasets; defaults to exportDataInfo(config.data, dataset). */
  data?: ExportDataInfo;
  /** 'source' (default) or 'playground': the playground's exact examples from playgroundDataFileName(). */
  dataset?: ExportDataset;
}

/** Everything the section writers need, worked out once from the config before a line is written. */
export interface ExportPlan {
  /** The validated config. */
  config: RunConfig;
  target: ExportTarget;
  dataset: ExportDataset;
  info: ExportDataInfo;
  /** Planned steps ⌊epochs·N/B⌋, at least 1 (the noise plan's, for a private run). */
  steps: number;
  /** q, steps, σ and ε as the playground resolves them (src/privacy/resolveNoise.ts); null for a non-private run. */
  noise: NoisePlan | null;
  clipping: ClippingFunction;
  /** S: R for the thresholded functions, 1 for automatic clipping; noise std = σ·S. */
  sensitivity: number;
  /** Sampling and noise never derive from the shared seed (a private run with privacy.secureNoise on). */
  secure: boolean;
  /** The script reads its examples from an .npz (DATA_FILE) rather than downloading or generating them. */
  usesNpz: boolean;
}

/**
 * The plan for exporting `input` to `target`. Throws, naming the field, for a config that does not
 * validate and for one the script cannot express (an imported dataset without `options.data`, the
 * playground's data of an imported set, a batch larger than the training set).
 */
export function planExport(input: RunConfig, target: ExportTarget, options: ExportOptions = {}): ExportPlan {
  const checked = parseRunConfig(input);
  if (!checked.ok) throw new ExportError(`invalid config: ${checked.errors.join('; ')}`);
  const config = checked.config;
  const dataset = options.dataset ?? 'source';
  if (dataset === 'playground' && !canWritePlaygroundData(config.data)) {
    throw new ExportError(
      "the playground's data can be written for MNIST and synthetic sets; an imported set stays on the device that imported it",
    );
  }
  const known = options.data ?? exportDataInfo(config.data, dataset);
  if (!known) throw new ExportError('an imported dataset needs its sizes (trainSize, testSize, inputShape, numClasses)');
  const info = checkDataInfo(known);
  const { train, privacy } = config;
  if (train.batchSize > info.trainSize)
    throw new ExportError(
      `invalid config: train.batchSize (${train.batchSize}) is larger than the training set (${info.trainSize} examples)`,
    );
  const noise = privacy.enabled ? namingConfigFields(() => resolveNoise(privacy, train, info.trainSize)) : null;
  const clipping = clippingFunction(privacy.clipping);
  return {
    config,
    target,
    dataset,
    info,
    steps: noise?.steps ?? Math.max(1, stepsFor(train.epochs, info.trainSize, train.batchSize)),
    noise,
    clipping,
    sensitivity: sensitivityOf(clipping, privacy.maxGradNorm),
    secure: privacy.enabled && privacy.secureNoise,
    usesNpz: dataset === 'playground' || config.data.source === 'imported',
  };
}

import type { PrivacyConfig, TrainConfig } from '../config/runConfig';
import type { AccountantName } from './accountants/accountant';
import { createAccountant } from './accountants/registry';
import { calibrateSigma } from './calibrate';

/**
 * A private run's noise, from its config and the size of its training set: the one place where a
 * config becomes (q, steps, σ, ε). The engine, the sweep, the PyTorch export and the worker all ask
 * here, so they cannot disagree.
 */
export interface NoisePlan {
  /** Poisson sample rate q = B/N. */
  sampleRate: number;
  /** Planned steps ⌊epochs·N/B⌋ (as Opacus counts them), at least 1. */
  steps: number;
  /** The noise multiplier: as given, or the smallest σ whose ε after `steps` stays ≤ the target. */
  sigma: number;
  /** ε by `accountant` after `steps` steps at (q, σ). */
  epsilon: number;
  accountant: AccountantName;
  delta: number;
  /** The target ε σ was calibrated for; null when the config gives σ. */
  targetEpsilon: number | null;
  /** The accountant's caveats (for example a PRV → RDP fallback). */
  warnings: string[];
}

/** Poisson sample rate q = B/N for expected batch size B and dataset size N. */
export function sampleRateFor(batchSize: number, datasetSize: number): number {
  return batchSize / datasetSize;
}

/** Steps of `epochs` epochs at sample rate q: ⌊epochs/q⌋ (Opacus uses int(epochs/q)). */
export function stepsFor(epochs: number, datasetSize: number, batchSize: number): number {
  return Math.floor((epochs * datasetSize) / batchSize);
}

/** Calibrations are deterministic and cost up to seconds; the same question gets the stored answer. */
const calibrations = new Map<string, NoisePlan>();
const MAX_CACHED = 64;

/**
 * @throws RangeError when the batch is larger than the training set, or the privacy settings are
 *   outside what the accountants answer (the message names the setting).
 */
export function resolveNoise(privacy: PrivacyConfig, train: Pick<TrainConfig, 'batchSize' | 'epochs'>, trainSize: number): NoisePlan {
  const B = train.batchSize;
  if (!(Number.isInteger(trainSize) && trainSize >= 1))
    throw new RangeError(`the training set must have at least one example, got ${trainSize}`);
  if (B > trainSize) throw new RangeError(`train.batchSize (${B}) is larger than the training set (${trainSize} examples)`);
  const sampleRate = sampleRateFor(B, trainSize);
  const steps = Math.max(1, stepsFor(train.epochs, trainSize, B));
  const { delta, accountant, noise } = privacy;
  const common = { sampleRate, steps, delta, accountant };
  if (noise.mode === 'sigma') {
    const r = createAccountant(accountant).step(sampleRate, noise.sigma, steps).getEpsilon(delta);
    return { ...common, sigma: noise.sigma, epsilon: r.epsilon, targetEpsilon: null, warnings: [...r.warnings] };
  }
  const key = JSON.stringify([noise.epsilon, delta, sampleRate, steps, accountant]);
  const cached = calibrations.get(key);
  if (cached) return { ...cached, warnings: [...cached.warnings] };
  const cal = calibrateSigma({ targetEpsilon: noise.epsilon, delta, sampleRate, steps, accountant });
  const plan: NoisePlan = {
    ...common,
    sigma: cal.noiseMultiplier,
    epsilon: cal.epsilon,
    targetEpsilon: noise.epsilon,
    warnings: [...cal.warnings],
  };
  if (calibrations.size >= MAX_CACHED) calibrations.delete(calibrations.keys().next().value as string);
  calibrations.set(key, plan);
  return { ...plan, warnings: [...plan.warnings] };
}

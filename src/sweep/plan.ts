import { privacyCaveats, type PrivacyCaveats } from '../config/privacyCaveats';
import type { RunConfig } from '../config/runConfig';
import { SWEEP_CLIPPINGS, type SweepClipping, type SweepConfig } from '../config/sweepConfig';
import { calibrateSigma, createAccountant, sampleRateFor, stepsFor, type AccountantName } from '../privacy';

/**
 * Turning a sweep config into runs: σ is calibrated ONCE from the base config (or taken from it),
 * and every cell gets that σ as a fixed noise multiplier, so all cells have the same q, σ, steps and
 * therefore the same ε. Pure: no TF.js, usable in the worker, the UI and Node.
 */

/** Every cell shares the base's privacy settings, so its caveat flags too. */
export interface SweepPrivacy extends PrivacyCaveats {
  /** Noise multiplier shared by every cell. */
  sigma: number;
  sampleRate: number;
  steps: number;
  delta: number;
  accountant: AccountantName;
  /** ε of every cell after `steps` steps, by `accountant`. */
  epsilon: number;
  /** The base config's target ε, when σ was calibrated for one. */
  targetEpsilon: number | null;
  /** One line describing where σ came from. */
  note: string;
}

/** σ, q and steps of every cell of a sweep over a training set of `trainSize` examples. */
export function planSweepPrivacy(base: RunConfig, trainSize: number): SweepPrivacy {
  const p = base.privacy;
  if (!p.enabled) throw new Error('sweep: base.privacy.enabled must be true');
  const B = base.train.batchSize;
  if (B > trainSize) throw new RangeError(`train.batchSize (${B}) is larger than the training set (${trainSize} examples)`);
  const sampleRate = sampleRateFor(B, trainSize);
  const steps = Math.max(1, stepsFor(base.train.epochs, trainSize, B));
  const common = { sampleRate, steps, delta: p.delta, accountant: p.accountant, ...privacyCaveats(base) };
  if (p.noise.mode === 'sigma') {
    const epsilon = createAccountant(p.accountant).step(sampleRate, p.noise.sigma, steps).getEpsilon(p.delta).epsilon;
    return { ...common, sigma: p.noise.sigma, epsilon, targetEpsilon: null, note: `σ = ${p.noise.sigma} from the base config` };
  }
  const cal = calibrateSigma({ targetEpsilon: p.noise.epsilon, delta: p.delta, sampleRate, steps, accountant: p.accountant });
  return {
    ...common,
    sigma: cal.noiseMultiplier,
    epsilon: cal.epsilon,
    targetEpsilon: p.noise.epsilon,
    note: `σ = ${cal.noiseMultiplier.toPrecision(4)} calibrated once for ε = ${p.noise.epsilon} at δ = ${p.delta} (${p.accountant}), q = ${sampleRate.toPrecision(4)}, ${steps} steps`,
  };
}

/** One (clipping, R, lr) point of the grid, with the complete run config that trains it. */
export interface SweepCell {
  /** Stable id, e.g. "abadi:R=0.1:lr=0.003" or "auto-s:lr=0.003". */
  key: string;
  clipping: SweepClipping;
  /** Threshold for Abadi / global clipping; null for automatic clipping (sensitivity 1). */
  R: number | null;
  lr: number;
  config: RunConfig;
}

export function cellKey(clipping: SweepClipping, R: number | null, lr: number): string {
  return R === null ? `${clipping}:lr=${lr}` : `${clipping}:R=${R}:lr=${lr}`;
}

/** Run order: automatic clipping first (fewest cells, so a partial sweep already has them), then R-tuned. */
const RUN_ORDER: readonly SweepClipping[] = ['auto-s', 'auto-v', 'abadi', 'global'];

/**
 * Every cell of the grid as a run config: the base config with its clipping function, R, learning
 * rate and the shared σ. Data, model, seed, batch, epochs, δ and the accountant are the base's.
 */
export function expandSweep(sweep: SweepConfig, sigma: number): SweepCell[] {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`sweep: σ must be a positive number, got ${sigma}`);
  const cells: SweepCell[] = [];
  const make = (clipping: SweepClipping, R: number | null, lr: number): SweepCell => {
    const base = sweep.base;
    const config: RunConfig = {
      ...base,
      train: { ...base.train, learningRate: lr },
      privacy: { ...base.privacy, clipping, maxGradNorm: R ?? base.privacy.maxGradNorm, noise: { mode: 'sigma', sigma } },
    };
    return { key: cellKey(clipping, R, lr), clipping, R, lr, config };
  };
  for (const clipping of RUN_ORDER) {
    const g = sweep.clipping[clipping];
    if (!g) continue;
    if ('R' in g) for (const R of g.R) for (const lr of g.lr) cells.push(make(clipping, R, lr));
    else for (const lr of g.lr) cells.push(make(clipping, null, lr));
  }
  return cells;
}

/** The clipping functions a sweep uses, in table order (R-tuned first). */
export function sweepClippings(sweep: Pick<SweepConfig, 'clipping'>): SweepClipping[] {
  return SWEEP_CLIPPINGS.filter((c) => sweep.clipping[c] !== undefined);
}

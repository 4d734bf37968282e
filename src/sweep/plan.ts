import { privacyCaveats, type PrivacyCaveats } from '../config/privacyCaveats';
import type { RunConfig } from '../config/runConfig';
import { SWEEP_CLIPPINGS, sweepSeeds, type SweepClipping, type SweepConfig } from '../config/sweepConfig';
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

/** One (clipping, R, lr) point of the grid. */
export interface SweepCell {
  /** Stable id, e.g. "abadi:R=0.1:lr=0.003" or "auto-s:lr=0.003". */
  key: string;
  clipping: SweepClipping;
  /** Threshold for Abadi / global clipping; null for automatic clipping (sensitivity 1). */
  R: number | null;
  lr: number;
}

/** One training run of a sweep: a cell on one seed, with the complete run config that trains it. */
export interface SweepRun extends SweepCell {
  seed: number;
  /** Stable id of the run, e.g. "abadi:R=0.1:lr=0.003:seed=2". */
  runKey: string;
  config: RunConfig;
}

export function cellKey(clipping: SweepClipping, R: number | null, lr: number): string {
  return R === null ? `${clipping}:lr=${lr}` : `${clipping}:R=${R}:lr=${lr}`;
}

function runKey(cell: Pick<SweepCell, 'key'>, seed: number): string {
  return `${cell.key}:seed=${seed}`;
}

/** Run order: automatic clipping first (fewest cells, so a partial sweep already has them), then R-tuned. */
const RUN_ORDER: readonly SweepClipping[] = ['auto-s', 'auto-v', 'abadi', 'global'];

/** The grid's cells in run order. */
export function sweepCells(sweep: Pick<SweepConfig, 'clipping'>): SweepCell[] {
  const cells: SweepCell[] = [];
  for (const clipping of RUN_ORDER) {
    const g = sweep.clipping[clipping];
    if (!g) continue;
    const Rs: (number | null)[] = 'R' in g ? g.R : [null];
    for (const R of Rs) for (const lr of g.lr) cells.push({ key: cellKey(clipping, R, lr), clipping, R, lr });
  }
  return cells;
}

/**
 * Every run of the sweep: each cell once per seed (a cell's seeds run one after the other, so cells
 * complete in order), as the base config with its clipping function, R, learning rate, seed and the
 * shared σ. Data, model, batch, epochs, δ and the accountant are the base's.
 */
export function expandSweep(sweep: SweepConfig, sigma: number): SweepRun[] {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`sweep: σ must be a positive number, got ${sigma}`);
  const base = sweep.base;
  return sweepCells(sweep).flatMap((cell) =>
    sweepSeeds(sweep).map((seed) => ({
      ...cell,
      seed,
      runKey: runKey(cell, seed),
      config: {
        ...base,
        seed,
        train: { ...base.train, learningRate: cell.lr },
        privacy: {
          ...base.privacy,
          clipping: cell.clipping,
          maxGradNorm: cell.R ?? base.privacy.maxGradNorm,
          noise: { mode: 'sigma', sigma },
        },
      },
    })),
  );
}

/** The clipping functions a sweep uses, in table order (R-tuned first). */
export function sweepClippings(sweep: Pick<SweepConfig, 'clipping'>): SweepClipping[] {
  return SWEEP_CLIPPINGS.filter((c) => sweep.clipping[c] !== undefined);
}

import type { RunConfig } from '../config/runConfig';
import { resolveClipConfig, sensitivity, type ClipConfig } from '../dp/clip';
import { createNoiseSource } from '../dp/noise';
import type { GradientOptions } from '../dp/types';
import { calibrateSigma, createAccountant, maxSteps, PrivacyLedger, sampleRateFor, stepsFor, type AccountantName } from '../privacy';

/**
 * Turns a run config into the DP step's options and the privacy bookkeeping of the run: the sample
 * rate q = B/N, the planned steps, σ (given, or calibrated for the target ε before the run starts),
 * and the accountants that report ε as the run goes.
 *
 * ε is reported two ways. The RDP accountant steps every iteration in O(orders), so the stream
 * always has a live upper bound (`epsilonRdp`); the configured accountant (PRV by default, tighter)
 * is evaluated at evaluation points and at the end (`epsilon`), because one PRV evaluation costs
 * tens of milliseconds.
 */
export interface PrivacyPlan {
  readonly enabled: boolean;
  readonly sampleRate: number;
  readonly plannedSteps: number;
  /** σ in use; null when privacy is off. */
  readonly sigma: number | null;
  readonly delta: number;
  readonly accountantName: AccountantName;
  /** False for shuffled fixed-size batches: the accountant's Poisson assumption does not hold. */
  readonly coveredByAccountant: boolean;
  /**
   * A private run with secure randomness (privacy.secureNoise): noise and batches come from the
   * platform CSPRNG, nothing random derives from the seed. False for seeded teaching runs and for
   * non-private runs (no guarantee to protect; they stay reproducible from the seed).
   */
  readonly secureRandomness: boolean;
  readonly gradientOptions: GradientOptions;
  /** The clipping parameters with defaults applied (for diagnostics). */
  readonly clip: ClipConfig;
  /** ε the configured accountant gives after the planned steps; null without privacy. */
  readonly projectedEpsilon: number | null;
  /** Noise std per coordinate of the clipped sum, σ·S (S = R for Abadi/global, 1 for automatic). */
  readonly noiseStd: number | null;
  /** Notes for the user (calibration result, accountant caveats). */
  readonly notes: string[];
  /**
   * With a hard budget: the last step whose ε stays ≤ budget (the run stops there); null when there
   * is no budget or it does not bind before the planned end.
   */
  readonly budgetStopStep: number | null;
}

export function planPrivacy(config: RunConfig, trainSize: number): PrivacyPlan {
  const p = config.privacy;
  const B = config.train.batchSize;
  const sampleRate = sampleRateFor(B, trainSize);
  const plannedSteps = Math.max(1, stepsFor(config.train.epochs, trainSize, B));
  const base = {
    sampleRate,
    plannedSteps,
    delta: p.delta,
    accountantName: p.accountant,
    coveredByAccountant: p.sampling === 'poisson',
  };
  if (!p.enabled) {
    return {
      ...base,
      enabled: false,
      secureRandomness: false,
      sigma: null,
      gradientOptions: { clipping: 'none' },
      clip: resolveClipConfig({ clipping: 'none' }),
      projectedEpsilon: null,
      noiseStd: null,
      notes: [],
      budgetStopStep: null,
    };
  }
  const notes: string[] = [];
  const clip = resolveClipConfig({ clipping: p.clipping, clipNorm: p.maxGradNorm, gamma: p.gamma, style: p.style });
  let sigma: number;
  let projectedEpsilon: number;
  if (p.noise.mode === 'sigma') {
    sigma = p.noise.sigma;
    projectedEpsilon = createAccountant(p.accountant).step(sampleRate, sigma, plannedSteps).getEpsilon(p.delta).epsilon;
  } else {
    const cal = calibrateSigma({ targetEpsilon: p.noise.epsilon, delta: p.delta, sampleRate, steps: plannedSteps, accountant: p.accountant });
    sigma = cal.noiseMultiplier;
    projectedEpsilon = cal.epsilon;
    notes.push(`σ = ${sigma.toPrecision(4)} calibrated for ε = ${p.noise.epsilon} (${p.accountant.toUpperCase()} gives ε = ${cal.epsilon.toPrecision(4)} at δ = ${p.delta})`);
    notes.push(...cal.warnings);
  }
  let budgetStopStep: number | null = null;
  if (p.budgetEpsilon !== null) {
    const limit = maxSteps({ targetEpsilon: p.budgetEpsilon, delta: p.delta, sampleRate, noiseMultiplier: sigma, accountant: p.accountant, limit: plannedSteps + 1 });
    if (limit.steps < plannedSteps) {
      budgetStopStep = limit.steps;
      notes.push(
        `Hard budget ε ≤ ${p.budgetEpsilon}: training will stop after step ${limit.steps} of ${plannedSteps} (ε = ${limit.epsilon.toPrecision(4)} there; one more step would give ${limit.epsilonNext?.toPrecision(4) ?? 'more'}).`,
      );
    }
  }
  if (p.sampling === 'shuffle') notes.push('Shuffled fixed-size batches are not covered by the accountant: the ε shown assumes Poisson sampling.');
  if (!p.secureNoise) {
    notes.push(
      `Seeded randomness (teaching mode): the noise and the batches follow the seed ${config.seed}, which travels in the URL and run.json. Not private against anyone who knows the seed: they can recompute which examples each step used and the noise it added.`,
    );
  }
  if (p.delta >= 1 / trainSize) notes.push(`δ = ${p.delta} is not below 1/N = ${(1 / trainSize).toPrecision(3)}: such a δ allows leaking a whole record.`);
  return {
    ...base,
    enabled: true,
    secureRandomness: p.secureNoise,
    sigma,
    clip,
    projectedEpsilon,
    noiseStd: sigma * sensitivity(clip),
    notes,
    budgetStopStep,
    gradientOptions: {
      clipping: p.clipping,
      clipNorm: p.maxGradNorm,
      gamma: p.gamma,
      style: p.style,
      noiseMultiplier: sigma,
      expectedBatchSize: sampleRate * trainSize,
      // Secure randomness is the default for real use; a seeded stream makes a teaching run reproducible.
      noise: createNoiseSource(p.secureNoise ? undefined : config.seed + 0x9e3779b9),
      stats: true,
    },
  };
}

/** The run's ε bookkeeping: RDP every step (live bound), the configured accountant on request. */
export class RunLedger {
  private readonly ledger: PrivacyLedger;

  constructor(private readonly plan: PrivacyPlan) {
    this.ledger = new PrivacyLedger(plan.delta, plan.accountantName);
  }

  /** Record one step at the plan's (q, σ). */
  step(): void {
    if (this.plan.enabled && this.plan.sigma !== null) this.ledger.step(this.plan.sampleRate, this.plan.sigma);
  }

  get steps(): number {
    return this.ledger.steps;
  }

  /** Cheap upper bound, O(orders). */
  epsilonRdp(): number {
    return this.ledger.steps === 0 ? 0 : this.ledger.live().epsilon;
  }

  /** ε by the configured accountant (PRV reports its upper bound). */
  epsilon(): number {
    return this.ledger.steps === 0 ? 0 : this.ledger.accurate().epsilon;
  }

  /** The (q, σ, steps) segments spent so far, for checkpoints. */
  history(): readonly { q: number; sigma: number; steps: number }[] {
    return this.ledger.history;
  }

  /** Continue from a checkpoint's history (on a fresh ledger). */
  restore(history: readonly { q: number; sigma: number; steps: number }[]): void {
    if (this.ledger.steps !== 0) throw new Error('RunLedger.restore: the ledger already has steps');
    for (const h of history) if (h.steps > 0) this.ledger.step(h.q, h.sigma, h.steps);
  }
}

import type { RunConfig } from '../config/runConfig';
import { resolveClipConfig, sensitivity, type ClipConfig } from '../dp/clip';
import { createNoiseSource } from '../dp/noise';
import type { GradientOptions } from '../dp/types';
import { calibrateSigma, createAccountant, RdpAccountant, sampleRateFor, stepsFor, type Accountant, type AccountantName } from '../privacy';

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
  readonly gradientOptions: GradientOptions;
  /** The clipping parameters with defaults applied (for diagnostics). */
  readonly clip: ClipConfig;
  /** ε the configured accountant gives after the planned steps; null without privacy. */
  readonly projectedEpsilon: number | null;
  /** Noise std per coordinate of the clipped sum, σ·S (S = R for Abadi/global, 1 for automatic). */
  readonly noiseStd: number | null;
  /** Notes for the user (calibration result, accountant caveats). */
  readonly notes: string[];
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
      sigma: null,
      gradientOptions: { clipping: 'none' },
      clip: resolveClipConfig({ clipping: 'none' }),
      projectedEpsilon: null,
      noiseStd: null,
      notes: [],
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
  if (p.sampling === 'shuffle') notes.push('Shuffled fixed-size batches are not covered by the accountant: the ε shown assumes Poisson sampling.');
  if (p.delta >= 1 / trainSize) notes.push(`δ = ${p.delta} is not below 1/N = ${(1 / trainSize).toPrecision(3)}: such a δ allows leaking a whole record.`);
  return {
    ...base,
    enabled: true,
    sigma,
    clip,
    projectedEpsilon,
    noiseStd: sigma * sensitivity(clip),
    notes,
    gradientOptions: {
      clipping: p.clipping,
      clipNorm: p.maxGradNorm,
      gamma: p.gamma,
      style: p.style,
      noiseMultiplier: sigma,
      expectedBatchSize: sampleRate * trainSize,
      // Secure noise is the default for real use; a seeded stream makes a teaching run reproducible.
      noise: createNoiseSource(p.secureNoise ? undefined : config.seed * 2654435761 + 1),
      stats: true,
    },
  };
}

/** Keeps the running ε of a private run: RDP every step, the configured accountant on request. */
export class PrivacyLedger {
  private readonly rdp = new RdpAccountant();
  private readonly chosen: Accountant;

  constructor(private readonly plan: PrivacyPlan) {
    this.chosen = createAccountant(plan.accountantName);
  }

  /** Record one step at the plan's (q, σ). */
  step(): void {
    if (!this.plan.enabled || this.plan.sigma === null) return;
    this.rdp.step(this.plan.sampleRate, this.plan.sigma);
    this.chosen.step(this.plan.sampleRate, this.plan.sigma);
  }

  get steps(): number {
    return this.rdp.steps;
  }

  /** Cheap upper bound, O(orders). */
  epsilonRdp(): number {
    return this.rdp.steps === 0 ? 0 : this.rdp.getEpsilon(this.plan.delta).epsilon;
  }

  /** ε by the configured accountant (PRV reports its upper bound). */
  epsilon(): number {
    return this.chosen.steps === 0 ? 0 : this.chosen.getEpsilon(this.plan.delta).epsilon;
  }
}

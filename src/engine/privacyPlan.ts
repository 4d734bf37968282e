import { privacyCaveats, type PrivacyCaveats } from '../config/privacyCaveats';
import type { RunConfig } from '../config/runConfig';
import type { PrivacySegment } from '../domain/checkpoint';
import { accountedSteps, historyProblem } from '../domain/privacyHistory';
import { NO_CLIPPING, resolveClipPlan, type ClipPlan } from '../clipping/plan';
import { createNoiseSource, type NoiseSource } from '../dp/noise';
import { createAccountant, maxSteps, PrivacyLedger, resolveNoise, sampleRateFor, stepsFor, type AccountantName } from '../privacy';

/**
 * Turns a run config into what the DP step needs and the privacy bookkeeping of the run: the clip
 * plan (resolved once), the sample rate q = B/N, the planned steps, σ (given, or calibrated for the
 * target ε before the run starts: src/privacy/resolveNoise.ts), the noise source, and the
 * accountants that report ε as the run goes.
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
  /** Why the ε reported may not be the guarantee it looks like (shuffled batches, seeded randomness). */
  readonly caveats: PrivacyCaveats;
  /**
   * A private run with secure randomness (privacy.secureNoise): noise and batches come from the
   * platform CSPRNG, nothing random derives from the seed. False for seeded teaching runs and for
   * non-private runs (no guarantee to protect; they stay reproducible from the seed).
   */
  readonly secureRandomness: boolean;
  /** The run's clipping, resolved once; NO_CLIPPING without privacy. */
  readonly clip: ClipPlan;
  /** The divisor of the noisy clipped sum, qN; null without privacy. */
  readonly expectedBatchSize: number | null;
  /** Where the Gaussian noise comes from: the CSPRNG, or the seed in teaching mode; null without privacy. */
  readonly noise: NoiseSource | null;
  /** ε the configured accountant gives after the planned steps; null without privacy. */
  readonly projectedEpsilon: number | null;
  /** Noise std per coordinate of the clipped sum, σ·S (S = R for Abadi/global, 1 for automatic). */
  readonly noiseStd: number | null;
  /** Notes for the user (calibration result, accountant caveats). */
  readonly notes: string[];
  /**
   * With a hard budget: the most steps the accounting may hold with ε ≤ budget by a bound that holds
   * (see `budgetAccountant`); the run stops when its ledger reaches it. Accounted steps, not model
   * steps: after a rewind the ledger keeps the steps already released. Null when there is no budget
   * or it does not bind before the planned end.
   */
  readonly budgetSteps: number | null;
}

/**
 * The accountant that enforces a hard budget. It must give an ε that holds: RDP (an upper bound) or
 * PRV (its upper bound). GDP is a central-limit approximation that can underestimate ε, so it is
 * display-only and a GDP run's budget is enforced with PRV's upper bound.
 */
export function budgetAccountant(displayed: AccountantName): 'prv' | 'rdp' {
  return displayed === 'rdp' ? 'rdp' : 'prv';
}

/**
 * Why a run whose hard budget is smaller than one step's ε cannot train at all, with that step's ε by
 * the accountant that enforces the budget. Numbers to 6 significant digits.
 */
export function noStepAllowed(plan: Pick<PrivacyPlan, 'sampleRate' | 'sigma' | 'delta' | 'accountantName'>, budget: number): string {
  const none = `privacy.budgetEpsilon ${budget} allows no training step`;
  if (plan.sigma === null) return none;
  const enforcing = budgetAccountant(plan.accountantName);
  const first = createAccountant(enforcing).step(plan.sampleRate, plan.sigma, 1).getEpsilon(plan.delta).epsilon;
  const six = (x: number) => Number(x.toPrecision(6));
  return `${none}: one step at q = ${six(plan.sampleRate)}, σ = ${six(plan.sigma)} already spends ε = ${six(first)} (${enforcing}, δ = ${plan.delta}); raise the budget or the noise`;
}

/**
 * @param extraAccounted steps already accounted beyond the model's step (a run resumed after a rewind
 *   keeps the steps it had released), so the budget search reaches the end of the run.
 */
export function planPrivacy(config: RunConfig, trainSize: number, extraAccounted = 0): PrivacyPlan {
  const p = config.privacy;
  const B = config.train.batchSize;
  if (B > trainSize) throw new RangeError(`train.batchSize (${B}) is larger than the training set (${trainSize} examples)`);
  const sampleRate = sampleRateFor(B, trainSize);
  const plannedSteps = Math.max(1, stepsFor(config.train.epochs, trainSize, B));
  const base = {
    sampleRate,
    plannedSteps,
    delta: p.delta,
    accountantName: p.accountant,
    coveredByAccountant: p.sampling === 'poisson',
    caveats: privacyCaveats(config),
  };
  if (!p.enabled) {
    return {
      ...base,
      enabled: false,
      secureRandomness: false,
      sigma: null,
      clip: NO_CLIPPING,
      expectedBatchSize: null,
      noise: null,
      projectedEpsilon: null,
      noiseStd: null,
      notes: [],
      budgetSteps: null,
    };
  }
  const notes: string[] = [];
  const clip = resolveClipPlan({ clipping: p.clipping, maxGradNorm: p.maxGradNorm, gamma: p.gamma, style: p.style });
  const noise = resolveNoise(p, config.train, trainSize);
  const sigma = noise.sigma;
  const projectedEpsilon = noise.epsilon;
  if (noise.targetEpsilon !== null) {
    notes.push(
      `σ = ${sigma.toPrecision(4)} calibrated for ε = ${noise.targetEpsilon} (${p.accountant.toUpperCase()} gives ε = ${projectedEpsilon.toPrecision(4)} at δ = ${p.delta})`,
    );
  }
  notes.push(...noise.warnings);
  let budgetSteps: number | null = null;
  if (p.budgetEpsilon !== null) {
    const budget = p.budgetEpsilon;
    const enforcing = budgetAccountant(p.accountant);
    const accountedEnd = plannedSteps + Math.max(0, extraAccounted);
    const search = (accountant: AccountantName) =>
      maxSteps({ targetEpsilon: budget, delta: p.delta, sampleRate, noiseMultiplier: sigma, accountant, limit: accountedEnd + 1 });
    const bound = search(enforcing);
    // The ε on screen (GDP's) must not pass the budget either, should it ever exceed the bound.
    const shown = p.accountant === enforcing ? bound : search(p.accountant);
    const steps = Math.min(bound.steps, shown.steps);
    if (steps < accountedEnd) {
      budgetSteps = steps;
      const at =
        steps === bound.steps ? bound.epsilon : createAccountant(enforcing).step(sampleRate, sigma, steps).getEpsilon(p.delta).epsilon;
      const by = enforcing === 'prv' ? 'the PRV upper bound' : 'the RDP bound';
      const why = p.accountant === 'gdp' ? ' (GDP, which can underestimate ε, is shown but does not enforce it)' : '';
      notes.push(
        `Hard budget ε ≤ ${budget}, enforced with ${by}${why}: training stops once ${steps} of the ${plannedSteps} planned steps are accounted (ε = ${at.toPrecision(4)} there).`,
      );
    }
  }
  if (p.delta >= 1 / trainSize)
    notes.push(`δ = ${p.delta} is not below 1/N = ${(1 / trainSize).toPrecision(3)}: such a δ allows leaking a whole record.`);
  return {
    ...base,
    enabled: true,
    secureRandomness: p.secureNoise,
    sigma,
    clip,
    projectedEpsilon,
    noiseStd: sigma * clip.sensitivity,
    notes,
    budgetSteps,
    expectedBatchSize: sampleRate * trainSize,
    // Secure randomness is the default for real use; a seeded stream makes a teaching run reproducible.
    noise: createNoiseSource(p.secureNoise ? undefined : config.seed + 0x9e3779b9),
  };
}

export type { PrivacySegment };
export { accountedSteps };

/**
 * Checks a privacy history that enters from outside the running engine (a stored or imported
 * checkpoint, the record of released steps) against the plan it resumes (src/persistence/
 * privacyHistory.ts states the rule): every segment must carry the config's q = B/N and σ, and the
 * history must account at least `minSteps` steps. Returns the steps it accounts; throws naming the
 * segment and the problem otherwise, so a forged or mismatched history never lowers a run's ε.
 */
export function checkHistory(plan: PrivacyPlan, history: readonly PrivacySegment[], minSteps: number, what: string): number {
  const problem = historyProblem(history, {
    private: plan.enabled,
    q: plan.sampleRate,
    sigma: plan.sigma,
    minSteps: plan.enabled ? minSteps : 0,
  });
  if (problem) {
    const where = problem.path.length ? ` segment ${problem.path[0]}, ${problem.path[1]}:` : '';
    throw new Error(`${what}: privacy history${where} ${problem.message} (refusing to resume from it)`);
  }
  return accountedSteps(history);
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

  /** The (q, σ, steps) segments spent so far, for checkpoints and the released record. */
  history(): PrivacySegment[] {
    return this.ledger.history.map((h) => ({ q: h.q, sigma: h.sigma, steps: h.steps }));
  }

  /** Continue from a history already checked with `checkHistory` (on a fresh ledger). */
  restore(history: readonly PrivacySegment[]): void {
    if (this.ledger.steps !== 0) throw new Error('RunLedger.restore: the ledger already has steps');
    for (const h of history) if (h.steps > 0) this.ledger.step(h.q, h.sigma, h.steps);
  }

  /**
   * Account up to `steps` steps at the plan's (q, σ), if the ledger holds fewer: a checked history
   * (`checkHistory`) spends every step at exactly those, so its step count says all.
   */
  extendTo(steps: number): void {
    if (this.plan.enabled && this.plan.sigma !== null && steps > this.ledger.steps)
      this.ledger.step(this.plan.sampleRate, this.plan.sigma, steps - this.ledger.steps);
  }
}

/** ε of a history by an accountant (0 for an empty one); for showing what a rewound run has spent. */
export function historyEpsilon(history: readonly PrivacySegment[], delta: number, accountant: AccountantName): number {
  const ledger = new PrivacyLedger(delta, accountant);
  for (const h of history) if (h.steps > 0) ledger.step(h.q, h.sigma, h.steps);
  return ledger.steps === 0 ? 0 : ledger.accurate().epsilon;
}

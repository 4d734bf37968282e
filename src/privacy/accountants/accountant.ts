/**
 * Shared bookkeeping of the privacy accountants (after Opacus's IAccountant): a history of
 * segments (q, σ, steps), `step`, `getEpsilon(delta)`, the mechanism name and validated
 * serialisation. The math lives in ../analysis; dependencies point one way (class → analysis).
 */
import { z } from 'zod';
import type { Segment } from '../analysis/prv/domain';
import { assertDelta, assertNoiseMultiplier, assertSampleRate, assertSteps } from '../validate';

export type { Segment };

export const ACCOUNTANT_NAMES = ['rdp', 'prv', 'gdp'] as const;
export type AccountantName = (typeof ACCOUNTANT_NAMES)[number];

export interface EpsilonResultBase {
  epsilon: number;
  delta: number;
  accountant: AccountantName;
  /** Total number of steps accounted. */
  steps: number;
  /** Human-readable caveats (loose bounds, approximations); empty when there is nothing to say. */
  warnings: string[];
  /**
   * Set when this accountant could not answer and ε comes from another one that gives a valid bound
   * (PRV → RDP); `reason` says why, and the warnings say so too.
   */
  fallback?: { accountant: AccountantName; reason: string };
}

/** RDP: ε is an upper bound (Balle et al. 2020 conversion at the best order). */
export interface RdpEpsilonResult extends EpsilonResultBase {
  accountant: 'rdp';
  optimalOrder: number | null;
}

/**
 * PRV: ε = upper; the true ε lies in [lower, upper], estimate is the point estimate. With a
 * `fallback` to RDP, ε = estimate = upper is the RDP bound and lower is 0.
 */
export interface PrvEpsilonResult extends EpsilonResultBase {
  accountant: 'prv';
  lower: number;
  estimate: number;
  upper: number;
  epsError: number;
  deltaError: number;
}

/** GDP (CLT): an approximation that can UNDERESTIMATE ε. */
export interface GdpEpsilonResult extends EpsilonResultBase {
  accountant: 'gdp';
  mu: number;
}

export type EpsilonResult = RdpEpsilonResult | PrvEpsilonResult | GdpEpsilonResult;

export const SegmentSchema = z.object({
  q: z.number().gt(0).lte(1),
  sigma: z.number().gt(0),
  steps: z.number().int().nonnegative(),
});

export const AccountantStateSchema = z.object({
  version: z.literal(1),
  mechanism: z.enum(ACCOUNTANT_NAMES),
  history: z.array(SegmentSchema),
});

export type AccountantState = z.infer<typeof AccountantStateSchema>;

/** Parse and validate a serialised accountant; throws a readable error on bad input. */
export function parseAccountantState(json: unknown, expected?: AccountantName): AccountantState {
  const parsed = AccountantStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(`invalid accountant state at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (expected && parsed.data.mechanism !== expected) {
    throw new TypeError(`accountant state of mechanism '${parsed.data.mechanism}' cannot be loaded into a '${expected}' accountant`);
  }
  return parsed.data;
}

export abstract class Accountant<R extends EpsilonResult = EpsilonResult> {
  abstract readonly mechanism: AccountantName;
  protected readonly segments: Segment[] = [];
  private total = 0;

  /** The composed history; consecutive steps with equal (q, σ) are merged into one segment. */
  get history(): readonly Readonly<Segment>[] {
    return this.segments;
  }

  /** Total number of steps accounted. */
  get steps(): number {
    return this.total;
  }

  /** Account for `n` steps of the Poisson-subsampled Gaussian mechanism with rate q and noise σ. */
  step(q: number, sigma: number, n = 1): this {
    assertSampleRate(q);
    assertNoiseMultiplier(sigma);
    assertSteps(n, 'n');
    if (n === 0) return this;
    const last = this.segments[this.segments.length - 1];
    if (last && last.q === q && last.sigma === sigma) last.steps += n;
    else this.segments.push({ q, sigma, steps: n });
    this.total += n;
    this.onStep(q, sigma, n);
    return this;
  }

  /** ε spent so far at δ. */
  getEpsilon(delta: number): R {
    assertDelta(delta);
    return this.computeEpsilon(delta);
  }

  /** Forget the history. */
  reset(): this {
    this.segments.length = 0;
    this.total = 0;
    this.onReset();
    return this;
  }

  toJSON(): AccountantState {
    return { version: 1, mechanism: this.mechanism, history: this.segments.map((s) => ({ ...s })) };
  }

  /** Replay a validated history into this (empty) accountant. */
  protected loadHistory(history: readonly Segment[]): this {
    this.reset();
    for (const s of history) this.step(s.q, s.sigma, s.steps);
    return this;
  }

  protected abstract computeEpsilon(delta: number): R;
  protected onStep(_q: number, _sigma: number, _n: number): void {}
  protected onReset(): void {}
}

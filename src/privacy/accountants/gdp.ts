/**
 * GDP accountant: the central-limit approximation of Bu, Dong, Long, Su 2020 for Poisson
 * subsampling. Closed form and instant, but it can UNDERESTIMATE ε (by up to half on some
 * configurations): every result carries that warning. Segments compose by μ² additivity.
 */
import { composeMu, computeMuPoisson, epsFromMu, GDP_MAX_EPSILON } from '../analysis/gdp';
import type { AccountantState, GdpEpsilonResult } from './accountant';
import { Accountant, parseAccountantState } from './accountant';

export const GDP_WARNING =
  'GDP (CLT) is an approximation, not a bound: it can underestimate epsilon (by about half on some configurations); use RDP or PRV for a guarantee';

export class GdpAccountant extends Accountant<GdpEpsilonResult> {
  readonly mechanism = 'gdp' as const;

  /** μ of the history: sqrt(Σ μ_s²). */
  mu(): number {
    return composeMu(this.segments.map((s) => computeMuPoisson(s.steps, s.sigma, s.q)));
  }

  protected computeEpsilon(delta: number): GdpEpsilonResult {
    const mu = this.mu();
    const warnings = [GDP_WARNING];
    if (this.segments.some((s) => s.q === 1)) warnings.push('GDP CLT assumes subsampling (q < 1); at q = 1 it is not exact');
    const epsilon = epsFromMu(mu, delta);
    if (epsilon === Infinity) warnings.push(`epsilon exceeds ${GDP_MAX_EPSILON}: reported as Infinity (no meaningful privacy)`);
    return { epsilon, delta, accountant: 'gdp', steps: this.steps, mu, warnings };
  }

  static fromJSON(json: unknown): GdpAccountant {
    const state: AccountantState = parseAccountantState(json, 'gdp');
    return new GdpAccountant().loadHistory(state.history);
  }
}

/**
 * RDP accountant (Mironov, Talwar, Zhang 2019 for the subsampled Gaussian; Balle et al. 2020 for
 * the (ε, δ) conversion). Keeps a running RDP vector over the order grid, so `step` and
 * `getEpsilon` cost O(#orders) — cheap enough to call after every training step. The per-step RDP
 * vector of each (q, σ) is computed once and memoised.
 */
import { computeRdp, DEFAULT_ORDERS, getPrivacySpent, MAX_ORDER } from '../analysis/rdp';
import type { AccountantState, RdpEpsilonResult } from './accountant';
import { Accountant, parseAccountantState } from './accountant';

export interface RdpAccountantOptions {
  /** RDP orders (all > 1). Default: Opacus's grid 1.1…10.9, 12…63. */
  orders?: readonly number[];
}

export class RdpAccountant extends Accountant<RdpEpsilonResult> {
  readonly mechanism = 'rdp' as const;
  readonly orders: readonly number[];
  private readonly rdp: Float64Array;
  private readonly unitCache = new Map<string, Float64Array>();

  constructor(options: RdpAccountantOptions = {}) {
    super();
    const orders = options.orders ?? DEFAULT_ORDERS;
    if (orders.length === 0 || orders.some((a) => !(a > 1 && a <= MAX_ORDER))) {
      throw new RangeError(`RdpAccountant: orders must be numbers in (1, ${MAX_ORDER}]`);
    }
    this.orders = [...orders];
    this.rdp = new Float64Array(this.orders.length);
  }

  /** RDP of one step at every order, memoised per (q, σ). */
  unitRdp(q: number, sigma: number): Float64Array {
    const key = `${q}|${sigma}`;
    let v = this.unitCache.get(key);
    if (!v) {
      v = computeRdp(q, sigma, 1, this.orders);
      if (this.unitCache.size >= 64) this.unitCache.clear();
      this.unitCache.set(key, v);
    }
    return v;
  }

  /** The accumulated RDP at each order (a copy). */
  rdpVector(): Float64Array {
    return Float64Array.from(this.rdp);
  }

  protected override onStep(q: number, sigma: number, n: number): void {
    const u = this.unitRdp(q, sigma);
    for (let k = 0; k < u.length; k++) this.rdp[k] += n * u[k];
  }

  protected override onReset(): void {
    this.rdp.fill(0);
  }

  protected computeEpsilon(delta: number): RdpEpsilonResult {
    const steps = this.steps;
    if (steps === 0) return { epsilon: 0, delta, accountant: 'rdp', steps, optimalOrder: null, warnings: [] };
    const r = getPrivacySpent(this.orders, this.rdp, delta);
    return { epsilon: r.epsilon, delta, accountant: 'rdp', steps, optimalOrder: r.optimalOrder, warnings: r.warnings };
  }

  static fromJSON(json: unknown): RdpAccountant {
    const state: AccountantState = parseAccountantState(json, 'rdp');
    return new RdpAccountant().loadHistory(state.history);
  }
}

export { DEFAULT_ORDERS };

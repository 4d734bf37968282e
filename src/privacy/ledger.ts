/**
 * PrivacyLedger: what the training loop holds. One history feeds two accountants:
 * - `step(q, σ)` records a step and returns the cheap RDP ε (O(#orders), microseconds) for the live
 *   curve;
 * - `accurate()` returns the PRV bounds (tens of milliseconds; cached until the next step) for
 *   epoch ends, the final report and budget checks where 6–27% of slack matters.
 * The PRV accountant only appends to its history on `step`; its cost is paid when asked.
 */
import { z } from 'zod';
import type { PrvEpsilonResult, RdpEpsilonResult } from './accountants/accountant';
import { AccountantStateSchema } from './accountants/accountant';
import { PrvAccountant } from './accountants/prv';
import { RdpAccountant } from './accountants/rdp';
import { assertDelta } from './validate';

const LedgerStateSchema = z.object({
  version: z.literal(1),
  delta: z.number().gt(0).lt(1),
  history: AccountantStateSchema.shape.history,
});

export type LedgerState = z.infer<typeof LedgerStateSchema>;

export class PrivacyLedger {
  readonly delta: number;
  private readonly rdp = new RdpAccountant();
  private readonly prv = new PrvAccountant();

  constructor(delta: number) {
    assertDelta(delta);
    this.delta = delta;
  }

  /** Record n steps at (q, σ) and return the live (RDP) ε. */
  step(q: number, sigma: number, n = 1): RdpEpsilonResult {
    this.rdp.step(q, sigma, n);
    this.prv.step(q, sigma, n);
    return this.rdp.getEpsilon(this.delta);
  }

  /** Total steps recorded. */
  get steps(): number {
    return this.rdp.steps;
  }

  get history() {
    return this.rdp.history;
  }

  /** Cheap upper bound (RDP), for every step. */
  live(): RdpEpsilonResult {
    return this.rdp.getEpsilon(this.delta);
  }

  /** Tight bounds (PRV: ε = upper), for occasional use; cached until the next step. */
  accurate(): PrvEpsilonResult {
    return this.prv.getEpsilon(this.delta);
  }

  toJSON(): LedgerState {
    return { version: 1, delta: this.delta, history: this.rdp.toJSON().history };
  }

  static fromJSON(json: unknown): PrivacyLedger {
    const parsed = LedgerStateSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TypeError(`invalid privacy ledger state at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    const ledger = new PrivacyLedger(parsed.data.delta);
    for (const s of parsed.data.history) ledger.step(s.q, s.sigma, s.steps);
    return ledger;
  }
}

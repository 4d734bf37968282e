/**
 * PrivacyLedger: what the training loop holds. One history feeds two accountants:
 * - `step(q, σ)` records a step and returns the cheap RDP ε (O(#orders), microseconds) for the live
 *   curve;
 * - `accurate()` returns the run's chosen accountant (PRV by default: tens of milliseconds, cached
 *   until the next step) for epoch ends, the final report and budget checks where 6–27% of slack
 *   matters.
 * The chosen accountant only appends to its history on `step`; its cost is paid when asked.
 */
import { z } from 'zod';
import type { Accountant, AccountantName, EpsilonResult, RdpEpsilonResult } from './accountants/accountant';
import { ACCOUNTANT_NAMES, AccountantStateSchema } from './accountants/accountant';
import { RdpAccountant } from './accountants/rdp';
import { createAccountant } from './accountants/registry';
import { assertDelta } from './validate';

const LedgerStateSchema = z.object({
  version: z.literal(1),
  delta: z.number().gt(0).lt(1),
  accountant: z.enum(ACCOUNTANT_NAMES).default('prv'),
  history: AccountantStateSchema.shape.history,
});

export type LedgerState = z.infer<typeof LedgerStateSchema>;

export class PrivacyLedger {
  readonly delta: number;
  private readonly rdp = new RdpAccountant();
  private readonly chosen: Accountant;

  constructor(
    delta: number,
    readonly accountant: AccountantName = 'prv',
  ) {
    assertDelta(delta);
    this.delta = delta;
    this.chosen = createAccountant(accountant);
  }

  /** Record n steps at (q, σ) and return the live (RDP) ε. */
  step(q: number, sigma: number, n = 1): RdpEpsilonResult {
    this.rdp.step(q, sigma, n);
    this.chosen.step(q, sigma, n);
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

  /** The chosen accountant's ε (PRV: ε = upper), for occasional use; PRV caches it until the next step. */
  accurate(): EpsilonResult {
    return this.chosen.getEpsilon(this.delta);
  }

  toJSON(): LedgerState {
    return { version: 1, delta: this.delta, accountant: this.accountant, history: this.rdp.toJSON().history };
  }

  static fromJSON(json: unknown): PrivacyLedger {
    const parsed = LedgerStateSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TypeError(`invalid privacy ledger state at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    const ledger = new PrivacyLedger(parsed.data.delta, parsed.data.accountant);
    for (const s of parsed.data.history) ledger.step(s.q, s.sigma, s.steps);
    return ledger;
  }
}

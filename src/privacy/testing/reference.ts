/**
 * Typed access to the reference values the privacy tests check against: accountants.reference.json
 * in this folder. Its `about` field gives the provenance: Opacus (pytorch/opacus commit 4d0ebc8,
 * RDPAccountant / PRVAccountant / GDP with eps_error 0.01, delta_error δ/1000, Opacus's default
 * orders) and Google dp_accounting (commit b5b0286, PLDAccountant, value_discretization_interval
 * 1e-4, pessimistic). The calibration entries are Opacus's get_noise_multiplier at epsilon_tolerance
 * 1e-4 and 1e-2. The values are never produced by the code under test.
 */
import referenceJson from './accountants.reference.json' with { type: 'json' };

export interface ReferenceEpsilon {
  id: string;
  q: number;
  sigma: number;
  steps: number;
  delta: number;
  rdp: number;
  rdp_order: number;
  prv: { lower: number; estimate: number; upper: number };
  gdp: number;
  pld: number;
  exact?: number;
}

export interface ReferenceCalibration {
  id: string;
  target_epsilon: number;
  delta: number;
  q: number;
  steps: number;
  'sigma_tol_1e-4': { rdp: number; prv: number; gdp: number };
  'sigma_tol_1e-2': { rdp: number; prv: number; gdp: number };
}

/** Opacus PRV alone, for long runs (see `prv_long_runs_about` in the JSON). */
export interface ReferencePrvLongRun {
  id: string;
  q: number;
  sigma: number;
  steps: number;
  delta: number;
  prv: { lower: number; estimate: number; upper: number };
}

export interface Reference {
  about: string;
  epsilon: ReferenceEpsilon[];
  calibration: ReferenceCalibration[];
  prv_long_runs: ReferencePrvLongRun[];
}

export const reference: Reference = referenceJson;

export function refPrvLongRun(id: string): ReferencePrvLongRun {
  const e = reference.prv_long_runs.find((x) => x.id === id);
  if (!e) throw new Error(`reference PRV long run '${id}' not found`);
  return e;
}

export function refEpsilon(id: string): ReferenceEpsilon {
  const e = reference.epsilon.find((x) => x.id === id);
  if (!e) throw new Error(`reference epsilon '${id}' not found`);
  return e;
}

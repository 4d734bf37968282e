/** Typed access to the shared reference values (../shared/reference/accountants.json) for tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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

export interface Reference {
  epsilon: ReferenceEpsilon[];
  calibration: ReferenceCalibration[];
}

/** /work/shared/reference/accountants.json, resolved relative to the repository (../shared from the repo root). */
export const REFERENCE_PATH =
  process.env.AUTOCLIP_REFERENCE ?? fileURLToPath(new URL('../../../../shared/reference/accountants.json', import.meta.url));

export const reference: Reference = JSON.parse(readFileSync(REFERENCE_PATH, 'utf8')) as Reference;

export function refEpsilon(id: string): ReferenceEpsilon {
  const e = reference.epsilon.find((x) => x.id === id);
  if (!e) throw new Error(`reference epsilon '${id}' not found`);
  return e;
}

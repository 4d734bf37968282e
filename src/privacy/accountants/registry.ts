/**
 * Accountants by name. `createAccountant` throws on an unknown name, listing the valid ones.
 */
import type { Accountant, AccountantName, EpsilonResult, GdpEpsilonResult, PrvEpsilonResult, RdpEpsilonResult } from './accountant';
import { ACCOUNTANT_NAMES, parseAccountantState } from './accountant';
import { GdpAccountant } from './gdp';
import { PrvAccountant } from './prv';
import { RdpAccountant } from './rdp';

export interface AccountantByName {
  rdp: RdpAccountant;
  prv: PrvAccountant;
  gdp: GdpAccountant;
}

const FACTORIES: { [K in AccountantName]: () => AccountantByName[K] } = {
  rdp: () => new RdpAccountant(),
  prv: () => new PrvAccountant(),
  gdp: () => new GdpAccountant(),
};

export function isAccountantName(name: unknown): name is AccountantName {
  return typeof name === 'string' && (ACCOUNTANT_NAMES as readonly string[]).includes(name);
}

export function createAccountant<K extends AccountantName>(name: K): AccountantByName[K];
export function createAccountant(name: string): Accountant;
export function createAccountant(name: string): Accountant {
  if (!isAccountantName(name)) {
    throw new RangeError(`unknown accountant '${name}'; expected one of: ${ACCOUNTANT_NAMES.join(', ')}`);
  }
  return FACTORIES[name]();
}

/** Rebuild an accountant of the right mechanism from `toJSON()` output (validated). */
export function accountantFromJSON(json: unknown): Accountant {
  const state = parseAccountantState(json);
  const acc = createAccountant(state.mechanism);
  for (const s of state.history) acc.step(s.q, s.sigma, s.steps);
  return acc;
}

export type { EpsilonResult, RdpEpsilonResult, PrvEpsilonResult, GdpEpsilonResult };

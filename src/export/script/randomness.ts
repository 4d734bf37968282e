/**
 * What the script says about its randomness. With secure randomness on (privacy.secureNoise) sampling
 * and noise never derive from SEED, which travels in URLs and run.json; seeded sampling and noise are
 * written only for runs that turned it off, with a warning that they are not private against anyone
 * who knows the seed. Each trainer writes its own private_generators().
 */
import { pyFunction, type Lines } from './lines';
import type { ExportPlan } from './plan';

/** Printed by a seeded private_generators() every time it runs. */
const SEEDED_WARNING =
  "print('warning: sampling and noise are seeded from SEED (secure randomness is off): not private against anyone who knows SEED')";

/** The comment on SEED: what it seeds. */
export function seedNote(plan: ExportPlan): string {
  if (!plan.noise) return 'initialisation, data and batch order';
  return plan.secure
    ? 'initialisation and data only: sampling and noise never derive from it'
    : 'initialisation, data, and (secure randomness off) sampling and noise';
}

/** The header's paragraph on randomness, for a private run. */
export function randomnessParagraph(secure: boolean): string[] {
  return secure
    ? [
        'Randomness: secure (the run config has secureNoise on). Sampling and noise never derive from',
        "SEED, which travels in the run config and the playground's URL: see private_generators().",
      ]
    : [
        'Randomness: SEEDED (the run config has secure randomness off). Sampling and noise derive from',
        "SEED, which travels in the run config and the playground's URL: the run is reproducible and",
        'NOT private against anyone who knows SEED. For teaching and debugging only.',
      ];
}

/** A private_generators() body: its docstring, then its code. */
export interface GeneratorsBody {
  docstring: Lines;
  code: Lines;
}

/**
 * The trainer's private_generators(): the secure body, or, only for a run with secure randomness off,
 * the seeded one, which warns every time it runs that it is not private against anyone who knows SEED.
 */
export function privateGenerators(
  signature: string,
  secure: boolean,
  bodies: { secure: GeneratorsBody; seeded: GeneratorsBody },
): string[] {
  const body = secure ? bodies.secure : bodies.seeded;
  return pyFunction(signature, [...body.docstring, ...(secure ? [] : [SEEDED_WARNING]), ...body.code]);
}

/**
 * Vitest setup: every fast-check property runs from one fixed seed, so a CI failure replays exactly.
 * FC_SEED=<integer> replays a given seed; FC_SEED=random draws a fresh one and prints it (fast-check
 * also prints the seed of any failure). A property that passes its own `seed` keeps it.
 */
import fc from 'fast-check';

export const DEFAULT_PROPERTY_SEED = 20_250_601;

export function propertySeed(env: string | undefined): number {
  if (env === undefined || env === '') return DEFAULT_PROPERTY_SEED;
  if (env === 'random') return (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const seed = Number(env);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or 'random', got '${env}'`);
  return seed;
}

const seed = propertySeed(process.env.FC_SEED);
if (process.env.FC_SEED === 'random') console.log(`fast-check seed: ${seed} (replay with FC_SEED=${seed})`);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });

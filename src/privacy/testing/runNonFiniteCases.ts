/**
 * Child-process entry of nonFinite.test.ts: runs every case of nonFiniteCases.ts in order and prints
 * one JSON line when a case starts and one with its outcome, so the parent can name a case that
 * never finishes.
 */
import { NON_FINITE_CASES, outcomeOf } from './nonFiniteCases';

for (const c of NON_FINITE_CASES) {
  process.stdout.write(`${JSON.stringify({ start: c.name })}\n`);
  process.stdout.write(`${JSON.stringify(outcomeOf(c.name, c.run))}\n`);
}

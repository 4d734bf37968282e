/**
 * Mean and spread over seeds, and the one wording the app, the CLI and docs/LESSONS.md use to compare
 * two settings: a difference is only called a difference when it is larger than the seed-to-seed
 * spread (the larger of the two standard deviations).
 */

export interface SeedSummary {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single seed. */
  sd: number;
  min: number;
  max: number;
  n: number;
}

export function summariseSeeds(values: readonly number[]): SeedSummary {
  if (values.length === 0) throw new RangeError('summariseSeeds: no values');
  if (!values.every(Number.isFinite)) throw new RangeError('summariseSeeds: non-finite value');
  const n = values.length;
  const mean = values.reduce((s, x) => s + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, min: Math.min(...values), max: Math.max(...values), n };
}

/** "93.1 ± 1.2 %" for accuracies in [0, 1]. */
export function formatPercentSpread(s: SeedSummary): string {
  return s.n > 1 ? `${(100 * s.mean).toFixed(1)} ± ${(100 * s.sd).toFixed(1)} %` : `${(100 * s.mean).toFixed(1)} %`;
}

/** True when |a − b| is no larger than the seed-to-seed spread of either (always true for 1 seed each: nothing to tell them apart). */
export function withinSpread(a: SeedSummary, b: SeedSummary): boolean {
  if (a.n < 2 && b.n < 2) return true;
  return Math.abs(a.mean - b.mean) <= Math.max(a.sd, b.sd);
}

/** "A beats B by 3.2 points, more than the seed-to-seed spread (± 1.1)" or "… within the spread …". */
export function compareSentence(nameA: string, a: SeedSummary, nameB: string, b: SeedSummary): string {
  const [hi, lo, hiName, loName] = a.mean >= b.mean ? [a, b, nameA, nameB] : [b, a, nameB, nameA];
  const gap = (100 * (hi.mean - lo.mean)).toFixed(1);
  const spread = (100 * Math.max(hi.sd, lo.sd)).toFixed(1);
  if (hi.n < 2 && lo.n < 2) return `${hiName} is ${gap} points above ${loName} (one seed each: no spread to compare with)`;
  return withinSpread(a, b)
    ? `${hiName} and ${loName} differ by ${gap} points, within the seed-to-seed spread (± ${spread}): no clear winner`
    : `${hiName} is ${gap} points above ${loName}, more than the seed-to-seed spread (± ${spread})`;
}

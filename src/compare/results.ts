import { compareSentence, formatPercentSpread, summariseSeeds, type SeedSummary } from '../lessons/seedStats';
import type { CompareSetting } from './plan';

/** One evaluation of one run: test accuracy in [0, 1] after `step` steps. */
export interface AccuracyPoint {
  step: number;
  testAcc: number;
}

/** A setting's curve over its seeds at one step: mean, and the band min–max. */
export interface BandPoint {
  step: number;
  mean: number;
  min: number;
  max: number;
  /** Seeds that reached this step. */
  n: number;
}

/**
 * A setting's seeds as one curve with a band: at every step that all `curves` evaluated, the mean and
 * the min–max over seeds (with 3 seeds, min–max shows every seed; an sd of 3 values says less).
 * Steps only some seeds reached yet (a Compare still training) are left out.
 */
export function seedBand(curves: readonly (readonly AccuracyPoint[])[]): BandPoint[] {
  if (curves.length === 0) return [];
  const bySeed = curves.map((c) => new Map(c.map((p) => [p.step, p.testAcc])));
  const steps = [...bySeed[0].keys()].filter((step) => bySeed.every((m) => m.has(step))).sort((a, b) => a - b);
  return steps.map((step) => {
    const s = summariseSeeds(bySeed.map((m) => m.get(step)!));
    return { step, mean: s.mean, min: s.min, max: s.max, n: s.n };
  });
}

/** What Compare concludes from the final test accuracy of every setting (over its seeds). */
export interface CompareVerdict {
  /** The setting with the highest mean. */
  winner: string;
  /** "Best: … — … than the runner-up …": which setting won and whether by more than the seed spread. */
  headline: string;
  /** The comparisons the claim rests on, one sentence each. */
  details: string[];
}

type Finals = ReadonlyMap<string, SeedSummary>;

const best = (settings: readonly CompareSetting[], finals: Finals): CompareSetting | undefined =>
  settings
    .filter((s) => finals.has(s.label))
    .reduce<CompareSetting | undefined>((a, s) => (!a || finals.get(s.label)!.mean > finals.get(a.label)!.mean ? s : a), undefined);

/**
 * The results line: the winner against the runner-up, then AUTO-S against the best matched R, the
 * non-private reference against the best private setting, and the unmatched R against the same R
 * matched. Each comparison is worded by compareSentence: a difference within the seed-to-seed spread is
 * said to be one. Needs every setting's finals; throws naming the first one missing.
 */
export function compareVerdict(settings: readonly CompareSetting[], finals: Finals): CompareVerdict {
  for (const s of settings) if (!finals.has(s.label)) throw new Error(`Compare: no final accuracy for "${s.label}"`);
  const ranked = [...settings].sort((a, b) => finals.get(b.label)!.mean - finals.get(a.label)!.mean);
  const [first, second] = ranked;
  const f = (s: CompareSetting) => finals.get(s.label)!;
  const sentence = (a: CompareSetting, b: CompareSetting) => compareSentence(a.label, f(a), b.label, f(b));
  const headline = `Best: ${first.label} at ${formatPercentSpread(f(first))}${second ? `. ${sentence(first, second)}` : ''}.`;
  const details: string[] = [];
  const auto = settings.find((s) => s.role === 'auto-s');
  const bestAbadi = best(
    settings.filter((s) => s.role === 'abadi'),
    finals,
  );
  const bestPrivate = best(
    settings.filter((s) => s.role !== 'non-private'),
    finals,
  );
  const nonPrivate = settings.find((s) => s.role === 'non-private');
  const unmatched = settings.find((s) => s.role === 'unmatched');
  const matched = unmatched && settings.find((s) => s.role === 'abadi' && s.R === unmatched.R);
  if (auto && bestAbadi) details.push(`AUTO-S against the best tuned R: ${sentence(auto, bestAbadi)}.`);
  if (nonPrivate && bestPrivate) details.push(`Without privacy: ${sentence(nonPrivate, bestPrivate)}.`);
  if (unmatched && matched) details.push(`Why the learning rate is matched: ${sentence(matched, unmatched)}.`);
  return { winner: first.label, headline, details };
}

/** Final test accuracies by setting, from each run's last evaluation (runs without one are left out). */
export function finalsBySetting(runs: readonly { setting: string; points: readonly AccuracyPoint[] }[]): Map<string, SeedSummary> {
  const values = new Map<string, number[]>();
  for (const r of runs) {
    const last = r.points[r.points.length - 1];
    if (!last) continue;
    values.set(r.setting, [...(values.get(r.setting) ?? []), last.testAcc]);
  }
  return new Map([...values].map(([label, xs]) => [label, summariseSeeds(xs)]));
}

/**
 * The outcome checks on hand-made records: each lesson's verdict follows its stated rule, in both
 * directions (a check that can only say "held" would prove nothing), and the seed statistics agree
 * with values worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { LESSONS, lessonByName, type Lesson, type LessonRunRecord } from '.';
import { compareSentence, summariseSeeds, withinSpread } from './seedStats';

function records(
  lesson: Lesson,
  accuracy: (label: string, seed: number) => number,
  extra: Partial<LessonRunRecord> = {},
): LessonRunRecord[] {
  return lesson.runs.flatMap((run) =>
    [1, 2, 3].map((seed) => ({
      label: run.label,
      seed,
      config: run.config,
      finalTestAccuracy: accuracy(run.label, seed),
      epsilon: 3,
      sigma: 1,
      steps: 100,
      plannedSteps: 100,
      stopMessage: null,
      lastStepNorms: null,
      ...extra,
    })),
  );
}

const jitter = (seed: number) => (seed - 2) * 0.005; // ± 0.5 points: sd 0.5 points

describe('seed statistics', () => {
  it('mean and sample sd by hand: [0.9, 0.92, 0.94] → 0.92 ± 0.02', () => {
    const s = summariseSeeds([0.9, 0.92, 0.94]);
    expect(s.mean).toBeCloseTo(0.92, 12);
    expect(s.sd).toBeCloseTo(0.02, 12);
    expect([s.min, s.max, s.n]).toEqual([0.9, 0.94, 3]);
  });
  it('refuses no values and non-finite values', () => {
    expect(() => summariseSeeds([])).toThrow(/no values/);
    expect(() => summariseSeeds([0.5, NaN])).toThrow(/non-finite/);
  });
  it('calls a difference within the spread only when it is no larger than the larger sd', () => {
    const a = summariseSeeds([0.9, 0.92, 0.94]);
    expect(withinSpread(a, summariseSeeds([0.91, 0.93, 0.95]))).toBe(true);
    expect(withinSpread(a, summariseSeeds([0.95, 0.96, 0.97]))).toBe(false);
    expect(compareSentence('A', a, 'B', summariseSeeds([0.95, 0.96, 0.97]))).toMatch(
      /^B is 4\.0 points above A, more than the seed-to-seed spread/,
    );
    expect(compareSentence('A', a, 'B', summariseSeeds([0.91, 0.93, 0.95]))).toMatch(/within the seed-to-seed spread/);
  });
});

describe('lesson outcome checks', () => {
  it('every lesson has a unique name, runs with unique labels, and numbered steps', () => {
    expect(new Set(LESSONS.map((l) => l.name)).size).toBe(LESSONS.length);
    for (const l of LESSONS) {
      expect(new Set(l.runs.map((r) => r.label)).size, l.name).toBe(l.runs.length);
      expect(l.steps.length, l.name).toBeGreaterThanOrEqual(3);
      expect(l.paper, l.name).toMatch(/Bu et al\. 2023, §\d/);
    }
  });

  it('a lesson picture names only the lesson’s own runs, refreshes at a whole number of steps, and its steps point at it', () => {
    const pictured = LESSONS.filter((l) => l.plane);
    expect(pictured.map((l) => l.name)).toEqual(['why-clip', 'automatic-clipping']);
    for (const l of pictured) {
      const labels = new Set(l.runs.map((r) => r.label));
      expect(l.plane!.runs.length, l.name).toBeGreaterThan(0);
      for (const label of l.plane!.runs) expect(labels.has(label), `${l.name}: ${label}`).toBe(true);
      expect(Number.isInteger(l.plane!.every) && l.plane!.every >= 1, l.name).toBe(true);
      expect(
        l.steps.some((s) => s.includes('This batch’s gradients')),
        l.name,
      ).toBe(true);
    }
  });

  it('what-r-does: holds when the middle R wins by more than 5 points, not when R makes no difference', () => {
    const l = lessonByName('what-r-does')!;
    const good = { 'Abadi R = 0.1': 0.58, 'Abadi R = 1': 0.91, 'Abadi R = 10': 0.62 } as Record<string, number>;
    expect(l.outcome(records(l, (label, seed) => good[label] + jitter(seed))).holds).toBe(true);
    expect(l.outcome(records(l, (_, seed) => 0.9 + jitter(seed))).holds).toBe(false);
  });

  it('automatic-clipping: holds when AUTO-S is within 1 point of the best R and 5 above the worst', () => {
    const l = lessonByName('automatic-clipping')!;
    const acc = (auto: number) => (label: string, seed: number) =>
      (label.startsWith('AUTO-S') ? auto : label.includes('R = 0.1,') ? 0.945 : label.includes('R = 1,') ? 0.914 : 0.88) + jitter(seed);
    expect(l.outcome(records(l, acc(0.94))).holds).toBe(true);
    expect(l.outcome(records(l, acc(0.9))).holds).toBe(false); // 4.5 points below the best
  });

  it('adam-hides-r: holds when the runs coincide, not when one differs by more than the spread', () => {
    const l = lessonByName('adam-hides-r')!;
    expect(l.outcome(records(l, (_, seed) => 0.94 + jitter(seed))).holds).toBe(true);
    expect(l.outcome(records(l, (label, seed) => (label.includes('0.01') ? 0.9 : 0.94) + jitter(seed))).holds).toBe(false);
  });

  it('r-lr-coupled: holds when the diagonal is flat and the off-diagonal cells move, not when everything moves', () => {
    const l = lessonByName('r-lr-coupled')!;
    const flat = (label: string) => (label.includes('(R·lr = 1)') ? 0.93 : label.includes('0.25') ? 0.58 : 0.83);
    expect(l.outcome(records(l, (label, seed) => flat(label) + jitter(seed))).holds).toBe(true);
    const tilted = (label: string) =>
      label.startsWith('R = 0.01, lr = 100') ? 0.95 : label.startsWith('R = 0.04, lr = 25') ? 0.8 : flat(label);
    expect(l.outcome(records(l, (label, seed) => tilted(label) + jitter(seed))).holds).toBe(false);
  });

  it('privacy-budget: holds on calibrated ε, growing σ and an early stop; fails when the budget run ran to the end', () => {
    const l = lessonByName('privacy-budget')!;
    const rs = (budgetSteps: number) =>
      l.runs.flatMap((run) =>
        [1, 2, 3].map((seed): LessonRunRecord => {
          const target = run.config.privacy.noise.mode === 'target' ? run.config.privacy.noise.epsilon : 3;
          const budget = run.config.privacy.budgetEpsilon !== null;
          return {
            label: run.label,
            seed,
            config: run.config,
            finalTestAccuracy: 0.95,
            epsilon: budget ? (budgetSteps < 117 ? 0.99 : 3) : target * 0.999,
            sigma: run.config.train.epochs > 10 ? 1.5 : target < 3 ? 2.5 : 1,
            steps: budget ? budgetSteps : 117,
            plannedSteps: 117,
            stopMessage: null,
            lastStepNorms: null,
          };
        }),
      );
    expect(l.outcome(rs(20)).holds).toBe(true);
    expect(l.outcome(rs(117)).holds).toBe(false);
  });

  it('why-clip: holds when the largest norm is 10× the median in every seed, not when norms are alike', () => {
    const l = lessonByName('why-clip')!;
    const outlier = [...Array<number>(200).fill(0.01), 3];
    expect(l.outcome(records(l, () => 1, { lastStepNorms: outlier })).holds).toBe(true);
    expect(l.outcome(records(l, () => 1, { lastStepNorms: [1, 1.2, 0.9, 1.5] })).holds).toBe(false);
  });

  it('an outcome is not stated about a run that was not trained', () => {
    const l = lessonByName('what-r-does')!;
    expect(() => l.outcome(records(l, () => 0.9).filter((r) => r.label !== 'Abadi R = 10'))).toThrow(/no finished run "Abadi R = 10"/);
  });
});

import { lessonBase, withChanges } from '../presets';
import { runsOf } from '../records';
import type { Lesson, LessonRunRecord } from '../types';

const BASE = 'ε = 3, 10 epochs';
const LONGER = 'ε = 3, 20 epochs';
const TIGHTER = 'ε = 1, 10 epochs';
const BUDGET = 'σ for ε = 3, hard budget ε ≤ 1';
const HARD_BUDGET = 1;
/** A calibrated run ends within this relative distance below its target ε. */
const CALIBRATION_TOLERANCE = 0.02;

const run = (epsilon: number, epochs: number, budgetEpsilon: number | null = null) =>
  withChanges(lessonBase('circle'), {
    train: { epochs, evalEvery: 25 },
    privacy: { noise: { mode: 'target', epsilon }, budgetEpsilon },
  });

/** σ of a run (the same for every seed: it depends on q, steps and ε only). */
function sigmaOf(records: readonly LessonRunRecord[], label: string): number {
  const s = runsOf(records, label)[0].sigma;
  if (s === null) throw new Error(`lesson outcome: run "${label}" has no σ`);
  return s;
}

const maxEpsilon = (records: readonly LessonRunRecord[], label: string) =>
  Math.max(...runsOf(records, label).map((r) => r.epsilon ?? Infinity));

/** ε grows with steps; a target ε fixes σ; the hard budget stops the run (Bu et al. §2: DP and its accounting). */
export const privacyBudget: Lesson = {
  name: 'privacy-budget',
  title: 'The privacy budget',
  summary:
    'Every noisy step spends privacy: ε grows with the number of steps, the sampling rate q = B/N and smaller noise σ. Give a target ε and the app calibrates σ so that the planned steps end exactly there; give a hard budget and the run stops before it would exceed it.',
  paper:
    'Bu et al. 2023, §2 (DP, the Gaussian mechanism on the clipped sum, and privacy accounting; automatic clipping has the same sensitivity and so the same ε)',
  claim:
    'A target ε is met exactly (σ calibrated for it); more steps or a smaller ε need a larger σ; a hard budget stops the run before ε exceeds it.',
  runs: [
    { label: BASE, config: run(3, 10) },
    { label: LONGER, config: run(3, 20) },
    { label: TIGHTER, config: run(1, 10) },
    { label: BUDGET, config: run(3, 10, HARD_BUDGET) },
  ],
  steps: [
    'Press "Train lesson runs". Four private runs on the circle start: ε = 3 over 10 epochs, ε = 3 over 20 epochs, ε = 1 over 10 epochs, and the first run again with a hard budget ε ≤ 1.',
    'Look at the Privacy spent ε chart: each curve rises with the steps (dotted: the projection to the end). The calibrated runs end at their target.',
    'In the runs table, compare σ: twice the steps at the same ε, or a smaller ε, both need more noise.',
    'Watch the hard-budget run: it stops early, when one more step would spend more than ε = 1, and says so in its state.',
  ],
  outcome(records) {
    const eps3 = maxEpsilon(records, BASE);
    const eps3Long = maxEpsilon(records, LONGER);
    const eps1 = maxEpsilon(records, TIGHTER);
    const sigma = sigmaOf(records, BASE);
    const sigmaLonger = sigmaOf(records, LONGER);
    const sigmaTighter = sigmaOf(records, TIGHTER);
    const budgetRuns = runsOf(records, BUDGET);
    const budgetEps = Math.max(...budgetRuns.map((r) => r.epsilon ?? Infinity));
    const budgetSteps = Math.max(...budgetRuns.map((r) => r.steps));
    const planned = budgetRuns[0].plannedSteps;
    const atTarget = (eps: number, target: number) => eps <= target && eps >= target * (1 - CALIBRATION_TOLERANCE);
    const calibrated = atTarget(eps3, 3) && atTarget(eps3Long, 3) && atTarget(eps1, 1);
    const moreNoise = sigmaLonger > sigma && sigmaTighter > sigma;
    const stopped = budgetEps <= HARD_BUDGET && budgetSteps < planned;
    return {
      claim: privacyBudget.claim,
      holds: calibrated && moreNoise && stopped,
      numbers: {
        epsilonTarget3: eps3,
        epsilonTarget3Longer: eps3Long,
        epsilonTarget1: eps1,
        sigma,
        sigmaLonger,
        sigmaTighter,
        budgetEpsilon: budgetEps,
        budgetSteps,
        plannedSteps: planned,
      },
      detail:
        `ε at the end: ${eps3.toFixed(3)} (target 3), ${eps3Long.toFixed(3)} (target 3, twice the steps), ${eps1.toFixed(3)} (target 1). ` +
        `σ: ${sigma.toPrecision(3)}, ${sigmaLonger.toPrecision(3)} with twice the steps, ${sigmaTighter.toPrecision(3)} for ε = 1. ` +
        `The hard budget stopped at step ${budgetSteps} of ${planned} with ε = ${budgetEps.toFixed(3)} ≤ ${HARD_BUDGET}.`,
    };
  },
};

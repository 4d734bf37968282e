import { accuracyNumbers, accuraciesOf, listAccuracies, points } from '../accuracy';
import { spiralsSgdRun } from '../presets';
import type { Lesson } from '../types';

const R_VALUES = [0.1, 1, 10] as const;
const label = (R: number) => `Abadi R = ${R}`;
/** Spread across R that counts as "R matters" (docs/LESSONS.md). */
const MIN_SPREAD_POINTS = 5;

/** DP-SGD at one learning rate, three thresholds R (Bu et al. §3: the choice of R is vital). */
export const whatRDoes: Lesson = {
  name: 'what-r-does',
  title: 'What R does under DP-SGD',
  summary:
    'Plain DP-SGD (SGD with momentum) at one learning rate and three clipping thresholds R. Too small an R shrinks every gradient, so the run learns slowly; too large an R clips nothing and the noise, σ·R, drowns the signal.',
  paper: 'Bu et al. 2023, §3 (the clipping threshold R is vital for DP-SGD; small R works best once the learning rate is tuned)',
  claim: `At a fixed learning rate R matters: accuracy across R = 0.1, 1, 10 spreads by at least ${MIN_SPREAD_POINTS} points, and the middle R beats both ends (too small learns slowly, too large drowns in noise).`,
  runs: R_VALUES.map((R) => ({
    label: label(R),
    config: spiralsSgdRun(1, { clipping: 'abadi', maxGradNorm: R }),
  })),
  steps: [
    'Press "Train lesson runs". Three private runs on the spirals start, identical except for R (0.1, 1 and 10), all at learning rate 1 and ε = 3.',
    'Look at the Accuracy chart. R = 0.1 rises slowly: every per-sample gradient (norm about 2 here) is scaled down to 0.1, so each step is tiny.',
    'Look at the Signal vs noise chart. For R = 10 nothing is clipped, but the noise is σ·R = 10× larger than for R = 1 and swamps the clipped sum.',
    'Look at the Decision boundary of each run (pick it in the runs table): only the middle R draws the spiral.',
  ],
  outcome(records) {
    const acc = accuraciesOf(records, R_VALUES.map(label));
    const means = acc.map(([, s]) => s.mean);
    const spread = points(Math.max(...means), Math.min(...means));
    const middle = acc[1][1];
    const middleBest = middle.mean > acc[0][1].mean + acc[0][1].sd && middle.mean > acc[2][1].mean + acc[2][1].sd;
    const holds = spread >= MIN_SPREAD_POINTS && middleBest;
    return {
      claim: whatRDoes.claim,
      holds,
      numbers: { ...accuracyNumbers(acc), spreadPoints: spread },
      detail: `${listAccuracies(acc)}; spread across R ${spread.toFixed(1)} points${middleBest ? ', R = 1 best by more than the seed spread' : ', R = 1 not clearly best'}.`,
    };
  },
};
